"""Rectification, restriction and erasure on request, and the administrator's audit log."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.people.models import Person
from omzien.privacy import services
from tests import factories
from tests.attendance import door

pytestmark = pytest.mark.django_db


@pytest.fixture
def riet(benring):
    person = door.person("Riet", "Bos", place=benring, followup=True)
    session = factories.SessionFactory(activity__place=benring, date=date(2026, 3, 3))
    factories.VisitFactory(session=session, person=person)
    return person


@pytest.fixture
def coordinator(benring):
    return factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user


@pytest.fixture
def elsewhere(trefpunt):
    return factories.MembershipFactory(role=Role.COORDINATOR, place=trefpunt).user


@pytest.fixture
def administrator(db):
    return factories.MembershipFactory(role=Role.ADMIN, place=None).user


# --- Rectification ---------------------------------------------------------------------------


def test_rectification_through_the_page_logs_the_fields_not_the_values(
    client, riet, coordinator, twello
):
    client.force_login(coordinator)
    url = reverse("privacy_rights:rectify", args=[riet.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"first_name": "Marietje", "last_name": "Bos", "village": twello.pk}
    )
    assert response.status_code == 302
    riet.refresh_from_db()
    assert (riet.first_name, riet.village, riet.search_name) == ("Marietje", twello, "marietje bos")
    event = AuditEvent.objects.get(subject="rectification")
    assert event.person == riet and event.user == coordinator
    assert event.detail == "changed: first_name, village"
    assert "Marietje" not in event.detail and "Riet" not in event.detail


def test_an_empty_first_name_is_a_dutch_error_and_changes_nothing(client, riet, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("privacy_rights:rectify", args=[riet.pk]), {"first_name": " ", "last_name": "X"}
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht" in response.content.decode()
    riet.refresh_from_db()
    assert riet.last_name == "Bos"
    assert not AuditEvent.objects.filter(subject="rectification").exists()


def test_rectification_out_of_reach_is_not_found_and_changes_nothing(riet, elsewhere):
    with pytest.raises(NotFound):
        services.rectify_person(
            riet, first_name="X", last_name="", village=None, acting_user=elsewhere
        )
    riet.refresh_from_db()
    assert riet.first_name == "Riet"


# --- Restriction -----------------------------------------------------------------------------


def test_restriction_through_the_page_is_reversible_and_logged(client, riet, coordinator):
    client.force_login(coordinator)
    page = reverse("privacy_rights:person", args=[riet.pk])
    assert 'id="restrict"' in client.get(page).content.decode()
    client.post(reverse("privacy_rights:restrict", args=[riet.pk]))
    riet.refresh_from_db()
    assert riet.is_restricted
    assert 'id="lift"' in client.get(page).content.decode()
    client.post(reverse("privacy_rights:lift", args=[riet.pk]))
    riet.refresh_from_db()
    assert not riet.is_restricted
    details = list(
        AuditEvent.objects.filter(subject="restriction", person=riet)
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details == ["restricted", "lifted"]


def test_restriction_is_refused_out_of_reach_and_over_get(client, riet, elsewhere, coordinator):
    with pytest.raises(NotFound):
        services.restrict_person(riet, acting_user=elsewhere)
    client.force_login(coordinator)
    assert client.get(reverse("privacy_rights:restrict", args=[riet.pk])).status_code == 405
    riet.refresh_from_db()
    assert not riet.is_restricted


# --- Erasure on request ----------------------------------------------------------------------


def test_erasure_asks_first_then_keeps_the_visit_anonymous_and_logs_no_name(
    client, riet, coordinator
):
    client.force_login(coordinator)
    url = reverse("privacy_rights:erase", args=[riet.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'id="confirm-erase"' in confirm.content.decode()
    assert Person.objects.filter(pk=riet.pk).exists()  # the GET erased nothing
    assert client.post(url).status_code == 302
    assert not Person.objects.filter(pk=riet.pk).exists()
    assert Visit.objects.filter(person=None).count() == 1
    event = AuditEvent.objects.get(subject="erasure on request")
    assert event.user == coordinator and event.person is None
    assert event.detail.startswith("1 people forgotten")
    assert "Riet" not in event.detail and "Bos" not in event.detail


def test_erasure_out_of_reach_is_not_found(client, riet, elsewhere):
    client.force_login(elsewhere)
    assert client.post(reverse("privacy_rights:erase", args=[riet.pk])).status_code == 404
    assert Person.objects.filter(pk=riet.pk).exists()


def test_the_admin_path_still_needs_an_administrator(riet, coordinator, administrator):
    with pytest.raises(NotFound):
        services.erase_people([riet], acting_user=coordinator)
    services.erase_people([riet], acting_user=administrator)
    assert not Person.objects.filter(pk=riet.pk).exists()


def test_find_person_lists_only_the_people_of_ones_places(client, riet, elsewhere, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("privacy_rights:people"), {"q": "riet"}).content.decode()
    assert reverse("privacy_rights:person", args=[riet.pk]) in page
    client.force_login(elsewhere)
    page = client.get(reverse("privacy_rights:people"), {"q": "riet"}).content.decode()
    assert reverse("privacy_rights:person", args=[riet.pk]) not in page


# --- The audit log ---------------------------------------------------------------------------


def test_the_audit_log_filters_by_user_person_kind_and_dates(
    client, riet, coordinator, administrator
):
    factories.AuditEventFactory(user=coordinator, person=riet, subject="person history")
    factories.AuditEventFactory(user=administrator, subject="signal list")
    client.force_login(administrator)
    url = reverse("privacy_rights:audit_log")
    page = client.get(url, {"user": coordinator.pk, "person": riet.pk, "action": "view"})
    assert page.status_code == 200
    rows = page.content.decode().split('id="audit-events"')[1]
    assert "person history" in rows and "signal list" not in rows
    assert client.get(url, {"date_from": "2026-03-02", "date_to": "2026-03-01"}).status_code == 400
    assert client.get(url, {"person": "abc"}).status_code == 400
    assert client.get(url, {"pagina": "999"}).status_code == 200
    # Reading the audit log is logged too.
    assert AuditEvent.objects.filter(user=administrator, subject="audit log").exists()


def test_the_audit_csv_neutralises_formulas(client, riet, administrator):
    factories.AuditEventFactory(person=riet, subject='=HYPERLINK("http://x")', detail="+cmd")
    client.force_login(administrator)
    response = client.get(reverse("privacy_rights:audit_log"), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["at", "user", "action", "subject", "person_id", "detail"]
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells and "'+cmd" in cells
    assert AuditEvent.objects.filter(user=administrator, subject="audit log export").exists()


def test_the_audit_log_is_for_administrators_only(client, coordinator, professional, viewer):
    for user in (coordinator, professional, viewer):
        client.force_login(user)
        assert client.get(reverse("privacy_rights:audit_log")).status_code == 403
        assert client.get(reverse("privacy_rights:audit_log"), {"export": "csv"}).status_code == 403
    with pytest.raises(NotFound):
        from omzien.accounts.permissions import audit_events_for_user

        audit_events_for_user(coordinator, reading="audit log")


def test_system_may_restrict_for_commands(riet):
    services.restrict_person(riet, acting_user=SYSTEM)
    riet.refresh_from_db()
    assert riet.is_restricted


def test_someone_who_also_comes_elsewhere_is_erased_by_the_administrator_only(
    client, riet, coordinator, administrator, trefpunt
):
    session = factories.SessionFactory(activity__place=trefpunt, date=date(2026, 3, 5))
    factories.VisitFactory(session=session, person=riet)
    url = reverse("privacy_rights:erase", args=[riet.pk])
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert 'id="erase-refused"' in page and 'id="confirm-erase"' not in page
    assert trefpunt.name not in page  # the other place is not named
    assert client.post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.erase_person_on_request(riet, acting_user=coordinator)
    assert Person.objects.filter(pk=riet.pk).exists()
    client.force_login(administrator)
    assert 'id="confirm-erase"' in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Person.objects.filter(pk=riet.pk).exists()


def test_registered_elsewhere_also_needs_the_administrator(riet, coordinator, trefpunt):
    Person.objects.filter(pk=riet.pk).update(registered_place=trefpunt)
    riet.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.erase_person_on_request(riet, acting_user=coordinator)
    assert Person.objects.filter(pk=riet.pk).exists()
