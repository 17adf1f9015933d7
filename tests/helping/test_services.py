"""The help services: states, events with who and when, rights, audit, mail."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.audit.models import AuditEvent
from omzien.helping import services
from omzien.helping.models import HelpEvent, HelpFeedback, HelpMatch, HelpRequest
from omzien.helping.services import Details
from omzien.people.models import Purpose
from tests import factories
from tests.attendance import door

Status = HelpRequest.Status
pytestmark = pytest.mark.django_db


def details(village, **fields):
    values = {
        "village": village,
        "categories": ["boodschappen"],
        "first_name": "Riet",
        "description": "Boodschappen op donderdag",
        "days": ["do"],
        "parts": ["ochtend"],
        "phone": "0612345678",
        "consent": True,
    }
    return Details(**{**values, **fields})


def test_a_public_request_goes_to_the_nearest_place_with_its_first_event(benring, trefpunt):
    asked = services.ask(details(benring.village), acting_user=AnonymousUser(), urgency="week")
    assert asked.place == benring
    assert asked.source == HelpRequest.Source.WEB
    assert asked.status == Status.NEW and asked.created_by is None
    assert asked.consent_at is not None and asked.phone == "0612345678"
    event = asked.events.get()
    assert (event.from_status, event.to_status, event.by) == ("", Status.NEW, None)
    assert AuditEvent.objects.filter(subject="help request", action="create").exists()


def test_without_consent_a_public_request_is_refused_and_nothing_kept(benring):
    with pytest.raises(ValidationError, match="ontmoetingsplek"):
        services.ask(details(benring.village, consent=False), acting_user=AnonymousUser())
    assert not HelpRequest.objects.exists()


def test_a_public_request_needs_a_way_to_reach_them(benring):
    with pytest.raises(ValidationError, match="telefoonnummer"):
        services.ask(details(benring.village, phone=""), acting_user=AnonymousUser())
    assert not HelpRequest.objects.exists()


def test_unknown_categories_are_refused(benring):
    with pytest.raises(ValidationError):
        services.ask(
            details(benring.village, categories=["tovenarij"]), acting_user=AnonymousUser()
        )
    with pytest.raises(ValidationError):
        services.ask(details(benring.village, categories=[]), acting_user=AnonymousUser())


def test_a_host_records_a_request_on_behalf_without_consent_keeps_no_contact(benring, host_benring):
    riet = door.person("Riet", "Bos", place=benring)
    asked = services.ask(
        details(benring.village, first_name="", consent=False),
        acting_user=host_benring,
        person=riet,
    )
    assert (asked.person, asked.place, asked.source) == (riet, benring, HelpRequest.Source.DOOR)
    assert asked.first_name == "Riet" and asked.phone == "" and asked.consent_at is None
    assert asked.events.get().by == host_benring


def test_on_behalf_with_consent_records_the_help_consent(benring, host_benring):
    riet = door.person("Riet", "Bos", place=benring)
    services.ask(details(benring.village), acting_user=host_benring, person=riet)
    assert riet.has_consent(Purpose.HELP)


def test_a_host_of_another_place_cannot_record_for_someone(benring, trefpunt):
    riet = door.person("Riet", "Bos", place=benring)
    other_host = factories.MembershipFactory(role="host", place=trefpunt).user
    with pytest.raises(NotFound):
        services.ask(details(benring.village), acting_user=other_host, person=riet)
    assert not HelpRequest.objects.exists()


def test_from_a_signal_the_request_is_the_signals_person_and_place(benring, coordinator_benring):
    riet = door.person("Riet", "Bos", place=benring, followup=True)
    signal = factories.SignalFactory(person=riet, place=benring)
    asked = services.ask(details(benring.village), acting_user=coordinator_benring, signal=signal)
    assert (asked.person, asked.place, asked.signal, asked.source) == (
        riet,
        benring,
        signal,
        HelpRequest.Source.SIGNAL,
    )


def test_the_whole_way_new_proposed_connected_done_with_who_and_when(
    benring_request, benring_offer, coordinator_benring
):
    moment = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        match = services.propose(benring_request, benring_offer, acting_user=coordinator_benring)
        services.confirm(match, acting_user=coordinator_benring)
        services.complete(benring_request, acting_user=coordinator_benring)
    benring_request.refresh_from_db()
    match.refresh_from_db()
    assert benring_request.status == Status.DONE and benring_request.closed_at == moment
    assert match.status == HelpMatch.Status.DONE
    assert match.decided_by == coordinator_benring and match.decided_at == moment
    steps = list(
        HelpEvent.objects.filter(request=benring_request).values_list(
            "from_status", "to_status", "by"
        )
    )
    assert steps == [
        (Status.NEW, Status.PROPOSED, coordinator_benring.pk),
        (Status.PROPOSED, Status.CONNECTED, coordinator_benring.pk),
        (Status.CONNECTED, Status.DONE, coordinator_benring.pk),
    ]


def test_confirming_mails_both_sides_each_others_contact(
    benring_request, benring_offer, coordinator_benring, django_capture_on_commit_callbacks
):
    match = services.propose(benring_request, benring_offer, acting_user=coordinator_benring)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(match, acting_user=coordinator_benring)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "jan@example.org",
        "riet@example.org",
    ]
    to_riet = next(message for message in mail.outbox if message.to == ["riet@example.org"])
    assert "Jan" in to_riet.body and "0687654321" in to_riet.body


def test_declining_the_only_proposal_makes_the_request_new_again(
    benring_request, benring_offer, coordinator_benring
):
    match = services.propose(benring_request, benring_offer, acting_user=coordinator_benring)
    services.decline(match, acting_user=coordinator_benring)
    benring_request.refresh_from_db()
    assert benring_request.status == Status.NEW
    with pytest.raises(ValidationError):
        services.confirm(match, acting_user=coordinator_benring)


def test_changing_a_proposal_proposes_another_helper(
    benring, benring_request, benring_offer, coordinator_benring
):
    other = factories.HelpOfferFactory(first_name="Kees", village=benring.village, place=benring)
    match = services.propose(benring_request, benring_offer, acting_user=coordinator_benring)
    changed = services.change_proposal(match, other, acting_user=coordinator_benring)
    match.refresh_from_db()
    assert match.status == HelpMatch.Status.DECLINED
    assert changed.offer == other and changed.status == HelpMatch.Status.PROPOSED
    benring_request.refresh_from_db()
    assert benring_request.status == Status.PROPOSED


def test_invalid_transitions_are_refused_in_dutch(benring_request, coordinator_benring):
    services.cancel(benring_request, acting_user=coordinator_benring)
    with pytest.raises(ValidationError) as refused:
        services.complete(benring_request, acting_user=coordinator_benring)
    assert "geannuleerd" in refused.value.messages[0]
    benring_request.refresh_from_db()
    assert benring_request.status == Status.CANCELLED


def test_a_new_request_cannot_be_done_without_a_helper(benring_request, coordinator_benring):
    with pytest.raises(ValidationError):
        services.complete(benring_request, acting_user=coordinator_benring)


def test_no_match_keeps_the_request_open_for_matching(benring_request, coordinator_benring):
    services.no_match(benring_request, acting_user=coordinator_benring)
    assert HelpRequest.objects.open().filter(pk=benring_request.pk).exists()


def test_a_coordinator_of_another_place_cannot_touch_the_request(
    benring_request, benring_offer, coordinator_trefpunt
):
    with pytest.raises(NotFound):
        services.propose(benring_request, benring_offer, acting_user=coordinator_trefpunt)
    with pytest.raises(NotFound):
        services.cancel(benring_request, acting_user=coordinator_trefpunt)


@pytest.mark.parametrize("who", ["host_benring", "viewer", "anonymous"])
def test_hosts_viewers_and_visitors_cannot_propose(who, request, benring_request, benring_offer):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(NotFound):
        services.propose(benring_request, benring_offer, acting_user=user)
    assert not HelpMatch.objects.exists()


def test_a_professional_may_propose_anywhere(benring_request, benring_offer, professional):
    services.propose(benring_request, benring_offer, acting_user=professional)


def test_feedback_after_done_by_a_host(
    benring_request, benring_offer, coordinator_benring, host_benring
):
    with pytest.raises(ValidationError):
        services.record_feedback(benring_request, "vrager", "goed", acting_user=host_benring)
    match = services.propose(benring_request, benring_offer, acting_user=coordinator_benring)
    services.confirm(match, acting_user=coordinator_benring)
    services.complete(benring_request, acting_user=coordinator_benring)
    services.record_feedback(benring_request, "vrager", "goed", acting_user=host_benring)
    services.record_feedback(benring_request, "vrager", "redelijk", acting_user=host_benring)
    services.record_feedback(benring_request, "helper", "goed", acting_user=coordinator_benring)
    answers = dict(HelpFeedback.objects.values_list("side", "answer"))
    assert answers == {"vrager": "redelijk", "helper": "goed"}


def test_the_board_takes_only_waiting_requests(benring_request, coordinator_benring, benring_offer):
    services.set_on_board(benring_request, True, acting_user=coordinator_benring)
    benring_request.refresh_from_db()
    assert benring_request.on_board
    services.propose(benring_request, benring_offer, acting_user=coordinator_benring)
    services.set_on_board(benring_request, False, acting_user=coordinator_benring)
    with pytest.raises(ValidationError):
        services.set_on_board(benring_request, True, acting_user=coordinator_benring)


def test_escalation_after_48_hours_mails_counts_never_names(
    benring, professional, django_capture_on_commit_callbacks
):
    professional.email = "pauline@example.org"
    professional.save()
    asked_at = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    with time_machine.travel(asked_at, tick=False):
        factories.HelpRequestFactory(first_name="Riet", village=benring.village, place=benring)
    with django_capture_on_commit_callbacks(execute=True):
        early = services.escalate_waiting(acting_user=SYSTEM, now=asked_at + timedelta(hours=47))
    assert not early and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        late = services.escalate_waiting(acting_user=SYSTEM, now=asked_at + timedelta(hours=49))
    assert late == {benring.pk: 1}
    [message] = mail.outbox
    assert "De Benring: 1" in message.body and "Riet" not in message.body
    assert "/hulp/beheer/" in message.body
    # Once: a second run mails nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert not services.escalate_waiting(acting_user=SYSTEM, now=asked_at + timedelta(hours=72))
    assert len(mail.outbox) == 1


def test_the_escalation_command(
    benring, professional, mailoutbox, django_capture_on_commit_callbacks
):
    professional.email = "pauline@example.org"
    professional.save()
    with time_machine.travel(datetime(2026, 5, 1, 10, 0, tzinfo=UTC), tick=False):
        factories.HelpRequestFactory(village=benring.village, place=benring)
    out = StringIO()
    with (
        time_machine.travel(datetime(2026, 5, 4, 10, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("escalate_help", stdout=out)
    assert "1 hulpvragen" in out.getvalue() or "1 hulpvraag" in out.getvalue()
    assert len(mailoutbox) == 1


def test_proposing_mails_the_helper_only_what_where_and_a_first_name(
    benring_request, benring_offer, coordinator_benring, django_capture_on_commit_callbacks
):
    benring_request.description = "Ik woon aan de Dorpsstraat 4"
    benring_request.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.propose(benring_request, benring_offer, acting_user=coordinator_benring)
    [message] = mail.outbox
    assert message.to == ["jan@example.org"]
    assert "Riet in Voorst" in message.body and "boodschappen" in message.body
    for private in ("0612345678", "riet@example.org", "Dorpsstraat"):
        assert private not in message.body


def test_withdrawing_the_help_consent_forgets_how_to_reach_them(benring, coordinator_benring):
    from omzien.people import services as people_services

    riet = door.person("Riet", "Bos", place=benring)
    asked = factories.HelpRequestFactory(person=riet, village=benring.village, place=benring)
    people_services.record_consent(riet, Purpose.HELP, False, acting_user=coordinator_benring)
    asked.refresh_from_db()
    assert asked.phone == "" and asked.consent_at is None


def test_the_batch_matchings_proposals_mail_nobody(
    benring_request, benring_offer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        match = services.propose(benring_request, benring_offer, acting_user=SYSTEM)
    assert match.proposed_by is None and not mail.outbox


def test_when_done_both_sides_are_asked_how_it_went(
    benring_request, benring_offer, coordinator_benring, django_capture_on_commit_callbacks
):
    match = services.propose(benring_request, benring_offer, acting_user=SYSTEM)
    services.confirm(match, acting_user=coordinator_benring)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete(benring_request, acting_user=coordinator_benring)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "jan@example.org",
        "riet@example.org",
    ]
    assert all("Hoe ging het?" in message.body for message in mail.outbox)
