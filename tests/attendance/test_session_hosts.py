"""Who hosted a session: noted at every check-in, and kept by a coordinator on a page."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omzien.accounts import permissions
from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM
from omzien.attendance import services
from omzien.attendance.models import SessionHost
from omzien.audit.models import AuditEvent
from tests import factories


@pytest.fixture
def gerrit(benring):
    """Gerrit coordinates De Benring."""
    return factories.MembershipFactory(
        user__username="gerrit", user__first_name="Gerrit", role=Role.COORDINATOR, place=benring
    ).user


def hosts_of(session) -> set[str]:
    return set(SessionHost.objects.filter(session=session).values_list("user__username", flat=True))


def test_checking_someone_in_makes_you_a_host_once(benring_today, mariette, host_benring):
    services.check_in(benring_today, mariette, acting_user=host_benring)
    services.undo_check_in(benring_today, mariette, acting_user=host_benring)
    services.check_in(benring_today, mariette, acting_user=host_benring)
    assert hosts_of(benring_today) == {"henk"}
    host = SessionHost.objects.get()
    assert host.added_by == host_benring


def test_counting_someone_without_a_name_makes_you_a_host(benring_today, host_benring):
    services.add_anonymous(benring_today, acting_user=host_benring)
    assert hosts_of(benring_today) == {"henk"}


def test_a_command_hosts_nothing(benring_today, mariette):
    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    assert hosts_of(benring_today) == set()


def test_a_check_in_asks_one_query_about_hosts(benring_today, mariette, host_benring):
    services.add_anonymous(benring_today, acting_user=host_benring)  # Henk hosts already
    with CaptureQueriesContext(connection) as queries:
        services.check_in(benring_today, mariette, acting_user=host_benring)
    about_hosts = [q["sql"] for q in queries.captured_queries if "sessionhost" in q["sql"]]
    assert len(about_hosts) == 1
    assert about_hosts[0].lstrip().upper().startswith("SELECT")


def test_a_coordinator_adds_and_removes_a_host(benring_today, gerrit, host_benring):
    host, created = services.add_host(benring_today, host_benring, acting_user=gerrit)
    assert created and host.added_by == gerrit
    assert services.add_host(benring_today, host_benring, acting_user=gerrit)[1] is False
    assert hosts_of(benring_today) == {"henk"}
    assert services.remove_host(benring_today, host_benring, acting_user=gerrit) is True
    assert services.remove_host(benring_today, host_benring, acting_user=gerrit) is False
    assert hosts_of(benring_today) == set()
    subjects = AuditEvent.objects.filter(subject="session host").values_list("action", flat=True)
    assert list(subjects.order_by("pk")) == [AuditEvent.Action.CREATE, AuditEvent.Action.DELETE]


def test_only_someone_of_the_place_can_host(benring_today, gerrit, coordinator_trefpunt):
    with pytest.raises(ValidationError):
        services.add_host(benring_today, coordinator_trefpunt, acting_user=gerrit)
    assert hosts_of(benring_today) == set()


def test_a_host_cannot_add_hosts(benring_today, host_benring, gerrit):
    with pytest.raises(permissions.NotFound):
        services.add_host(benring_today, gerrit, acting_user=host_benring)
    assert hosts_of(benring_today) == set()


def test_the_hosts_page(client, benring_today, gerrit, host_benring):
    client.force_login(gerrit)
    url = reverse("attendance:hosts", args=[benring_today.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Gastvrouwen en gastheren" in page.content.decode()
    answer = client.post(url, {"action": "add", "user": host_benring.pk})
    assert answer.status_code == 302
    assert hosts_of(benring_today) == {"henk"}
    assert "henk" in client.get(url).content.decode()
    client.post(url, {"action": "remove", "user": host_benring.pk})
    assert hosts_of(benring_today) == set()


@pytest.mark.parametrize("data", [{}, {"action": "add", "user": "x"}, {"action": "?", "user": 1}])
def test_the_hosts_page_refuses_bad_input_in_dutch(client, benring_today, gerrit, data):
    client.force_login(gerrit)
    answer = client.post(reverse("attendance:hosts", args=[benring_today.pk]), data)
    assert answer.status_code == 400
    assert hosts_of(benring_today) == set()


def test_someone_of_another_place_is_refused_in_dutch(
    client, benring_today, gerrit, coordinator_trefpunt
):
    client.force_login(gerrit)
    answer = client.post(
        reverse("attendance:hosts", args=[benring_today.pk]),
        {"action": "add", "user": coordinator_trefpunt.pk},
    )
    assert answer.status_code == 400
    assert "Kies iemand die op deze ontmoetingsplek werkt." in answer.content.decode()
    assert hosts_of(benring_today) == set()
