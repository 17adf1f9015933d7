"""Detection on hand-made histories: who is missing, unusually for them, and why."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from django.utils import translation

from omzien.places.models import PlaceClosure
from omzien.signals import detection, loading
from omzien.signals.models import AnnouncedAbsence
from omzien.signals.rhythms import Arrays, Rules, compute_rhythms
from tests import factories
from tests.signals.conftest import AS_OF, LAST_SEEN, REGULAR_DAYS, cancel, visit, with_followup

RULES = Rules()
MISSED_TUESDAYS = [date(2026, 3, 17), date(2026, 3, 24), date(2026, 3, 31)]


def signals_on(day, **kwargs):
    """BG/NBD on a handful of test people means nothing: the rhythm alone decides."""
    return detection.find_signals(day, p_alive=detection.rhythm_only, **kwargs)


@pytest.mark.django_db
def test_weekly_regular_who_stops_raises_a_signal_with_the_reason_numbers(regular, trefpunt):
    with translation.override("en"):
        [signal] = signals_on(AS_OF)
    assert (signal.person_id, signal.place_id) == (regular.pk, trefpunt.pk)
    assert signal.last_seen == LAST_SEEN
    assert (signal.days_since, signal.missed, signal.attended, signal.held) == (24, 3, 9, 10)
    # No lapses in this young region: the prior rate of 2% a month over her usual gap
    # (63 days / 8). The Beta-binomial chance of missing three after 9 of 10 is 24/2184;
    # none of her 8 earlier absences was that surprising, so the region's pseudo-absences
    # at that chance decide.
    rules = Rules()
    prior = -np.expm1(-(63 / 8) / rules.prior_rate_days)
    independent = 24 / 2184
    q = rules.absence_prior_gaps * independent / (8 + rules.absence_prior_gaps)
    assert signal.probability == pytest.approx(prior / (prior + (1 - prior) * q), abs=1e-3)
    assert "9 of the last 10 times" in signal.reason
    assert "24 days ago" in signal.reason
    assert "3 sessions missed" in signal.reason
    assert "koffieochtend on tuesday" in signal.reason


@pytest.mark.django_db
def test_one_missed_tuesday_is_not_yet_unusual(regular):
    assert signals_on(date(2026, 3, 18)) == []


@pytest.mark.django_db
def test_announced_absence_is_no_absence(regular):
    AnnouncedAbsence.objects.create(
        person=regular, first_day=date(2026, 3, 12), last_day=date(2026, 5, 12), note="vakantie"
    )
    assert signals_on(AS_OF) == []


@pytest.mark.django_db
def test_absence_over_part_of_the_gap_counts_only_the_other_sessions(regular):
    AnnouncedAbsence.objects.create(
        person=regular, first_day=date(2026, 3, 12), last_day=date(2026, 3, 20)
    )
    rhythm = compute_rhythms(loading.load(AS_OF))
    [row] = np.nonzero(rhythm.person == regular.pk)[0]
    assert rhythm.missed[row] == 2


@pytest.mark.django_db
def test_place_closure_is_no_absence(regular, trefpunt):
    PlaceClosure.objects.create(
        place=trefpunt, first_day=date(2026, 3, 14), last_day=date(2026, 4, 5), reason="Pasen"
    )
    assert signals_on(AS_OF) == []


@pytest.mark.django_db
def test_closure_of_another_place_changes_nothing(regular, benring):
    PlaceClosure.objects.create(
        place=benring, first_day=date(2026, 3, 14), last_day=date(2026, 4, 5)
    )
    assert len(signals_on(AS_OF)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("days_before", "missing"), [(10, False), (20, False), (22, True)])
def test_someone_who_comes_to_another_place_now_is_not_missing(
    regular, trefpunt, benring, days_before, missing
):
    # Riet stopped at the Trefpunt's coffee morning but went to De Benring since.
    elsewhere = factories.ActivityFactory(place=benring, title="Handwerkcafé")
    session = factories.SessionFactory(activity=elsewhere, date=AS_OF - timedelta(days=days_before))
    factories.VisitFactory(session=session, person=regular)
    assert [s.place_id for s in signals_on(AS_OF)] == ([trefpunt.pk] if missing else [])


@pytest.mark.django_db
def test_cancelled_sessions_are_no_absence(regular, coffee):
    cancel(coffee[1], MISSED_TUESDAYS)
    assert signals_on(AS_OF) == []


@pytest.mark.django_db
def test_monthly_regular_is_not_flagged_after_three_weeks(trefpunt):
    activity = factories.ActivityFactory(
        place=trefpunt, title="samen eten", rrule="FREQ=MONTHLY;BYDAY=1TH"
    )
    days = [date(2026, 1, 1), date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 2)]
    sessions = {day: factories.SessionFactory(activity=activity, date=day) for day in days}
    person = with_followup(factories.PersonFactory())
    visit(person, sessions, days)
    assert signals_on(date(2026, 4, 23)) == []
    # Two first Thursdays later (7 May, 4 June) the absence is unusual for them.
    for day in [date(2026, 5, 7), date(2026, 6, 4)]:
        factories.SessionFactory(activity=activity, date=day)
    [signal] = signals_on(date(2026, 6, 10))
    assert signal.missed == 2


@pytest.mark.django_db
def test_once_a_month_at_a_weekly_activity_is_not_flagged_after_three_weeks(coffee):
    activity, sessions = coffee
    person = with_followup(factories.PersonFactory())
    visit(person, sessions, [date(2026, 1, 6), date(2026, 2, 3), date(2026, 3, 3)])
    visit(person, sessions, [date(2026, 3, 31)])
    assert signals_on(date(2026, 4, 21)) == []


@pytest.mark.django_db
def test_as_of_uses_only_earlier_visits(regular, coffee):
    visit(regular, coffee[1], [date(2026, 4, 7)])
    [signal] = signals_on(AS_OF)
    assert signal.last_seen == LAST_SEEN
    assert signals_on(date(2026, 4, 8)) == []


@pytest.mark.django_db
def test_without_followup_consent_never(coffee):
    activity, sessions = coffee
    only_names = factories.PersonFactory()
    factories.ConsentFactory(person=only_names, purpose="names", given=True)
    visit(only_names, sessions, REGULAR_DAYS)
    withdrawn = with_followup(factories.PersonFactory())
    with_followup(withdrawn, given=False, at=datetime(2026, 3, 20, tzinfo=UTC))
    visit(withdrawn, sessions, REGULAR_DAYS)
    assert signals_on(AS_OF) == []


@pytest.mark.django_db
def test_consent_given_after_as_of_does_not_count(coffee):
    person = with_followup(factories.PersonFactory(), at=datetime(2026, 5, 1, tzinfo=UTC))
    visit(person, coffee[1], REGULAR_DAYS)
    assert signals_on(AS_OF) == []
    assert len(signals_on(date(2026, 5, 2))) == 1


@pytest.mark.django_db
def test_two_visits_are_not_yet_a_rhythm(coffee):
    person = with_followup(factories.PersonFactory())
    visit(person, coffee[1], [date(2026, 3, 3), date(2026, 3, 10)])
    assert signals_on(AS_OF) == []


@pytest.mark.django_db
def test_threshold_is_a_setting(regular, settings):
    settings.OMZIEN_SIGNAL_THRESHOLD = 0.999
    assert signals_on(AS_OF) == []


@pytest.mark.django_db
def test_places_limit_the_detection(regular, trefpunt, benring):
    assert signals_on(AS_OF, places=[benring]) == []
    assert len(signals_on(AS_OF, places=[trefpunt])) == 1


def test_missing_sessions_likelihood_follows_the_beta_binomial():
    # 9 of 10, then 3 missed: (2 * 3 * 4) / (12 * 13 * 14)
    arrays = Arrays(
        as_of=date(2026, 4, 3).toordinal(),
        session_ids=np.arange(1, 14),
        session_activity=np.ones(13, np.int64),
        session_place=np.ones(13, np.int64),
        session_day=np.array([date(2026, 1, 6).toordinal() + 7 * w for w in range(13)]),
        session_held=np.ones(13, bool),
        visit_person=np.full(9, 5),
        visit_session=np.array([1, 2, 3, 4, 6, 7, 8, 9, 10]),
    )
    rhythm = compute_rhythms(arrays)
    assert rhythm.independent_likelihood[0] == pytest.approx(24 / 2184)
    assert bool(rhythm.gates[0])


def test_dropout_probability_combines_p_alive_and_rhythm():
    p = detection.dropout_probability([0.5, 0.9, 1.0, 0.0], [1.0, 0.01, 0.01, 1.0])
    assert p[0] == pytest.approx(0.5)
    assert p[1] == pytest.approx(0.1 / (0.1 + 0.009))
    assert p[2] == 0.0
    assert p[3] == 1.0


def test_empty_input_gives_no_rhythms():
    empty = np.zeros(0, np.int64)
    arrays = Arrays(
        as_of=date(2026, 4, 3).toordinal(),
        session_ids=empty,
        session_activity=empty,
        session_place=empty,
        session_day=empty,
        session_held=np.zeros(0, bool),
        visit_person=empty,
        visit_session=empty,
    )
    assert compute_rhythms(arrays).person.size == 0


def _coffee_with_others(others_on_missed_days: int):
    """Person 5 came 9 of the first 10 Tuesdays and missed the last 3; 20 others came to
    the first 10, and ``others_on_missed_days`` of them to each of the last 3."""
    days = np.array([date(2026, 1, 6).toordinal() + 7 * w for w in range(13)])
    own = [1, 2, 3, 4, 6, 7, 8, 9, 10]
    persons = [5] * len(own)
    sessions = list(own)
    for other in range(100, 120):
        for session in range(1, 14):
            if session <= 10 or other < 100 + others_on_missed_days:
                persons.append(other)
                sessions.append(session)
    return Arrays(
        as_of=date(2026, 4, 3).toordinal(),
        session_ids=np.arange(1, 14),
        session_activity=np.ones(13, np.int64),
        session_place=np.ones(13, np.int64),
        session_day=days,
        session_held=np.ones(13, bool),
        visit_person=np.array(persons),
        visit_session=np.array(sessions),
    )


def _absence_likelihood_of_person_5(arrays):
    rhythm = compute_rhythms(arrays)
    [row] = np.nonzero(rhythm.person == 5)[0]
    return float(rhythm.independent_likelihood[row])


def test_missed_sessions_at_usual_turnout_weigh_as_whole_sessions():
    assert _absence_likelihood_of_person_5(_coffee_with_others(20)) == pytest.approx(24 / 2184)


def test_missed_sessions_most_others_skipped_too_say_less():
    usual = _absence_likelihood_of_person_5(_coffee_with_others(20))
    half = _absence_likelihood_of_person_5(_coffee_with_others(10))
    empty = _absence_likelihood_of_person_5(_coffee_with_others(0))
    assert usual < half < empty
    # A summer in which nobody came: three missed Tuesdays are no reason to worry.
    assert (
        detection.dropout_probability(0.9, empty) < 0.5 < detection.dropout_probability(0.9, usual)
    )


def _small_coffee_in_a_region(big_turnout_on_missed_days: int | None):
    """Person 5 came 9 of the first 10 Tuesdays at a small coffee morning (two others come
    every week) and missed the last 3; at another place a big activity draws 40 on the
    same Tuesdays, and ``big_turnout_on_missed_days`` on the last 3 (None: no such
    activity, the coffee morning is the region)."""
    days = [date(2026, 1, 6).toordinal() + 7 * w for w in range(13)]
    persons, sessions = [5] * 9, [1, 2, 3, 4, 6, 7, 8, 9, 10]
    for other in (100, 101):
        persons += [other] * 13
        sessions += list(range(1, 14))
    activity, place, day = [1] * 13, [1] * 13, list(days)
    if big_turnout_on_missed_days is not None:
        activity, place, day = activity + [2] * 13, place + [2] * 13, day + days
        for session in range(14, 27):
            count = 40 if session <= 23 else big_turnout_on_missed_days
            persons += list(range(200, 200 + count))
            sessions += [session] * count
    return Arrays(
        as_of=date(2026, 4, 3).toordinal(),
        session_ids=np.arange(1, len(day) + 1),
        session_activity=np.array(activity, np.int64),
        session_place=np.array(place, np.int64),
        session_day=np.array(day),
        session_held=np.ones(len(day), bool),
        visit_person=np.array(persons),
        visit_session=np.array(sessions),
    )


def test_a_week_the_whole_region_stayed_home_says_less_even_at_a_small_activity():
    # Two visitors cannot show a holiday at the coffee morning itself; forty elsewhere can.
    alone = _absence_likelihood_of_person_5(_small_coffee_in_a_region(None))
    usual = _absence_likelihood_of_person_5(_small_coffee_in_a_region(40))
    quiet = _absence_likelihood_of_person_5(_small_coffee_in_a_region(12))
    assert usual == pytest.approx(alone)
    assert quiet > 1.5 * usual
    # The emptier the region that week, the less their absence says.
    assert quiet < _absence_likelihood_of_person_5(_small_coffee_in_a_region(0))


def _weekly_arrays(histories: dict[int, list[int]], weeks: int, as_of_week: int):
    """One weekly activity; ``histories`` maps a person to the weeks they came."""
    day0 = date(2025, 1, 7).toordinal()
    persons = [person for person, attended in histories.items() for _ in attended]
    sessions = [week + 1 for attended in histories.values() for week in attended]
    return Arrays(
        as_of=day0 + 7 * as_of_week + 3,
        session_ids=np.arange(1, weeks + 1),
        session_activity=np.ones(weeks, np.int64),
        session_place=np.ones(weeks, np.int64),
        session_day=np.array([day0 + 7 * w for w in range(weeks)]),
        session_held=np.ones(weeks, bool),
        visit_person=np.array(persons, np.int64),
        visit_session=np.array(sessions, np.int64),
    )


def test_region_dropout_rate_counts_regulars_who_never_came_back():
    staying = {person: list(range(40)) for person in range(1, 9)}
    lapsed = {person: list(range(10)) for person in range(20, 24)}  # gone after week 9
    rules = Rules()

    def rate(histories):
        rhythm = compute_rhythms(_weekly_arrays(histories, 40, 39))
        return detection.region_dropout_rate(
            rhythm.first_seen,
            rhythm.last_seen,
            rhythm.usual_gap,
            rhythm.visit_days,
            _weekly_arrays(histories, 40, 39).as_of,
            rules,
        )

    without, with_lapses = rate(staying), rate({**staying, **lapsed})
    # 4 lapses over the attended days until the lapse horizon, plus the weak prior.
    as_of = _weekly_arrays(staying, 40, 39).as_of
    horizon = as_of - rules.lapse_days
    first = date(2025, 1, 7).toordinal()
    attended = 8 * (horizon - first) + 4 * (7 * 9)
    assert with_lapses == pytest.approx((4 + 1) / (attended + rules.prior_rate_days))
    assert without == pytest.approx(1 / (8 * (horizon - first) + rules.prior_rate_days))
    assert with_lapses > 4 * without


def region(rhythm):
    """The region-level model on the rhythms of _weekly_arrays (as_of in week 39)."""
    as_of = date(2025, 1, 7).toordinal() + 7 * 39 + 3
    return detection.region_model(rhythm, as_of, RULES)


def test_a_region_where_regulars_drop_out_makes_an_absence_more_worrying():
    missing = {5: [w for w in range(36) if w != 20]}  # then misses weeks 36-39
    others = {person: list(range(40)) for person in range(1, 5)}
    lapsed = {person: list(range(12)) for person in range(20, 30)}
    calm = compute_rhythms(_weekly_arrays({**missing, **others}, 40, 39))
    worrying = compute_rhythms(_weekly_arrays({**missing, **others, **lapsed}, 40, 39))
    [a] = np.nonzero(calm.person == 5)[0]
    [b] = np.nonzero(worrying.person == 5)[0]
    calm_prior = region(calm).prior_dropped[a]
    assert region(worrying).prior_dropped[b] > 2 * calm_prior


def test_without_returned_absences_the_likelihood_is_the_independent_one():
    surprise = np.array([1.0, 4.0])
    q = detection.region_absence_likelihood(np.zeros(0), np.zeros(0), surprise, np.ones(2), RULES)
    assert q == pytest.approx(np.exp(-surprise))


def test_absences_people_came_back_from_make_a_long_one_less_surprising():
    # 100 returned absences of regulars, 30 of which reached a surprise of 5 or more.
    returned = np.r_[np.zeros(70), np.full(30, 6.0)]
    regulars = np.full(100, 0.9)
    [q] = detection.region_absence_likelihood(returned, regulars, np.array([5.0]), [0.9], RULES)
    weight = RULES.absence_prior_gaps
    assert q == pytest.approx((30 + weight * np.exp(-5.0)) / (100 + weight))
    assert q > 20 * np.exp(-5.0)
    # Occasional visitors' absences say nothing about a regular's.
    [occasional] = detection.region_absence_likelihood(
        returned, np.full(100, 0.2), np.array([5.0]), [0.9], RULES
    )
    assert occasional == pytest.approx(np.exp(-5.0))


def test_a_region_of_people_who_come_back_from_three_weeks_away_worries_less():
    missing = {50: [w for w in range(37) if w != 20]}  # then misses weeks 37-39
    steady = {person: list(range(40)) for person in range(1, 21)}
    # The same 20 people, each away three weeks once, and back.
    away = {person: [w for w in range(40) if not 5 + person <= w < 8 + person] for person in steady}
    calm = compute_rhythms(_weekly_arrays({**missing, **steady}, 40, 39))
    ill = compute_rhythms(_weekly_arrays({**missing, **away}, 40, 39))
    [a] = np.nonzero(calm.person == 50)[0]
    [b] = np.nonzero(ill.person == 50)[0]
    calm_ratio = region(calm).absence_likelihood[a] / calm.independent_likelihood[a]
    ill_ratio = region(ill).absence_likelihood[b] / ill.independent_likelihood[b]
    assert ill_ratio > 5 * calm_ratio
