"""Writes about proposed activities: proposing, approving or rejecting, "ik doe mee",
the coordinators' notice at the threshold, turning a proposal into an activity, closing.

Every function takes ``acting_user`` (the anonymous visitor of the public forms, a host
or coordinator, `permissions.SYSTEM` for the nightly run), asks ``accounts.permissions``
(`NotFound` for a proposal out of reach, as for one that does not exist), runs in a
transaction and writes the audit row. Refusals are `ValidationError`s with a Dutch
message and change nothing. Closing a proposal forgets its contact details and those of
who joined (``privacy.retention.forget_contact_data``), keeping the counts.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.agenda import services as agenda_services
from omzien.agenda.models import Activity
from omzien.agenda.models import Category as ActivityCategory
from omzien.agenda.recurrence import Repeat, RuleChoices, build_rule
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.choices import Day, PartOfDay
from omzien.core.dates import shift_months
from omzien.core.mail import counts_and_link, send_quietly, site_url
from omzien.core.personal_data import EMAIL_MAX_LENGTH
from omzien.places.models import Place, Village
from omzien.places.queries import nearest_places
from omzien.privacy.retention import forget_contact_data
from omzien.proposals.models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Interest, Proposal

Status = Proposal.Status
SUBJECT = "proposal"


def _clean_text(value: str, limit: int, label: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(
            _("Please keep “%(label)s” under %(count)d characters.")
            % {"label": label, "count": limit}
        )
    return value


def _only(values, choices) -> list[str]:
    values = set(values or ())
    unknown = sorted(values - set(choices.values))
    if unknown:
        raise ValidationError(_("Unknown choice: %(value)s.") % {"value": ", ".join(unknown)})
    return [value for value in choices.values if value in values]  # in the usual order


@dataclass
class Contact:
    """Who: a first name and how to reach them, kept only with the consent."""

    first_name: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False

    def clean(self) -> None:
        self.first_name = self.first_name.strip()[:100]
        self.phone, self.email = self.phone.strip()[:20], self.email.strip()
        if len(self.email) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                _("An e-mail address has at most %(count)d characters.")
                % {"count": EMAIL_MAX_LENGTH}
            )
        if not self.consent:  # nothing to reach them by is kept without the consent
            self.first_name = self.phone = self.email = ""

    @property
    def reachable(self) -> bool:
        return bool(self.phone or self.email)

    def fields(self) -> dict:
        return {
            "first_name": self.first_name,
            "phone": self.phone,
            "email": self.email,
            "consent_at": timezone.now() if self.consent else None,
        }


@dataclass
class Idea:
    """What is proposed (the form's cleaned data)."""

    title: str
    village: Village | None
    description: str = ""
    category: str = ActivityCategory.OTHER
    when: str = ""
    days: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    bring: str = ""

    def clean(self) -> None:
        if self.village is None:
            raise ValidationError(_("Choose the village the activity would be in."))
        self.title = _clean_text(self.title, TITLE_MAX_LENGTH, _("What"))
        if not self.title:
            raise ValidationError(_("Say in a few words what you would like to do."))
        self.description = _clean_text(self.description, TEXT_MAX_LENGTH, _("Tell us more"))
        self.bring = _clean_text(self.bring, TEXT_MAX_LENGTH, _("What would you bring?"))
        self.when = _clean_text(self.when, 200, _("When could it be?"))
        if self.category not in ActivityCategory.values:
            raise ValidationError(_("Choose one of the kinds of activity shown."))
        self.days = _only(self.days, Day)
        self.parts = _only(self.parts, PartOfDay)


def deciding_places(village: Village) -> list[Place]:
    """The meeting places whose coordinators decide about a proposal in ``village``: the
    nearest ``OMZIEN_PROPOSAL_NEAREST_PLACES`` active ones (its own first)."""
    return [near.place for near in nearest_places(village, settings.OMZIEN_PROPOSAL_NEAREST_PLACES)]


def _audit(acting_user, action, proposal: Proposal, detail: str = "") -> None:
    record(acting_user, action, SUBJECT, detail=f"#{proposal.pk} {detail}".strip())


def _locked(acting_user, proposal: Proposal) -> Proposal:
    """The proposal, locked for the change, if the user handles it; else `NotFound`."""
    found = permissions.proposals(acting_user).select_for_update().filter(pk=proposal.pk).first()
    if found is None:
        raise permissions.NotFound
    return found


# --- Proposing -------------------------------------------------------------------------------


@transaction.atomic
def propose(idea: Idea, contact: Contact, *, acting_user) -> Proposal:
    """A new proposal, waiting for a coordinator: from the public form (anyone), or
    written down for a resident by a host or coordinator. Without the consent no contact
    details are kept; from the public form a proposal needs them (who else would start it?)."""
    idea.clean()
    contact.clean()
    staff = permissions.is_active_user(acting_user)
    if staff and not permissions.may_record_proposal(acting_user):
        raise permissions.NotFound
    if not staff:
        if not contact.consent:
            raise ValidationError(
                _("Without your consent we cannot keep your idea. Tell it at a meeting place.")
            )
        if not contact.reachable:
            raise ValidationError(
                _("Give a phone number or an e-mail address, so we can reach you.")
            )
    places = deciding_places(idea.village)
    if not places:
        raise ValidationError(_("There is no meeting place yet to take up this idea."))
    proposal = Proposal.objects.create(
        title=idea.title,
        description=idea.description,
        category=idea.category,
        village=idea.village,
        when=idea.when,
        days=idea.days,
        parts=idea.parts,
        bring=idea.bring,
        source=Proposal.Source.STAFF if staff else Proposal.Source.WEB,
        created_by=permissions.as_recorder(acting_user),
        **contact.fields(),
    )
    proposal.places.set(places)
    _audit(acting_user, AuditEvent.Action.CREATE, proposal, proposal.source)
    return proposal


# --- Deciding ------------------------------------------------------------------------------------


def _require_waiting(proposal: Proposal) -> None:
    if proposal.status != Status.WAITING:
        raise ValidationError(
            _("This proposal is “%(status)s”: it has been decided already.")
            % {"status": proposal.get_status_display()}
        )


@transaction.atomic
def approve(proposal: Proposal, *, acting_user) -> Proposal:
    """On the public board, where others can say "ik doe mee"."""
    proposal = _locked(acting_user, proposal)
    _require_waiting(proposal)
    proposal.status = Status.APPROVED
    proposal.decided_at, proposal.decided_by = timezone.now(), permissions.as_recorder(acting_user)
    proposal.save(update_fields=["status", "decided_at", "decided_by"])
    _audit(acting_user, AuditEvent.Action.CHANGE, proposal, "approved")
    return proposal


@transaction.atomic
def reject(proposal: Proposal, reason: str, *, acting_user) -> Proposal:
    """Not on the board, with the reason (for the coordinator who tells the proposer); the
    proposal closes and forgets its contact details, reason included."""
    proposal = _locked(acting_user, proposal)
    _require_waiting(proposal)
    reason = (reason or "").strip()[:300]
    if not reason:
        raise ValidationError(_("Say why, so the proposer can be told."))
    proposal.status, proposal.reject_reason = Status.REJECTED, reason
    proposal.decided_at, proposal.decided_by = timezone.now(), permissions.as_recorder(acting_user)
    proposal.save(update_fields=["status", "reject_reason", "decided_at", "decided_by"])
    _audit(acting_user, AuditEvent.Action.CHANGE, proposal, "rejected")
    if proposal.email:
        with translation.override(settings.LANGUAGE_CODE):
            message = _rejected_message(proposal)
        transaction.on_commit(lambda: send_quietly([message]))
    _close(proposal, acting_user)
    return proposal


def _rejected_message(proposal: Proposal) -> mail.EmailMessage:
    body = "\n".join(
        [
            _("Thank you for your idea “%(title)s”. It will not be put on the board, because:")
            % {"title": proposal.title},
            "",
            proposal.reject_reason,
            "",
            _("Questions? Ask at your meeting place."),
        ]
    )
    return mail.EmailMessage(
        _("Omzien: about your idea for an activity"), body + "\n", to=[proposal.email]
    )


def _close(proposal: Proposal, acting_user) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(closed_at=timezone.now())
    forget_contact_data(
        Proposal.objects.filter(pk=proposal.pk),
        acting_user=acting_user,
        what="proposals",
        along=lambda pks: [Interest.objects.filter(proposal__in=pks)],
    )
    proposal.refresh_from_db()


# --- "Ik doe mee" ----------------------------------------------------------------------------


def board_proposal(proposal_id) -> Proposal:
    """An approved, open proposal, for anyone; `NotFound` for any other (not yet
    approved, rejected, closed, or no such id: one answer)."""
    return permissions.one_of(Proposal.objects.on_board().select_related("village"), proposal_id)


@transaction.atomic
def join(proposal: Proposal, contact: Contact, *, acting_user) -> Interest:
    """Someone would join: with a first name and how to reach them (with the consent), or
    only counted. At the region's threshold the coordinators hear of it, once."""
    contact.clean()
    proposal = Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if proposal is None or proposal.status != Status.APPROVED or proposal.is_closed:
        raise permissions.NotFound
    interest = Interest.objects.create(proposal=proposal, **contact.fields())
    _audit(acting_user, AuditEvent.Action.CREATE, proposal, "interest")
    threshold = proposal.village.region.proposal_threshold
    if proposal.threshold_mailed_at is None and proposal.interests.count() >= threshold:
        # Marked in the same transaction as the row that reached it, on the locked
        # proposal: two people joining at once send one mail.
        proposal.threshold_mailed_at = timezone.now()
        proposal.save(update_fields=["threshold_mailed_at"])
        transaction.on_commit(lambda: mail_threshold(proposal))
    return interest


@dataclass(frozen=True)
class InterestCounts:
    total: int
    reachable: int  # with a phone number or an e-mail address

    @property
    def counted_only(self) -> int:
        return self.total - self.reachable


def interest_counts(proposal: Proposal) -> InterestCounts:
    interests = proposal.interests.all()
    reachable = interests.exclude(phone="", email="").count()
    return InterestCounts(total=interests.count(), reachable=reachable)


def threshold_message(proposal: Proposal) -> tuple[str, str]:
    """Subject and body of the notice: how many, the village and the link, never a name
    and never the proposal's own words (a resident may have written a name in them)."""
    counts = interest_counts(proposal)
    subject = ngettext(
        "Omzien: %(count)d person wants to join a proposed activity in %(village)s",
        "Omzien: %(count)d people want to join a proposed activity in %(village)s",
        counts.total,
    ) % {"count": counts.total, "village": proposal.village.name}
    lead = _(
        "A proposed activity on the board reached %(threshold)d interested people. "
        "It can become an activity at your meeting place."
    ) % {"threshold": proposal.village.region.proposal_threshold}
    body = counts_and_link(
        lead,
        [
            (_("with a way to reach them"), counts.reachable),
            (_("only counted"), counts.counted_only),
        ],
        _("What it is, and who would join, is on the proposal's page:"),
        site_url("proposals:detail", proposal.pk),
    )
    return subject, body


def mail_threshold(proposal: Proposal) -> int:
    """The notice to the coordinators of the proposal's places who have an address."""
    place_ids = list(proposal.places.values_list("pk", flat=True))
    addresses = [
        user.email.strip()
        for user in permissions.proposal_coordinators(place_ids)
        if user.email.strip()
    ]
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = threshold_message(proposal)
    sent, failed = send_quietly(mail.EmailMessage(subject, body, to=[to]) for to in addresses)
    record(
        None,
        AuditEvent.Action.CREATE,
        "proposal (interest mail)",
        detail=f"#{proposal.pk}: {sent} coordinators mailed, {failed} failed",
    )
    return sent


# --- Becoming an activity ------------------------------------------------------------------


@dataclass(frozen=True)
class ToCall:
    first_name: str
    phone: str


@dataclass
class Started:
    """What turning a proposal into an activity did, for the page the coordinator sees
    once: the activity, how many were mailed, and who to call (not kept afterwards)."""

    activity: Activity
    mailed: int = 0
    to_call: list[ToCall] = field(default_factory=list)


def activity_places(acting_user):
    """Where the user may start an activity: the active places they manage."""
    return permissions.places_for_user(acting_user, Capability.MANAGE_PLACE).filter(is_active=True)


@transaction.atomic
def start_activity(
    proposal: Proposal,
    *,
    acting_user,
    place: Place,
    title: str,
    description: str,
    category: str,
    first_date: date,
    start_time: time,
    duration: timedelta = timedelta(hours=2),
    weekly: bool = False,
) -> Started:
    """The proposal becomes an activity at ``place`` (through the agenda's own service,
    which asks whether the user manages the place). Those who joined with an e-mail
    address get a mail; those with a phone number only are on the returned call list.
    Then the proposal closes and forgets every contact detail."""
    proposal = _locked(acting_user, proposal)
    if proposal.status != Status.APPROVED or proposal.is_closed:
        raise ValidationError(_("Only a proposal on the board can become an activity."))
    repeat = (
        RuleChoices(Repeat.WEEKLY, (first_date.weekday(),)) if weekly else RuleChoices(Repeat.ONCE)
    )
    activity = Activity(
        place=place,
        title=title.strip()[:150],
        slug=_free_slug(place, title),
        description=description.strip(),
        category=category,
        first_date=first_date,
        start_time=start_time,
        duration=duration,
        rrule=build_rule(repeat),
    )
    agenda_services.save_activity(activity, acting_user=acting_user)
    interests = list(proposal.interests.all())
    started = Started(activity=activity)
    started.to_call = [
        ToCall(interest.first_name, interest.phone)
        for interest in interests
        if interest.phone and not interest.email
    ]
    addresses = [interest.email for interest in interests if interest.email]
    if proposal.email:
        addresses.append(proposal.email)
    elif proposal.phone:
        started.to_call.insert(0, ToCall(proposal.first_name, proposal.phone))
    with translation.override(settings.LANGUAGE_CODE):
        messages = [_activity_message(activity, to) for to in addresses]
    transaction.on_commit(lambda: send_quietly(messages))
    started.mailed = len(messages)
    proposal.status, proposal.activity = Status.DONE, activity
    proposal.save(update_fields=["status", "activity"])
    _audit(
        acting_user,
        AuditEvent.Action.CHANGE,
        proposal,
        f"became activity #{activity.pk}: {len(messages)} mailed, {len(started.to_call)} to call",
    )
    _close(proposal, acting_user)
    return started


def _free_slug(place: Place, title: str) -> str:
    base = slugify(title)[:40] or "activiteit"
    taken = set(Activity.objects.filter(place=place).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _activity_message(activity: Activity, to: str) -> mail.EmailMessage:
    body = "\n".join(
        [
            _("The activity you wanted to join is going to happen: %(title)s, at %(place)s.")
            % {"title": activity.title, "place": activity.place.name},
            "",
            _("The dates and times are in the agenda:"),
            settings.OMZIEN_SITE_URL + activity.get_absolute_url(),
            "",
            _("Questions? Ask at the meeting place."),
        ]
    )
    return mail.EmailMessage(_("Omzien: your idea becomes an activity"), body + "\n", to=[to])


# --- Expiring --------------------------------------------------------------------------------


def stale_cutoff(today: date | None = None) -> datetime:
    today = today or timezone.localdate()
    day = shift_months(today, -settings.OMZIEN_PROPOSAL_STALE_MONTHS)
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def expire_stale(today: date | None = None, *, acting_user) -> int:
    """Open proposals made before the cutoff expire: closed, contact details forgotten
    (theirs and their interest's). Returns how many."""
    stale = Proposal.objects.open().filter(created_at__lt=stale_cutoff(today))
    pks = list(stale.values_list("pk", flat=True))
    if not pks:
        return 0
    with transaction.atomic():
        Proposal.objects.filter(pk__in=pks).update(status=Status.STALE, closed_at=timezone.now())
        forget_contact_data(
            Proposal.objects.filter(pk__in=pks),
            acting_user=acting_user,
            what="expired proposals",
            along=lambda ids: [Interest.objects.filter(proposal__in=ids)],
        )
    return len(pks)
