"""The synthetic visits of the demo: people, profiles, rhythms and consent (read only)."""

from datetime import date, timedelta
from statistics import median

import pytest
from django.db.models import Count

from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.demo.synthetic import Profile
from omzien.people.models import Consent, Person, Purpose
from tests.demo.reading.conftest import END, START

pytestmark = pytest.mark.django_db


def test_people_are_synthetic_with_refs_villages_and_names(result):
    people = list(Person.objects.select_related("village"))
    assert len(people) == result.person_count == 220
    assert sorted(p.ref for p in people) == sorted(result.people)
    assert all(p.is_synthetic and p.ref.startswith("demo-") and p.first_name for p in people)
    assert all(p.village.slug == result.people[p.ref].village for p in people)
    assert len({p.village_id for p in people}) >= 6


def test_every_profile_occurs(result):
    for profile in Profile:
        assert result.refs(profile), profile


def test_regulars_come_often_and_occasional_visitors_seldom(result):
    counts = dict(Person.objects.annotate(n=Count("visits")).values_list("ref", "n"))
    regulars = [counts[ref] for ref in result.refs(Profile.WEEKLY_REGULAR)]
    occasional = [counts[ref] for ref in result.refs(Profile.OCCASIONAL)]
    assert median(regulars) >= 25
    assert median(occasional) <= 10
    for ref, truth in result.people.items():
        assert truth.visit_count == counts[ref]


def test_dropouts_do_not_come_after_their_dropout_date(result):
    dropouts = result.refs(Profile.DROPOUT)
    assert dropouts
    for ref in dropouts:
        truth = result.people[ref]
        assert START < truth.dropout_date < END
        visits = Visit.objects.filter(person__ref=ref)
        assert not visits.filter(session__date__gte=truth.dropout_date).exists()
        assert visits.filter(session__date__lt=truth.dropout_date).count() >= 3
    for profile in (Profile.WEEKLY_REGULAR, Profile.OCCASIONAL, Profile.MONTHLY_REGULAR):
        assert all(result.people[ref].dropout_date is None for ref in result.refs(profile))


def test_newcomers_start_in_the_middle_of_the_period(result):
    for ref in result.refs(Profile.NEWCOMER):
        truth = result.people[ref]
        assert START < truth.active_from < END
        assert not Visit.objects.filter(
            person__ref=ref, session__date__lt=truth.active_from
        ).exists()


def test_no_visits_on_cancelled_sessions(result):
    cancelled = Session.objects.filter(status=Session.Status.CANCELLED)
    assert cancelled.count() == len(result.cancelled) >= 5
    assert all(session.cancel_reason for session in cancelled)
    assert not Visit.objects.filter(session__status=Session.Status.CANCELLED).exists()


def test_anonymous_visits_exist(result):
    anonymous = Visit.objects.filter(person=None).count()
    assert anonymous == result.anonymous_visit_count > 0
    assert Visit.objects.count() == result.visit_count


def test_visits_lie_in_the_period_and_respect_capacity(result):
    assert not Visit.objects.exclude(session__date__range=(START, END)).exists()
    full = (
        Session.objects.filter(activity__capacity__isnull=False)
        .annotate(n=Count("visits"))
        .values_list("n", "activity__capacity")
    )
    assert all(n <= capacity for n, capacity in full)
    visit = Visit.objects.select_related("session").first()
    assert visit.recorded_at == visit.session.starts_at + timedelta(minutes=10)


def test_summer_holiday_is_quieter(result):
    def per_session(first, last):
        sessions = Session.objects.filter(date__range=(first, last))
        return Visit.objects.filter(session__in=sessions).count() / sessions.count()

    summer = per_session(date(2025, 7, 14), date(2025, 8, 22))
    autumn = per_session(date(2025, 9, 1), date(2025, 10, 17))
    assert summer < 0.7 * autumn


def test_consents_follow_the_truth(result):
    for purpose in Purpose:
        expected = {ref for ref, truth in result.people.items() if purpose in truth.consents}
        actual = set(Person.objects.with_consent(purpose).values_list("ref", flat=True))
        assert actual == expected, purpose
    names = {ref for ref, truth in result.people.items() if "names" in truth.consents}
    followup = {ref for ref, truth in result.people.items() if "followup" in truth.consents}
    questionnaires = {
        ref for ref, truth in result.people.items() if "questionnaires" in truth.consents
    }
    assert len(names) > len(followup) > len(questionnaires) > 0
    assert not Consent.objects.exclude(source="demo").exists()
    first = Person.objects.filter(visits__isnull=False).first()
    consent = first.consents.get(purpose="names")
    first_visit = first.visits.order_by("session__starts_at").first()
    assert consent.recorded_at == first_visit.session.starts_at
