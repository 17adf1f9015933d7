"""Visit histories as arrays: which visits count, visit days, and the BG/NBD summary."""

import random
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omzien.agenda.models import Session
from omzien.signals import history
from tests import factories

MONDAY = date(2026, 1, 5)


@pytest.fixture
def places(trefpunt, benring):
    """Coffee at Trefpunt and billiards at De Benring, both every Monday for ten weeks."""
    sessions = {}
    for place, title in ((trefpunt, "koffie"), (benring, "biljart")):
        activity = factories.ActivityFactory(place=place, title=title, rrule="FREQ=WEEKLY;BYDAY=MO")
        for week in range(10):
            day = MONDAY + timedelta(weeks=week)
            sessions[title, day] = factories.SessionFactory(activity=activity, date=day)
    return sessions


def visit(person, sessions, title, *weeks):
    for week in weeks:
        factories.VisitFactory(
            person=person, session=sessions[title, MONDAY + timedelta(weeks=week)]
        )


def days(*weeks):
    return [history.day_number(MONDAY + timedelta(weeks=week)) for week in weeks]


def pairs_as_lists(as_of, places=None):
    person_ids, day_numbers = history.person_day_pairs(as_of, places)
    assert person_ids.dtype == day_numbers.dtype == np.int64
    return list(zip(person_ids.tolist(), day_numbers.tolist(), strict=True))


def test_day_numbers_count_from_1970():
    assert history.day_number(date(1970, 1, 1)) == 0
    assert history.day_number(date(2026, 1, 5)) == 20458
    assert history.date_of_day(20458) == date(2026, 1, 5)


@pytest.mark.django_db
def test_the_database_numbers_days_as_python_does(trefpunt):
    """The SQL day number, on this database, across a leap day and a clock change."""
    activity = factories.ActivityFactory(place=trefpunt, rrule="FREQ=DAILY")
    person = factories.PersonFactory()
    dates = [date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1), date(2026, 3, 29)]
    dates += [date(2026, 10, 25), date(1999, 12, 31), date(2000, 1, 1), date(2038, 1, 20)]
    for day in dates:
        factories.VisitFactory(
            person=person, session=factories.SessionFactory(activity=activity, date=day)
        )
    assert pairs_as_lists(date(2040, 1, 1)) == [
        (person.pk, history.day_number(day)) for day in sorted(dates)
    ]


def test_visits_after_as_of_are_not_seen(places):
    riet = factories.PersonFactory(first_name="Riet")
    visit(riet, places, "koffie", 0, 1, 2, 5, 8)
    as_of = MONDAY + timedelta(weeks=5)  # the visit on as_of itself counts
    assert pairs_as_lists(as_of) == [(riet.pk, day) for day in days(0, 1, 2, 5)]
    assert pairs_as_lists(as_of - timedelta(days=1)) == [(riet.pk, day) for day in days(0, 1, 2)]
    assert pairs_as_lists(MONDAY - timedelta(days=1)) == []


def test_cancelled_sessions_do_not_count(places):
    riet = factories.PersonFactory()
    visit(riet, places, "koffie", 0, 1, 2)
    Session.objects.filter(pk=places["koffie", MONDAY + timedelta(weeks=1)].pk).update(
        status=Session.Status.CANCELLED, cancel_reason="Zaal bezet"
    )
    assert pairs_as_lists(MONDAY + timedelta(weeks=9)) == [(riet.pk, day) for day in days(0, 2)]


def test_anonymous_visits_are_ignored(places):
    factories.VisitFactory(person=None, session=places["koffie", MONDAY])
    factories.VisitFactory(person=None, session=places["biljart", MONDAY])
    riet = factories.PersonFactory()
    visit(riet, places, "koffie", 3)
    assert pairs_as_lists(MONDAY + timedelta(weeks=9)) == [(riet.pk, days(3)[0])]


def test_two_activities_on_one_day_make_one_visit_day(places):
    henk = factories.PersonFactory(first_name="Henk")
    visit(henk, places, "koffie", 0, 1, 4)
    visit(henk, places, "biljart", 1, 4, 6)
    assert pairs_as_lists(MONDAY + timedelta(weeks=9)) == [(henk.pk, d) for d in days(0, 1, 4, 6)]
    summary = history.summarise(MONDAY + timedelta(weeks=9))
    assert summary.frequency.tolist() == [3.0]  # four visit days, five visits


def test_places_filter(places, trefpunt, benring):
    riet, henk = factories.PersonFactory(), factories.PersonFactory()
    visit(riet, places, "koffie", 0, 2)
    visit(henk, places, "biljart", 1)
    visit(henk, places, "koffie", 3)
    as_of = MONDAY + timedelta(weeks=9)
    assert pairs_as_lists(as_of, places=[benring]) == [(henk.pk, days(1)[0])]
    assert pairs_as_lists(as_of, places=[trefpunt.pk]) == sorted(
        [(riet.pk, d) for d in days(0, 2)] + [(henk.pk, days(3)[0])]
    )
    from omzien.places.models import Place

    assert len(pairs_as_lists(as_of, places=Place.objects.all())) == 4
    assert pairs_as_lists(as_of, places=[]) == []
    assert history.summarise(as_of, places=[benring]).person_ids.tolist() == [henk.pk]


def test_summary_follows_the_bgnbd_definitions(places):
    riet, henk, anna = (factories.PersonFactory() for _ in range(3))
    visit(riet, places, "koffie", 0, 1, 2, 5)
    visit(henk, places, "biljart", 3)
    visit(anna, places, "koffie", 2)
    visit(anna, places, "biljart", 2, 6)
    as_of = MONDAY + timedelta(weeks=8, days=3)
    summary = history.summarise(as_of)
    assert summary.person_ids.tolist() == sorted([riet.pk, henk.pk, anna.pk])
    by_person = {
        pk: (x, t_x, T)
        for pk, x, t_x, T in zip(
            summary.person_ids.tolist(),
            summary.frequency.tolist(),
            summary.recency.tolist(),
            summary.T.tolist(),
            strict=True,
        )
    }
    # Weeks from the first visit day: riet first came in week 0, last in week 5.
    assert by_person[riet.pk] == (3.0, 5.0, pytest.approx(8 + 3 / 7))
    assert by_person[henk.pk] == (0.0, 0.0, pytest.approx(5 + 3 / 7))
    assert by_person[anna.pk] == (1.0, 4.0, pytest.approx(6 + 3 / 7))
    in_days = history.summarise(as_of, unit_days=1)
    assert in_days.frequency.tolist() == summary.frequency.tolist()
    assert dict(zip(in_days.person_ids.tolist(), in_days.recency.tolist(), strict=True)) == {
        riet.pk: 35.0,
        henk.pk: 0.0,
        anna.pk: 28.0,
    }
    assert pytest.approx(summary.T * 7) == in_days.T
    assert summary.last_day.tolist() == [
        {riet.pk: days(5)[0], henk.pk: days(3)[0], anna.pk: days(6)[0]}[pk]
        for pk in summary.person_ids.tolist()
    ]


@pytest.mark.django_db
def test_nobody_visited_yet():
    person_ids, day_numbers = history.person_day_pairs(date(2026, 1, 1))
    assert person_ids.size == day_numbers.size == 0
    summary = history.summarise(date(2026, 1, 1))
    assert len(summary) == 0
    assert summary.frequency.dtype == summary.T.dtype == float


def test_many_random_visits_match_a_plain_python_count(places):
    """A few hundred visits of twenty people against a dictionary count from the ORM."""
    rng = random.Random(4)
    people = [factories.PersonFactory() for _ in range(20)]
    sessions = list(places.values())
    for person in people:
        for session in rng.sample(sessions, rng.randint(0, 12)):
            factories.VisitFactory(person=person, session=session)
    for session in rng.sample(sessions, 3):
        Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    as_of = MONDAY + timedelta(weeks=6, days=2)

    expected: dict[int, set[int]] = {}
    for visit_ in factories.VisitFactory._meta.model.objects.select_related("session"):
        if visit_.session.status == Session.Status.SCHEDULED and visit_.session.date <= as_of:
            expected.setdefault(visit_.person_id, set()).add(
                history.day_number(visit_.session.date)
            )
    assert pairs_as_lists(as_of) == sorted((p, d) for p, ds in expected.items() for d in ds)

    summary = history.summarise(as_of)
    as_of_day = history.day_number(as_of)
    for pk, x, t_x, T in zip(
        summary.person_ids, summary.frequency, summary.recency, summary.T, strict=True
    ):
        visit_days = expected[int(pk)]
        assert x == len(visit_days) - 1
        assert t_x == pytest.approx((max(visit_days) - min(visit_days)) / 7)
        assert pytest.approx((as_of_day - min(visit_days)) / 7) == T


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 30), st.integers(19_000, 19_400)), max_size=200),
    st.integers(1, 14),
)
def test_summary_from_pairs_matches_a_plain_python_summary(pairs, unit_days):
    pairs = sorted(set(pairs))
    as_of = history.date_of_day(19_400)
    person_ids = np.array([p for p, _ in pairs], np.int64)
    day_numbers = np.array([d for _, d in pairs], np.int64)
    summary = history.summary_from_pairs(person_ids, day_numbers, as_of, unit_days)
    grouped: dict[int, list[int]] = {}
    for person, day in pairs:
        grouped.setdefault(person, []).append(day)
    assert summary.person_ids.tolist() == sorted(grouped)
    for i, person in enumerate(summary.person_ids.tolist()):
        visit_days = grouped[person]
        assert summary.frequency[i] == len(visit_days) - 1
        assert summary.recency[i] == (max(visit_days) - min(visit_days)) / unit_days
        assert summary.T[i] == (19_400 - min(visit_days)) / unit_days
        assert summary.first_day[i] == min(visit_days)
        assert summary.last_day[i] == max(visit_days)


def test_unit_days_must_be_positive():
    with pytest.raises(ValueError):
        history.summary_from_pairs(np.array([1]), np.array([20000]), date(2026, 1, 1), 0)
