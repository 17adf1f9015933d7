"""Batch matching of help requests and offers: speed, and Omzien's proposal against greedy.

    .venv/bin/python benchmarks/help_matching.py [--runs 3] [--no-append]

On a simulated village network: the 16 villages of Voorst with the demo network's
coordinates (``omzien.demo.network.VILLAGES``), people spread over them by a rough
village size, offers with 1-3 categories, days, parts of the day, a distance or a list
of villages, a maximum a month (some without one, some partly used this month) and
requests likewise. A share of the requests is *planted*: made to fit one offer that has
room for it, so the planted pairs are a known feasible assignment and the optimum
matches at least that many. The rest are random (they may or may not fit anyone).

Measured, in one process without a database (``helping.matching`` on dataclasses, as
``omzien match`` calls it after loading):

1. ``propose_batch`` for 10,000 open requests against 5,000 helpers: median of
   ``--runs`` (target: under 5 s on two cores), and the curve from 1,000 to 50,000
   requests (helpers: half the requests).
2. On the same instances: requests matched and total distance of the batch proposal, of
   greedy first-come matching (``greedy_batch``) and the planted lower bound; that no
   helper gets more than their room (``check_proposals``).
3. At 20,000 requests: the pruned flow against the unpruned one (every candidate pair an
   arc), which is the exact optimum of the flow model.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

import numpy as np
from common import append_results, commit, machine

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.config.settings")
import django  # noqa: E402

django.setup()

from omzien.demo.network import VILLAGES  # noqa: E402
from omzien.helping import matching  # noqa: E402

CATEGORIES = [
    "boodschappen",
    "vervoer",
    "klusjes",
    "tuin",
    "computer-telefoon",
    "gezelschap-wandelen",
    "formulieren-administratie",
    "anders",
]
DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
PARTS = ["ochtend", "middag", "avond"]
URGENCIES = ["week", "maand", "geen-haast"]
# Rough relative sizes (Twello is the big one, the hamlets small).
VILLAGE_WEIGHT = {
    "twello": 12,
    "duistervoorde": 3,
    "voorst": 3,
    "klarenbeek": 3,
    "terwolde": 2,
    "wilp": 2,
    "teuge": 2,
    "nijbroek": 1,
    "empe": 1,
    "steenenkamer": 1,
    "gietel": 1,
    "posterenk": 1,
    "bussloo": 1,
    "wilp-achterhoek": 1,
    "de-vecht": 1,
    "appen": 1,
}
PLANTED_SHARE = 0.5
START = datetime(2026, 11, 1, 9, tzinfo=UTC)


def _villages():
    return [(slug, name, float(lat), float(lon)) for name, slug, lat, lon in VILLAGES]


def _some(rng, values, low, high):
    count = int(rng.integers(low, high + 1))
    return frozenset(
        str(v) for v in rng.choice(values, size=min(count, len(values)), replace=False)
    )


def _one(rng, values):
    return frozenset([str(rng.choice(sorted(values)))])


def simulate(requests: int, helpers: int, seed: int = 10):
    """(needs, capacities, planted): the instance described in the module's text."""
    rng = np.random.default_rng(seed)
    villages = _villages()
    weights = np.array([VILLAGE_WEIGHT[slug] for slug, *_ in villages], float)
    weights /= weights.sum()
    coordinates = {slug: (lat, lon) for slug, _name, lat, lon in villages}
    names = {slug: name for slug, name, *_ in villages}

    def distance(a, b):
        (lat1, lon1), (lat2, lon2) = coordinates[a], coordinates[b]
        return matching.distance_km(
            matching.Need("", None, a, lat1, lon1, frozenset()),
            matching.Need("", None, b, lat2, lon2, frozenset()),
        )

    capacities = []
    for index in range(helpers):
        slug = villages[rng.choice(len(villages), p=weights)][0]
        max_km = [None, 2.0, 3.0, 5.0, 8.0][int(rng.integers(0, 5))]
        chosen = frozenset()
        if rng.random() < 0.2:
            chosen = _some(rng, [v[0] for v in villages], 1, 3)
        maximum = None if rng.random() < 0.02 else [1, 1, 1, 2, 2, 3][int(rng.integers(0, 6))]
        used = 0 if maximum is None else int(rng.integers(0, maximum + 1) * (rng.random() < 0.3))
        capacities.append(
            matching.Capacity(
                ref=f"aanbod-{index}",
                person_key=f"p{index}",
                village=slug,
                lat=coordinates[slug][0],
                lon=coordinates[slug][1],
                categories=_some(rng, CATEGORIES, 1, 2),
                days=_some(rng, DAYS, 1, 2),
                parts=_some(rng, PARTS, 1, 1),
                max_km=max_km,
                villages=chosen,
                max_per_month=maximum,
                used_this_month=used,
                has_car=bool(rng.random() < 0.5),
                village_name=names[slug],
            )
        )

    # Planted requests: each takes a unit of room of an offer and fits it.
    slots = [
        j
        for j, capacity in enumerate(capacities)
        for _ in range(min(capacity.remaining if capacity.remaining is not None else 3, 3))
    ]
    rng.shuffle(slots)
    planted = min(int(requests * PLANTED_SHARE), len(slots))
    needs = []
    for index in range(requests):
        if index < planted:
            capacity = capacities[slots[index]]
            reachable = [
                slug
                for slug, *_ in villages
                if slug in capacity.villages
                or distance(capacity.village, slug) <= capacity.reach_km
            ]
            slug = reachable[int(rng.integers(0, len(reachable)))]
            categories = _one(rng, capacity.categories) | _some(rng, CATEGORIES, 0, 1)
            days = _one(rng, capacity.days) | _some(rng, DAYS, 0, 1)
            parts = _one(rng, capacity.parts)
        else:
            slug = villages[rng.choice(len(villages), p=weights)][0]
            categories = _some(rng, CATEGORIES, 1, 1)
            days = _some(rng, DAYS, 1, 2)
            parts = _some(rng, PARTS, 1, 1)
        needs.append(
            matching.Need(
                ref=f"vraag-{index}",
                person_key=f"q{index}",
                village=slug,
                lat=coordinates[slug][0],
                lon=coordinates[slug][1],
                categories=categories,
                days=days,
                parts=parts,
                urgency=URGENCIES[int(rng.integers(0, 3))],
                created=START + timedelta(minutes=int(rng.integers(0, 60 * 24 * 30))),
                village_name=names[slug],
            )
        )
    order = rng.permutation(requests)  # planted ones are not the first to arrive
    return [needs[i] for i in order], capacities, planted


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def compare(requests: int, helpers: int, runs: int, seed: int = 10) -> dict:
    needs, capacities, planted = simulate(requests, helpers, seed)
    times, batch = [], None
    for _ in range(runs):
        seconds, batch = timed(matching.propose_batch, needs, capacities)
        times.append(seconds)
    greedy_seconds, greedy = timed(matching.greedy_batch, needs, capacities)
    problems = matching.check_proposals(batch.proposals, needs, capacities)
    problems += matching.check_proposals(greedy.proposals, needs, capacities)
    return {
        "requests": requests,
        "helpers": helpers,
        "median": statistics.median(times),
        "fastest": min(times),
        "runs": runs,
        "arcs": batch.arcs,
        "pruned": batch.pruned,
        "planted": planted,
        "batch": len(batch.proposals),
        "batch_km": batch.total_distance_km,
        "greedy": len(greedy.proposals),
        "greedy_km": greedy.total_distance_km,
        "greedy_seconds": greedy_seconds,
        "problems": len(problems),
    }


def exact_check(requests: int, helpers: int) -> dict:
    needs, capacities, _planted = simulate(requests, helpers, seed=11)
    pruned_s, pruned = timed(matching.propose_batch, needs, capacities)
    full_s, full = timed(matching.propose_batch, needs, capacities, max_candidates=None)
    return {
        "requests": requests,
        "helpers": helpers,
        "pruned": len(pruned.proposals),
        "pruned_km": pruned.total_distance_km,
        "pruned_s": pruned_s,
        "pruned_arcs": pruned.arcs,
        "pruned_requests": pruned.pruned,
        "full": len(full.proposals),
        "full_km": full.total_distance_km,
        "full_s": full_s,
        "full_arcs": full.arcs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--curve", type=int, nargs="*", default=[1000, 2000, 5000, 20000, 50000])
    parser.add_argument("--no-append", action="store_true")
    options = parser.parse_args()

    load = os.getloadavg()[0]
    main_row = compare(10_000, 5_000, options.runs)
    print(main_row, flush=True)
    curve = []
    for size in options.curve:
        row = compare(size, size // 2, 1 if size > 10_000 else options.runs, seed=10 + size)
        print(row, flush=True)
        curve.append(row)
    exact = exact_check(20_000, 10_000)
    print(exact, flush=True)

    def row_text(row):
        return (
            f"| {row['requests']:,} | {row['helpers']:,} | {row['arcs']:,} | {row['pruned']:,} | "
            f"{row['median']:.2f} | {row['fastest']:.2f} | {row['runs']} | "
            f"{row['planted']:,} | {row['batch']:,} | {row['batch_km']:,.0f} | "
            f"{row['greedy']:,} | {row['greedy_km']:,.0f} | {row['problems']} |"
        )

    header = (
        "| requests | helpers | arcs | pruned requests | median s | fastest s | runs | "
        "planted (feasible) | batch matched | batch km | greedy matched | greedy km | "
        "rule violations |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    setup = (
        f"`benchmarks/help_matching.py --runs {options.runs}` at commit {commit()}. "
        f"{machine()}; numpy {np.__version__}, OR-Tools {_ortools_version()}. "
        f"Load average when it started: {load:.1f} (the machine is shared with other jobs)."
    )
    what = (
        "`propose_batch` (candidates, min-cost flow, scores and reasons) on dataclasses of "
        "a simulated Voorst network (the 16 villages' coordinates), no database. "
        '"planted" is the number of requests made to fit an offer with room (a known '
        "feasible assignment, so the optimum matches at least that many); greedy is "
        "first-come, each request taking its nearest candidate with room, in the same run. "
        "Target: 10,000 requests against 5,000 helpers under 5 s."
    )
    pruning = (
        "Pruned (each request's nearest candidates within the arc budget, here "
        f"{exact['pruned_requests']:,} requests lost some, then a repair pass for the "
        "unmatched) against the unpruned flow (every candidate pair an arc: the exact "
        f"optimum of the model) at {exact['requests']:,} requests and "
        f"{exact['helpers']:,} helpers: pruned {exact['pruned']:,} matched, "
        f"{exact['pruned_km']:,.1f} km, {exact['pruned_arcs']:,} arcs, "
        f"{exact['pruned_s']:.2f} s; unpruned {exact['full']:,} matched, "
        f"{exact['full_km']:,.1f} km, {exact['full_arcs']:,} arcs, {exact['full_s']:.2f} s."
    )
    curve_rows = "\n".join(row_text(row) for row in curve)
    text = (
        f"## Batch matching of help requests (`help_matching.py`), {date.today():%Y-%m-%d}\n\n"
        f"{setup}\n\n{what}\n\n{header}\n{row_text(main_row)}\n\n"
        "The curve (helpers: half the requests; one run above 10,000):\n\n"
        f"{header}\n{curve_rows}\n\n{pruning}\n"
    )
    print(text)
    if not options.no_append:
        append_results(text)


def _ortools_version() -> str:
    try:
        from importlib.metadata import version

        return version("ortools")
    except Exception:  # noqa: BLE001
        return "?"


if __name__ == "__main__":
    sys.exit(main())
