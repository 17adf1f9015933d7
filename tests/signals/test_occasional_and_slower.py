"""Occasional visitors judged by their own rate and gaps; slower rhythms found in time."""

from datetime import date, timedelta

import numpy as np
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from omzien.signals import detection, services
from omzien.signals.models import Signal
from omzien.signals.rhythms import Arrays, Rules, compute_rhythms, week_parity
from tests import factories
from tests.signals.conftest import visit, weekly_sessions, with_followup

DAY0 = date(2026, 1, 6)  # a Tuesday, after the follow-up consent of with_followup


def _arrays(histories: dict[int, list[int]], sessions: int, as_of_day: int, every: int = 7):
    """One activity meeting every ``every`` days from DAY0; ``histories`` maps a person
    to the numbers of the sessions they came to; ``as_of_day`` counts from DAY0."""
    day0 = DAY0.toordinal()
    persons = [person for person, attended in histories.items() for _ in attended]
    visited = [number + 1 for attended in histories.values() for number in attended]
    return Arrays(
        as_of=day0 + as_of_day,
        session_ids=np.arange(1, sessions + 1),
        session_activity=np.ones(sessions, np.int64),
        session_place=np.ones(sessions, np.int64),
        session_day=np.array([day0 + every * n for n in range(sessions)]),
        session_held=np.ones(sessions, bool),
        visit_person=np.array(persons, np.int64),
        visit_session=np.array(visited, np.int64),
    )


def _row(rhythm, person=1):
    [row] = np.nonzero(rhythm.person == person)[0]
    return row


# Once every seven weeks at a weekly coffee morning: 4 of 22 sessions, no weekly rhythm.
EVERY_SEVEN_WEEKS = {1: [0, 7, 14, 21]}


def test_coming_now_and_then_is_no_weekly_rhythm_to_miss():
    # Twelve weeks after the last visit: a weekly regular would have been flagged long ago
    # (12 missed), for someone who comes every seven weeks it is not unusual yet.
    rhythm = compute_rhythms(_arrays(EVERY_SEVEN_WEEKS, 40, 7 * 33 + 3))
    row = _row(rhythm)
    assert rhythm.occasional[row]
    assert rhythm.share[row] == pytest.approx(4 / 22)
    assert rhythm.usual_gap[row] == 49
    assert rhythm.longest_gap[row] == 49
    assert rhythm.missed[row] == 12
    assert not rhythm.gates[row]


def test_occasional_absence_counts_against_their_own_rate_and_longest_gap():
    # 22 weeks (157 days): more than three times their usual 49 days and longer than
    # any absence they came back from.
    rhythm = compute_rhythms(_arrays(EVERY_SEVEN_WEEKS, 45, 7 * 43 + 3))
    row = _row(rhythm)
    assert rhythm.days_since[row] == 157
    assert rhythm.gates[row]
    # Three gaps in 147 days: the chance of no visit in 157 more is (147 / 304) ** 3.
    assert np.exp(-rhythm.own_rate_surprise[row]) == pytest.approx((147 / 304) ** 3)
    model = detection.region_model(rhythm, DAY0.toordinal() + 7 * 43 + 3, Rules())
    assert model.absence_likelihood[row] == pytest.approx((147 / 304) ** 3)


def test_an_occasional_visitor_back_from_a_longer_absence_is_not_flagged_by_a_shorter_one():
    # Away 27 weeks once and came back: 22 weeks now is not unusual for them, though it
    # is more than three times their usual gap (31 weeks / 5).
    history = {1: [0, 1, 2, 3, 30, 31]}
    rhythm = compute_rhythms(_arrays(history, 60, 7 * 53 + 3))
    row = _row(rhythm)
    assert rhythm.occasional[row]
    assert rhythm.longest_gap[row] == 27 * 7
    assert rhythm.days_since[row] == 22 * 7 + 3
    assert rhythm.days_since[row] > Rules().occasional_gap_factor * rhythm.usual_gap[row]
    assert not rhythm.gates[row]


def test_a_weekly_regular_is_no_occasional_visitor():
    rhythm = compute_rhythms(_arrays({1: list(range(0, 10))}, 14, 7 * 13 + 3))
    row = _row(rhythm)
    assert not rhythm.occasional[row]
    assert rhythm.gates[row]


def test_a_fortnightly_regular_can_signal_at_the_first_missed_session():
    # Ten of ten fortnightly sessions, then the next one missed: 22 days, 1.5 cycles. The
    # weekly rule (more than 1.25 x the sessions they let pass) would wait for a second.
    fortnightly = compute_rhythms(_arrays({1: list(range(10))}, 11, 14 * 9 + 22, every=14))
    row = _row(fortnightly)
    assert (fortnightly.missed[row], fortnightly.days_since[row]) == (1, 22)
    assert fortnightly.gates[row]
    weekly_rule = Rules(slow_cadence_days=15)
    assert not compute_rhythms(
        _arrays({1: list(range(10))}, 11, 14 * 9 + 22, every=14), weekly_rule
    ).gates[row]


def dutch_reason(**figures) -> str:
    """The reason for a candidate at the Koffieochtend on Tuesdays with these figures."""
    candidate = detection.Candidate(
        person_id=1,
        place_id=1,
        last_seen=date(2026, 1, 6),
        probability=0.4,
        p_alive=None,
        absence_likelihood=0.1,
        activity_id=1,
        **figures,
    )
    with translation.override("nl"):
        return detection.reason(candidate, "Koffieochtend", {1: 1})


# Someone at the Koffieochtend about once every six weeks, 19 weeks away now.
OCCASIONAL = {
    "days_since": 133,
    "missed": 19,
    "attended": 6,
    "held": 40,
    "occasional": True,
    "usual_gap": 42.0,
    "longest_gap": 77,
}


def test_occasional_reason_says_their_rate_and_their_gaps_in_dutch():
    assert dutch_reason(**OCCASIONAL) == (
        "Komt af en toe naar de Koffieochtend, ongeveer eens per 6 weken; "
        "nu 19 weken niet gezien; eerder hooguit 11 weken weg."
    )


def test_occasional_reason_says_when_an_earlier_signal_was_closed():
    text = dutch_reason(**OCCASIONAL, explained_on=date(2026, 4, 4))
    assert text.endswith(
        "eerder hooguit 11 weken weg; op 4 april is een eerder signaal afgesloten."
    )


def signals_on(day):
    return detection.find_signals(day, p_alive=detection.rhythm_only)


@pytest.mark.django_db
def test_detection_with_the_database_flags_an_occasional_visitor_with_that_reason(
    trefpunt, settings
):
    # Alone in the region: their chance of a dropout is the weak prior's, per visit at a
    # week's pace, and q = (147 / 304) ** 3 after 157 days: P about 0.04.
    settings.OMZIEN_SIGNAL_THRESHOLD = 0.03
    activity = factories.ActivityFactory(
        place=trefpunt, title="koffieochtend", rrule="FREQ=WEEKLY;BYDAY=TU"
    )
    sessions = weekly_sessions(activity, first=DAY0, weeks=45)
    person = with_followup(factories.PersonFactory(first_name="Gerrit"))
    visit(person, sessions, [DAY0 + timedelta(weeks=w) for w in (0, 7, 14, 21)])
    last = DAY0 + timedelta(weeks=21)
    assert signals_on(last + timedelta(weeks=12)) == []
    with translation.override("nl"):
        [signal] = signals_on(last + timedelta(weeks=22, days=3))
    assert signal.occasional
    assert (signal.usual_gap, signal.longest_gap, signal.days_since) == (49.0, 49, 157)
    assert signal.reason == (
        "Komt af en toe naar de koffieochtend, ongeveer eens per 7 weken; "
        "nu 22 weken niet gezien; eerder hooguit 7 weken weg."
    )


@pytest.mark.django_db
def test_detection_with_the_database_finds_a_fortnightly_regular_within_two_cycles(trefpunt):
    activity = factories.ActivityFactory(
        place=trefpunt, title="handwerken", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    )
    days = [DAY0 + timedelta(weeks=2 * n) for n in range(14)]
    sessions = {day: factories.SessionFactory(activity=activity, date=day) for day in days}
    person = with_followup(factories.PersonFactory())
    visit(person, sessions, days[:12])  # then two fortnightly sessions missed
    [signal] = signals_on(days[11] + timedelta(days=28))
    assert signal.person_id == person.pk
    assert (signal.missed, signal.occasional) == (2, False)


def test_a_slower_rhythm_has_its_own_threshold():
    kinds = detection.rhythm_kinds(np.array([False, False, True]), np.array([False, True, False]))
    rules = Rules(threshold=0.2, slow_threshold=0.15)
    assert detection.raising_threshold(kinds, rules).tolist() == [0.2, 0.15, 0.2]


@pytest.mark.django_db
def test_detection_raises_a_slower_rhythm_from_the_slow_threshold_setting(trefpunt, settings):
    activity = factories.ActivityFactory(
        place=trefpunt, title="handwerken", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    )
    days = [DAY0 + timedelta(weeks=2 * n) for n in range(14)]
    sessions = {day: factories.SessionFactory(activity=activity, date=day) for day in days}
    person = with_followup(factories.PersonFactory())
    visit(person, sessions, days[:12])
    as_of = days[11] + timedelta(days=28)
    settings.OMZIEN_SIGNAL_THRESHOLD = settings.OMZIEN_SIGNAL_SLOW_THRESHOLD = 0.0
    [candidate] = signals_on(as_of)
    assert candidate.rhythm == "slow"
    p = candidate.raw_probability
    settings.OMZIEN_SIGNAL_THRESHOLD, settings.OMZIEN_SIGNAL_SLOW_THRESHOLD = p + 0.01, p - 0.01
    assert [c.person_id for c in signals_on(as_of)] == [person.pk]
    settings.OMZIEN_SIGNAL_THRESHOLD, settings.OMZIEN_SIGNAL_SLOW_THRESHOLD = p - 0.01, p + 0.01
    assert signals_on(as_of) == []


@pytest.mark.django_db
def test_at_the_same_probability_a_regular_comes_before_an_occasional_visitor(trefpunt, regular):
    occasional = factories.PersonFactory()
    common = {"place": trefpunt, "raised_on": date(2026, 4, 1), "reason": "-", "probability": 0.5}
    Signal.objects.create(person=occasional, occasional=True, **common)
    Signal.objects.create(person=regular, **common)
    assert [s.person_id for s in Signal.objects.by_urgency()] == [regular.pk, occasional.pk]
    candidates = [
        detection.Candidate(
            person_id=person.pk,
            place_id=trefpunt.pk,
            last_seen=date(2026, 1, 6),
            days_since=80,
            missed=10,
            probability=0.5,
            p_alive=None,
            absence_likelihood=0.1,
            activity_id=0,
            attended=3,
            held=20,
            occasional=person == occasional,
            usual_gap=30.0,
            longest_gap=40,
        )
        for person in (occasional, regular)
    ]
    ordered = detection.with_reasons(candidates, date(2026, 4, 1))
    assert [c.person_id for c in ordered] == [regular.pk, occasional.pk]


def test_trying_activities_once_or_twice_is_coming_now_and_then():
    # Twice to a Tuesday activity (weeks 0 and 1), twice to a Thursday one (weeks 10 and
    # 11): each looks fully attended from its own first visit, but of the Thursdays from
    # their first visit at the place they came to 2 of 12.
    day0 = DAY0.toordinal()
    weeks = 30
    days = [day0 + 7 * w for w in range(weeks)] + [day0 + 2 + 7 * w for w in range(weeks)]
    arrays = Arrays(
        as_of=day0 + 7 * 29,
        session_ids=np.arange(1, 2 * weeks + 1),
        session_activity=np.repeat([1, 2], weeks),
        session_place=np.ones(2 * weeks, np.int64),
        session_day=np.array(days),
        session_held=np.ones(2 * weeks, bool),
        visit_person=np.ones(4, np.int64),
        visit_session=np.array([1, 2, weeks + 11, weeks + 12]),
    )
    rhythm = compute_rhythms(arrays)
    row = _row(rhythm)
    assert rhythm.share[row] == 1.0
    assert rhythm.occasional[row]


# Every other week at a weekly coffee morning: sessions 0, 2, ..., 18, 10 of 10 of their
# weeks; a fair coin would put about half of ten visit days in the other weeks.
EVERY_OTHER_WEEK = {1: list(range(0, 20, 2))}
NO_PARITY = Rules(every_other_week_p=0.0)


def test_coming_every_other_week_is_a_fortnightly_rhythm():
    # 36 days after session 18: sessions 20 and 22 of their weeks missed (19, 21 and 23
    # were not theirs).
    as_of = 7 * 18 + 36
    rhythm = compute_rhythms(_arrays(EVERY_OTHER_WEEK, 24, as_of))
    row = _row(rhythm)
    assert rhythm.every_other_week[row]
    assert rhythm.main_activity[row] == 1  # the real activity, not its copy
    assert rhythm.week_parity[row] == week_parity(DAY0.toordinal())  # the weeks they come
    assert (rhythm.main_attended[row], rhythm.main_held[row], rhythm.share[row]) == (10, 10, 1.0)
    assert rhythm.missed[row] == 2
    assert rhythm.slow[row] and not rhythm.occasional[row]
    assert rhythm.gates[row]
    # Without the rule every session counts: 19 held from the first to the last visit,
    # five missed, and the absence looks far less unusual for someone at about one half.
    plain = compute_rhythms(_arrays(EVERY_OTHER_WEEK, 24, as_of), NO_PARITY)
    assert not plain.every_other_week[row] and plain.week_parity[row] == -1
    assert (plain.main_held[row], plain.missed[row], plain.slow[row]) == (19, 5, False)
    assert rhythm.surprise[row] > plain.surprise[row] + 1


def test_a_weekly_regular_who_skips_now_and_then_is_not_every_other_week():
    history = {1: [0, 1, 2, 4, 5, 7, 8, 9, 11, 12]}
    rhythm = compute_rhythms(_arrays(history, 16, 7 * 12 + 22))
    assert not rhythm.every_other_week[_row(rhythm)]
    # Too few visit days to tell: six on one parity happen by chance one time in 32.
    few = compute_rhythms(_arrays({1: [0, 2, 4, 6, 8, 10]}, 16, 7 * 10 + 22))
    assert not few.every_other_week[_row(few)]


def test_a_visit_in_one_of_the_other_weeks_stays_a_visit():
    # Their weeks, and once the week after: last seen that day, still every other week.
    history = {1: [*range(0, 20, 2), 19], 2: list(range(20))}
    arrays = _arrays(history, 24, 7 * 19 + 10)
    rhythm = compute_rhythms(arrays)
    row = _row(rhythm)
    assert rhythm.every_other_week[row]
    assert rhythm.last_seen[row] == DAY0.toordinal() + 7 * 19
    assert rhythm.main_attended[row] == 11
    # The weekly regular beside them is unchanged by their copy of the activity.
    other = _row(rhythm, 2)
    plain = compute_rhythms(arrays, NO_PARITY)
    assert not rhythm.every_other_week[other]
    assert rhythm.main_held[other] == plain.main_held[other] == 20


def test_every_other_week_reason_says_so_in_dutch():
    text = dutch_reason(days_since=36, missed=2, attended=9, held=10, week_parity=0)
    assert text == (
        "Komt om de week naar de Koffieochtend op dinsdag (9 van de laatste 10 keer in die "
        "weken); laatst gezien 36 dagen geleden; 2 bijeenkomsten gemist."
    )


@pytest.mark.django_db
def test_detection_with_the_database_finds_every_other_week_at_their_second_missed_week(
    trefpunt,
):
    activity = factories.ActivityFactory(
        place=trefpunt, title="Koffieochtend", rrule="FREQ=WEEKLY;BYDAY=TU"
    )
    sessions = weekly_sessions(activity, first=DAY0, weeks=30)
    person = with_followup(factories.PersonFactory())
    days = [DAY0 + timedelta(weeks=w) for w in range(0, 24, 2)]
    visit(person, sessions, days)
    with translation.override("nl"):
        [signal] = signals_on(days[-1] + timedelta(days=29))
    assert (signal.person_id, signal.activity_id) == (person.pk, activity.pk)
    assert (signal.every_other_week, signal.missed, signal.rhythm) == (True, 2, "slow")
    assert signal.reason.startswith("Komt om de week naar de Koffieochtend op dinsdag")
    saved = services.save_detected([signal], days[-1] + timedelta(days=29))
    assert saved.opened == 1
    assert Signal.objects.get(person=person).week_parity == week_parity(days[0].toordinal())


def test_an_occasional_visitor_may_drop_out_per_visit_not_per_day_of_their_long_gaps():
    # Four weekly regulars (every session: a gap of 7 days) and someone every seven weeks.
    regulars = {person: list(range(40)) for person in range(2, 6)}
    arrays = _arrays({**EVERY_SEVEN_WEEKS, **regulars}, 45, 7 * 43 + 3)
    rhythm = compute_rhythms(arrays)
    model = detection.region_model(rhythm, arrays.as_of, Rules())
    occasional, weekly = _row(rhythm), _row(rhythm, 2)
    assert rhythm.occasional[occasional] and rhythm.usual_gap[occasional] == 49
    assert detection.region_visit_gap(rhythm, Rules()) == 7
    # The same chance that the last visit was the last as a weekly regular's, not seven
    # times as much because they come seven times as rarely.
    assert model.prior_dropped[occasional] == pytest.approx(model.prior_dropped[weekly])
    assert model.prior_dropped[occasional] == pytest.approx(
        -np.expm1(-7 * model.daily_dropout_rate)
    )


@pytest.mark.django_db
def test_bgnbd_does_not_count_an_occasional_visitors_absence_a_second_time(trefpunt):
    # Gerrit comes every seven weeks; his q is his own rate of visits in time, the model
    # BG/NBD is. A P(alive) of one half moves the weekly regular's probability, not his.
    activity = factories.ActivityFactory(
        place=trefpunt, title="koffieochtend", rrule="FREQ=WEEKLY;BYDAY=TU"
    )
    sessions = weekly_sessions(activity, first=DAY0, weeks=45)
    gerrit = with_followup(factories.PersonFactory(first_name="Gerrit"))
    visit(gerrit, sessions, [DAY0 + timedelta(weeks=w) for w in (0, 7, 14, 21)])
    riet = with_followup(factories.PersonFactory(first_name="Riet"))
    visit(riet, sessions, [DAY0 + timedelta(weeks=w) for w in range(40) if w % 3])
    rules = Rules(threshold=0.0)
    day = DAY0 + timedelta(weeks=43, days=3)

    def half_alive(as_of, person_ids):
        return np.full(len(person_ids), 0.5)

    alone = {
        c.person_id: c
        for c in detection.find_signals(day, rules=rules, p_alive=detection.rhythm_only)
    }
    halved = {c.person_id: c for c in detection.find_signals(day, rules=rules, p_alive=half_alive)}
    assert halved[gerrit.pk].occasional
    assert halved[gerrit.pk].probability == alone[gerrit.pk].probability
    assert not halved[riet.pk].occasional
    assert halved[riet.pk].probability > alone[riet.pk].probability


def test_one_session_in_four_is_coming_now_and_then():
    # Every four or five weeks, both parities of the week: 8 of 32 sessions held for them.
    history = {1: [0, 4, 9, 13, 18, 22, 27, 31]}
    arrays = _arrays(history, 40, 7 * 31 + 60)
    rhythm = compute_rhythms(arrays)
    row = _row(rhythm)
    assert rhythm.share[row] == pytest.approx(8 / 32)
    assert not rhythm.every_other_week[row]
    assert rhythm.occasional[row]
    # A share of 20% took them for a weekly rhythm at about one in four.
    assert not compute_rhythms(arrays, Rules(occasional_share=0.2)).occasional[row]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([1, 2]), st.sets(st.integers(0, 29), min_size=1), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 20),
)
def test_every_other_week_moves_visits_but_loses_none(people, extra_days):
    # Random histories at two weekly activities of one place, some on one parity only.
    day0 = DAY0.toordinal()
    sessions = 30
    ids = np.arange(1, 2 * sessions + 1)
    visits = [
        (person, (activity - 1) * sessions + (2 * number % sessions if alternate else number) + 1)
        for person, (activity, numbers, alternate) in enumerate(people, start=1)
        for number in numbers
    ]
    arrays = Arrays(
        as_of=day0 + 7 * 29 + extra_days,
        session_ids=ids,
        session_activity=np.repeat([1, 2], sessions),
        session_place=np.ones(2 * sessions, np.int64),
        session_day=np.r_[day0 + 7 * np.arange(sessions), day0 + 2 + 7 * np.arange(sessions)],
        session_held=np.ones(2 * sessions, bool),
        visit_person=np.array([p for p, _ in visits], np.int64),
        visit_session=np.array([s for _, s in visits], np.int64),
    )
    moved, plain = compute_rhythms(arrays), compute_rhythms(arrays, NO_PARITY)
    for name in ("person", "place", "visit_days", "first_seen", "last_seen", "days_since"):
        assert np.array_equal(getattr(moved, name), getattr(plain, name)), name
    assert set(moved.main_activity.tolist()) <= {1, 2}
    assert not plain.every_other_week.any()
    assert (moved.main_held <= plain.main_held).all()
