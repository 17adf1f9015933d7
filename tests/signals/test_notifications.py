"""Escalation reaches the professionals: one mail each, after the commit, naming no one."""

from datetime import date, timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from omzien.signals import notifications, services
from omzien.signals.models import ContactLog, Signal
from tests import factories
from tests.signals.conftest import with_followup

AS_OF = date(2026, 4, 20)
LONG_AGO = AS_OF - timedelta(days=10)
SUBJECT = "signals (escalation mail)"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.OMZIEN_SIGNAL_ESCALATE_DAYS = 7
    settings.OMZIEN_SITE_URL = "https://omzien.example.nl"


@pytest.fixture
def pauline(professional):
    professional.email = "pauline@example.nl"
    professional.save()
    return professional


@pytest.fixture
def waiting(trefpunt, benring):
    """Three signals nobody picked up in ten days: two at Trefpunt, one at De Benring."""

    def signal(place, first_name):
        person = with_followup(factories.PersonFactory(first_name=first_name, last_name="Klein"))
        return Signal.objects.create(
            person=person,
            place=place,
            raised_on=LONG_AGO,
            follow_up_since=LONG_AGO,
            reason="Mist de koffieochtend",
        )

    return [signal(trefpunt, "Riet"), signal(trefpunt, "Bert"), signal(benring, "Gerda")]


def nightly(capture, as_of=AS_OF):
    with capture(execute=True):
        return services.save_detected([], as_of)


@pytest.mark.django_db
def test_one_mail_per_professional_with_counts_and_link(
    waiting, pauline, coordinator_trefpunt, django_capture_on_commit_callbacks, mailoutbox
):
    coordinator_trefpunt.email = "carla@example.nl"
    coordinator_trefpunt.save()
    result = nightly(django_capture_on_commit_callbacks)
    assert (result.escalated, result.mailed, result.mail_failed) == (3, 1, 0)
    [mail] = mailoutbox
    assert mail.to == ["pauline@example.nl"]
    assert "3" in mail.subject
    assert notifications.not_picked_up_text(3, 7) in mail.body
    assert "- De Benring: 1\n- Trefpunt Duistervoorde: 2\n" in mail.body
    assert "https://omzien.example.nl/signalen/" in mail.body


@pytest.mark.django_db
def test_the_mail_names_no_one(waiting, pauline, django_capture_on_commit_callbacks, mailoutbox):
    nightly(django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    text = mail.subject + mail.body
    for word in ("Riet", "Bert", "Gerda", "Klein", "koffieochtend", "pauline"):
        assert word not in text
    event = AuditEvent.objects.get(subject=SUBJECT)
    assert event.person is None
    assert "1 professionals mailed" in event.detail
    assert not any(word in event.detail for word in ("Riet", "Klein", "pauline"))


@pytest.mark.django_db
def test_sent_only_after_the_commit(
    waiting, pauline, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.save_detected([], AS_OF)
        assert mailoutbox == []
    assert Signal.objects.filter(escalated_at__isnull=False).count() == 3
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_rolled_back_run_sends_nothing(
    waiting, pauline, django_capture_on_commit_callbacks, mailoutbox
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.save_detected([], AS_OF)
        raise RuntimeError("the run broke off")
    assert callbacks == []
    assert mailoutbox == []
    assert not Signal.objects.filter(escalated_at__isnull=False).exists()


@pytest.mark.django_db
def test_not_mailed_again_on_the_next_run(
    waiting, pauline, django_capture_on_commit_callbacks, mailoutbox
):
    nightly(django_capture_on_commit_callbacks)
    result = nightly(django_capture_on_commit_callbacks, AS_OF + timedelta(days=1))
    assert (result.escalated, result.mailed) == (0, 0)
    assert len(mailoutbox) == 1
    assert AuditEvent.objects.filter(subject=SUBJECT).count() == 1


@pytest.mark.django_db
def test_nobody_mailed_when_nothing_escalates(
    waiting, pauline, django_capture_on_commit_callbacks, mailoutbox
):
    Signal.objects.filter(pk=waiting[0].pk).update(assigned_to=pauline)
    ContactLog.objects.create(signal=waiting[1], by=pauline, method="called", outcome="all_fine")
    recent = AS_OF - timedelta(days=6)  # a follow-up for six days: not late yet
    Signal.objects.filter(pk=waiting[2].pk).update(raised_on=recent, follow_up_since=recent)
    result = nightly(django_capture_on_commit_callbacks)
    assert (result.escalated, result.mailed) == (0, 0)
    assert mailoutbox == []
    assert not AuditEvent.objects.filter(subject=SUBJECT).exists()


@pytest.mark.django_db
def test_only_active_professionals_with_an_address(
    waiting, pauline, django_capture_on_commit_callbacks, mailoutbox
):
    factories.MembershipFactory(user__username="piet", role=Role.PROFESSIONAL, place=None)
    factories.MembershipFactory(
        user__username="gerrit",
        user__email="gerrit@example.nl",
        user__is_active=False,
        role=Role.PROFESSIONAL,
        place=None,
    )
    factories.MembershipFactory(
        user__username="admin", user__email="admin@example.nl", role=Role.ADMIN, place=None
    )
    result = nightly(django_capture_on_commit_callbacks)
    assert [mail.to for mail in mailoutbox] == [["pauline@example.nl"]]
    assert result.mailed == 1
    assert "1 without an e-mail address" in AuditEvent.objects.get(subject=SUBJECT).detail


@pytest.mark.django_db
def test_a_professional_of_one_place_hears_only_of_that_place(
    waiting, benring, django_capture_on_commit_callbacks, mailoutbox
):
    factories.MembershipFactory(
        user__username="bea", user__email="bea@example.nl", role=Role.PROFESSIONAL, place=benring
    )
    nightly(django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    assert notifications.not_picked_up_text(1, 7) in mail.body
    assert "De Benring: 1" in mail.body
    assert "Trefpunt" not in mail.body


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


@pytest.mark.django_db
def test_a_mail_server_that_is_down_does_not_stop_the_run(
    waiting, pauline, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    result = nightly(django_capture_on_commit_callbacks)
    assert (result.escalated, result.mailed, result.mail_failed) == (3, 0, 1)
    assert Signal.objects.filter(escalated_at__isnull=False).count() == 3
    assert "1 failed" in AuditEvent.objects.get(subject=SUBJECT).detail
