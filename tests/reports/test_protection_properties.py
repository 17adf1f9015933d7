"""Properties of the viewers' disclosure rule on random small regions.

The cubes come from random visit records (person, place, month) counted in pure Python
(tests/reports/cubes.py: people as unions, visits as sums, new people, the named and
anonymous visits), and the attacker is written apart from the rule: its own relations
from the groups, periods and measures, and its own CP-SAT model that minimises and
maximises each primary cell over every integer solution consistent with the shown cells.
"""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omzien.reports.cube import Unit
from omzien.reports.protection import protect
from tests.reports.cubes import (
    attacker_ranges,
    cube,
    random_records,
    region,
    visit_measures,
    visit_values,
)

MIN_CELL = 5


def small_region(seed: int, villages: int, people: int, visits: int):
    generator = random.Random(seed)
    groups = region(
        {f"v{v}": [f"p{v}{p}" for p in range(generator.randint(1, 3))] for v in range(villages)}
    )
    registry, differences = visit_measures()
    records = random_records(generator, groups, people, visits, anonymous=0.15)
    # A few months only: the cube keeps all 17 periods, most of them small or zero.
    records = [(person, place, month % 4 + 1) for person, place, month in records]
    return cube(groups, visit_values(groups, records)), registry, differences


regions = st.tuples(
    st.integers(0, 10_000), st.integers(1, 2), st.integers(2, 12), st.integers(1, 30)
)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions)
def test_no_primary_cell_can_be_worked_out(parameters):
    made, registry, differences = small_region(*parameters)
    protection = protect(made, MIN_CELL, measures=registry, differences=differences)
    ranges = attacker_ranges(made, protection, registry, differences, sorted(protection.primary))
    pinned = {key: bounds for key, bounds in ranges.items() if bounds[0] == bounds[1]}
    assert not pinned


@settings(max_examples=6, deadline=None)
@given(regions)
def test_no_shown_count_of_people_is_small(parameters):
    made, registry, differences = small_region(*parameters)
    protection = protect(made, MIN_CELL, measures=registry, differences=differences)
    for key, value in made.values.items():
        measure = registry[key[2]]
        if protection.shown(key) and measure.unit == Unit.PEOPLE:
            assert value == 0 or value >= MIN_CELL, key
        if protection.shown(key) and measure.base:
            base = made.values[(key[0], key[1], measure.base)]
            assert base == 0 or base >= MIN_CELL, key
        if not measure.displayed:
            assert key in protection.hidden


@settings(max_examples=3, deadline=None)
@given(regions)
def test_the_same_cube_gives_the_same_protection(parameters):
    made, registry, differences = small_region(*parameters)
    first = protect(made, MIN_CELL, measures=registry, differences=differences)
    again, _registry, _differences = small_region(*parameters)
    again.values = dict(sorted(again.values.items(), reverse=True))
    assert protect(again, MIN_CELL, measures=registry, differences=differences) == first
