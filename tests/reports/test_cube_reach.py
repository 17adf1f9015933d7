"""The cube's reach measures against the attendance overview (statistics.py, tested on its
own) and against a plain count of the visits, so that the cube can be made faster without
a figure changing.

Two histories: the hand-made one of conftest.py (``history``) and a seeded random region
(three places in two villages, people from both villages and from nowhere, visits from
December before the year to February after it, anonymous ones and several on one day).
Every group (region, villages, places) and every month is compared with
``attendance_overview``; quarters and the year with its totals; the figures the overview
does not have (returning people over a quarter or the year, people from another village)
with a count per person written out here.
"""

import random
from datetime import date, timedelta

import pytest

from omzien.attendance.models import Visit
from omzien.reports.cube import GroupKind, periods_of_year
from omzien.reports.figures import build_cube
from omzien.reports.statistics import Grouping, attendance_overview
from tests import factories
from tests.reports.visits import add_visit

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def random_region(trefpunt, benring):
    """Seeded: the same visits in every run."""
    dorpshuis = factories.PlaceFactory(name="Dorpshuis", slug="dorpshuis", village=trefpunt.village)
    activities = [
        factories.ActivityFactory(place=place, title=f"Activiteit {number}", slug=f"a-{number}")
        for number, place in enumerate([trefpunt, trefpunt, benring, dorpshuis])
    ]
    villages = [trefpunt.village, benring.village, None]
    people = [factories.PersonFactory(village=villages[number % 3]) for number in range(14)]
    chooser = random.Random(12)
    first_day = date(YEAR - 1, 11, 20)
    seen = set()  # one visit per person and session
    for _visit in range(260):
        day = first_day + timedelta(days=chooser.randrange(0, 470))
        activity = chooser.choice(activities)
        if chooser.random() < 0.1:
            add_visit(activity, day, anonymous=chooser.randint(1, 2))
            continue
        person = chooser.choice(people)
        if (activity.pk, day, person.pk) not in seen:
            seen.add((activity.pk, day, person.pk))
            add_visit(activity, day, person)
    return {"places": [trefpunt, benring, dorpshuis]}


def overview(places, first_day, last_day, as_of, grouping=Grouping.MONTH):
    return attendance_overview(
        places, grouping=grouping, first_day=first_day, last_day=last_day, as_of=as_of
    )


def group_places(cube, group):
    from omzien.places.models import Place

    return list(Place.objects.filter(pk__in=group.place_ids))


def check_against_overview(cube):
    """Months, quarters and the year of every group against attendance_overview."""
    for group in cube.groups:
        places = group_places(cube, group)
        months = overview(places, date(YEAR, 1, 1), date(YEAR, 12, 31), cube.as_of)
        for figures, period in zip(months.periods, periods_of_year(YEAR, "month"), strict=True):
            key = (group.slug, period.key)
            expected = {
                "visits": figures.visits,
                "named_visits": figures.named_visits,
                "anonymous_visits": figures.anonymous_visits,
                "people": figures.unique_visitors,
                "new_people": figures.new_visitors,
                "not_new_people": figures.unique_visitors - figures.new_visitors,
                "returning_people": figures.returning_visitors,
            }
            actual = {name: cube.values[(*key, name)] for name in expected}
            assert actual == expected, key
        for period in periods_of_year(YEAR, "quarter") + periods_of_year(YEAR, "year"):
            totals = overview(places, period.first_day, period.last_day, cube.as_of).totals
            key = (group.slug, period.key)
            expected = {
                "visits": totals.visits,
                "anonymous_visits": totals.anonymous_visits,
                "people": totals.unique_visitors,
                "new_people": totals.new_visitors,
            }
            actual = {name: cube.values[(*key, name)] for name in expected}
            assert actual == expected, key


def check_per_person(cube):
    """Returning people and people from another village, counted person by person."""
    rows = list(
        Visit.objects.filter(person__isnull=False).values_list(
            "person_id", "person__village_id", "session__activity__place_id", "session__date"
        )
    )
    village_of_place = {
        place_id: group.village_id
        for group in cube.groups.of_kind(GroupKind.PLACE)
        for place_id in group.place_ids
    }
    for group in cube.groups:
        mine = [row for row in rows if row[2] in group.place_ids]
        for period in periods_of_year(YEAR):
            inside = [row for row in mine if period.first_day <= row[3] <= period.last_day]
            people = {row[0] for row in inside}
            returning = set()
            for person in people:
                last = max(row[3] for row in inside if row[0] == person)
                if any(
                    row[0] == person and last < row[3] <= last + timedelta(days=28) for row in mine
                ):
                    returning.add(person)
            complete = period.last_day + timedelta(days=28) < cube.as_of
            other_village = {
                row[0]
                for row in inside
                if row[1] is not None and row[1] != village_of_place[row[2]]
            }
            key = (group.slug, period.key)
            assert cube.values[(*key, "returning_people")] == (
                len(returning) if complete else None
            ), key
            assert cube.values[(*key, "not_returning_people")] == (
                len(people) - len(returning) if complete else None
            ), key
            assert cube.values[(*key, "people_other_village")] == len(other_village), key


@pytest.mark.parametrize("as_of", [date(YEAR, 4, 15), date(YEAR + 1, 3, 1)])
def test_the_hand_made_history(history, as_of):
    cube = build_cube(YEAR, as_of=as_of)
    check_against_overview(cube)
    check_per_person(cube)


def test_the_hand_made_history_worked_out(history):
    """A few cells by hand, so the comparisons above cannot both be wrong the same way."""
    cube = build_cube(YEAR, as_of=date(YEAR, 4, 15))
    trefpunt = history["trefpunt"].slug
    # January at Trefpunt: Anna 3x, Bert, Cor; 3 anonymous; Bert and Cor are new.
    assert cube.get(trefpunt, "2026-01", "visits") == 8
    assert cube.get(trefpunt, "2026-01", "people") == 3
    assert cube.get(trefpunt, "2026-01", "new_people") == 2
    assert cube.get(trefpunt, "2026-01", "returning_people") == 1
    # March's 4 weeks after have not passed on 15 April.
    assert cube.get("region", "2026-03", "returning_people") is None
    # The year in the region: Anna, Bert, Cor, Dina, Evert (Fenna came in 2025 only).
    assert cube.get("region", "2026", "people") == 5
    assert cube.get("region", "2026", "new_people") == 4


@pytest.mark.parametrize("as_of", [date(YEAR, 7, 1), date(YEAR + 1, 3, 1)])
def test_a_random_region(random_region, as_of):
    cube = build_cube(YEAR, as_of=as_of)
    assert cube.get("region", str(YEAR), "people") > 10  # the comparison is about something
    check_against_overview(cube)
    check_per_person(cube)


def test_a_year_without_visits(history):
    """Visits in 2025 and 2026 only: 2024 has every cell, all zero (and the people of
    2027 come from the 28 days' window of nobody)."""
    cube = build_cube(YEAR - 2, as_of=date(YEAR + 1, 3, 1))
    counts = {
        name: cube.get("region", str(YEAR - 2), name)
        for name in ("visits", "people", "new_people", "returning_people", "sessions")
    }
    assert counts == dict.fromkeys(counts, 0)
    assert cube.get(history["trefpunt"].slug, f"{YEAR - 2}-03", "not_new_people") == 0
