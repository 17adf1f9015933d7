"""Properties of the attendance figures on random histories, against a plain-Python oracle.

The oracle follows the definitions in ``omzien.reports.statistics`` word for word, with
lists and sets instead of SQL and numpy.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omzien.attendance.models import Visit
from omzien.reports.statistics import (
    Grouping,
    attendance_overview,
    next_period_start,
    period_starts,
)
from tests import factories
from tests.reports.visits import add_visit

pytestmark = pytest.mark.django_db

ORIGIN = date(2025, 12, 1)  # a Monday


@dataclass(frozen=True)
class Made:
    person: int | None
    activity: int
    day: date


@pytest.fixture
def world(trefpunt, benring):
    activities = [
        factories.ActivityFactory(place=trefpunt, slug="koffie"),
        factories.ActivityFactory(place=trefpunt, slug="handwerken"),
        factories.ActivityFactory(place=benring, slug="biljart"),
    ]
    people = [factories.PersonFactory() for _number in range(6)]
    return {"places": [trefpunt, benring], "activities": activities, "people": people}


def _expand(habits, anonymous) -> list[Made]:
    made = [
        Made(person, activity, ORIGIN + timedelta(weeks=week, days=weekday))
        for person, activity, weekday, weeks in habits
        for week in sorted(weeks)
    ]
    return made + [
        Made(None, activity, ORIGIN + timedelta(days=day)) for activity, day in anonymous
    ]


# Habits, as sessions recur weekly: a person comes to an activity on one weekday in some
# of 18 weeks, so gaps of exactly 4 weeks (the edge of "returning") are common.
visits_strategy = st.builds(
    _expand,
    habits=st.lists(
        st.tuples(
            st.integers(0, 3),  # person
            st.integers(0, 2),  # activity
            st.integers(0, 6),  # weekday
            st.sets(st.integers(0, 17), min_size=1, max_size=10),  # weeks
        ),
        min_size=1,
        max_size=6,
    ),
    anonymous=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 125)), max_size=5),
)


def oracle(made, place_of, scope_places, scope_activity, grouping, first, last, as_of):
    scoped = [
        visit
        for visit in made
        if place_of[visit.activity] in scope_places
        and (scope_activity is None or visit.activity == scope_activity)
    ]
    first_ever = {}
    for visit in scoped:
        if visit.person is not None:
            first_ever[visit.person] = min(first_ever.get(visit.person, visit.day), visit.day)
    result = []
    for start in period_starts(first, last, grouping):
        end = next_period_start(start, grouping) - timedelta(days=1)
        inside = [visit for visit in scoped if start <= visit.day <= end]
        people = {visit.person for visit in inside if visit.person is not None}
        returning = 0
        for person in people:
            last_visit = max(v.day for v in inside if v.person == person)
            if any(
                v.person == person and last_visit < v.day <= last_visit + timedelta(days=28)
                for v in scoped
            ):
                returning += 1
        complete = end + timedelta(days=28) < as_of
        result.append(
            (
                start,
                len(inside),
                sum(visit.person is not None for visit in inside),
                len(people),
                sum(start <= day <= end for day in first_ever.values()),
                returning if complete else None,
            )
        )
    return result


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    made=visits_strategy,
    grouping=st.sampled_from(list(Grouping)),
    scope=st.sampled_from(["trefpunt", "both", "koffie"]),
    first_offset=st.integers(0, 40),
    length=st.integers(0, 90),
    as_of_offset=st.integers(60, 220),
)
def test_figures_match_the_definitions(
    world, made, grouping, scope, first_offset, length, as_of_offset
):
    places = world["places"]
    place_of = {0: places[0], 1: places[0], 2: places[1]}
    scope_places = places if scope == "both" else [places[0]]
    scope_activity = 0 if scope == "koffie" else None
    first = ORIGIN + timedelta(days=first_offset)
    last = first + timedelta(days=length)
    as_of = ORIGIN + timedelta(days=as_of_offset)
    # One visit per person per session, as the database demands.
    unique_made, seen = [], set()
    for visit in made:
        key = (visit.person, visit.activity, visit.day)
        if visit.person is None or key not in seen:
            seen.add(key)
            unique_made.append(visit)
    with transaction.atomic():
        for visit in unique_made:
            person = None if visit.person is None else world["people"][visit.person]
            activity = world["activities"][visit.activity]
            add_visit(activity, visit.day, person, anonymous=int(person is None))
        overview = attendance_overview(
            scope_places,
            activity=world["activities"][0] if scope_activity is not None else None,
            grouping=grouping,
            first_day=first,
            last_day=last,
            as_of=as_of,
        )
        in_range = Visit.objects.filter(
            session__activity__place__in=scope_places,
            session__date__gte=overview.first_day,
            session__date__lte=overview.last_day,
        )
        if scope_activity is not None:
            in_range = in_range.filter(session__activity=world["activities"][0])
        total_in_range = in_range.count()
        transaction.set_rollback(True)

    got = [
        (
            figures.start,
            figures.visits,
            figures.named_visits,
            figures.unique_visitors,
            figures.new_visitors,
            figures.returning_visitors,
        )
        for figures in overview.periods
    ]
    expected = oracle(
        unique_made, place_of, scope_places, scope_activity, grouping, first, last, as_of
    )
    assert got == expected
    for figures in overview.periods:
        assert 0 <= figures.new_visitors <= figures.unique_visitors <= figures.named_visits
        assert figures.named_visits + figures.anonymous_visits == figures.visits
        if figures.returning_complete:
            assert 0 <= figures.returning_visitors <= figures.unique_visitors
    assert sum(figures.visits for figures in overview.periods) == overview.totals.visits
    assert overview.totals.visits == total_in_range
    assert sum(f.new_visitors for f in overview.periods) == overview.totals.new_visitors
    assert overview.totals.unique_visitors <= sum(f.unique_visitors for f in overview.periods)
