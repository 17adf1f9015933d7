"""Every look at names leaves a line in the audit log: the access functions write it, so
no page can forget. The door's screen, search, presence list and badges; the admin's
person and visit pages. A refused look writes nothing."""

import sys

import pytest
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM
from omzien.attendance import services
from omzien.audit.models import AuditEvent
from tests import factories
from tests.attendance import door


@pytest.fixture
def today(benring):
    return door.today_session(benring)


@pytest.fixture
def riet(benring, today):
    person = door.person("Riet", "Bos", place=benring)
    services.check_in(today, person, acting_user=SYSTEM)
    return person


def views_by(user):
    return list(
        AuditEvent.objects.filter(user=user, action=AuditEvent.Action.VIEW)
        .order_by("pk")
        .values_list("subject", flat=True)
    )


@pytest.mark.parametrize(
    "name, subject, query",
    [
        ("attendance:check_in", "check-in screen", {}),
        ("attendance:search", "door search", {"q": "riet"}),
        ("attendance:presence", "presence list", {}),
        ("attendance:badges", "name badges", {}),
    ],
)
def test_the_door_pages_with_names_are_audit_logged(
    client, host_benring, today, riet, name, subject, query, monkeypatch
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # the printable page is enough
    client.force_login(host_benring)
    response = client.get(reverse(name, args=[today.pk]), query)
    assert response.status_code == 200
    assert views_by(host_benring) == [subject]


def test_a_refused_door_page_writes_no_audit_line(client, coordinator_trefpunt, today, riet):
    client.force_login(coordinator_trefpunt)
    for name in ("attendance:check_in", "attendance:search", "attendance:presence"):
        assert client.get(reverse(name, args=[today.pk])).status_code == 404
    assert views_by(coordinator_trefpunt) == []


@pytest.fixture
def administrator(db):
    return factories.MembershipFactory(role=Role.ADMIN, place=None).user


def test_the_admins_person_pages_are_audit_logged(client, administrator, riet):
    client.force_login(administrator)
    assert client.get(reverse("admin:people_person_changelist")).status_code == 200
    change = reverse("admin:people_person_change", args=[riet.pk])
    assert client.get(change).status_code == 200
    events = AuditEvent.objects.filter(user=administrator, action=AuditEvent.Action.VIEW)
    assert [(e.subject, e.person) for e in events.order_by("pk")] == [
        ("admin: person list", None),
        ("admin: person", riet),
    ]


def test_the_admins_visit_pages_are_audit_logged(client, administrator, riet):
    client.force_login(administrator)
    visit = riet.visits.get()
    assert client.get(reverse("admin:attendance_visit_changelist")).status_code == 200
    assert client.get(reverse("admin:attendance_visit_change", args=[visit.pk])).status_code == 200
    subjects = views_by(administrator)
    assert subjects == ["admin: visit list", "admin: visit"]
    assert AuditEvent.objects.filter(subject="admin: visit", person=riet).exists()


def test_a_coordinator_gets_no_person_page_and_leaves_no_line(client, coordinator_trefpunt, riet):
    client.force_login(coordinator_trefpunt)
    assert client.get(reverse("admin:people_person_changelist")).status_code == 403
    assert client.get(reverse("admin:people_person_change", args=[riet.pk])).status_code == 403
    assert views_by(coordinator_trefpunt) == []
