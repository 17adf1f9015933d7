"""Writes about visits between places: inviting, cancelling, answering, writing down how
the visit went and what a visiting place wants to try.

Every function takes ``acting_user``, asks ``accounts.permissions`` (`NotFound` for a
place or invitation out of reach, as for one that does not exist), runs in a transaction
and writes the audit row. Refusals are `ValidationError`s with a Dutch message and change
nothing. Saving an invitation starts a new generation of the public pages
(``VisitingConfig.ready``), so the calendar of open days and the place pages show it at once.
"""

from dataclasses import dataclass, field
from datetime import date, time

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.agenda.models import Activity
from omzien.agenda.queries import agenda_range
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.mail import send_quietly, site_url
from omzien.places.models import Place, Village
from omzien.visiting.models import (
    MAX_VISITORS,
    NAMES_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Invitation,
    InvitedPlace,
)

SUBJECT = "invitation"
Kind = Invitation.Kind


def _audit(acting_user, action, invitation: Invitation, detail: str = "") -> None:
    record(acting_user, action, SUBJECT, detail=f"#{invitation.pk} {detail}".strip())


def _text(value: str, limit: int, label: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(
            _("Please keep “%(label)s” under %(count)d characters.")
            % {"label": label, "count": limit}
        )
    return value


def _day(value: date) -> str:
    return formats.date_format(value, "l j F Y")


# --- Inviting ------------------------------------------------------------------------------


@dataclass
class InvitationDetails:
    """What an invitation says (the form's cleaned data)."""

    host: Place | None
    date: date | None
    title: str = ""
    kind: str = Kind.OPEN_DAY
    activity: Activity | None = None
    start_time: time | None = None
    end_time: time | None = None
    message: str = ""
    places: list[Place] = field(default_factory=list)
    villages: list[Village] = field(default_factory=list)

    def clean(self, today: date) -> None:
        if self.host is None:
            raise ValidationError(_("Choose the meeting place that invites."))
        if self.kind not in Kind.values:
            raise ValidationError(_("Choose what kind of invitation it is."))
        if self.kind == Kind.ACTIVITY:
            self._clean_activity()
        else:
            self.activity = None
        self.title = _text(self.title, TITLE_MAX_LENGTH, _("Title"))
        if not self.title:
            raise ValidationError(_("Give the invitation a title, e.g. “Open afternoon”."))
        self.message = _text(self.message, TEXT_MAX_LENGTH, _("Message"))
        if self.date is None:
            raise ValidationError(_("Choose the date of the visit."))
        if self.date < today:
            raise ValidationError(_("The date of the visit has passed: choose today or later."))
        if self.date > agenda_range(today)[1]:
            # As far ahead as the agenda shows; further would also make the activity's
            # rule expand for centuries below.
            raise ValidationError(
                _("That date is too far ahead: choose a day up to %(last)s.")
                % {"last": _day(agenda_range(today)[1])}
            )
        if self.start_time is None or self.end_time is None:
            raise ValidationError(_("Give a start and an end time."))
        if self.end_time <= self.start_time:
            raise ValidationError(_("The end time must be after the start time."))
        if self.activity is not None and not any(self.activity.occurrences(self.date, self.date)):
            raise ValidationError(
                _("“%(activity)s” does not take place on %(date)s.")
                % {"activity": self.activity.title, "date": _day(self.date)}
            )

    def _clean_activity(self) -> None:
        activity = self.activity
        if activity is None:
            raise ValidationError(_("Choose the activity the visitors may join."))
        if activity.place_id != self.host.pk or not activity.is_active:
            raise ValidationError(_("Choose one of the inviting place's own activities."))
        self.title = self.title or activity.title
        self.start_time = self.start_time or activity.start_time
        self.end_time = self.end_time or activity.end_time

    def invited_places(self) -> list[Place]:
        """The chosen places and every active place of the chosen villages, never the host."""
        if any(place.pk == self.host.pk for place in self.places):
            raise ValidationError(_("A meeting place cannot invite itself."))
        chosen = {place.pk: place for place in self.places}
        if self.villages:
            in_villages = Place.objects.active().filter(village__in=self.villages)
            for place in in_villages.exclude(pk=self.host.pk):
                chosen.setdefault(place.pk, place)
        if not chosen:
            raise ValidationError(
                _("Invite at least one other meeting place, or the places of a village.")
            )
        return sorted(chosen.values(), key=lambda place: place.name)


def host_places(acting_user):
    """Where the user may invite from: the active places they manage."""
    return permissions.places_for_user(acting_user, Capability.MANAGE_PLACE).filter(is_active=True)


@transaction.atomic
def invite(details: InvitationDetails, *, acting_user) -> Invitation:
    """A new invitation from a place the user manages to the chosen places; their
    coordinators get a short notice with the link (after the commit)."""
    if details.host is not None:
        permissions.require(acting_user, Capability.MANAGE_PLACE, details.host)
    details.clean(timezone.localdate())
    guests = details.invited_places()
    invitation = Invitation.objects.create(
        host=details.host,
        kind=details.kind,
        activity=details.activity,
        title=details.title,
        date=details.date,
        start_time=details.start_time,
        end_time=details.end_time,
        message=details.message,
        created_by=permissions.as_recorder(acting_user),
    )
    for place in guests:
        InvitedPlace.objects.create(invitation=invitation, place=place)
    _audit(acting_user, AuditEvent.Action.CREATE, invitation, f"{len(guests)} places")
    transaction.on_commit(lambda: notify_invited_places(invitation))
    return invitation


def notify_invited_places(invitation: Invitation) -> int:
    """A notice to the coordinators of the invited places: one sentence and the link."""
    place_ids = invitation.guests.values_list("place_id", flat=True)
    addresses = sorted(
        {user.email.strip() for user in permissions.place_managers(place_ids) if user.email.strip()}
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Omzien: an invitation for your meeting place")
        body = "\n".join(
            [
                _("Another meeting place invites yours to come and have a look."),
                "",
                _("The invitation, and where to answer it:"),
                site_url("visiting:detail", invitation.pk),
            ]
        )
    sent, failed = send_quietly(
        mail.EmailMessage(subject, body + "\n", to=[to]) for to in addresses
    )
    record(
        None,
        AuditEvent.Action.CREATE,
        "invitation (notice)",
        detail=f"#{invitation.pk}: {sent} coordinators mailed, {failed} failed",
    )
    return sent


def _locked(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


@transaction.atomic
def cancel(invitation: Invitation, *, acting_user) -> Invitation:
    """Called off by the host place: it stays in the calendar as cancelled."""
    invitation = _locked(invitation)
    permissions.require(acting_user, Capability.MANAGE_PLACE, invitation.host_id)
    if invitation.is_cancelled:
        raise ValidationError(_("This invitation has been cancelled already."))
    if invitation.date < timezone.localdate():
        raise ValidationError(_("This visit has taken place: it can no longer be cancelled."))
    invitation.cancelled_at = timezone.now()
    invitation.cancelled_by = permissions.as_recorder(acting_user)
    invitation.save(update_fields=["cancelled_at", "cancelled_by"])
    _audit(acting_user, AuditEvent.Action.CHANGE, invitation, "cancelled")
    return invitation


# --- Answering and afterwards --------------------------------------------------------------


def _guest(invitation: Invitation, place, acting_user) -> InvitedPlace:
    """The invited place's row, locked, if the user manages that place."""
    guest = (
        InvitedPlace.objects.select_for_update()
        .filter(invitation=invitation, place=getattr(place, "pk", place))
        .first()
    )
    if guest is None:
        raise ValidationError(_("Only an invited meeting place can answer this invitation."))
    permissions.require(acting_user, Capability.MANAGE_PLACE, guest.place_id)
    return guest


def guest_places(acting_user, invitation: Invitation):
    """The invited places the user may answer for: those they manage."""
    managed = permissions.places_for_user(acting_user, Capability.MANAGE_PLACE)
    return managed.filter(pk__in=invitation.guests.values("place_id")).order_by("name")


@transaction.atomic
def answer(invitation: Invitation, place, *, count: int, names: str = "", acting_user):
    """How many of the invited place come, and who (first names); changeable until the
    day is over. 0: nobody comes."""
    invitation = _locked(invitation)
    guest = _guest(invitation, place, acting_user)
    if invitation.is_cancelled:
        raise ValidationError(_("This invitation has been cancelled."))
    if invitation.date < timezone.localdate():
        raise ValidationError(
            _("The day of the visit has passed: the answer can no longer change.")
        )
    if count is None or not 0 <= count <= MAX_VISITORS:
        raise ValidationError(
            _("Say how many of you come: a number from 0 to %(max)d.") % {"max": MAX_VISITORS}
        )
    guest.count = count
    guest.names = _text(names, NAMES_MAX_LENGTH, _("Who comes"))
    guest.answered_at = timezone.now()
    guest.answered_by = permissions.as_recorder(acting_user)
    guest.save(update_fields=["count", "names", "answered_at", "answered_by"])
    _audit(acting_user, AuditEvent.Action.CHANGE, invitation, f"answer of place #{guest.place_id}")
    return guest


def _require_over(invitation: Invitation) -> None:
    if invitation.is_cancelled:
        raise ValidationError(_("This invitation has been cancelled."))
    if timezone.now() < invitation.ends_at:
        raise ValidationError(
            _("This can be written down once the visit is over (after %(end)s).")
            % {"end": f"{_day(invitation.date)} {invitation.end_time:%H:%M}"}
        )


@transaction.atomic
def record_visit(invitation: Invitation, *, report: str, acting_user) -> Invitation:
    """The host place writes down how the visit went."""
    invitation = _locked(invitation)
    permissions.require(acting_user, Capability.MANAGE_PLACE, invitation.host_id)
    _require_over(invitation)
    report = _text(report, TEXT_MAX_LENGTH, _("How it went"))
    if not report:
        raise ValidationError(_("Write a few words about how it went."))
    invitation.report = report
    invitation.reported_at = timezone.now()
    invitation.reported_by = permissions.as_recorder(acting_user)
    invitation.save(update_fields=["report", "reported_at", "reported_by"])
    _audit(acting_user, AuditEvent.Action.CHANGE, invitation, "how it went")
    return invitation


@transaction.atomic
def record_wish(invitation: Invitation, place, *, want_to_try: str, acting_user) -> InvitedPlace:
    """A visiting place writes down what it wants to try itself."""
    invitation = _locked(invitation)
    guest = _guest(invitation, place, acting_user)
    _require_over(invitation)
    want_to_try = _text(want_to_try, TEXT_MAX_LENGTH, _("What we want to try ourselves"))
    if not want_to_try:
        raise ValidationError(_("Write what you would like to try at your own place."))
    guest.want_to_try = want_to_try
    guest.tried_recorded_at = timezone.now()
    guest.tried_recorded_by = permissions.as_recorder(acting_user)
    guest.save(update_fields=["want_to_try", "tried_recorded_at", "tried_recorded_by"])
    _audit(acting_user, AuditEvent.Action.CHANGE, invitation, f"wish of place #{guest.place_id}")
    return guest
