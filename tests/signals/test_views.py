"""The follow-up pages: scope, urgency order, actions, audit."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from omzien.audit.models import AuditEvent
from omzien.signals.models import Signal
from tests import factories
from tests.signals.conftest import with_followup

LIST = reverse("signals:list")


@pytest.fixture
def signals(regular, trefpunt, benring):
    calm = with_followup(factories.PersonFactory(first_name="Bert"))
    escalated = with_followup(factories.PersonFactory(first_name="Ans"))
    elsewhere = with_followup(factories.PersonFactory(first_name="Kees"))
    made = {
        "likely": Signal.objects.create(
            person=regular, place=trefpunt, raised_on=date(2026, 4, 3), reason="r", probability=0.95
        ),
        "calm": Signal.objects.create(
            person=calm, place=trefpunt, raised_on=date(2026, 4, 3), reason="c", probability=0.6
        ),
        "escalated": Signal.objects.create(
            person=escalated,
            place=trefpunt,
            raised_on=date(2026, 3, 1),
            reason="e",
            probability=0.55,
            escalated_at=timezone.now(),
        ),
        "elsewhere": Signal.objects.create(
            person=elsewhere, place=benring, raised_on=date(2026, 4, 3), reason="k"
        ),
    }
    return made


@pytest.mark.django_db
def test_coordinator_sees_own_place_escalated_first(client, coordinator_trefpunt, signals):
    client.force_login(coordinator_trefpunt)
    response = client.get(LIST)
    assert response.status_code == 200
    assert [s.pk for s in response.context["signals"]] == [
        signals["escalated"].pk,
        signals["likely"].pk,
        signals["calm"].pk,
    ]
    assert AuditEvent.objects.filter(user=coordinator_trefpunt, subject="signal list").exists()
    assert reverse("signals:list").encode() in response.content  # the menu link


@pytest.mark.django_db
def test_professional_sees_all_places(client, professional, signals):
    client.force_login(professional)
    assert len(client.get(LIST).context["signals"]) == 4


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["viewer", "host_benring"])
def test_viewers_and_hosts_get_403(client, who, request, signals):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("signals:detail", args=[signals["likely"].pk])).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, signals):
    assert client.get(LIST).status_code == 302


@pytest.mark.django_db
def test_coordinator_of_other_place_gets_403_on_the_signal(client, coordinator_trefpunt, signals):
    client.force_login(coordinator_trefpunt)
    url = reverse("signals:detail", args=[signals["elsewhere"].pk])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_coordinator_logs_contact_and_closes(client, coordinator_trefpunt, signals, regular):
    signal = signals["likely"]
    url = reverse("signals:detail", args=[signal.pk])
    client.force_login(coordinator_trefpunt)
    response = client.get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(person=regular, action="view").exists()
    response = client.post(
        url,
        {
            "action": "contact",
            "contact-method": "called",
            "contact-outcome": "all_fine",
            "contact-note": "Was ziek",
        },
    )
    assert response.status_code == 302
    assert signal.contacts.get().note == "Was ziek"
    client.post(url, {"action": "assign", "assign-user": coordinator_trefpunt.pk})
    signal.refresh_from_db()
    assert signal.assigned_to == coordinator_trefpunt
    client.post(url, {"action": "close", "close-outcome": "all_fine"})
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == ("closed", "all_fine")


@pytest.mark.django_db
def test_snooze_in_the_past_shows_the_error(client, coordinator_trefpunt, signals):
    signal = signals["likely"]
    client.force_login(coordinator_trefpunt)
    url = reverse("signals:detail", args=[signal.pk])
    response = client.post(url, {"action": "snooze", "snooze-until": "2000-01-01"})
    assert response.status_code == 200
    assert response.context["forms"]["snooze"].errors
    signal.refresh_from_db()
    assert signal.status == "open"


@pytest.mark.django_db
def test_coordinator_adds_a_closure_of_own_place_in_the_admin(
    client, coordinator_trefpunt, benring
):
    client.force_login(coordinator_trefpunt)
    url = reverse("admin:signals_placeclosure_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"place": benring.pk, "first_day": "2026-07-20", "last_day": "2026-08-16"}
    )
    assert response.status_code == 200  # another place is not a choice
