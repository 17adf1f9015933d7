"""How long the viewers' disclosure rule (reports.protection.protect) takes on a year cube.

    .venv/bin/python benchmarks/report_protection.py [--places 66] [--sets 7] [--no-write]

No database: synthetic cubes built in memory (tests/reports/cubes.py) from random visit
records (person, place, month), ``--sets`` independent sets of six reach-like measures
each (people, new people, not new, visits, anonymous, named visits), so 7 sets are 42
measures. The sets range from busy (2,000 people, 60,000 visits: few small cells) to
sparse (30 people, 150 visits over the whole region: most place cells small). Cases:

1. a small region (1 village, 3 places, one busy set and one sparse set);
2. the large region (``--places`` places in 10 villages, 17 periods) with busy sets only;
3. the large region with every set, sparse ones included.

The figures are printed and appended to benchmarks/RESULTS.md with the date and machine.
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime

from common import ROOT, append_results, commit, machine

# (people, visits) per set of measures, busy first.
SETS = [(2000, 60000), (3000, 50000), (500, 8000), (200, 2000), (100, 800), (60, 400), (30, 150)]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_cube(place_count: int, villages: int, sets: list[tuple[int, int]], seed: int = 7):
    from tests.reports.cubes import cube, random_records, region, visit_measures, visit_values

    generator = random.Random(seed)
    per_village = [place_count // villages + (v < place_count % villages) for v in range(villages)]
    groups = region({f"v{v}": [f"p{v}_{p}" for p in range(n)] for v, n in enumerate(per_village)})
    registry, differences, values = {}, [], {}
    for number, (people, visits) in enumerate(sets):
        measures, relations = visit_measures(f"_{number}")
        registry |= measures
        differences += relations
        records = random_records(generator, groups, people, visits)
        values |= visit_values(groups, records, f"_{number}")
    return cube(groups, values), registry, differences


def run(name: str, made, registry, differences) -> dict:
    from omzien.reports.protection import protect

    started = time.perf_counter()
    protection = protect(made, 5, measures=registry, differences=differences)
    seconds = time.perf_counter() - started
    counted = [v for v in made.values.values() if v is not None]
    row = {
        "case": name,
        "cells": len(counted),
        "measures": len(registry),
        "primary": len(protection.primary),
        "secondary": len(protection.secondary),
        "hidden": len(protection.hidden),
        "seconds": seconds,
    }
    print(row, flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=66)
    parser.add_argument("--sets", type=int, default=len(SETS))
    parser.add_argument("--no-write", action="store_true")
    arguments = parser.parse_args()
    setup_django()
    rows = []
    rows.append(run("small region (3 places), busy + sparse", *make_cube(3, 1, [SETS[2], SETS[6]])))
    busy = SETS[:2]
    rows.append(
        run(f"{arguments.places} places, busy sets only", *make_cube(arguments.places, 10, busy))
    )
    every = SETS[: arguments.sets]
    rows.append(
        run(
            f"{arguments.places} places, all {len(every)} sets",
            *make_cube(arguments.places, 10, every),
        )
    )
    table = [
        "| case | cells | measures | primary | secondary | hidden (with not displayed) | s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    table += [
        f"| {row['case']} | {row['cells']:,} | {row['measures']} | {row['primary']:,} | "
        f"{row['secondary']:,} | {row['hidden']:,} | {row['seconds']:.2f} |"
        for row in rows
    ]
    text = "\n".join(
        [
            f"## Disclosure rule for viewers (report_protection.py), "
            f"{datetime.now():%Y-%m-%d %H:%M}, commit {commit()}",
            "",
            f"{machine()}.",
            "",
            *table,
            "",
        ]
    )
    print(text)
    if not arguments.no_write:
        append_results(text)


if __name__ == "__main__":
    main()
