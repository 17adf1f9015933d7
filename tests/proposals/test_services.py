"""Proposed activities through their services, on the real database: proposing, deciding,
"ik doe mee", the threshold mail (once, no names), becoming an activity, forgetting."""

from datetime import date, time

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.agenda.models import Activity
from omzien.audit.models import AuditEvent
from omzien.proposals import services
from omzien.proposals.models import Interest, Proposal
from omzien.proposals.services import Contact, Idea
from tests import factories

pytestmark = pytest.mark.django_db

ANONYMOUS = None


def idea(village=None, **changes):
    return Idea(**{"title": "Samen koken", "village": village, "when": "donderdagavond", **changes})


def resident(**changes):
    values = {"first_name": "Gerda", "phone": "0612345678", "consent": True}
    return Contact(**{**values, **changes})


def test_a_resident_proposes_and_the_nearest_place_decides(benring, trefpunt):
    proposal = services.propose(idea(benring.village), resident(), acting_user=ANONYMOUS)
    assert proposal.status == Proposal.Status.WAITING
    assert list(proposal.places.all()) == [benring]
    assert proposal.phone == "0612345678" and proposal.consent_at is not None
    assert proposal.source == Proposal.Source.WEB and proposal.created_by is None
    assert AuditEvent.objects.filter(subject="proposal", detail__startswith=f"#{proposal.pk}")


def test_the_nearest_places_decide_when_the_setting_says_two(benring, trefpunt, settings):
    settings.OMZIEN_PROPOSAL_NEAREST_PLACES = 2
    proposal = services.propose(idea(benring.village), resident(), acting_user=ANONYMOUS)
    assert set(proposal.places.all()) == {benring, trefpunt}


@pytest.mark.parametrize(
    "contact, message",
    [
        (resident(consent=False), "toestemming"),
        (resident(phone=""), "telefoonnummer of een e-mailadres"),
    ],
)
def test_from_the_public_form_nothing_is_kept_without_consent_and_a_way_to_reach(
    benring, contact, message
):
    with pytest.raises(ValidationError, match=message):
        services.propose(idea(benring.village), contact, acting_user=ANONYMOUS)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "  "},
        {"title": "x" * 151},
        {"village": None},
        {"category": "feest"},
        {"days": ["xx"]},
    ],
)
def test_a_bad_idea_is_refused_and_changes_nothing(benring, changes):
    with pytest.raises(ValidationError):
        services.propose(
            idea(**{"village": benring.village, **changes}), resident(), acting_user=ANONYMOUS
        )
    assert not Proposal.objects.exists()


def test_a_host_writes_one_down_without_consent_and_nothing_to_reach_them_by(benring, host_benring):
    proposal = services.propose(
        idea(benring.village), resident(consent=False), acting_user=host_benring
    )
    assert proposal.source == Proposal.Source.STAFF and proposal.created_by == host_benring
    assert (proposal.first_name, proposal.phone, proposal.consent_at) == ("", "", None)


def test_a_viewer_cannot_write_one_down(benring, viewer):
    with pytest.raises(NotFound):
        services.propose(idea(benring.village), resident(), acting_user=viewer)


def test_approving_is_for_the_coordinators_of_its_places(
    waiting, coordinator_benring, coordinator_trefpunt, host_benring, viewer, professional
):
    for outsider in (coordinator_trefpunt, host_benring, viewer):
        with pytest.raises(NotFound):
            services.approve(waiting, acting_user=outsider)
    waiting.refresh_from_db()
    assert waiting.status == Proposal.Status.WAITING
    services.approve(waiting, acting_user=coordinator_benring)
    waiting.refresh_from_db()
    assert waiting.status == Proposal.Status.APPROVED and waiting.decided_by == coordinator_benring
    with pytest.raises(ValidationError):
        services.approve(waiting, acting_user=professional)  # decided already


def test_a_professional_decides_region_wide(waiting, professional):
    services.reject(waiting, "Dit bestaat al in Voorst.", acting_user=professional)
    waiting.refresh_from_db()
    assert waiting.status == Proposal.Status.REJECTED


def test_rejecting_needs_a_reason_tells_the_proposer_and_forgets_the_contact_details(
    waiting, coordinator_benring, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        services.reject(waiting, " ", acting_user=coordinator_benring)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(waiting, "Er is al een wandelclub.", acting_user=coordinator_benring)
    waiting.refresh_from_db()
    assert waiting.closed_at and waiting.contact_forgotten_at
    assert (waiting.first_name, waiting.email, waiting.phone, waiting.bring) == ("", "", "", "")
    assert waiting.reject_reason == "Er is al een wandelclub."
    assert waiting.title  # what stays counts
    [message] = mail.outbox
    assert message.to == ["gerda@example.org"] and "Er is al een wandelclub." in message.body


def test_joining_an_approved_proposal_with_or_without_details(approved):
    with_details = services.join(approved, resident(first_name="Jan"), acting_user=ANONYMOUS)
    counted = services.join(approved, Contact(), acting_user=ANONYMOUS)
    refused = services.join(approved, resident(consent=False), acting_user=ANONYMOUS)
    assert with_details.first_name == "Jan" and with_details.phone == "0612345678"
    for only_counted in (counted, refused):
        assert (only_counted.first_name, only_counted.phone, only_counted.consent_at) == (
            "",
            "",
            None,
        )
    assert services.interest_counts(approved) == services.InterestCounts(total=3, reachable=1)


def test_nobody_joins_a_proposal_that_is_not_on_the_board(waiting):
    with pytest.raises(NotFound):
        services.join(waiting, Contact(), acting_user=ANONYMOUS)
    with pytest.raises(NotFound):
        services.board_proposal(waiting.pk)
    assert not Interest.objects.exists()


def test_the_threshold_mails_the_places_coordinators_once_with_counts_and_no_names(
    approved,
    coordinator_benring,
    coordinator_trefpunt,
    professional,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.OMZIEN_SITE_URL = "https://omzien.example"
    region = approved.village.region
    region.proposal_threshold = 3
    region.save()
    names = ["Jan", "Marie", "Kees", "Anna"]
    for number, name in enumerate(names):
        with django_capture_on_commit_callbacks(execute=True):
            contact = resident(first_name=name, email=f"{name.lower()}@example.org")
            services.join(approved, contact if number != 1 else Contact(), acting_user=ANONYMOUS)
        assert len(mail.outbox) == (0 if number < 2 else 1)
    [message] = mail.outbox
    assert message.to == ["bea@benring.example"]  # not Trefpunt's, not region-wide
    assert "3 mensen" in message.subject and "Voorst" in message.subject
    assert f"https://omzien.example/plannen/beheer/{approved.pk}/" in message.body
    assert "- met een manier om ze te bereiken: 2" in message.body
    assert "- alleen geteld: 1" in message.body
    for private in [*names, "Gerda", "gerda@example.org", "0612345678", approved.title]:
        assert private not in message.subject + message.body
    approved.refresh_from_db()
    assert approved.threshold_mailed_at is not None


def test_the_threshold_mail_is_sent_once_even_when_mailing_fails(
    approved, coordinator_benring, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.proposals.test_services.BrokenBackend"
    region = approved.village.region
    region.proposal_threshold = 1
    region.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.join(approved, Contact(), acting_user=ANONYMOUS)  # the server is down: logged
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.join(approved, Contact(), acting_user=ANONYMOUS)
    assert mail.outbox == []


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise OSError("the mail server is down")

    def close(self):
        pass


def coordinator_who_manages(place):
    return factories.MembershipFactory(
        role=Role.COORDINATOR, place=place, user__email="co@example.org"
    ).user


def test_a_proposal_becomes_an_activity_told_to_those_who_joined(
    approved, benring, coordinator_benring, django_capture_on_commit_callbacks
):
    services.join(approved, resident(first_name="Jan", email="jan@example.org"), acting_user=None)
    services.join(approved, resident(first_name="Kees", phone="0698765432"), acting_user=None)
    services.join(approved, Contact(), acting_user=None)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.start_activity(
            approved,
            acting_user=coordinator_benring,
            place=benring,
            title="Samen koken",
            description="Elke donderdag.",
            category="eten",
            first_date=date(2030, 3, 7),
            start_time=time(18, 0),
            weekly=True,
        )
    activity = Activity.objects.get()
    assert started.activity == activity and activity.place == benring
    assert activity.rrule == "FREQ=WEEKLY;BYDAY=TH" and activity.category == "eten"
    # Jan (and Gerda, who proposed it) by mail; Kees, who only left a phone number, on the list.
    assert sorted(to for message in mail.outbox for to in message.to) == [
        "gerda@example.org",
        "jan@example.org",
    ]
    assert started.to_call == [services.ToCall("Kees", "0698765432")]
    approved.refresh_from_db()
    assert approved.status == Proposal.Status.DONE and approved.activity == activity
    assert approved.contact_forgotten_at and approved.first_name == approved.email == ""
    assert (
        list(approved.interests.values_list("first_name", "phone", "email")) == [("", "", "")] * 3
    )


def test_only_who_manages_the_place_starts_the_activity(approved, benring, professional):
    with pytest.raises(NotFound):
        services.start_activity(
            approved,
            acting_user=professional,  # decides region-wide, manages no place
            place=benring,
            title="Samen koken",
            description="",
            category="eten",
            first_date=date(2030, 3, 7),
            start_time=time(18, 0),
        )
    assert not Activity.objects.exists()
    approved.refresh_from_db()
    assert approved.status == Proposal.Status.APPROVED and approved.first_name == "Gerda"


def test_a_waiting_proposal_cannot_become_an_activity(waiting, benring, coordinator_benring):
    with pytest.raises(ValidationError):
        services.start_activity(
            waiting,
            acting_user=coordinator_benring,
            place=benring,
            title="Samen koken",
            description="",
            category="eten",
            first_date=date(2030, 3, 7),
            start_time=time(18, 0),
        )
    assert not Activity.objects.exists()


def test_open_proposals_expire_after_the_retention_period(benring, settings):
    settings.OMZIEN_PROPOSAL_STALE_MONTHS = 6
    with time_machine.travel("2030-01-10 12:00 +01:00"):
        old = factories.ProposalFactory(village=benring.village, places=[benring])
        factories.InterestFactory(proposal=old, first_name="Jan")
    with time_machine.travel("2030-06-01 12:00 +01:00"):
        recent = factories.ProposalFactory(village=benring.village, places=[benring])
    assert services.expire_stale(date(2030, 7, 9), acting_user=SYSTEM) == 0
    assert services.expire_stale(date(2030, 7, 11), acting_user=SYSTEM) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Proposal.Status.STALE and old.contact_forgotten_at
    assert old.first_name == "" and old.interests.get().first_name == ""
    assert recent.first_name and recent.closed_at is None
    assert AuditEvent.objects.filter(
        subject="retention", detail="expired proposals: personal data of 1 forgotten"
    ).exists()


def test_the_nightly_command_runs_the_proposals_retention_step(benring, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.OMZIEN_PROPOSAL_STALE_MONTHS = 6
    with time_machine.travel("2020-01-10 12:00 +01:00"):
        old = factories.ProposalFactory(village=benring.village, places=[benring])
    out = StringIO()
    call_command("forget_inactive_people", stdout=out)
    old.refresh_from_db()
    assert old.contact_forgotten_at is not None
    assert "1 voorgestelde activiteiten" in out.getvalue()
