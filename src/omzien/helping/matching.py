"""Who could help whom: candidate pairs, a score with the reasons in words, the ranked
suggestions for one request, and the batch proposal for all open requests at once.

Pure: plain dataclasses in, plain dataclasses out, no database (``helping.loading``
builds the dataclasses from it), so the benchmark and the property tests run the very
code the command runs.

**The rules** (design.md): a helper (``Capacity``, one active offer) is a *candidate* for
a request (``Need``) when they share a category, they overlap in a day and in a part of
the day (an empty list of days or parts means "any"), the request's village lies within
the offer's ``max_km`` of the helper's village (``DEFAULT_MAX_KM`` when the offer names
no distance) or is one of the villages the offer names, the helper is not the one who
asks, an offer made for one request on the notice board (``only_for``) is for this one,
and the offer has room left this month (``max_per_month`` minus the proposals
confirmed this calendar month; no maximum: no limit). ``is_candidate`` is the rule for
one pair; ``candidate_pairs`` applies the same rule to whole arrays at once.

**The score** (0-100) adds up: categories that fit (30), availability that overlaps (20),
distance (25, less the farther), how busy the helper is this month (15, less the
busier) and knowing each other from an activity at a meeting place (10). Each part comes
with a ``Reason``: a code and its parameters, which ``render_reason`` says in the active
language (Dutch through gettext). ``Reason.as_json`` is ``{"code": ..., "params":
{...}}`` (``omzien match --format json`` gives them as ``reason_codes``); a saved
``HelpMatch.reasons`` holds them in words, in the site's language, as the help pages show
them; ``render_reasons`` takes either form.

Codes and parameters:

- ``category`` ``{"categories": [values]}``: "Kan helpen met boodschappen en vervoer"
- ``availability`` ``{"days": [values], "parts": [values]}``: "Kan op maandag, 's middags"
  (no days or parts: any)
- ``same_village`` ``{"village": name}``: "Woont ook in Twello"
- ``distance`` ``{"km": 3.2, "from": name, "to": name}``: "3,2 km (Wilp – Twello)"
- ``chosen_village`` ``{"village": name}``: "Helpt graag in Twello"
- ``load`` ``{"count": n, "max": m}``: "Deze maand 1 van de 4 keer gekoppeld"
- ``load_free`` ``{"count": n}`` (no maximum): "Deze maand nog niet gekoppeld" / "... 2 keer"
- ``known`` ``{"activity": title}``: "Kennen elkaar van de Koffieochtend"
- ``car`` ``{}``: "Heeft een auto"

**The batch proposal** (``propose_batch``) is optimal, not greedy: the most requests
matched, then the least total distance, then the fairest load (and, among equals, the
urgent requests and the better fits). It is a min-cost flow (OR-Tools'
``SimpleMinCostFlow.solve_max_flow_with_min_cost``: the maximum flow, at the least cost
among maximum flows): source → request (capacity 1, a small cost for non-urgent ones) →
helper (capacity 1, cost ``distance`` in tens of metres times a distance weight, plus a
small cost for a worse fit) → sink through one unit arc per proposal the helper has room
for, each dearer than the one before (a convex cost: a helper's third proposal costs more
than another helper's first, so the load spreads). The small costs of a whole flow add up
to less than ten metres' distance times that weight (``_solve``: ``TIE_BREAK_MAX`` per
request that can be matched, plus one), so distance always comes before them;
cardinality needs no weight, the solver maximises the flow first.

To stay fast (10,000 requests against 5,000 helpers in well under 5 s on two cores),
each request keeps its ``max_candidates`` cheapest candidates (nearest first, then the
helpers with most room): by default as many as ``ARC_BUDGET`` arcs allow, at least
``MIN_CANDIDATES``. A request the first solve leaves unmatched, and that lost candidates,
then gets arcs to its nearest candidates that still have room, and the flow is solved
again (``repair_passes``). ``BatchResult.pruned`` tells how many requests lost
candidates: with none, the proposal is the exact optimum; with some, a match that needs
one of the dropped arcs can be missed (the benchmark measures how often, against the
unpruned flow). ``greedy_batch`` is the first-come baseline: each
request in turn takes its nearest candidate with room.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from omzien.places.geo import EARTH_RADIUS_KM, distance_km

DEFAULT_MAX_KM = 5.0
TRANSPORT = "vervoer"
URGENCY_ORDER = {"week": 0, "maand": 1, "geen-haast": 2}

WEIGHTS = {"category": 30, "availability": 20, "distance": 25, "load": 15, "known": 10}
# An offer without a maximum counts as this many a month when its load is weighed.
UNLIMITED_AS = 8

# Costs in the flow (integers). Distance in tens of metres, times a weight set per solve
# so that the tie-breaks below, added up over a whole flow, never outweigh ten metres.
URGENCY_COST = {"week": 0, "maand": 2, "geen-haast": 4}
FIT_COST_MAX = 10
LOAD_COST_MAX = 20
TIE_BREAK_MAX = max(URGENCY_COST.values()) + FIT_COST_MAX + LOAD_COST_MAX
EPSILON_KM = 1e-9
# Pruning: each request keeps at least this many of its nearest candidates, more while
# the arcs stay within the budget (the solver takes about a second per million arcs).
MIN_CANDIDATES = 24
ARC_BUDGET = 1_500_000


@dataclass(frozen=True)
class Need:
    """An open help request: who asks (``person_key``, None when unknown), where, what,
    when, how urgent, and since when (first come, first served in ``greedy_batch``)."""

    ref: str
    person_key: str | None
    village: str
    lat: float
    lon: float
    categories: frozenset[str]
    days: frozenset[str] = frozenset()
    parts: frozenset[str] = frozenset()
    urgency: str = "geen-haast"
    created: datetime | None = None
    village_name: str = ""

    @property
    def latitude(self):
        return self.lat

    @property
    def longitude(self):
        return self.lon


@dataclass(frozen=True)
class Capacity:
    """An active help offer: who helps, from where, what, when, how far, and how many
    more times this month (``max_per_month`` minus ``used_this_month``)."""

    ref: str
    person_key: str | None
    village: str
    lat: float
    lon: float
    categories: frozenset[str]
    days: frozenset[str] = frozenset()
    parts: frozenset[str] = frozenset()
    max_km: float | None = None
    villages: frozenset[str] = frozenset()
    max_per_month: int | None = None
    used_this_month: int = 0
    has_car: bool = False
    village_name: str = ""
    # "Ik help graag" on the notice board: an offer for this one request (its ref) only.
    only_for: str | None = None

    @property
    def latitude(self):
        return self.lat

    @property
    def longitude(self):
        return self.lon

    @property
    def remaining(self) -> int | None:
        """Proposals this offer has room for this month (None: no limit)."""
        if self.max_per_month is None:
            return None
        return max(self.max_per_month - self.used_this_month, 0)

    @property
    def reach_km(self) -> float:
        return DEFAULT_MAX_KM if self.max_km is None else float(self.max_km)


@dataclass(frozen=True)
class Reason:
    """Why a helper fits: a code and its parameters (see the module's list)."""

    code: str
    params: Mapping = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class Proposal:
    need_ref: str
    capacity_ref: str
    helper_key: str | None
    score: float
    distance_km: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class BatchResult:
    proposals: list[Proposal]
    unmatched: list[str]  # refs of the requests that got no proposal
    arcs: int = 0  # request-helper arcs in the last solve (for the benchmark)
    pruned: int = 0  # requests that lost candidates to pruning (0: the exact optimum)

    @property
    def total_distance_km(self) -> float:
        return sum(proposal.distance_km for proposal in self.proposals)


# Who knows whom: (need person_key, helper person_key) -> the title of the activity
# they both come to ("" when unknown). A plain set of pairs is accepted too.
Acquaintances = Mapping[tuple[str, str], str]


def _acquaintances(known) -> dict:
    if not known:
        return {}
    if isinstance(known, Mapping):
        return dict(known)
    return dict.fromkeys(known, "")


# -- the rules for one pair ---------------------------------------------------------


def _overlap(wanted: frozenset, offered: frozenset) -> bool:
    return not wanted or not offered or bool(wanted & offered)


def is_candidate(need: Need, capacity: Capacity, distance: float | None = None) -> bool:
    """Whether the offer may help with the request (the rules in the module's text)."""
    if need.person_key is not None and need.person_key == capacity.person_key:
        return False
    if capacity.only_for is not None and capacity.only_for != need.ref:
        return False
    if capacity.remaining == 0:
        return False
    if not need.categories & capacity.categories:
        return False
    if not (_overlap(need.days, capacity.days) and _overlap(need.parts, capacity.parts)):
        return False
    if distance is None:
        distance = distance_km(need, capacity)
    return distance <= capacity.reach_km + EPSILON_KM or need.village in capacity.villages


def _fraction(wanted: frozenset, offered: frozenset) -> float:
    if not wanted or not offered:
        return 1.0
    return len(wanted & offered) / len(wanted)


def category_fit(need: Need, capacity: Capacity) -> float:
    """The share of the request's categories the helper offers (transport counts half
    without a car)."""
    shared = need.categories & capacity.categories
    points = len(shared) - (0.5 if TRANSPORT in shared and not capacity.has_car else 0.0)
    return points / len(need.categories) if need.categories else 0.0


def availability_fit(need: Need, capacity: Capacity) -> float:
    return _fraction(need.days, capacity.days) * _fraction(need.parts, capacity.parts)


def load_fit(capacity: Capacity) -> float:
    if capacity.max_per_month is None:
        return 1.0 / (1 + capacity.used_this_month)
    if capacity.max_per_month == 0:
        return 0.0
    return (capacity.remaining or 0) / capacity.max_per_month


def score_pair(
    need: Need, capacity: Capacity, distance: float, known_from: str | None = None
) -> tuple[float, tuple[Reason, ...]]:
    """The score (0-100, one decimal) and the reasons, for a candidate pair."""
    shared = need.categories & capacity.categories
    reasons = [Reason("category", {"categories": sorted(shared)})]
    reasons.append(
        Reason(
            "availability",
            {
                "days": sorted(_both(need.days, capacity.days)),
                "parts": sorted(_both(need.parts, capacity.parts)),
            },
        )
    )
    reach = max(capacity.reach_km, distance, EPSILON_KM)
    if need.village == capacity.village or distance < 0.05:
        reasons.append(Reason("same_village", {"village": need.village_name or need.village}))
    else:
        reasons.append(
            Reason(
                "distance",
                {
                    "km": round(distance, 1),
                    "from": capacity.village_name or capacity.village,
                    "to": need.village_name or need.village,
                },
            )
        )
        if need.village in capacity.villages:
            reasons.append(Reason("chosen_village", {"village": need.village_name or need.village}))
    if capacity.max_per_month is None:
        reasons.append(Reason("load_free", {"count": capacity.used_this_month}))
    else:
        reasons.append(
            Reason("load", {"count": capacity.used_this_month, "max": capacity.max_per_month})
        )
    if known_from is not None:
        reasons.append(Reason("known", {"activity": known_from}))
    if TRANSPORT in shared and capacity.has_car:
        reasons.append(Reason("car", {}))
    score = (
        WEIGHTS["category"] * category_fit(need, capacity)
        + WEIGHTS["availability"] * availability_fit(need, capacity)
        + WEIGHTS["distance"] * max(0.0, 1.0 - distance / reach)
        + WEIGHTS["load"] * load_fit(capacity)
        + (WEIGHTS["known"] if known_from is not None else 0)
    )
    return round(score, 1), tuple(reasons)


def _both(wanted: frozenset, offered: frozenset) -> frozenset:
    if not wanted:
        return offered
    if not offered:
        return wanted
    return wanted & offered


def _known_from(need: Need, capacity: Capacity, known: dict) -> str | None:
    if need.person_key is None or capacity.person_key is None:
        return None
    return known.get((need.person_key, capacity.person_key))


def proposal_for(need: Need, capacity: Capacity, known=None, distance=None) -> Proposal:
    """The proposal (score, distance, reasons) for one candidate pair."""
    if distance is None:
        distance = distance_km(need, capacity)
    score, reasons = score_pair(need, capacity, distance, _known_from(need, capacity, known or {}))
    return Proposal(need.ref, capacity.ref, capacity.person_key, score, round(distance, 3), reasons)


def suggestions_for(
    need: Need, capacities: Iterable[Capacity], known=None, *, limit: int | None = 10
):
    """The candidates for one request, best first (score, then distance, then ref). For a
    request in the database: ``loading.suggestions_for_request``."""
    known = _acquaintances(known)
    proposals = [
        proposal_for(need, capacity, known, distance)
        for capacity in capacities
        if is_candidate(need, capacity, distance := distance_km(need, capacity))
    ]
    proposals.sort(key=lambda p: (-p.score, p.distance_km, p.capacity_ref))
    return proposals if limit is None else proposals[:limit]


# -- saying the reasons -------------------------------------------------------------


def render_reason(reason) -> str:
    """One reason in the active language. Accepts a Reason, its JSON form or a text."""
    from django.utils.formats import number_format
    from django.utils.text import get_text_list
    from django.utils.translation import get_language, gettext, ngettext

    from omzien.core.phrasing import activity_phrase
    from omzien.helping.models import Category, Day, PartOfDay

    if isinstance(reason, str):
        return reason
    if isinstance(reason, Mapping):
        reason = Reason(reason.get("code", ""), reason.get("params") or {})
    params = reason.params

    def listed(choices, values, conjunction):
        chosen = set(values or ())
        words = [label for value, label in _labels(choices, get_language()) if value in chosen]
        return get_text_list(words, conjunction)

    code = reason.code
    if code == "category":
        return gettext("Can help with %(categories)s") % {
            "categories": listed(Category, params.get("categories"), gettext("and"))
        }
    if code == "availability":
        days = listed(Day, params.get("days"), gettext("or"))
        parts = listed(PartOfDay, params.get("parts"), gettext("or"))
        if days and parts:
            return gettext("Both can on %(days)s, in the %(parts)s") % {
                "days": days,
                "parts": parts,
            }
        if days:
            return gettext("Both can on %(days)s") % {"days": days}
        if parts:
            return gettext("Both can in the %(parts)s") % {"parts": parts}
        return gettext("Both can on any day")
    if code == "same_village":
        return gettext("Lives in %(village)s too") % {"village": params.get("village", "")}
    if code == "distance":
        return gettext("%(km)s km (%(from)s – %(to)s)") % {
            "km": number_format(params.get("km", 0), 1),
            "from": params.get("from", ""),
            "to": params.get("to", ""),
        }
    if code == "chosen_village":
        return gettext("Likes to help in %(village)s") % {"village": params.get("village", "")}
    if code == "load":
        return gettext("Connected %(count)s of %(max)s times this month") % {
            "count": params.get("count", 0),
            "max": params.get("max", 0),
        }
    if code == "load_free":
        count = params.get("count", 0)
        if not count:
            return gettext("Not connected yet this month")
        return ngettext(
            "Connected once this month", "Connected %(count)s times this month", count
        ) % {"count": count}
    if code == "known":
        if params.get("activity"):
            return gettext("Know each other from %(activity)s") % {
                "activity": activity_phrase(params["activity"])
            }
        return gettext("Know each other from an activity")
    if code == "car":
        return gettext("Has a car")
    return code


@functools.lru_cache(maxsize=64)
def _labels(choices, language: str) -> list[tuple[str, str]]:
    """The choices' (value, label) in that language (cached: a batch says them 50,000 times)."""
    return [(value, str(label)) for value, label in choices.choices]


def render_reasons(reasons) -> list[str]:
    return [render_reason(reason) for reason in reasons or ()]


# -- whole arrays: candidates, the flow, greedy -------------------------------------


class _Encoded:
    """The requests and helpers as numpy arrays (bit masks, location indexes)."""

    def __init__(self, needs: list[Need], capacities: list[Capacity]):
        self.needs = needs
        self.capacities = capacities
        bits = {"categories": {}, "days": {}, "parts": {}}

        def mask(kind, values, empty_is_any):
            table = bits[kind]
            value = 0
            for item in values:
                value |= 1 << table.setdefault(item, len(table))
            return -1 if empty_is_any and not values else value

        # Helpers first, so every value a helper offers has a bit; a request's value no
        # helper offers still gets one (it just never overlaps).
        self.h_cat = np.array([mask("categories", c.categories, False) for c in capacities])
        self.h_day = np.array([mask("days", c.days, True) for c in capacities])
        self.h_part = np.array([mask("parts", c.parts, True) for c in capacities])
        self.r_cat = np.array([mask("categories", n.categories, False) for n in needs])
        self.r_day = np.array([mask("days", n.days, True) for n in needs])
        self.r_part = np.array([mask("parts", n.parts, True) for n in needs])
        if any(len(table) > 62 for table in bits.values()):
            raise ValueError("too many different categories, days or parts")
        for name in ("h_cat", "h_day", "h_part", "r_cat", "r_day", "r_part"):
            setattr(self, name, getattr(self, name).astype(np.int64).reshape(-1))

        persons: dict = {}

        def person(key, index):
            return -1 - index if key is None else persons.setdefault(key, len(persons))

        self.h_person = np.array(
            [person(c.person_key, i) for i, c in enumerate(capacities)], dtype=np.int64
        )
        offset = len(capacities)
        self.r_person = np.array(
            [person(n.person_key, offset + i) for i, n in enumerate(needs)], dtype=np.int64
        )
        # Locations: (village, coordinates) of either side; requests' villages for the
        # offers' own lists of villages.
        locations: dict = {}

        def location(item):
            return locations.setdefault(
                (item.village, float(item.lat), float(item.lon)), len(locations)
            )

        self.h_loc = np.array([location(c) for c in capacities], dtype=np.int64)
        self.r_loc = np.array([location(n) for n in needs], dtype=np.int64)
        keys = list(locations)
        lat = np.radians([key[1] for key in keys])
        lon = np.radians([key[2] for key in keys])
        self.distance = _haversine_matrix(lat, lon)  # locations x locations, km
        reach = np.array([c.reach_km for c in capacities], dtype=float)
        village_of = [key[0] for key in keys]
        # allowed[h, l]: helper h may help someone at location l.
        allowed = self.distance[self.h_loc] <= reach[:, None] + EPSILON_KM
        for h, capacity in enumerate(capacities):
            if capacity.villages:
                allowed[h] |= np.array([v in capacity.villages for v in village_of])
        self.allowed_at = np.ascontiguousarray(allowed.T)  # locations x helpers
        # Offers for one request: its index (-1: any request; -2: one not in this batch).
        need_index = {need.ref: i for i, need in enumerate(needs)}
        self.h_only = np.array(
            [-1 if c.only_for is None else need_index.get(c.only_for, -2) for c in capacities],
            dtype=np.int64,
        )
        remaining = [c.remaining for c in capacities]
        self.has_room = np.array([r is None or r > 0 for r in remaining], dtype=bool)
        # Room for the flow: no limit means at most one per request anyway.
        self.room = np.array([len(needs) if r is None else r for r in remaining], dtype=np.int64)

    def block(self, rows: np.ndarray):
        """For the requests in rows: (candidate mask, distances), rows x helpers."""
        ok = (self.r_cat[rows, None] & self.h_cat[None, :]) != 0
        ok &= (self.r_day[rows, None] & self.h_day[None, :]) != 0
        ok &= (self.r_part[rows, None] & self.h_part[None, :]) != 0
        ok &= self.allowed_at[self.r_loc[rows]]
        ok &= self.r_person[rows, None] != self.h_person[None, :]
        ok &= self.has_room[None, :]
        ok &= (self.h_only[None, :] == -1) | (self.h_only[None, :] == rows[:, None])
        distances = self.distance[self.r_loc[rows]][:, self.h_loc]
        return ok, distances


def _haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """places.geo.distance_km for every pair of points at once."""
    half_chord = (
        np.sin((lat[:, None] - lat[None, :]) / 2) ** 2
        + np.cos(lat[:, None])
        * np.cos(lat[None, :])
        * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(half_chord, 0.0, 1.0)))


def _rows_in_blocks(count: int, helpers: int):
    size = max(1, min(count, 2_000_000 // max(helpers, 1)))
    for start in range(0, count, size):
        yield np.arange(start, min(start + size, count))


def candidate_pairs(needs: list[Need], capacities: list[Capacity], *, max_candidates=None):
    """Every candidate pair as arrays (request index, helper index, distance km), the
    nearest ``max_candidates`` per request when given (helpers with most room first
    among equals), and the number of candidates each request had before pruning."""
    encoded = _Encoded(list(needs), list(capacities))
    return _candidate_arrays(encoded, max_candidates)


def _candidate_arrays(encoded: _Encoded, max_candidates):
    helpers = len(encoded.capacities)
    all_r, all_h, all_d = [], [], []
    counts = np.zeros(len(encoded.needs), dtype=np.int64)
    if helpers == 0 or not encoded.needs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), counts
    # Among equally near helpers, those with most room first (ties in village distance
    # are the rule, not the exception).
    room_rank = np.minimum(encoded.room, 1000)
    for rows in _rows_in_blocks(len(encoded.needs), helpers):
        ok, distances = encoded.block(rows)
        counts[rows] = ok.sum(axis=1)
        if max_candidates is None or max_candidates >= helpers:
            r, h = np.nonzero(ok)
        else:
            units = np.rint(distances * 100).astype(np.int64)
            # Equally near, equally free helpers are spread over the requests (a hash of
            # the pair), or every request of a village would keep the same few.
            spread = (rows[:, None] * 2654435761 + np.arange(helpers)[None, :] * 40503) % 1024
            key = np.where(
                ok,
                (units << 20) + ((1000 - room_rank) << 10)[None, :] + spread,
                np.iinfo(np.int64).max,
            )
            best = np.argpartition(key, max_candidates - 1, axis=1)[:, :max_candidates]
            keep = np.take_along_axis(ok, best, axis=1)
            r, column = np.nonzero(keep)
            h = best[r, column]
        all_r.append(rows[r])
        all_h.append(h)
        all_d.append(distances[r, h])
    return np.concatenate(all_r), np.concatenate(all_h), np.concatenate(all_d), counts


def _fit_costs(encoded: _Encoded, r: np.ndarray, h: np.ndarray, known: dict) -> np.ndarray:
    """0 (a perfect fit) .. FIT_COST_MAX for each arc: categories, availability, known."""
    cat_shared = np.bitwise_count(encoded.r_cat[r] & encoded.h_cat[h]).astype(float)
    cat_fit = cat_shared / np.maximum(np.bitwise_count(encoded.r_cat[r]), 1)

    def fraction(wanted, offered):
        any_side = (wanted == -1) | (offered == -1)
        shared = np.bitwise_count(wanted & offered) / np.maximum(np.bitwise_count(wanted), 1)
        return np.where(any_side, 1.0, shared)

    avail = fraction(encoded.r_day[r], encoded.h_day[h]) * fraction(
        encoded.r_part[r], encoded.h_part[h]
    )
    fit = 0.5 * cat_fit + 0.3 * avail
    if known:
        needs, capacities = encoded.needs, encoded.capacities
        knows = np.fromiter(
            (
                _known_from(needs[i], capacities[j], known) is not None
                for i, j in zip(r.tolist(), h.tolist(), strict=True)
            ),
            dtype=bool,
            count=len(r),
        )
        fit = fit + 0.2 * knows
    return np.rint(FIT_COST_MAX * (1.0 - np.clip(fit, 0.0, 1.0))).astype(np.int64)


def _unit_costs(capacity: Capacity, units: int) -> list[int]:
    """The cost of each further proposal for this helper: nondecreasing (convex), by how
    full the month becomes."""
    maximum = capacity.max_per_month or UNLIMITED_AS
    return [
        min(LOAD_COST_MAX, (capacity.used_this_month + k) * LOAD_COST_MAX // maximum)
        for k in range(units)
    ]


def _solve(encoded: _Encoded, r, h, d, known: dict):
    """The min-cost maximum flow on these arcs; the indexes of the arcs used."""
    from ortools.graph.python import min_cost_flow

    needs, capacities = encoded.needs, encoded.capacities
    n, m = len(needs), len(capacities)
    source, sink = n + m, n + m + 1
    matched_at_most = min(n, int(np.minimum(encoded.room, n).sum()))
    distance_weight = TIE_BREAK_MAX * max(matched_at_most, 1) + 1
    solver = min_cost_flow.SimpleMinCostFlow()
    # request -> helper: the arcs that matter (their flow is the answer), added first.
    units = np.rint(d * 100).astype(np.int64)
    costs = units * distance_weight + _fit_costs(encoded, r, h, known)
    solver.add_arcs_with_capacity_and_unit_cost(
        r.astype(np.int32), (n + h).astype(np.int32), np.ones(len(r), dtype=np.int64), costs
    )
    urgency = np.array([URGENCY_COST.get(need.urgency, 4) for need in needs], dtype=np.int64)
    solver.add_arcs_with_capacity_and_unit_cost(
        np.full(n, source, dtype=np.int32),
        np.arange(n, dtype=np.int32),
        np.ones(n, dtype=np.int64),
        urgency,
    )
    degree = np.bincount(h, minlength=m)
    tails, unit_costs = [], []
    for j in np.nonzero(degree)[0].tolist():
        room = int(min(encoded.room[j], degree[j]))
        tails.extend([n + j] * room)
        unit_costs.extend(_unit_costs(capacities[j], room))
    solver.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.full(len(tails), sink, dtype=np.int32),
        np.ones(len(tails), dtype=np.int64),
        np.array(unit_costs, dtype=np.int64),
    )
    solver.set_node_supply(source, n)
    solver.set_node_supply(sink, -n)
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = solver.flows(np.arange(len(r), dtype=np.int32))
    return np.nonzero(flows)[0]


def propose_batch(
    needs: Iterable[Need],
    capacities: Iterable[Capacity],
    known=None,
    *,
    max_candidates: int | str | None = "auto",
    repair_passes: int = 2,
) -> BatchResult:
    """The batch proposal (see the module's text): at most one helper per request, no
    helper beyond the room they have this month. ``max_candidates``: arcs kept per
    request ("auto": as many as ``ARC_BUDGET`` allows, at least ``MIN_CANDIDATES``;
    None: all, the exact optimum whatever the size)."""
    needs, capacities = list(needs), list(capacities)
    known = _acquaintances(known)
    encoded = _Encoded(needs, capacities)
    if max_candidates == "auto":
        max_candidates = max(MIN_CANDIDATES, ARC_BUDGET // max(len(needs), 1))
    r, h, d, counts = _candidate_arrays(encoded, max_candidates)
    r, h, d = _with_known_pairs(encoded, r, h, d, known)
    used = _solve(encoded, r, h, d, known) if len(r) else np.zeros(0, dtype=np.int64)
    for _ in range(repair_passes if max_candidates is not None else 0):
        extra = _repair_arcs(encoded, r[used], h[used], counts, max_candidates)
        if extra is None:
            break
        r, h, d = (np.concatenate(pair) for pair in zip((r, h, d), extra, strict=True))
        used = _solve(encoded, r, h, d, known)
    pruned = 0 if max_candidates is None else int((counts > max_candidates).sum())
    return _result(encoded, r[used], h[used], d[used], known, arcs=len(r), pruned=pruned)


def _with_known_pairs(encoded: _Encoded, r, h, d, known: dict):
    """Add the arcs between people who know each other that pruning left out."""
    if not known:
        return r, h, d
    by_person: dict = {}
    for j, capacity in enumerate(encoded.capacities):
        if capacity.person_key is not None:
            by_person.setdefault(capacity.person_key, []).append(j)
    helpers_known_to: dict = {}
    for asker, helper in known:
        helpers_known_to.setdefault(asker, []).append(helper)
    present = set(zip(r.tolist(), h.tolist(), strict=True))
    extra_r, extra_h, extra_d = [], [], []
    for i, need in enumerate(encoded.needs):
        if need.person_key is None:
            continue
        helpers = helpers_known_to.get(need.person_key, ())
        for j in (j for helper in helpers for j in by_person.get(helper, ())):
            if (i, j) in present:
                continue
            distance = float(encoded.distance[encoded.r_loc[i], encoded.h_loc[j]])
            if is_candidate(need, encoded.capacities[j], distance):
                extra_r.append(i)
                extra_h.append(j)
                extra_d.append(distance)
    if not extra_r:
        return r, h, d
    return (
        np.concatenate([r, np.array(extra_r, dtype=np.int64)]),
        np.concatenate([h, np.array(extra_h, dtype=np.int64)]),
        np.concatenate([d, np.array(extra_d)]),
    )


def _repair_arcs(encoded: _Encoded, used_r, used_h, counts, max_candidates):
    """For requests left unmatched that had more candidates than were kept: arcs to
    their nearest candidates that still have room. None when there is nothing to add."""
    matched = np.zeros(len(encoded.needs), dtype=bool)
    matched[used_r] = True
    pruned = np.nonzero(~matched & (counts > max_candidates))[0]
    if not len(pruned):
        return None
    load = np.bincount(used_h, minlength=len(encoded.capacities))
    spare = encoded.room - load > 0
    if not spare.any():
        return None
    extra_r, extra_h, extra_d = [], [], []
    for rows in np.array_split(pruned, max(1, len(pruned) * len(spare) // 2_000_000 + 1)):
        ok, distances = encoded.block(rows)
        ok &= spare[None, :]
        key = np.where(ok, distances, np.inf)
        take = min(max_candidates, key.shape[1])
        best = np.argpartition(key, take - 1, axis=1)[:, :take]
        keep = np.take_along_axis(ok, best, axis=1)
        rr, column = np.nonzero(keep)
        hh = best[rr, column]
        extra_r.append(rows[rr])
        extra_h.append(hh)
        extra_d.append(distances[rr, hh])
    if not sum(len(part) for part in extra_r):
        return None
    return np.concatenate(extra_r), np.concatenate(extra_h), np.concatenate(extra_d)


def _result(encoded: _Encoded, r, h, d, known: dict, *, arcs: int, pruned: int = 0) -> BatchResult:
    needs, capacities = encoded.needs, encoded.capacities
    proposals = [
        proposal_for(needs[i], capacities[j], known, distance)
        for i, j, distance in zip(r.tolist(), h.tolist(), d.tolist(), strict=True)
    ]
    proposals.sort(key=lambda p: p.need_ref)
    matched = set(r.tolist())
    unmatched = [need.ref for i, need in enumerate(needs) if i not in matched]
    return BatchResult(proposals, unmatched, arcs, pruned)


def greedy_batch(needs: Iterable[Need], capacities: Iterable[Capacity], known=None) -> BatchResult:
    """First come, first served: each request in order of arrival takes its nearest
    candidate that still has room (the baseline the benchmark compares with)."""
    needs, capacities = list(needs), list(capacities)
    known = _acquaintances(known)
    order = sorted(
        range(len(needs)),
        key=lambda i: (needs[i].created is None, _moment(needs[i].created), needs[i].ref),
    )
    encoded = _Encoded([needs[i] for i in order], capacities)
    room = encoded.room.copy()
    chosen_r, chosen_h, chosen_d = [], [], []
    if capacities:
        for rows in _rows_in_blocks(len(order), len(capacities)):
            ok, distances = encoded.block(rows)
            for offset, row in enumerate(rows.tolist()):
                free = ok[offset] & (room > 0)
                if not free.any():
                    continue
                j = int(np.argmin(np.where(free, distances[offset], np.inf)))
                room[j] -= 1
                chosen_r.append(row)
                chosen_h.append(j)
                chosen_d.append(float(distances[offset, j]))
    return _result(
        encoded,
        np.array(chosen_r, dtype=np.int64),
        np.array(chosen_h, dtype=np.int64),
        np.array(chosen_d),
        known,
        arcs=0,
    )


def _moment(created: datetime | None) -> float:
    return created.timestamp() if created is not None else 0.0


def check_proposals(
    proposals: Iterable[Proposal], needs: Iterable[Need], capacities: Iterable[Capacity]
) -> list[str]:
    """What is wrong with a set of proposals (empty: nothing): every pair a candidate,
    a request at most once, no offer beyond its room this month."""
    needs_by_ref = {need.ref: need for need in needs}
    capacities_by_ref = {capacity.ref: capacity for capacity in capacities}
    problems, seen, load = [], set(), {}
    for proposal in proposals:
        need = needs_by_ref.get(proposal.need_ref)
        capacity = capacities_by_ref.get(proposal.capacity_ref)
        if need is None or capacity is None:
            problems.append(f"{proposal.need_ref}-{proposal.capacity_ref}: unknown")
            continue
        if proposal.need_ref in seen:
            problems.append(f"{proposal.need_ref}: more than one helper")
        seen.add(proposal.need_ref)
        if not is_candidate(need, capacity):
            problems.append(f"{proposal.need_ref}-{proposal.capacity_ref}: not a candidate")
        load[capacity.ref] = load.get(capacity.ref, 0) + 1
    for ref, count in load.items():
        remaining = capacities_by_ref[ref].remaining
        if remaining is not None and count > remaining:
            problems.append(f"{ref}: {count} proposals, room for {remaining}")
    return problems


__all__ = [
    "DEFAULT_MAX_KM",
    "Acquaintances",
    "BatchResult",
    "Capacity",
    "Need",
    "Proposal",
    "Reason",
    "check_proposals",
    "candidate_pairs",
    "greedy_batch",
    "is_candidate",
    "propose_batch",
    "render_reason",
    "render_reasons",
    "score_pair",
    "suggestions_for",
]
