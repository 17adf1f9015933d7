from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.people import services
from omzien.people.models import Consent, Person
from tests.factories import ConsentFactory, PersonFactory, SessionFactory, VisitFactory

# The command looks at the real today, so the history is laid out around it.
TODAY = timezone.localdate()
CUTOFF = services.retention_cutoff(TODAY)


@pytest.fixture
def history(trefpunt):
    old_session = SessionFactory(activity__place=trefpunt, date=CUTOFF - timedelta(days=5))
    recent_session = SessionFactory(activity=old_session.activity, date=CUTOFF + timedelta(days=2))
    gone = VisitFactory(session=old_session).person
    ConsentFactory(person=gone)
    still_here = VisitFactory(session=old_session).person
    VisitFactory(session=recent_session, person=still_here)
    never_came = PersonFactory()
    long_ago = datetime.combine(CUTOFF - timedelta(days=300), datetime.min.time(), tzinfo=UTC)
    Person.objects.filter(pk=never_came.pk).update(created_at=long_ago)
    new_person = PersonFactory()
    return {"gone": gone, "still_here": still_here, "never_came": never_came, "new": new_person}


def test_cutoff_follows_the_setting(settings):
    settings.OMZIEN_RETENTION_YEARS = 2
    assert services.retention_cutoff(date(2026, 11, 24)) == date(2024, 11, 24)
    assert services.retention_cutoff(date(2028, 2, 29)) == date(2026, 2, 28)


def test_people_not_seen_for_two_years_are_forgotten_visits_stay_counted(history):
    assert set(services.inactive_people(TODAY)) == {history["gone"], history["never_came"]}
    visits_before = Visit.objects.count()

    people, anonymised = services.forget_inactive_people(TODAY)

    assert (people, anonymised) == (2, 1)
    assert set(Person.objects.all()) == {history["still_here"], history["new"]}
    assert Visit.objects.count() == visits_before
    assert Visit.objects.filter(person__isnull=True).count() == 1
    assert not Consent.objects.filter(person_id=history["gone"].pk).exists()
    event = AuditEvent.objects.get(subject="retention")
    assert event.person is None and "2 people" in event.detail


def test_nothing_to_forget_changes_nothing(db):
    PersonFactory()
    assert services.forget_inactive_people(TODAY) == (0, 0)
    assert not AuditEvent.objects.exists()


def test_command_dry_run_deletes_nothing(history):
    out = StringIO()
    call_command("forget_inactive_people", "--dry-run", stdout=out)
    assert Person.objects.count() == 4
    assert out.getvalue().startswith("2 ")
    call_command("forget_inactive_people", stdout=StringIO())
    assert Person.objects.count() == 2
