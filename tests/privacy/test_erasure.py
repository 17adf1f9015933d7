"""Erasure: an administrator removes a person; their visits stay as anonymous counts."""

from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.accounts.permissions import NotFound
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.people.models import Consent, Person
from omzien.places.models import Place
from omzien.privacy import forgetting, services
from omzien.reports.statistics import attendance_overview
from omzien.signals.models import AnnouncedAbsence, ContactLog, Signal
from tests import factories

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 3)


@pytest.fixture
def admin_user(db):
    """Anne administers the region: a membership, not a Django superuser."""
    return factories.MembershipFactory(user__username="anne", role=Role.ADMIN, place=None).user


@pytest.fixture
def mariette(trefpunt, professional):
    """Mariëtte came twice, has a signal with a contact, an absence and a history view."""
    person = factories.PersonFactory(first_name="Mariëtte", last_name="de Vries")
    factories.ConsentFactory(person=person, purpose="followup")
    for day in (MARCH, date(2026, 3, 10)):
        session = factories.SessionFactory(activity__place=trefpunt, date=day)
        factories.VisitFactory(session=session, person=person)
        factories.VisitFactory(session=session, person=None)
    signal = factories.SignalFactory(person=person, place=trefpunt)
    factories.ContactLogFactory(signal=signal, by=professional)
    factories.AnnouncedAbsenceFactory(person=person)
    factories.AuditEventFactory(user=professional, person=person)
    return person


def overview_visits():
    overview = attendance_overview(
        Place.objects.all(),
        grouping="month",
        first_day=date(2026, 3, 1),
        last_day=date(2026, 3, 31),
        as_of=date(2026, 6, 1),
    )
    return overview.totals.visits


def assert_forgotten(person, by):
    assert not Person.objects.filter(pk=person.pk).exists()
    assert Visit.objects.count() == 4
    assert Visit.objects.filter(person__isnull=True).count() == 4
    assert overview_visits() == 4
    for model in (Consent, Signal, ContactLog, AnnouncedAbsence):
        assert not model.objects.exists(), model
    event = AuditEvent.objects.get(subject="erasure")
    assert event.user == by and event.person is None and event.action == "delete"
    assert event.detail.startswith("1 people forgotten; kept as anonymous counts: 2 visits")
    assert "1 signals" in event.detail and "1 contacts" in event.detail
    assert "Mari" not in event.detail and str(person.pk) not in event.detail.split(";")[0][1:]
    # The view of her history is still in the log, but no longer points at her.
    assert AuditEvent.objects.get(subject="person history").person is None
    assert not LogEntry.objects.filter(object_repr__contains="Mari").exists()


def test_erasure_keeps_visits_as_anonymous_counts(mariette, admin_user):
    assert overview_visits() == 4
    forgotten = services.erase_person(mariette, acting_user=admin_user)
    assert (forgotten.people, forgotten["visits"], forgotten["signals"]) == (1, 2, 1)
    assert_forgotten(mariette, admin_user)


def test_only_administrators_may_erase(mariette, coordinator_trefpunt, professional):
    for user in (coordinator_trefpunt, professional):
        with pytest.raises(NotFound):
            services.erase_person(mariette, acting_user=user)
    with pytest.raises(NotFound):
        services.erase_people([mariette], acting_user=None)
    assert Person.objects.filter(pk=mariette.pk).exists()
    assert Visit.objects.filter(person=mariette).count() == 2
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_no_deletion_path_takes_visits_with_it(mariette):
    """Even a plain delete (a script, the shell) leaves the visits, anonymous."""
    Person.objects.filter(pk=mariette.pk).delete()
    assert Visit.objects.count() == 4
    assert overview_visits() == 4


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_admin_delete_page_erases_through_the_privacy_app(mariette, admin_user):
    client = logged_in(admin_user)
    url = reverse("admin:people_person_delete", args=[mariette.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "2 bezoeken blijven als anonieme aantallen bestaan" in response.text
    assert_forgotten(mariette, admin_user)


def test_admin_bulk_delete_erases_everyone_selected(mariette, admin_user, trefpunt):
    other = factories.PersonFactory(first_name="Bertus")
    factories.VisitFactory(session=Visit.objects.first().session, person=other)
    client = logged_in(admin_user)
    response = client.post(
        reverse("admin:people_person_changelist"),
        {"action": "delete_selected", "_selected_action": [mariette.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Person.objects.exists()
    assert Visit.objects.count() == 5 and not Visit.objects.filter(person__isnull=False).exists()
    event = AuditEvent.objects.get(subject="erasure")
    assert event.user == admin_user
    assert event.detail.startswith("2 people forgotten; kept as anonymous counts: 3 visits")


def test_coordinators_and_professionals_cannot_erase_in_the_admin(
    mariette, coordinator_trefpunt, professional
):
    for user in (coordinator_trefpunt, professional):
        client = logged_in(user)
        delete = reverse("admin:people_person_delete", args=[mariette.pk])
        assert client.get(delete).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        response = client.post(
            reverse("admin:people_person_changelist"),
            {"action": "delete_selected", "_selected_action": [mariette.pk], "post": "yes"},
        )
        assert response.status_code == 403
    assert Person.objects.filter(pk=mariette.pk).exists()
    assert Visit.objects.filter(person=mariette).count() == 2
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_every_forget_step_is_registered_once_in_order():
    names = [step.name for step in forgetting.registered_steps()]
    assert names[0] == "visits"
    assert len(names) == len(set(names))
    assert {"signals", "contacts", "announced absences", "consents"} <= set(names)


def test_a_new_app_adds_a_step_without_changing_the_core(mariette, admin_user):
    """What help requests and questionnaires will do: a step of their own, run with the rest."""
    seen = []

    def forget_help(person_ids):
        seen.extend(person_ids)
        return 3

    help_step = forgetting.ForgetStep("help requests", forgetting.Effect.REMOVED, forget_help)
    forgotten = forgetting.forget_people(
        [mariette.pk],
        acting_user=admin_user,
        subject="erasure",
        steps=[*forgetting.registered_steps(), help_step],
    )
    assert seen == [mariette.pk]
    assert (forgotten["help requests"], forgotten["visits"]) == (3, 2)
    assert "3 help requests" in AuditEvent.objects.get(subject="erasure").detail
