"""Loneliness at the first questionnaire and the repeat, against a small region worked
out by hand. Six-item De Jong Gierveld: lonely from a total of 2 (category not "not").

    A  baseline 2025-11-10 Trefpunt 3 (lonely); repeat 2026-02-10 Trefpunt 1   -2, left
    B  baseline 2026-01-05 Trefpunt 4 (lonely); repeat 2026-03-15 Kruispunt 2  -2
    C  baseline 2026-01-08 Benring 0;           repeat 2026-04-10 Benring 1    +1
    D  baseline 2026-02-01 Trefpunt 5 (lonely); repeat 2026-05-20 Trefpunt 5    0
                                                repeat 2026-08-01 Benring 1    -4, left
    E  a repeat without a baseline; F a repeat before the baseline; G the eleven items;
    H a baseline without a total; I a repeat in 2027: none of these is a pair.
"""

import math
from datetime import date

import pytest
from scipy import stats

from omzien.reports.cube import MEASURES, Adds, GroupKind, PeriodKind, Unit
from omzien.reports.figures import build_cube
from omzien.wellbeing.models import Wave
from tests import factories
from tests.reports.cube_checks import assert_adds_up, assert_complete

COUNTS = ["wellbeing_paired", "lonely_baseline", "lonely_repeat", "left_lonely"]
SHARES = ["lonely_share_baseline", "lonely_share_repeat", "share_out_of_lonely"]
MEAN = "wellbeing_change_mean"
CATEGORY = {0: "not", 1: "not", 2: "moderate", 3: "moderate", 4: "moderate", 5: "severe"}


@pytest.fixture
def kruispunt(twello):
    return factories.PlaceFactory(name="Kruispunt", slug="kruispunt", village=twello)


@pytest.fixture
def responses(trefpunt, kruispunt, benring):
    def answered(pseudonym, wave, day, place, total, instrument="djg6"):
        factories.ResponseFactory(
            pseudonym=pseudonym,
            wave=wave,
            taken_on=day,
            place=place,
            total=total,
            category=None if total is None else CATEGORY[total],
            instrument=instrument,
        )

    base, again = Wave.BASELINE, Wave.REPEAT
    a, b, c, d, e, f, g, h, i = (factories.PseudonymFactory() for _ in range(9))
    answered(a, base, date(2025, 11, 10), trefpunt, 3)
    answered(a, again, date(2026, 2, 10), trefpunt, 1)
    answered(b, base, date(2026, 1, 5), trefpunt, 4)
    answered(b, again, date(2026, 3, 15), kruispunt, 2)
    answered(c, base, date(2026, 1, 8), benring, 0)
    answered(c, again, date(2026, 4, 10), benring, 1)
    answered(d, base, date(2026, 2, 1), trefpunt, 5)
    answered(d, again, date(2026, 5, 20), trefpunt, 5)
    answered(d, again, date(2026, 8, 1), benring, 1)
    answered(e, again, date(2026, 3, 1), trefpunt, 3)
    answered(f, base, date(2026, 6, 1), trefpunt, 2)
    answered(f, again, date(2026, 5, 1), trefpunt, 0)
    answered(g, base, date(2026, 1, 5), trefpunt, 4, instrument="djg11")
    answered(g, again, date(2026, 3, 5), trefpunt, 0, instrument="djg11")
    answered(h, base, date(2026, 1, 5), trefpunt, None)
    answered(h, again, date(2026, 3, 5), trefpunt, 0)
    answered(i, base, date(2026, 1, 5), trefpunt, 3)
    answered(i, again, date(2027, 1, 5), trefpunt, 0)


@pytest.fixture
def cube(responses):
    return build_cube(2026, as_of=date(2027, 1, 31))


T, K, B = "trefpunt-duistervoorde", "kruispunt", "de-benring"

# (group, period): paired, lonely at baseline, lonely at the repeat, left; the changes
EXPECTED = {
    (T, "2026-02"): (1, 1, 0, 1, [-2]),
    (T, "2026-03"): (0, 0, 0, 0, []),
    (T, "2026-Q1"): (1, 1, 0, 1, [-2]),
    (T, "2026-05"): (1, 1, 1, 0, [0]),
    (T, "2026"): (2, 2, 1, 1, [-2, 0]),
    (K, "2026-03"): (1, 1, 1, 0, [-2]),
    (K, "2026"): (1, 1, 1, 0, [-2]),
    (B, "2026-04"): (1, 0, 0, 0, [1]),
    (B, "2026-Q3"): (1, 1, 0, 1, [-4]),
    (B, "2026"): (2, 1, 0, 1, [1, -4]),
    ("twello", "2026-Q1"): (2, 2, 1, 1, [-2, -2]),
    ("twello", "2026"): (3, 3, 2, 1, [-2, -2, 0]),
    ("voorst", "2026"): (2, 1, 0, 1, [1, -4]),
    ("region", "2026-05"): (1, 1, 1, 0, [0]),
    ("region", "2026-Q2"): (2, 1, 1, 0, [1, 0]),
    ("region", "2026-Q4"): (0, 0, 0, 0, []),
    ("region", "2026"): (4, 3, 1, 2, [-2, -2, 1, -4]),
}


def share(part, whole):
    return part / whole if whole else None


def interval(changes):
    if len(changes) < 2:
        return None, None
    mean = sum(changes) / len(changes)
    if len(set(changes)) == 1:
        return mean, mean
    low, high = stats.t.interval(0.95, len(changes) - 1, loc=mean, scale=stats.sem(changes))
    return round(low, 3), round(high, 3)


@pytest.mark.parametrize(("cell", "expected"), EXPECTED.items(), ids=str)
def test_wellbeing_figures(cube, cell, expected):
    group, period = cell
    paired, before, after, left, changes = expected
    assert [cube.get(group, period, name) for name in COUNTS] == [paired, before, after, left]
    assert [cube.get(group, period, name) for name in SHARES] == [
        share(before, paired),
        share(after, paired),
        share(left, before),
    ]
    mean = cube.get(group, period, MEAN)
    if changes:
        assert math.isclose(mean, sum(changes) / len(changes), abs_tol=0.0005)
    else:
        assert mean is None
    low, high = interval(changes)
    assert cube.extra[(group, period, MEAN)] == {"low": low, "high": high, "n": paired}


def test_the_region_year_interval_by_hand(cube):
    # Changes -2, -2, 1, -4: mean -1.75, sd 2.06, t(0.975; 3) = 3.182.
    extra = cube.extra[("region", "2026", MEAN)]
    assert extra["low"] == pytest.approx(-1.75 - 3.182 * 2.0616 / 2, abs=0.01)
    assert extra["high"] == pytest.approx(-1.75 + 3.182 * 2.0616 / 2, abs=0.01)


def test_every_cell_is_there_and_the_counts_add_up_as_declared(cube):
    assert_complete(cube)
    assert_adds_up(cube, COUNTS)
    # D's repeat at Trefpunt (May, still lonely) and at De Benring (August): the year's
    # pair in the region is the August one, so the lonely at the repeat fall short of
    # the villages' sum.
    assert cube.get("region", "2026", "lonely_repeat") < sum(
        cube.get(village, "2026", "lonely_repeat") for village in ["twello", "voorst"]
    )


def test_the_measures_declare_what_they_are():
    assert MEASURES["wellbeing_paired"].over_groups == Adds.UNION
    assert MEASURES["lonely_repeat"].over_groups == Adds.AT_MOST
    for name, numerator, base in [
        ("lonely_share_baseline", "lonely_baseline", "wellbeing_paired"),
        ("lonely_share_repeat", "lonely_repeat", "wellbeing_paired"),
        ("share_out_of_lonely", "left_lonely", "lonely_baseline"),
    ]:
        measure = MEASURES[name]
        assert (measure.unit, measure.numerator, measure.base) == (Unit.SHARE, numerator, base)
    mean = MEASURES[MEAN]
    assert (mean.unit, mean.base, mean.over_groups) == (Unit.MEAN, "wellbeing_paired", Adds.NONE)
    assert mean.viewer_levels == (GroupKind.REGION,)
    assert mean.viewer_periods == (PeriodKind.YEAR,)
