"""Retention: people not seen for OMZIEN_RETENTION_YEARS are forgotten, visits stay counted."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from omzien.accounts.permissions import SYSTEM
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.people.models import Consent, Person
from omzien.places.models import Place
from omzien.privacy import retention
from omzien.reports.statistics import attendance_overview
from omzien.signals.models import AnnouncedAbsence, Signal
from tests.factories import (
    AnnouncedAbsenceFactory,
    ConsentFactory,
    PersonFactory,
    SessionFactory,
    SignalFactory,
    VisitFactory,
)

TODAY = date(2026, 11, 24)
CUTOFF = retention.retention_cutoff(TODAY)  # 24 November 2024
# The command takes the real today: it runs with the clock at TODAY.
NOW = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)


@pytest.fixture
def history(trefpunt):
    old_session = SessionFactory(activity__place=trefpunt, date=CUTOFF - timedelta(days=5))
    recent_session = SessionFactory(activity=old_session.activity, date=CUTOFF + timedelta(days=2))
    gone = VisitFactory(session=old_session).person
    ConsentFactory(person=gone)
    SignalFactory(person=gone, place=trefpunt, raised_on=CUTOFF - timedelta(days=1))
    AnnouncedAbsenceFactory(person=gone, first_day=CUTOFF - timedelta(days=3))
    still_here = VisitFactory(session=old_session).person
    VisitFactory(session=recent_session, person=still_here)
    never_came = PersonFactory()
    long_ago = datetime.combine(CUTOFF - timedelta(days=300), datetime.min.time(), tzinfo=UTC)
    Person.objects.filter(pk=never_came.pk).update(created_at=long_ago)
    new_person = PersonFactory()
    return {"gone": gone, "still_here": still_here, "never_came": never_came, "new": new_person}


def visits_in_overview():
    """What the attendance overview counts over the whole history."""
    overview = attendance_overview(
        Place.objects.all(),
        grouping="month",
        first_day=CUTOFF - timedelta(days=60),
        last_day=TODAY,
        as_of=TODAY,
    )
    return overview.totals.visits


def test_cutoff_follows_the_setting(settings):
    settings.OMZIEN_RETENTION_YEARS = 2
    assert retention.retention_cutoff(date(2026, 11, 24)) == date(2024, 11, 24)
    assert retention.retention_cutoff(date(2028, 2, 29)) == date(2026, 2, 28)


def test_people_not_seen_for_two_years_are_forgotten_visits_stay_counted(history):
    assert set(retention.inactive_people(TODAY)) == {history["gone"], history["never_came"]}
    visits_before = Visit.objects.count()
    overview_before = visits_in_overview()

    people, anonymised = retention.forget_inactive_people(TODAY, acting_user=SYSTEM)

    assert (people, anonymised) == (2, 1)
    assert set(Person.objects.all()) == {history["still_here"], history["new"]}
    assert Visit.objects.count() == visits_before
    assert visits_in_overview() == overview_before == 3
    assert Visit.objects.filter(person__isnull=True).count() == 1
    assert not Consent.objects.filter(person_id=history["gone"].pk).exists()
    assert not Signal.objects.exists()
    assert not AnnouncedAbsence.objects.exists()
    event = AuditEvent.objects.get(subject="retention")
    assert event.person is None and event.user is None
    assert event.detail.startswith("2 people forgotten")
    assert "1 visits" in event.detail and "1 signals" in event.detail
    assert history["gone"].first_name not in event.detail


def test_nothing_to_forget_changes_nothing(db):
    PersonFactory()
    assert retention.forget_inactive_people(TODAY, acting_user=SYSTEM) == (0, 0)
    assert not AuditEvent.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_command_dry_run_deletes_nothing(history):
    out = StringIO()
    call_command("forget_inactive_people", "--dry-run", stdout=out)
    assert Person.objects.count() == 4
    assert out.getvalue() == (
        "2 deelnemers zijn voor het laatst gezien voor 2024-11-24; er is niets verwijderd.\n"
    )
    out = StringIO()
    call_command("forget_inactive_people", stdout=out)
    assert Person.objects.count() == 2
    assert out.getvalue().startswith("2 deelnemers die sinds 2024-11-24 niet meer zijn geweest")
