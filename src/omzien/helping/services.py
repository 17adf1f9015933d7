"""Writes about help: asking, offering, proposing and connecting, closing, "Hoe ging het?".

Every function takes ``acting_user`` (the anonymous visitor of the public forms, a host,
a coordinator, `permissions.SYSTEM` for commands), checks their rights with
``accounts.permissions`` (`NotFound` for a request out of reach, as for one that does not
exist), runs in a transaction and writes the audit row. A request moves only along
`TRANSITIONS`; each move is a `HelpEvent` with who and when. Refusals are
`ValidationError`s with a Dutch message (through gettext) and change nothing.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.mail import counts_and_link, send_quietly, site_url
from omzien.helping.models import (
    DESCRIPTION_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    Category,
    Day,
    HelpEvent,
    HelpFeedback,
    HelpMatch,
    HelpOffer,
    HelpRequest,
    PartOfDay,
    Urgency,
)
from omzien.helping.transport import Destination, day_in_reach
from omzien.people import services as people_services
from omzien.people.models import Person, Purpose
from omzien.places.models import Place, Village
from omzien.places.queries import nearest_places
from omzien.signals.models import Signal
from omzien.signals.notifications import professionals

Status = HelpRequest.Status

# Where a request may go from each state; closed states go nowhere.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.PROPOSED, Status.NO_MATCH, Status.CANCELLED},
    Status.NO_MATCH: {Status.PROPOSED, Status.CANCELLED},
    Status.PROPOSED: {Status.CONNECTED, Status.NEW, Status.NO_MATCH, Status.CANCELLED},
    Status.CONNECTED: {Status.DONE, Status.CANCELLED},
    Status.DONE: set(),
    Status.CANCELLED: set(),
}
CLOSING = {Status.DONE, Status.CANCELLED}


@dataclass
class Details:
    """What a request or an offer is about (the forms' cleaned data)."""

    village: Village
    categories: list[str]
    first_name: str = ""
    description: str = ""
    days: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    phone: str = ""
    email: str = ""
    # The asker agreed to keeping the contact details for help (the consent question).
    consent: bool = False

    def clean(self) -> None:
        if self.village is None:
            raise ValidationError(_("Choose the village the help is for."))
        self.categories = _only(self.categories, Category, _("Choose what the help is about."))
        self.days = _only(self.days, Day)
        self.parts = _only(self.parts, PartOfDay)
        self.first_name = self.first_name.strip()[:100]
        self.description = self.description.strip()
        if len(self.description) > DESCRIPTION_MAX_LENGTH:
            raise ValidationError(
                _("Please keep the description under %(count)d characters.")
                % {"count": DESCRIPTION_MAX_LENGTH}
            )
        self.phone, self.email = self.phone.strip(), self.email.strip()
        if len(self.email) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                _("An e-mail address has at most %(count)d characters.")
                % {"count": EMAIL_MAX_LENGTH}
            )
        if not self.consent:  # nothing to reach them by is kept without the consent
            self.phone = self.email = ""


def _only(values, choices, empty_message: str | None = None) -> list[str]:
    values = list(dict.fromkeys(values or ()))
    unknown = [value for value in values if value not in choices.values]
    if unknown:
        raise ValidationError(_("Unknown choice: %(value)s.") % {"value": ", ".join(unknown)})
    if not values and empty_message:
        raise ValidationError(empty_message)
    return [value for value in choices.values if value in values]  # in the usual order


def handling_place(village: Village) -> Place | None:
    """The meeting place that handles help asked in a village: the nearest one."""
    nearby = nearest_places(village, count=1)
    return nearby[0].place if nearby else None


def door_place(acting_user, person: Person, place: Place | None = None) -> Place:
    """Where a request or offer recorded for ``person`` belongs: the given place, else the
    place they registered at, else one they visited; one where the user may record help
    for someone whose name they may see. `NotFound` otherwise."""
    if not permissions.may_see_person(acting_user, person):
        raise permissions.NotFound
    candidates = [place] if place is not None else [person.registered_place]
    if place is None:
        candidates += list(
            Place.objects.filter(activities__sessions__visits__person=person)
            .distinct()
            .order_by("name")
        )
    for candidate in candidates:
        if candidate is not None and permissions.may_record_help(acting_user, candidate):
            return candidate
    raise permissions.NotFound


def _audit(acting_user, action, subject, obj, detail: str = ""):
    record(acting_user, action, subject, person=obj.person, detail=f"#{obj.pk} {detail}".strip())


def _event(help_request: HelpRequest, from_status: str, acting_user, note: str = "") -> None:
    HelpEvent.objects.create(
        request=help_request,
        from_status=from_status,
        to_status=help_request.status,
        by=permissions.as_recorder(acting_user),
        at=timezone.now(),
        note=note[:300],
    )


def _move(help_request: HelpRequest, to_status: str, acting_user, note: str = "") -> None:
    """Change the state along `TRANSITIONS`, with its event; a closing state closes it."""
    from_status = help_request.status
    if to_status not in TRANSITIONS[from_status]:
        raise ValidationError(
            _("A request that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    help_request.status = to_status
    help_request.closed_at = timezone.now() if to_status in CLOSING else None
    help_request.save(update_fields=["status", "closed_at"])
    _event(help_request, from_status, acting_user, note)


def _coordinated(acting_user, help_request: HelpRequest) -> HelpRequest:
    """The request, locked for the change, if the user coordinates it; else `NotFound`."""
    locked = permissions.help_requests(acting_user).select_for_update().filter(pk=help_request.pk)
    found = locked.first()
    if found is None:
        raise permissions.NotFound
    return found


# --- Asking and offering ---------------------------------------------------------------------


# A form sent twice (a double tap, a reload) notes the same request or offer once: the same
# person and the same categories within this time is the one already noted.
REPEAT_WINDOW = timedelta(minutes=10)


def _just_noted(entries, person: Person, details: Details):
    since = timezone.now() - REPEAT_WINDOW
    recent = entries.select_for_update().filter(person=person, created_at__gte=since)
    return next(
        (entry for entry in recent if sorted(entry.categories) == sorted(details.categories)),
        None,
    )


@transaction.atomic
def ask(
    details: Details,
    *,
    acting_user,
    urgency: str = Urgency.NO_HURRY,
    for_someone_else: bool = False,
    asked_by_name: str = "",
    person: Person | None = None,
    signal: Signal | None = None,
    place: Place | None = None,
    wanted_on: date | None = None,
) -> HelpRequest:
    """A new request: from the public form (anyone; nobody's name attached), on someone's
    behalf at the door (``person``; their host), or from a signal (``signal``; who follows
    it up). Without the consent for `help` no contact details are kept."""
    details.clean()
    if urgency not in Urgency.values:
        raise ValidationError(_("Choose how soon the help is needed."))
    if signal is not None:
        if not permissions.may_follow_up(acting_user, signal):
            raise permissions.NotFound
        person, place, source = signal.person, signal.place, HelpRequest.Source.SIGNAL
    elif person is not None:
        place = door_place(acting_user, person, place)
        source = HelpRequest.Source.DOOR
    else:
        place, source = handling_place(details.village), HelpRequest.Source.WEB
        if not details.consent:
            raise ValidationError(
                _(
                    "Without your consent we cannot keep your request. "
                    "Ask at a meeting place instead."
                )
            )
        if not (details.phone or details.email):
            raise ValidationError(
                _("Give a phone number or an e-mail address, so we can reach you.")
            )
    if person is not None:
        repeated = _just_noted(HelpRequest.objects.filter(status=Status.NEW), person, details)
        if repeated is not None:
            return repeated
    if person is not None and details.consent:
        people_services.record_consent(
            person, Purpose.HELP, True, acting_user=acting_user, source="help"
        )
    help_request = HelpRequest.objects.create(
        person=person,
        first_name=details.first_name or (person.first_name if person else ""),
        village=details.village,
        place=place,
        categories=details.categories,
        description=details.description,
        urgency=urgency,
        wanted_on=wanted_on,
        days=details.days,
        parts=details.parts,
        phone=details.phone,
        email=details.email,
        consent_at=timezone.now() if details.consent else None,
        for_someone_else=for_someone_else,
        asked_by_name=asked_by_name.strip()[:100] if for_someone_else else "",
        source=source,
        signal=signal,
        created_by=permissions.as_recorder(acting_user),
    )
    _event(help_request, "", acting_user, note=help_request.get_source_display())
    _audit(acting_user, AuditEvent.Action.CREATE, "help request", help_request, source)
    return help_request


def urgency_for(day: date, today: date | None = None) -> str:
    """How soon help for a given day is needed."""
    days_ahead = (day - (today or timezone.localdate())).days
    if days_ahead < 7:
        return Urgency.THIS_WEEK
    return Urgency.THIS_MONTH if days_ahead <= 31 else Urgency.NO_HURRY


def ask_for_transport(
    details: Details, destination: Destination, *, acting_user, note: str = ""
) -> HelpRequest:
    """ "Ik wil mee maar heb geen vervoer": a public request for a lift to the destination,
    handled like any request from the website (by the place nearest to the resident's
    village), with the destination in words and the resident's ``note`` below it."""
    if destination.place is None or destination.day is None:
        raise ValidationError(_("Choose where and when you want to go."))
    if not day_in_reach(destination.day):
        raise ValidationError(_("Choose a day from today on."))
    details.categories = [Category.TRANSPORT]
    details.description = "\n".join(filter(None, [destination.description(), note.strip()]))
    details.days = [destination.weekday()]
    details.parts = destination.part_of_day()
    return ask(
        details,
        acting_user=acting_user,
        urgency=urgency_for(destination.day),
        wanted_on=destination.day,
    )


@transaction.atomic
def offer(
    details: Details,
    *,
    acting_user,
    villages=(),
    max_km: int | None = None,
    max_per_month: int | None = None,
    has_car: bool = False,
    person: Person | None = None,
    for_request: HelpRequest | None = None,
    place: Place | None = None,
) -> HelpOffer:
    """A new offer: from the public form or the notice board (``for_request``), or
    recorded by a host at the door for ``person``."""
    details.clean()
    if person is not None:
        place = door_place(acting_user, person, place)
        source = HelpRequest.Source.DOOR
        repeated = _just_noted(HelpOffer.objects.filter(active=True), person, details)
        if repeated is not None:
            return repeated
        if details.consent:
            people_services.record_consent(
                person, Purpose.HELP, True, acting_user=acting_user, source="help"
            )
    else:
        source = HelpRequest.Source.WEB
        if for_request is not None:
            place = for_request.place
        place = place or handling_place(details.village)
        if not details.consent:
            raise ValidationError(_("Without your consent we cannot keep your offer."))
        if not (details.phone or details.email):
            raise ValidationError(
                _("Give a phone number or an e-mail address, so we can reach you.")
            )
    for limit in (max_km, max_per_month):
        if limit is not None and not 0 < limit <= 500:
            raise ValidationError(_("Choose a number from 1 to 500."))
    help_offer = HelpOffer.objects.create(
        person=person,
        first_name=details.first_name or (person.first_name if person else ""),
        village=details.village,
        place=place,
        categories=details.categories,
        description=details.description,
        days=details.days,
        parts=details.parts,
        max_km=max_km,
        max_per_month=max_per_month,
        has_car=has_car,
        phone=details.phone,
        email=details.email,
        consent_at=timezone.now() if details.consent else None,
        for_request=for_request,
        source=source,
        created_by=permissions.as_recorder(acting_user),
    )
    help_offer.villages.set(villages)
    _audit(acting_user, AuditEvent.Action.CREATE, "help offer", help_offer, source)
    if for_request is not None:
        transaction.on_commit(lambda: notify_board_offer(for_request))
    return help_offer


# --- Proposing and connecting ------------------------------------------------------------------


@transaction.atomic
def propose(
    help_request: HelpRequest,
    help_offer: HelpOffer,
    *,
    acting_user,
    score: float = 0.0,
    distance_km: float | None = None,
    reasons=(),
) -> HelpMatch:
    """Propose a helper: from a suggestion (its score, distance and reasons) or by hand."""
    help_request = _coordinated(acting_user, help_request)
    if not permissions.help_offers(acting_user).filter(pk=help_offer.pk, active=True).exists():
        raise permissions.NotFound
    if help_request.matches.filter(
        offer=help_offer, status__in=[HelpMatch.Status.PROPOSED, HelpMatch.Status.CONFIRMED]
    ).exists():
        raise ValidationError(_("This helper has already been proposed for this request."))
    if help_request.status not in (Status.PROPOSED,):
        _move(help_request, Status.PROPOSED, acting_user, note=help_offer.first_name)
    match = HelpMatch.objects.create(
        request=help_request,
        offer=help_offer,
        score=score,
        distance_km=distance_km,
        reasons=list(reasons),
        proposed_by=permissions.as_recorder(acting_user),
    )
    _audit(
        acting_user,
        AuditEvent.Action.CREATE,
        "help proposal",
        help_request,
        f"offer #{help_offer.pk}",
    )
    # A coordinator's proposal goes to a helper with an address at once; the batch
    # matching's (``omzien match --save``, nobody) waits until a coordinator looked at it.
    if help_offer.email and match.proposed_by_id is not None:
        transaction.on_commit(lambda: mail_proposal(match))
    return match


def _locked_match(acting_user, match: HelpMatch) -> tuple[HelpMatch, HelpRequest]:
    help_request = _coordinated(acting_user, match.request)
    match = HelpMatch.objects.select_for_update().select_related("offer").get(pk=match.pk)
    return match, help_request


def _decide(match: HelpMatch, status: str, acting_user) -> None:
    match.status = status
    match.decided_by = permissions.as_recorder(acting_user)
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def confirm(match: HelpMatch, *, acting_user) -> HelpMatch:
    """Both sides agreed: the request is connected to this helper, other proposals end.
    Both get each other's contact details by e-mail when they have an address."""
    match, help_request = _locked_match(acting_user, match)
    if match.status != HelpMatch.Status.PROPOSED:
        raise ValidationError(_("Only a proposal that is still open can be confirmed."))
    _move(help_request, Status.CONNECTED, acting_user, note=match.offer.first_name)
    _decide(match, HelpMatch.Status.CONFIRMED, acting_user)
    for other in help_request.matches.filter(status=HelpMatch.Status.PROPOSED).exclude(pk=match.pk):
        _decide(other, HelpMatch.Status.DECLINED, acting_user)
    _audit(acting_user, AuditEvent.Action.CHANGE, "help proposal", help_request, "confirmed")
    transaction.on_commit(lambda: mail_connected(match))
    return match


@transaction.atomic
def decline(match: HelpMatch, *, acting_user, note: str = "") -> HelpMatch:
    """One side said no: the proposal ends; without other proposals the request is new again."""
    match, help_request = _locked_match(acting_user, match)
    if match.status != HelpMatch.Status.PROPOSED:
        raise ValidationError(_("Only a proposal that is still open can be declined."))
    _decide(match, HelpMatch.Status.DECLINED, acting_user)
    if not help_request.matches.filter(status=HelpMatch.Status.PROPOSED).exists():
        _move(help_request, Status.NEW, acting_user, note=note or _("proposal declined"))
    _audit(acting_user, AuditEvent.Action.CHANGE, "help proposal", help_request, "declined")
    return match


@transaction.atomic
def change_proposal(match: HelpMatch, help_offer: HelpOffer, *, acting_user) -> HelpMatch:
    """Another helper instead: the proposal ends and the other helper is proposed."""
    match, help_request = _locked_match(acting_user, match)
    if match.status != HelpMatch.Status.PROPOSED:
        raise ValidationError(_("Only a proposal that is still open can be changed."))
    if help_offer.pk == match.offer_id:
        raise ValidationError(_("This helper has already been proposed for this request."))
    _decide(match, HelpMatch.Status.DECLINED, acting_user)
    return propose(help_request, help_offer, acting_user=acting_user)


# --- Closing ---------------------------------------------------------------------------------


@transaction.atomic
def complete(help_request: HelpRequest, *, acting_user, note: str = "") -> HelpRequest:
    """The help was given; "Hoe ging het?" can now be asked of both sides."""
    help_request = _coordinated(acting_user, help_request)
    _move(help_request, Status.DONE, acting_user, note)
    help_request.matches.filter(status=HelpMatch.Status.CONFIRMED).update(
        status=HelpMatch.Status.DONE
    )
    transaction.on_commit(lambda: mail_how_did_it_go(help_request))
    _audit(acting_user, AuditEvent.Action.CHANGE, "help request", help_request, "done")
    return help_request


@transaction.atomic
def cancel(help_request: HelpRequest, *, acting_user, note: str = "") -> HelpRequest:
    help_request = _coordinated(acting_user, help_request)
    _move(help_request, Status.CANCELLED, acting_user, note)
    for match in help_request.matches.filter(status=HelpMatch.Status.PROPOSED):
        _decide(match, HelpMatch.Status.DECLINED, acting_user)
    help_request.on_board = False
    help_request.save(update_fields=["on_board"])
    _audit(acting_user, AuditEvent.Action.CHANGE, "help request", help_request, "cancelled")
    return help_request


@transaction.atomic
def no_match(help_request: HelpRequest, *, acting_user, note: str = "") -> HelpRequest:
    """Nobody found for now; the request stays open for the matching."""
    help_request = _coordinated(acting_user, help_request)
    for match in help_request.matches.filter(status=HelpMatch.Status.PROPOSED):
        _decide(match, HelpMatch.Status.DECLINED, acting_user)
    _move(help_request, Status.NO_MATCH, acting_user, note)
    _audit(acting_user, AuditEvent.Action.CHANGE, "help request", help_request, "no match")
    return help_request


@transaction.atomic
def set_on_board(help_request: HelpRequest, on_board: bool, *, acting_user) -> HelpRequest:
    """A coordinator approves a request for the public notice board, or takes it off."""
    help_request = _coordinated(acting_user, help_request)
    if on_board and help_request.status not in (Status.NEW, Status.NO_MATCH):
        raise ValidationError(
            _("Only a request that still waits for a helper can go on the board.")
        )
    help_request.on_board = on_board
    help_request.save(update_fields=["on_board"])
    _audit(
        acting_user,
        AuditEvent.Action.CHANGE,
        "help request",
        help_request,
        "on the board" if on_board else "off the board",
    )
    return help_request


@transaction.atomic
def set_offer_active(help_offer: HelpOffer, active: bool, *, acting_user) -> HelpOffer:
    """A helper stops for a while, or starts again: only active offers are proposed."""
    found = (
        permissions.help_offers(acting_user).select_for_update().filter(pk=help_offer.pk).first()
    )
    if found is None:
        raise permissions.NotFound
    found.active = active
    found.save(update_fields=["active"])
    _audit(acting_user, AuditEvent.Action.CHANGE, "help offer", found, "on" if active else "paused")
    return found


def may_record_feedback(user, help_request: HelpRequest) -> bool:
    """Who coordinates the request, or hosts its place (the answer often comes at the door)."""
    return permissions.help_requests(user).filter(pk=help_request.pk).exists() or (
        help_request.place_id is not None
        and permissions.can(user, Capability.DOOR, help_request.place_id)
    )


@transaction.atomic
def record_feedback(
    help_request: HelpRequest, side: str, answer: str, *, acting_user, note: str = ""
) -> HelpFeedback:
    """ "Hoe ging het?": one side's answer after the help was given (a later answer of the
    same side replaces it)."""
    if not may_record_feedback(acting_user, help_request):
        raise permissions.NotFound
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if help_request.status != Status.DONE:
        raise ValidationError(_("“How did it go?” can be asked once the help has been given."))
    if side not in HelpFeedback.Side.values or answer not in HelpFeedback.Answer.values:
        raise ValidationError(_("Choose an answer."))
    feedback, _created = HelpFeedback.objects.update_or_create(
        request=help_request,
        side=side,
        defaults={
            "answer": answer,
            "note": note.strip()[:500],
            "recorded_by": permissions.as_recorder(acting_user),
            "at": timezone.now(),
        },
    )
    _audit(
        acting_user, AuditEvent.Action.CREATE, "help feedback", help_request, f"{side}: {answer}"
    )
    return feedback


# --- Mail ------------------------------------------------------------------------------------


def _contact_lines(first_name: str, phone: str, email: str) -> list[str]:
    lines = [first_name or _("(no first name)")]
    if phone:
        lines.append(_("Phone: %(phone)s") % {"phone": phone})
    if email:
        lines.append(_("E-mail: %(email)s") % {"email": email})
    return lines


def connected_messages(match: HelpMatch) -> list[mail.EmailMessage]:
    """To each side with an e-mail address: who the other is and how to reach them."""
    help_request, help_offer = match.request, match.offer
    subject = _("Omzien: you have been connected")
    messages = []
    sides = (
        (help_request.email, help_offer.first_name, help_offer.phone, help_offer.email),
        (help_offer.email, help_request.first_name, help_request.phone, help_request.email),
    )
    for to, first_name, phone, email in sides:
        if not to:
            continue
        body = "\n".join(
            [
                _("Both of you agreed to help each other. This is how to reach the other:"),
                "",
                *_contact_lines(first_name, phone, email),
                "",
                _("Questions? Ask at your meeting place."),
            ]
        )
        messages.append(mail.EmailMessage(subject, body + "\n", to=[to]))
    return messages


def proposal_message(match: HelpMatch) -> mail.EmailMessage:
    """To the helper: what, where and a first name (all a helper hears before both agree)."""
    help_request = match.request
    told = _("%(name)s in %(village)s would like help with: %(what)s.") % {
        "name": help_request.first_name or _("someone"),
        "village": help_request.village.name,
        "what": ", ".join(help_request.category_labels()),
    }
    body = "\n".join(
        [
            told,
            "",
            _("Would you like to? The coordinator will then put you in touch."),
            _("Reply to the coordinator of your meeting place, or tell them at the door."),
        ]
    )
    return mail.EmailMessage(
        _("Omzien: could you help someone?"), body + "\n", to=[match.offer.email]
    )


def mail_proposal(match: HelpMatch) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        message = proposal_message(match)
    sent, _failed = send_quietly([message])
    record(
        None, AuditEvent.Action.CREATE, "help (proposal mail)", detail=f"#{match.pk}: {sent} sent"
    )
    return sent


def mail_how_did_it_go(help_request: HelpRequest) -> int:
    """After the help: "Hoe ging het?" to each side with an e-mail address (a host or the
    coordinator notes the answer; nobody answers by replying to a machine)."""
    helpers = HelpOffer.objects.filter(
        matches__request=help_request, matches__status=HelpMatch.Status.DONE
    ).exclude(email="")
    addresses = [help_request.email] if help_request.email else []
    addresses += [helper.email for helper in helpers]
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            mail.EmailMessage(
                _("Omzien: how did it go?"),
                _(
                    "The help has been given. How did it go? Tell the coordinator of your "
                    "meeting place, or the host at the door: good, fair or not good."
                )
                + "\n",
                to=[address],
            )
            for address in addresses
        ]
    if not messages:
        return 0
    sent, _failed = send_quietly(messages)
    return sent


def mail_connected(match: HelpMatch) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        messages = connected_messages(match)
    if not messages:
        return 0
    sent, _failed = send_quietly(messages)
    record(
        None, AuditEvent.Action.CREATE, "help (connected mail)", detail=f"#{match.pk}: {sent} sent"
    )
    return sent


def notify_board_offer(help_request: HelpRequest) -> int:
    """ "Ik help graag" on the board: the coordinators of the request's place hear that
    someone offered, with a link (no names: those are behind the log-in)."""
    coordinators = [
        user
        for user in _help_coordinators()
        if permissions.can(user, Capability.HELP, help_request.place_id) and user.email.strip()
    ]
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            mail.EmailMessage(
                _("Omzien: someone offers help from the notice board"),
                _("Someone offered to help with a request on the notice board. See:")
                + "\n"
                + site_url("helping:request", help_request.pk)
                + "\n",
                to=[user.email.strip()],
            )
            for user in coordinators
            if help_request.place_id is not None
        ]
    if not messages:
        return 0
    sent, _failed = send_quietly(messages)
    return sent


def _help_coordinators():
    return get_user_model().objects.filter(is_active=True, memberships__isnull=False).distinct()


# --- Escalation ------------------------------------------------------------------------------


def escalate_after_hours() -> int:
    return settings.OMZIEN_HELP_ESCALATE_HOURS


@transaction.atomic
def escalate_waiting(*, acting_user, now: datetime | None = None) -> Counter:
    """Requests without a helper ``OMZIEN_HELP_ESCALATE_HOURS`` after they were asked go to
    the professionals: marked once (``escalated_at``), mailed as counts per place."""
    now = now or timezone.now()
    permissions.require(acting_user, Capability.HELP)
    waiting = permissions.help_requests(acting_user).filter(
        status__in=[Status.NEW, Status.NO_MATCH],
        closed_at__isnull=True,
        escalated_at__isnull=True,
        created_at__lte=now - timedelta(hours=escalate_after_hours()),
    )
    per_place = Counter(waiting.values_list("place_id", flat=True))
    waiting.update(escalated_at=now)
    if per_place:
        transaction.on_commit(lambda: mail_escalation(per_place))
    return per_place


def escalation_message(per_place: list[tuple[str, int]], hours: int) -> tuple[str, str]:
    """Subject and body: counts per place and the link, never a person."""
    total = sum(count for _name, count in per_place)
    subject = ngettext(
        "Omzien: %(count)d help request waits for a helper",
        "Omzien: %(count)d help requests wait for a helper",
        total,
    ) % {"count": total}
    lead = ngettext(
        "%(count)d help request found no helper within %(hours)d hours.",
        "%(count)d help requests found no helper within %(hours)d hours.",
        total,
    ) % {"count": total, "hours": hours}
    body = counts_and_link(
        lead,
        per_place,
        _("Who asked, and what for, is on the help page:"),
        site_url("helping:manage"),
    )
    return subject, body


def mail_escalation(per_place: Counter) -> int:
    names = dict(
        Place.objects.filter(pk__in=[pk for pk in per_place if pk]).values_list("pk", "name")
    )
    no_place = _("no meeting place yet")
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in professionals():
            if not user.email.strip():
                continue
            mine = sorted(
                (names.get(place_id, str(no_place)), count)
                for place_id, count in per_place.items()
                if permissions.can(user, Capability.HELP, place_id)
            )
            if mine:
                subject, body = escalation_message(mine, escalate_after_hours())
                messages.append(mail.EmailMessage(subject, body, to=[user.email.strip()]))
    sent, failed = send_quietly(messages) if messages else (0, 0)
    record(
        None,
        AuditEvent.Action.CREATE,
        "help (escalation mail)",
        detail=(
            f"{sum(per_place.values())} waiting requests: "
            f"{sent} professionals mailed, {failed} failed"
        ),
    )
    return sent
