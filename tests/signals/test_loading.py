"""signals.loading against the database: exactly the rows detection may see, as arrays.

The fast ``load`` reads integer columns with raw cursors and applies consent in numpy;
these tests pin down what it must return (consent rules, the window's edges, closures,
announced absences, cancelled sessions, places) and compare it with plain ORM queries
on random data.
"""

import random
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.places.models import PlaceClosure
from omzien.signals import loading
from omzien.signals.models import AnnouncedAbsence
from omzien.signals.rhythms import Rules, compute_rhythms
from tests import factories

AS_OF = date(2026, 3, 31)  # a Tuesday, two days after the clocks went to summer time
RULES = Rules(lookback_weeks=4)
START = AS_OF - timedelta(weeks=4)  # 3 March: the first day of the window
# The end of AS_OF in Europe/Amsterdam (CEST, UTC+2) is 21:59:59 UTC.
END_OF_AS_OF = datetime(2026, 3, 31, 22, 0, tzinfo=UTC)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def answer(person, given, when, purpose="followup"):
    return factories.ConsentFactory(person=person, purpose=purpose, given=given, recorded_at=when)


def person_with(*answers):
    person = factories.PersonFactory()
    for given, when in answers:
        answer(person, given, when)
    return person


def ids(array) -> list[int]:
    return sorted(np.asarray(array).tolist())


@pytest.fixture
def activity(trefpunt):
    return factories.ActivityFactory(place=trefpunt, title="koffie", rrule="FREQ=DAILY")


def session(activity, day, **fields):
    return factories.SessionFactory(activity=activity, date=day, **fields)


# --- consent ----------------------------------------------------------------------------


@pytest.fixture
def consent_cases(db):
    """Name -> (person, whether they may be followed up on AS_OF)."""
    early, mid = at(date(2025, 12, 1)), at(date(2026, 3, 10))
    later = at(date(2026, 4, 5))
    cases = {
        "agreed": (person_with((True, early)), True),
        "withdrew before as_of": (person_with((True, early), (False, mid)), False),
        "withdrew after as_of": (person_with((True, early), (False, later)), False),
        "agreed only after as_of": (person_with((True, later)), False),
        "refused, then agreed": (person_with((False, early), (True, mid)), True),
        "withdrew, agreed again after as_of": (
            person_with((True, early), (False, mid), (True, later)),
            False,
        ),
        "agreed late on as_of, local time": (
            person_with((True, END_OF_AS_OF - timedelta(minutes=1))),
            True,
        ),
        "agreed just after midnight, local time": (person_with((True, END_OF_AS_OF)), False),
        # Same moment: the later row (higher id) is the latest answer.
        "yes then no at one moment": (person_with((True, mid), (False, mid)), False),
        "no then yes at one moment": (person_with((False, mid), (True, mid)), True),
        "never asked": (factories.PersonFactory(), False),
    }
    names_only = factories.PersonFactory()
    answer(names_only, True, early, purpose="names")
    cases["agreed to names only"] = (names_only, False)
    # Another purpose answered later must not hide the follow-up answer.
    both = person_with((True, early))
    answer(both, False, mid, purpose="questionnaires")
    cases["refused questionnaires later"] = (both, True)
    return cases


def test_followup_person_ids_follow_the_latest_answer_on_and_after_as_of(consent_cases):
    expected = ids([person.pk for person, allowed in consent_cases.values() if allowed])
    assert ids(loading.followup_person_ids(AS_OF)) == expected
    # The same rule as the queryset the pages use.
    assert ids(loading.followup_people(AS_OF).values_list("pk", flat=True)) == expected


def test_followup_person_ids_are_sorted_int64(consent_cases):
    result = loading.followup_person_ids(AS_OF)
    assert result.dtype == np.int64
    assert result.tolist() == sorted(result.tolist())


def test_load_keeps_only_the_visits_of_people_who_agreed(consent_cases, activity):
    held = session(activity, AS_OF - timedelta(days=1))
    for person, _allowed in consent_cases.values():
        factories.VisitFactory(person=person, session=held)
    arrays = loading.load(AS_OF, rules=RULES)
    expected = [person.pk for person, allowed in consent_cases.values() if allowed]
    assert ids(arrays.visit_person) == sorted(expected)
    assert set(arrays.visit_session.tolist()) == {held.pk}


def test_load_keeps_only_the_absences_of_people_who_agreed(consent_cases):
    for person, _allowed in consent_cases.values():
        AnnouncedAbsence.objects.create(person=person, first_day=AS_OF, last_day=AS_OF)
    arrays = loading.load(AS_OF, rules=RULES)
    expected = [person.pk for person, allowed in consent_cases.values() if allowed]
    assert ids(arrays.absence_person) == sorted(expected)


# --- the window, cancelled sessions, closures --------------------------------------------


@pytest.fixture
def regular(db):
    return person_with((True, at(date(2025, 12, 1))))


def test_window_runs_from_lookback_to_as_of_inclusive(activity, regular):
    days = [START - timedelta(days=1), START, AS_OF - timedelta(days=7), AS_OF]
    days.append(AS_OF + timedelta(days=1))
    sessions = {day: session(activity, day) for day in days}
    for day in days:
        factories.VisitFactory(person=regular, session=sessions[day])
    arrays = loading.load(AS_OF, rules=RULES)

    inside = [sessions[day].pk for day in days[1:4]]
    assert ids(arrays.session_ids) == sorted(inside)
    by_id = dict(zip(arrays.session_ids.tolist(), arrays.session_day.tolist(), strict=True))
    assert by_id == {sessions[day].pk: day.toordinal() for day in days[1:4]}
    assert ids(arrays.visit_session) == sorted(inside)
    assert set(arrays.visit_person.tolist()) == {regular.pk}
    assert arrays.as_of == AS_OF.toordinal()
    places = dict(zip(arrays.session_ids.tolist(), arrays.session_place.tolist(), strict=True))
    activities = dict(
        zip(arrays.session_ids.tolist(), arrays.session_activity.tolist(), strict=True)
    )
    assert set(places.values()) == {activity.place_id}
    assert set(activities.values()) == {activity.pk}


def test_anonymous_visits_are_not_loaded(activity, regular):
    held = session(activity, AS_OF)
    factories.VisitFactory(person=None, session=held)
    factories.VisitFactory(person=regular, session=held)
    arrays = loading.load(AS_OF, rules=RULES)
    assert arrays.visit_person.tolist() == [regular.pk]


def test_cancelled_sessions_are_loaded_as_not_held_with_their_visits(activity, regular):
    cancelled = session(activity, AS_OF - timedelta(days=2), status=Session.Status.CANCELLED)
    scheduled = session(activity, AS_OF - timedelta(days=1))
    factories.VisitFactory(person=regular, session=cancelled)
    arrays = loading.load(AS_OF, rules=RULES)
    held = dict(zip(arrays.session_ids.tolist(), arrays.session_held.tolist(), strict=True))
    assert held == {cancelled.pk: False, scheduled.pk: True}
    assert arrays.visit_session.tolist() == [cancelled.pk]


def test_closures_make_their_place_s_sessions_not_held_edges_included(activity, benring):
    other = factories.ActivityFactory(place=benring, title="biljart", rrule="FREQ=DAILY")
    first, last = date(2026, 3, 10), date(2026, 3, 12)
    days = [first - timedelta(days=1), first, date(2026, 3, 11), last, last + timedelta(days=1)]
    here = {day: session(activity, day) for day in days}
    there = session(other, first)
    PlaceClosure.objects.create(place=activity.place, first_day=first, last_day=last)
    # Starts before the window and reaches into it.
    PlaceClosure.objects.create(
        place=activity.place, first_day=START - timedelta(days=5), last_day=START
    )
    at_start = session(activity, START)
    after_start = session(activity, START + timedelta(days=1))
    arrays = loading.load(AS_OF, rules=RULES)
    held = dict(zip(arrays.session_ids.tolist(), arrays.session_held.tolist(), strict=True))
    assert [held[here[day].pk] for day in days] == [True, False, False, False, True]
    assert held[there.pk] is True
    assert held[at_start.pk] is False
    assert held[after_start.pk] is True


def test_absences_overlapping_the_window_edges_included(regular):
    def absence(first, last):
        return AnnouncedAbsence.objects.create(person=regular, first_day=first, last_day=last)

    absence(START - timedelta(days=20), START - timedelta(days=1))  # before the window
    absence(AS_OF + timedelta(days=1), AS_OF + timedelta(days=9))  # after as_of
    touching_start = absence(START - timedelta(days=3), START)
    touching_end = absence(AS_OF, AS_OF + timedelta(days=14))
    inside = absence(date(2026, 3, 16), date(2026, 3, 20))
    arrays = loading.load(AS_OF, rules=RULES)
    loaded = sorted(
        zip(
            arrays.absence_person.tolist(),
            arrays.absence_first.tolist(),
            arrays.absence_last.tolist(),
            strict=True,
        )
    )
    expected = sorted(
        (regular.pk, a.first_day.toordinal(), a.last_day.toordinal())
        for a in (touching_start, touching_end, inside)
    )
    assert loaded == expected


def test_places_limit_sessions_visits_and_closures(activity, benring, regular):
    other = factories.ActivityFactory(place=benring, title="biljart", rrule="FREQ=DAILY")
    mine, theirs = session(activity, AS_OF), session(other, AS_OF)
    factories.VisitFactory(person=regular, session=mine)
    factories.VisitFactory(person=regular, session=theirs)
    PlaceClosure.objects.create(place=benring, first_day=AS_OF, last_day=AS_OF)
    arrays = loading.load(AS_OF, places=[activity.place], rules=RULES)
    assert arrays.session_ids.tolist() == [mine.pk]
    assert arrays.session_held.tolist() == [True]
    assert arrays.visit_session.tolist() == [mine.pk]
    assert loading.load(AS_OF, places=[], rules=RULES).session_ids.size == 0


def test_an_empty_database_gives_empty_int64_arrays(db):
    arrays = loading.load(AS_OF, rules=RULES)
    for name in ("session_ids", "session_day", "visit_person", "visit_session"):
        value = getattr(arrays, name)
        assert value.dtype == np.int64 and value.shape == (0,)
    assert arrays.session_held.dtype == bool
    assert arrays.absence_first.dtype == np.int64
    assert compute_rhythms(arrays, RULES).person.size == 0


# --- random data against plain ORM queries ------------------------------------------------


def orm_expectation(as_of: date, rules: Rules, places=None) -> dict:
    """What load must return, computed the slow and obvious way."""
    start = as_of - timedelta(weeks=rules.lookback_weeks)
    sessions = Session.objects.filter(date__gte=start, date__lte=as_of)
    closures = PlaceClosure.objects.filter(first_day__lte=as_of, last_day__gte=start)
    if places is not None:
        sessions = sessions.filter(activity__place__in=places)
        closures = closures.filter(place__in=places)
    closures = list(closures)
    held = {}
    for s in sessions.select_related("activity"):
        closed = any(
            c.place_id == s.activity.place_id and c.first_day <= s.date <= c.last_day
            for c in closures
        )
        held[s.pk] = (s.status == Session.Status.SCHEDULED) and not closed
    people = set(loading.followup_people(as_of).values_list("pk", flat=True))
    visits = sorted(
        (v.person_id, v.session_id)
        for v in Visit.objects.filter(session_id__in=list(held), person__isnull=False)
        if v.person_id in people
    )
    absences = sorted(
        (a.person_id, a.first_day.toordinal(), a.last_day.toordinal())
        for a in AnnouncedAbsence.objects.filter(first_day__lte=as_of, last_day__gte=start)
        if a.person_id in people
    )
    return {"held": held, "visits": visits, "absences": absences}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_load_matches_plain_orm_queries_on_random_data(seed, trefpunt, benring):
    rng = random.Random(seed)
    activities = [
        factories.ActivityFactory(place=place, title=f"a{n}", rrule="FREQ=DAILY")
        for place in (trefpunt, benring)
        for n in range(2)
    ]
    first = START - timedelta(days=10)
    sessions = [
        session(
            activity,
            first + timedelta(days=offset),
            status=rng.choice([Session.Status.SCHEDULED] * 5 + [Session.Status.CANCELLED]),
        )
        for activity in activities
        for offset in rng.sample(range(45), 15)
    ]
    moments = [at(first + timedelta(days=d), rng.randrange(24)) for d in range(-30, 50, 3)]
    people = []
    for _ in range(25):
        person = factories.PersonFactory()
        for _answer in range(rng.randrange(4)):
            answer(person, rng.random() < 0.7, rng.choice(moments))
        people.append(person)
    for person in people:
        for chosen in rng.sample(sessions, rng.randrange(12)):
            factories.VisitFactory(person=person, session=chosen)
        if rng.random() < 0.4:
            day = first + timedelta(days=rng.randrange(50))
            AnnouncedAbsence.objects.create(
                person=person, first_day=day, last_day=day + timedelta(days=rng.randrange(10))
            )
    factories.VisitFactory(person=None, session=sessions[0])
    for place in (trefpunt, benring):
        day = first + timedelta(days=rng.randrange(45))
        PlaceClosure.objects.create(
            place=place, first_day=day, last_day=day + timedelta(days=rng.randrange(8))
        )

    for places in (None, [benring]):
        expected = orm_expectation(AS_OF, RULES, places)
        arrays = loading.load(AS_OF, places=places, rules=RULES)
        held = dict(zip(arrays.session_ids.tolist(), arrays.session_held.tolist(), strict=True))
        assert held == expected["held"]
        assert len(arrays.session_ids) == len(held)  # no session twice
        visits = sorted(
            zip(arrays.visit_person.tolist(), arrays.visit_session.tolist(), strict=True)
        )
        assert visits == expected["visits"]
        absences = sorted(
            zip(
                arrays.absence_person.tolist(),
                arrays.absence_first.tolist(),
                arrays.absence_last.tolist(),
                strict=True,
            )
        )
        assert absences == expected["absences"]
    assert expected["visits"], "the random data should give some visits to compare"
