"""Access to a signal follows the user's current role: a removed or moved membership, or
an account switched off, takes the signal back; the history shows only what the user
may follow up."""

from datetime import date

import pytest
from django.urls import reverse

from omzien.accounts.models import Membership, Role
from omzien.audit.models import AuditEvent
from omzien.signals import services
from omzien.signals.models import ContactLog, Signal
from tests import factories
from tests.signals.conftest import with_followup

TODAY = date(2026, 4, 3)


@pytest.fixture
def hanna(trefpunt):
    """Hanna hosts at Trefpunt; the coordinator gives her a signal to follow up."""
    return factories.MembershipFactory(user__username="hanna", role=Role.HOST, place=trefpunt)


@pytest.fixture
def assigned(regular, trefpunt, hanna, coordinator_trefpunt):
    signal = Signal.objects.create(
        person=regular, place=trefpunt, raised_on=TODAY, last_seen=date(2026, 3, 10), reason="r"
    )
    services.assign(signal, hanna.user, acting_user=coordinator_trefpunt)
    return signal


def contact(client, signal):
    return client.post(
        reverse("signals:detail", args=[signal.pk]),
        {"action": "contact", "contact-method": "called", "contact-outcome": "all_fine"},
    )


@pytest.mark.django_db
def test_the_assignee_follows_up_while_they_host_there(client, assigned, hanna):
    client.force_login(hanna.user)
    assert client.get(reverse("signals:detail", args=[assigned.pk])).status_code == 200
    assert contact(client, assigned).status_code == 302
    assert ContactLog.objects.count() == 1


@pytest.mark.django_db
def test_a_removed_membership_takes_the_signal_back(client, assigned, hanna):
    user = hanna.user
    hanna.delete()
    assigned.refresh_from_db()
    assert assigned.assigned_to is None
    assert AuditEvent.objects.filter(
        person=assigned.person, detail__contains="ended with role"
    ).exists()
    client.force_login(user)
    assert client.get(reverse("signals:detail", args=[assigned.pk])).status_code == 404
    assert contact(client, assigned).status_code == 404
    assert not ContactLog.objects.exists()


@pytest.mark.django_db
def test_a_membership_moved_to_another_place_takes_the_signal_back(
    client, assigned, hanna, benring
):
    hanna.place = benring
    hanna.save()
    assigned.refresh_from_db()
    assert assigned.assigned_to is None
    client.force_login(hanna.user)
    assert client.get(reverse("signals:detail", args=[assigned.pk])).status_code == 404


@pytest.mark.django_db
def test_access_is_checked_against_the_current_role_even_if_the_assignment_stays(
    client, assigned, hanna, benring
):
    """Even a change made behind the services' back grants nothing."""
    Membership.objects.filter(pk=hanna.pk).update(place=benring)  # update sends no signals
    assigned.refresh_from_db()
    assert assigned.assigned_to == hanna.user
    client.force_login(hanna.user)
    assert client.get(reverse("signals:detail", args=[assigned.pk])).status_code == 404
    assert contact(client, assigned).status_code == 404
    assert not ContactLog.objects.exists()


@pytest.mark.django_db
def test_an_account_switched_off_takes_the_signal_back(assigned, hanna):
    hanna.user.is_active = False
    hanna.user.save()
    assigned.refresh_from_db()
    assert assigned.assigned_to is None


@pytest.mark.django_db
def test_another_membership_at_the_place_keeps_the_signal(assigned, hanna, trefpunt):
    factories.MembershipFactory(user=hanna.user, role=Role.COORDINATOR, place=trefpunt)
    hanna.delete()
    assigned.refresh_from_db()
    assert assigned.assigned_to == hanna.user


@pytest.mark.django_db
def test_the_history_shows_only_signals_the_user_may_follow_up(
    client, regular, trefpunt, benring, coordinator_trefpunt
):
    here = Signal.objects.create(person=regular, place=trefpunt, raised_on=TODAY, reason="hier")
    Signal.objects.create(
        person=regular,
        place=benring,
        raised_on=date(2026, 1, 5),
        reason="elders",
        status=Signal.Status.CLOSED,
    )
    earlier_here = Signal.objects.create(
        person=regular,
        place=trefpunt,
        raised_on=date(2025, 11, 5),
        reason="eerder",
        status=Signal.Status.CLOSED,
    )
    client.force_login(coordinator_trefpunt)
    response = client.get(reverse("signals:detail", args=[here.pk]))
    assert [signal.pk for signal in response.context["history"]] == [earlier_here.pk]
    assert "De Benring" not in response.content.decode()


@pytest.mark.django_db
def test_withdrawn_consent_hides_the_signal_from_its_assignee(client, assigned, hanna, regular):
    from datetime import UTC, datetime

    with_followup(regular, given=False, at=datetime.now(UTC))
    client.force_login(hanna.user)
    assert client.get(reverse("signals:detail", args=[assigned.pk])).status_code == 404
