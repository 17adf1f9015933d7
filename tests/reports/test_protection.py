"""The viewers' disclosure rule on hand-built cubes whose answer is worked out here."""

import pytest

from omzien.reports.cube import Adds, Difference, GroupKind, Measure, PeriodKind, Unit
from omzien.reports.protection import RULE_ID, protect, rule_text
from tests.reports.cubes import (
    YEAR,
    attacker_ranges,
    cube,
    events,
    measures,
    people,
    region,
    year_cells,
)

Y = str(YEAR)


def pinned(made, protection, registry, differences=()):
    ranges = attacker_ranges(made, protection, registry, list(differences), protection.primary)
    return {key for key, (low, high) in ranges.items() if low == high}


def test_two_small_parts_of_a_shown_total_are_not_left_alone():
    """T = 7 shown, 5 shown and two hidden 1s: a + b = 2 with a, b >= 1 pins both, although
    the relation has two hidden cells (the greedy step alone would stop there)."""
    groups = region({"v": ["a", "b", "c"]})
    registry = measures(people(over_groups=Adds.SUM))
    made = cube(groups, year_cells("people", {"region": 7, "v": 7, "a": 5, "b": 1, "c": 1}))
    protection = protect(made, 5, measures=registry, differences=[])
    assert protection.primary == {("b", Y, "people"), ("c", Y, "people")}
    assert ("a", Y, "people") in protection.hidden
    assert not pinned(made, protection, registry)


def test_a_bound_pins_a_hidden_cell_next_to_two_others():
    """T = h + o1 + o2 with T = 12 shown, h = 3 small and o2 = 0 shown (a zero is never
    hidden): o1 must go with h, and then h = 12 - o1 with o1 >= 1 ranges over 1..11."""
    groups = region({"v": ["h", "o1", "o2"]})
    registry = measures(people(over_groups=Adds.SUM))
    made = cube(groups, year_cells("people", {"region": 12, "v": 12, "h": 3, "o1": 9, "o2": 0}))
    protection = protect(made, 5, measures=registry, differences=[])
    assert ("h", Y, "people") in protection.primary
    assert ("o2", Y, "people") not in protection.hidden  # a zero is never hidden
    assert ("o1", Y, "people") in protection.hidden
    ranges = attacker_ranges(made, protection, registry, [], [("h", Y, "people")])
    assert ranges[("h", Y, "people")] == (1, 11)


def test_two_ones_of_a_total_of_three_with_a_shown_zero():
    """T = 3 small itself: T = h + o1 + o2 with o2 = 0 shown is hidden, and so are h and o1;
    the region above must not give T away."""
    groups = region({"v": ["h", "o1", "o2"], "w": ["x"]})
    registry = measures(people(over_groups=Adds.SUM))
    values = {"region": 20, "v": 3, "h": 2, "o1": 1, "o2": 0, "w": 17, "x": 17}
    made = cube(groups, year_cells("people", values))
    protection = protect(made, 5, measures=registry, differences=[])
    assert {("v", Y, "people"), ("h", Y, "people"), ("o1", Y, "people")} <= protection.primary
    assert not pinned(made, protection, registry)


def test_a_village_with_two_places_one_small():
    """Village = place a + place b (people as a union: the village is at least the larger
    place and at most their sum): b = 2 hidden; with a shown, only the union's bounds
    remain; with visits adding up exactly, b's visits need a partner too."""
    groups = region({"v": ["a", "b"], "w": ["c"]})
    registry = measures(people(), events())
    values = year_cells("people", {"region": 40, "v": 22, "a": 20, "b": 2, "w": 18, "c": 18})
    values |= year_cells("visits", {"region": 90, "v": 50, "a": 44, "b": 6, "w": 40, "c": 40})
    made = cube(groups, values)
    protection = protect(made, 5, measures=registry, differences=[])
    assert ("b", Y, "people") in protection.primary
    assert ("b", Y, "visits") in protection.primary  # the visits of 2 people
    assert not pinned(made, protection, registry)
    assert ("b", Y, "visits") in protection.hidden
    shown_small = [
        key for key in protection.primary if key[2] == "people" and protection.shown(key)
    ]
    assert not shown_small


def test_a_small_month_inside_a_quarter():
    """Visits of March are 3 (of 2 people) while January and February are shown: the
    quarter minus the two months gives March, so one more month or the quarter goes."""
    groups = region({"v": ["a"]})
    registry = measures(people(), events())
    values = {}
    people_by_month = {1: 8, 2: 9, 3: 2}
    visits_by_month = {1: 20, 2: 25, 3: 3}
    for group in ("region", "v", "a"):
        for month, count in people_by_month.items():
            values[(group, f"{YEAR}-{month:02d}", "people")] = count
            values[(group, f"{YEAR}-{month:02d}", "visits")] = visits_by_month[month]
        values[(group, f"{YEAR}-Q1", "people")] = 12
        values[(group, f"{YEAR}-Q1", "visits")] = 48
    made = cube(groups, values)
    protection = protect(made, 5, measures=registry, differences=[])
    march = ("a", f"{YEAR}-03", "visits")
    assert march in protection.primary
    assert not pinned(made, protection, registry)
    quarter_or_month_hidden = {
        ("a", f"{YEAR}-Q1", "visits"),
        ("a", f"{YEAR}-01", "visits"),
        ("a", f"{YEAR}-02", "visits"),
    } & protection.hidden
    assert quarter_or_month_hidden


def test_a_small_difference_that_is_never_displayed():
    """people = new + not_new; not_new (never displayed) is 2: known by subtraction, so it
    is primary, and new or people goes with it (here new: people is shown elsewhere)."""
    groups = region({"v": ["a"]})
    registry = measures(
        people(over_groups=Adds.SUM),
        people("new", over_groups=Adds.SUM),
        people("not_new", over_groups=Adds.SUM, displayed=False),
    )
    differences = [Difference("people", "new", "not_new")]
    values = year_cells("people", {"region": 30, "v": 30, "a": 30})
    values |= year_cells("new", {"region": 28, "v": 28, "a": 28})
    values |= year_cells("not_new", {"region": 2, "v": 2, "a": 2})
    made = cube(groups, values)
    protection = protect(made, 5, measures=registry, differences=differences)
    assert ("a", Y, "not_new") in protection.primary
    assert {("a", Y, "new"), ("a", Y, "people")} & protection.hidden
    assert not pinned(made, protection, registry, differences)
    # Not displayed: never shown, whether small or not.
    assert all(key in protection.hidden for key in values if key[2] == "not_new")


def test_zero_is_shown_and_public_cells_never_hidden():
    groups = region({"v": ["a", "b"]})
    sessions = Measure("sessions", "sessions", "test", Unit.PUBLIC)
    registry = measures(people(over_groups=Adds.SUM), sessions)
    values = year_cells("people", {"region": 3, "v": 3, "a": 3, "b": 0})
    values |= year_cells("sessions", {"region": 2, "v": 2, "a": 1, "b": 1})
    made = cube(groups, values)
    protection = protect(made, 5, measures=registry, differences=[])
    assert protection.shown(("b", Y, "people"))
    assert all(protection.shown(key) for key in values if key[2] == "sessions")
    assert not any(protection.shown(key) for key in values if key[2] == "people" and values[key])


def test_cells_outside_what_viewers_may_see_are_hidden_without_protection():
    groups = region({"v": ["a", "b"]})
    registry = measures(
        people(over_groups=Adds.SUM, viewer_levels=(GroupKind.REGION, GroupKind.VILLAGE))
    )
    values = year_cells("people", {"region": 20, "v": 20, "a": 18, "b": 2})
    made = cube(groups, values)
    protection = protect(made, 5, measures=registry, differences=[])
    assert protection.hidden == {("a", Y, "people"), ("b", Y, "people")}
    assert not protection.primary
    assert not protection.secondary


def test_means_and_shares_follow_their_people():
    groups = region({"v": ["a", "b"]})
    registry = measures(
        people("paired", over_groups=Adds.SUM),
        people("lonely", over_groups=Adds.SUM),
        Measure("score", "score", "test", Unit.MEAN, base="paired"),
        Measure("share", "share", "test", Unit.SHARE, base="paired", numerator="lonely"),
    )
    values = year_cells("paired", {"region": 30, "v": 30, "a": 27, "b": 3})
    values |= year_cells("lonely", {"region": 10, "v": 10, "a": 9, "b": 1})
    values |= year_cells("score", {"region": 6.5, "v": 6.5, "a": 6.4, "b": 7.0})
    values |= year_cells("share", {"region": 1 / 3, "v": 1 / 3, "a": 1 / 3, "b": 1 / 3})
    made = cube(groups, values)
    protection = protect(made, 5, measures=registry, differences=[])
    assert {("b", Y, "score"), ("b", Y, "share")} <= protection.primary
    # a's lonely people are hidden to protect b's (region = a + b): its share goes too.
    assert ("a", Y, "lonely") in protection.hidden
    assert ("a", Y, "share") in protection.hidden
    assert protection.shown(("region", Y, "score"))


def test_not_yet_known_cells_are_no_cells():
    groups = region({"v": ["a", "b"]})
    registry = measures(people(over_groups=Adds.SUM))
    values = year_cells("people", {"region": None, "v": None, "a": None, "b": None})
    protection = protect(cube(groups, values), 5, measures=registry, differences=[])
    assert not protection.hidden and not protection.primary


def test_the_same_cube_gives_the_same_cells_whatever_the_order_it_was_filled_in():
    groups = region({"v": ["a", "b", "c"], "w": ["d", "e"]})
    registry = measures(people(over_groups=Adds.SUM), events(over_groups=Adds.SUM))
    values = year_cells("people", {"region": 30, "v": 12, "a": 2, "b": 7, "c": 3, "w": 18})
    values |= year_cells("people", {"d": 9, "e": 9})
    values |= year_cells("visits", {"region": 70, "v": 30, "a": 4, "b": 20, "c": 6, "w": 40})
    values |= year_cells("visits", {"d": 20, "e": 20})
    first = protect(cube(groups, values), 5, measures=registry, differences=[])
    backwards = dict(reversed(list(values.items())))
    second = protect(cube(groups, backwards), 5, measures=registry, differences=[])
    assert first == second


def test_the_rule_in_words_and_its_id(settings):
    assert RULE_ID == "complementary-suppression-v1"
    assert "5" in rule_text(5)
    from django.utils import translation

    with translation.override("nl"):
        text = rule_text(10)
    assert "10" in text and "mensen" in text and " je " not in text


@pytest.mark.django_db
def test_the_registered_measures_of_a_real_cube(history):
    """The reach measures of the hand-made history (tests/reports/conftest.py): every
    viewer-visible count of 1 to 4 people is hidden, and none can be worked out."""
    from datetime import date

    from omzien.reports.cube import DIFFERENCES, MEASURES
    from omzien.reports.figures import build_cube

    made = build_cube(2026, as_of=date(2026, 12, 31))
    protection = protect(made, 5)
    for key, value in made.values.items():
        unit = MEASURES[key[2]].unit
        if unit == Unit.PEOPLE and isinstance(value, int) and 0 < value < 5:
            assert key in protection.hidden
        if unit == Unit.PUBLIC and MEASURES[key[2]].displayed:
            assert protection.shown(key)
    months = [k for k in protection.primary if k[1] == "2026-01" and k[0] == "region"]
    assert months
    ranges = attacker_ranges(
        made, protection, MEASURES, DIFFERENCES, sorted(protection.primary)[:8]
    )
    assert all(low < high for low, high in ranges.values())
    assert PeriodKind.MONTH  # the year's months are in it


def test_a_mean_over_a_count_hidden_to_protect_another_is_hidden_too():
    """b's 10 people are hidden only to protect a's 2 (v = a + b is shown); a mean over
    them would still be shown, and the report's confidence interval carries its n."""
    groups = region({"v": ["a", "b"]})
    mean = Measure("change", "change", "test", Unit.MEAN, Adds.NONE, Adds.NONE, base="people")
    registry = measures(people(over_groups=Adds.SUM), mean)
    values = year_cells("people", {"region": 12, "v": 12, "a": 2, "b": 10})
    values |= year_cells("change", {"region": -0.5, "v": -0.5, "a": 1.0, "b": -0.8})
    made = cube(groups, values)
    protection = protect(made, 5, measures=registry, differences=[])
    assert ("b", Y, "people") in protection.secondary
    assert ("b", Y, "change") in protection.hidden


def test_a_cell_that_cannot_be_protected_leaves_only_the_public_cells(monkeypatch, caplog):
    """Should the rule ever find a small cell it cannot protect, the viewer sees only the
    public cells: never the small cell, and never a failing page."""
    from omzien.reports import protection as rule

    def give_up(self):
        raise rule.ProtectionError("a small cell is given away")

    groups = region({"v": ["a", "b"]})
    sessions = Measure("sessions", "sessions", "test", Unit.PUBLIC)
    registry = measures(people(over_groups=Adds.SUM), sessions)
    values = year_cells("people", {"region": 9, "v": 9, "a": 6, "b": 3})
    values |= year_cells("sessions", {"region": 2, "v": 2, "a": 1, "b": 1})
    made = cube(groups, values)
    monkeypatch.setattr(rule._Suppression, "run", give_up)

    protection = protect(made, 5, measures=registry, differences=[])

    assert all(protection.shown(key) for key in values if key[2] == "sessions")
    assert not any(protection.shown(key) for key in values if key[2] == "people")
    assert "given away" in caplog.text
