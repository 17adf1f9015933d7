"""Follow-up services: who may do what, the audit trail, and the refusals."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from omzien.accounts import permissions
from omzien.accounts.models import Role
from omzien.accounts.permissions import Capability, NotFound
from omzien.audit.models import AuditEvent
from omzien.signals import services
from omzien.signals.models import AnnouncedAbsence, ContactLog, Outcome, Signal
from tests import factories
from tests.signals.conftest import with_followup

TODAY = date(2026, 4, 3)


@pytest.fixture
def regular(regular):
    """Riet, who also agreed that hosts see her name: hosts find her at the door."""
    factories.ConsentFactory(
        person=regular, purpose="names", given=True, recorded_at=datetime(2025, 12, 1, tzinfo=UTC)
    )
    return regular


@pytest.fixture
def signal(regular, trefpunt):
    return Signal.objects.create(
        person=regular, place=trefpunt, raised_on=TODAY, last_seen=date(2026, 3, 10), reason="x"
    )


def audited(person, action=None):
    events = AuditEvent.objects.filter(person=person)
    return events.filter(action=action) if action else events


@pytest.mark.django_db
def test_host_raises_let_op_with_last_seen(regular, trefpunt, host_trefpunt):
    signal = services.raise_manual_signal(
        regular, trefpunt, " Zag er moe uit ", acting_user=host_trefpunt, today=TODAY
    )
    assert (signal.kind, signal.reason, signal.created_by) == (
        "manual",
        "Zag er moe uit",
        host_trefpunt,
    )
    assert signal.last_seen == date(2026, 3, 10)
    assert audited(regular, AuditEvent.Action.CREATE).exists()


@pytest.mark.django_db
def test_second_let_op_adds_to_the_open_signal(signal, regular, trefpunt, host_trefpunt):
    again = services.raise_manual_signal(
        regular, trefpunt, "Belde af", acting_user=host_trefpunt, today=TODAY
    )
    assert again.pk == signal.pk
    assert "Belde af" in again.reason
    assert Signal.objects.count() == 1


@pytest.mark.django_db
def test_host_of_another_place_and_viewer_may_not_raise(regular, trefpunt, host_benring, viewer):
    for user in (host_benring, viewer):
        with pytest.raises(NotFound):
            services.raise_manual_signal(regular, trefpunt, "let op", acting_user=user)
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_no_signal_without_followup_consent(trefpunt, host_trefpunt):
    person = factories.PersonFactory(registered_place=trefpunt)
    factories.ConsentFactory(person=person, purpose="names", given=True)
    with pytest.raises(ValidationError):
        services.raise_manual_signal(person, trefpunt, "let op", acting_user=host_trefpunt)
    with_followup(person, given=True)
    with_followup(person, given=False, at=datetime.now(UTC))
    with pytest.raises(ValidationError):
        services.raise_manual_signal(person, trefpunt, "let op", acting_user=host_trefpunt)


@pytest.mark.django_db
def test_empty_reason_is_refused(regular, trefpunt, host_trefpunt):
    with pytest.raises(ValidationError):
        services.raise_manual_signal(regular, trefpunt, "  ", acting_user=host_trefpunt)


@pytest.mark.django_db
def test_coordinator_assigns_to_a_host_of_the_place(signal, coordinator_trefpunt, host_trefpunt):
    services.assign(signal, host_trefpunt, acting_user=coordinator_trefpunt)
    signal.refresh_from_db()
    assert signal.assigned_to == host_trefpunt
    assert audited(signal.person, AuditEvent.Action.CHANGE).exists()


@pytest.mark.django_db
def test_assign_to_someone_of_another_place_is_refused(signal, coordinator_trefpunt, host_benring):
    with pytest.raises(ValidationError):
        services.assign(signal, host_benring, acting_user=coordinator_trefpunt)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["host_trefpunt", "host_benring", "viewer"])
def test_hosts_and_viewers_may_not_follow_up_unassigned(signal, who, request, professional):
    user = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        services.assign(signal, professional, acting_user=user)
    with pytest.raises(NotFound):
        services.log_contact(signal, "called", "all_fine", acting_user=user)
    with pytest.raises(NotFound):
        services.close(signal, Outcome.ALL_FINE, acting_user=user)
    assert not permissions.reachable_signals(user).exists()


@pytest.mark.django_db
def test_coordinator_of_another_place_sees_nothing(signal, benring):
    other = factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user
    assert not permissions.reachable_signals(other).exists()
    with pytest.raises(NotFound):
        services.snooze(signal, date(2026, 5, 1), acting_user=other, today=TODAY)


@pytest.mark.django_db
def test_assigned_host_logs_contact(signal, coordinator_trefpunt, host_trefpunt):
    services.assign(signal, host_trefpunt, acting_user=coordinator_trefpunt)
    contact = services.log_contact(
        signal, "visited", "needs_help", " Boodschappen ", acting_user=host_trefpunt
    )
    assert (contact.method, contact.outcome, contact.note) == (
        "visited",
        "needs_help",
        "Boodschappen",
    )
    with pytest.raises(ValidationError):
        services.log_contact(signal, "mailed", "all_fine", acting_user=host_trefpunt)
    with pytest.raises(ValidationError):
        services.log_contact(signal, "called", "seen_again", acting_user=host_trefpunt)
    assert ContactLog.objects.count() == 1


@pytest.mark.django_db
def test_professional_snoozes_and_closes(signal, professional):
    services.snooze(signal, date(2026, 5, 12), acting_user=professional, today=TODAY)
    assert (signal.status, signal.snoozed_until) == ("snoozed", date(2026, 5, 12))
    with pytest.raises(ValidationError):
        services.snooze(signal, date(2000, 1, 1), acting_user=professional, today=TODAY)
    services.close(signal, Outcome.REFERRED, acting_user=professional)
    signal.refresh_from_db()
    assert (signal.status, signal.outcome, signal.closed_by) == ("closed", "referred", professional)
    with pytest.raises(ValidationError):
        services.close(signal, Outcome.ALL_FINE, acting_user=professional)


@pytest.mark.django_db
def test_signals_hidden_once_consent_is_withdrawn(signal, professional, regular):
    assert permissions.reachable_signals(professional).count() == 1
    with_followup(regular, given=False, at=datetime.now(UTC))
    assert not permissions.reachable_signals(professional).exists()


@pytest.mark.django_db
def test_host_records_an_announced_absence(regular, host_trefpunt, host_benring, viewer):
    absence = services.record_absence(
        regular,
        date(2026, 4, 1),
        date(2026, 5, 12),
        "op vakantie",
        acting_user=host_trefpunt,
        today=TODAY,
    )
    assert AnnouncedAbsence.objects.get() == absence
    assert audited(regular, AuditEvent.Action.CREATE).exists()
    for user in (host_benring, viewer):
        with pytest.raises(NotFound):
            services.record_absence(
                regular, date(2026, 4, 1), date(2026, 5, 12), "", acting_user=user, today=TODAY
            )
    with pytest.raises(ValidationError):
        services.record_absence(
            regular, date(2026, 5, 1), date(2026, 4, 1), "", acting_user=host_trefpunt, today=TODAY
        )


@pytest.mark.django_db
def test_one_active_signal_per_person_and_place(signal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Signal.objects.create(
            person=signal.person, place=signal.place, raised_on=TODAY, reason="twice"
        )
    signal.status = Signal.Status.CLOSED
    signal.save()
    Signal.objects.create(person=signal.person, place=signal.place, raised_on=TODAY, reason="new")


@pytest.mark.django_db
def test_the_people_offered_for_a_signal_are_the_people_assign_accepts(
    signal, trefpunt, benring, host_trefpunt, host_benring, coordinator_trefpunt, professional
):
    made = factories.MembershipFactory
    others = [
        made(role=Role.PROFESSIONAL, place=trefpunt).user,
        made(role=Role.PROFESSIONAL, place=benring).user,
        made(role=Role.ADMIN, place=None).user,
        made(role=Role.VIEWER, place=None).user,
        made(role=Role.COORDINATOR, place=benring).user,
        made(role=Role.HOST, place=trefpunt, user__is_active=False).user,
    ]
    everyone = [host_trefpunt, host_benring, coordinator_trefpunt, professional, *others]
    accepted = {user.pk for user in everyone if permissions.can(user, Capability.DOOR, trefpunt)}
    assert accepted == {u.pk for u in services.assignable_users(trefpunt)}
    by_place = services.assignable_users_by_place({trefpunt.pk, benring.pk})
    assert accepted == {u.pk for u in by_place[trefpunt.pk]}
    assert {u.pk for u in by_place[benring.pk]} == {
        u.pk for u in services.assignable_users(benring)
    }
    assert host_benring.pk not in accepted and len(accepted) == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    "until, allowed",
    [(date(2027, 4, 3), True), (date(2027, 4, 4), False), (date(9999, 12, 31), False)],
)
def test_a_snooze_reaches_at_most_a_year_ahead(signal, professional, until, allowed):
    if allowed:
        services.snooze(signal, until, acting_user=professional, today=TODAY)
        return
    with pytest.raises(ValidationError, match="2027"):
        services.snooze(signal, until, acting_user=professional, today=TODAY)
    signal.refresh_from_db()
    assert signal.status == Signal.Status.OPEN


@pytest.mark.django_db
@pytest.mark.parametrize(
    "first, last",
    [
        (date(1, 1, 1), date(2026, 4, 10)),
        (date(2026, 4, 1), date(9999, 12, 31)),
        (date(2025, 4, 2), date(2025, 4, 9)),  # more than a year back
        (date(2027, 4, 1), date(2027, 4, 4)),  # ends more than a year ahead
    ],
)
def test_an_announced_absence_lies_within_a_year_back_or_ahead(regular, host_trefpunt, first, last):
    with pytest.raises(ValidationError):
        services.record_absence(regular, first, last, acting_user=host_trefpunt, today=TODAY)
    assert not AnnouncedAbsence.objects.exists()


@pytest.mark.django_db
def test_a_snooze_on_29_february_reaches_28_february(signal, professional):
    services.snooze(signal, date(2029, 2, 28), acting_user=professional, today=date(2028, 2, 29))
    with pytest.raises(ValidationError):
        services.snooze(signal, date(2029, 3, 1), acting_user=professional, today=date(2028, 2, 29))
