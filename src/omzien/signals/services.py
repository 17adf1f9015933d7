"""Writes about signals: the nightly save of detection, and the follow-up by people.

Every function that a person calls takes ``acting_user``, checks their rights with
``accounts.permissions`` (`NotFound` for a signal or person out of their reach, as for
one that does not exist), runs in a transaction and leaves a line in the audit log.
Signals exist only for people who agreed to follow-up; viewers never see or touch them.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.models import Membership
from omzien.accounts.permissions import Capability
from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.dates import shift_years
from omzien.people.models import Person, Purpose
from omzien.places.models import Place
from omzien.signals import notifications
from omzien.signals.detection import Candidate
from omzien.signals.first_contact import (
    UNDO_MINUTES,
    DoorAnswer,
    contact_outcome,
    door_note,
    effect_of,
    handover_day,
    needs_coordinator,
    nobody_knew_contacts,
    picked_up_contacts,
)
from omzien.signals.models import AnnouncedAbsence, ContactLog, Outcome, Signal

SUBJECT = "signal"


def escalate_after_days() -> int:
    return settings.OMZIEN_SIGNAL_ESCALATE_DAYS


# --- Who may do what (the rules themselves live in accounts.permissions) ----------------


def follow_up_list(user):
    """The user's open and snoozed signals, most urgent first, each with ``contacted``
    (someone took it on: a door's "weet niet" does not count) and ``nobody_knew`` (a
    door's "weet niet" handed it over); the look is audit-logged. First contacts among
    them (``is_first_contact``) are still asked at the door."""
    contacts = ContactLog.objects.filter(signal=OuterRef("pk"))
    signals = permissions.signals_for_user(user, reading="signal list").active()
    return (
        with_door_day(signals)
        .select_related("person", "place", "assigned_to", "activity")
        .annotate(
            contacted=Exists(contacts.filter(picked_up_contacts())),
            nobody_knew=Exists(contacts.filter(nobody_knew_contacts())),
        )
        .by_urgency()
    )


def with_door_day(signals):
    """The signals with ``door_day``: the first session after the day of raising where
    the door asks about the signal (`permissions.door_signals`: of its activity, or any
    at its place for a signal without one), held (scheduled, the place open); None when
    none is planned. For someone who comes every other week it is the first session of
    either week: within OMZIEN_FIRST_CONTACT_DAYS (14) the one of their own week comes
    too."""
    held = Session.objects.scheduled().outside_closures()
    after = held.filter(activity__place=OuterRef("place"), date__gt=OuterRef("raised_on"))

    def first(sessions):
        return Subquery(sessions.order_by("date").values("date")[:1])

    return signals.annotate(
        door_day=Case(
            When(activity__isnull=True, then=first(after)),
            default=first(after.filter(activity=OuterRef("activity"))),
        )
    )


def coordinator_day(signal: Signal) -> date | None:
    """The day a first contact nobody answered becomes a coordinator's follow-up by
    waiting (sooner when a host answers "weet niet"); None for a follow-up. The signal
    comes from `with_door_day` (`follow_up_list` does that)."""
    if not signal.is_first_contact:
        return None
    return handover_day(signal.raised_on, signal.door_day)


CLOSED_SHOWN = 500  # closed signals on one page; a narrower period shows the rest


def follow_up_places(user):
    """The places whose signals the user may see: where they follow up, and where a
    signal assigned to them lies (not audit-logged: no names)."""
    followed = permissions.places_for_user(user, Capability.FOLLOW_UP).values("pk")
    assigned = permissions.reachable_signals(user).values("place_id")
    return Place.objects.filter(Q(pk__in=followed) | Q(pk__in=assigned)).order_by("name")


def closed_list(user, *, place=None, first_day: date | None = None, last_day: date | None = None):
    """The user's closed signals, most recently closed first, each with ``contact_count``;
    ``place`` and the days they were closed on (both included, local time) narrow them.
    The look is audit-logged with the filter."""
    detail = " ".join(
        part
        for part in (
            f"place={place.slug}" if place is not None else "",
            f"from={first_day.isoformat()}" if first_day else "",
            f"to={last_day.isoformat()}" if last_day else "",
        )
        if part
    )
    signals = permissions.signals_for_user(user, reading="closed signals", detail=detail).filter(
        status=Signal.Status.CLOSED
    )
    zone = timezone.get_current_timezone()
    if place is not None:
        signals = signals.filter(place=place)
    if first_day is not None:
        start = datetime.combine(first_day, time.min, tzinfo=zone)
        signals = signals.filter(closed_at__gte=start)
    if last_day is not None:
        end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)
        signals = signals.filter(closed_at__lt=end)
    return (
        signals.select_related("person", "place", "closed_by")
        .annotate(contact_count=Count("contacts"))
        .order_by(F("closed_at").desc(nulls_last=True), "-pk")
    )


def _not_picked_up() -> Q:
    """Nobody took the signal on: no assignee and no contact logged."""
    picked_up = ContactLog.objects.filter(picked_up_contacts(), signal=OuterRef("pk"))
    return Q(assigned_to__isnull=True) & ~Q(Exists(picked_up))


def is_waiting(signal: Signal) -> bool:
    """Escalated and still not picked up (``signal`` comes from ``follow_up_list``)."""
    return (
        signal.escalated_at is not None
        and signal.status == Signal.Status.OPEN
        and signal.assigned_to_id is None
        and not signal.contacted
    )


def _assignable_memberships(place_ids):
    """Memberships that let someone run the door at one of the places: the people
    ``assign`` accepts (superusers without a membership aside)."""
    roles = permissions.DOOR_ROLES
    return Membership.objects.filter(user__is_active=True, role__in=roles).filter(
        Q(place_id__in=place_ids) | Q(place__isnull=True)
    )


def _display_key(user):
    return ((user.get_full_name() or user.username).casefold(), user.pk)


def assignable_users(place):
    """The users a signal at ``place`` may be given to, as a queryset (for form checks)."""
    return (
        get_user_model()
        .objects.filter(pk__in=_assignable_memberships([place.pk]).values("user"))
        .order_by("first_name", "last_name", "username")
    )


def assignable_users_by_place(place_ids) -> dict[int, list]:
    """``assignable_users`` for many places in one query, sorted by name: for the list."""
    regional, local = {}, {}
    for membership in _assignable_memberships(place_ids).select_related("user"):
        if membership.place_id is None:
            regional[membership.user_id] = membership.user
        else:
            local.setdefault(membership.place_id, {})[membership.user_id] = membership.user
    return {
        place_id: sorted({**regional, **local.get(place_id, {})}.values(), key=_display_key)
        for place_id in place_ids
    }


def latest_day_ahead(today: date) -> date:
    """Snoozes and announced absences reach at most a year ahead: further is a typing
    error, and would silence a person's signals for good."""
    return shift_years(today, 1)


def earliest_day_back(today: date) -> date:
    """An absence told afterwards ("she was in hospital") reaches at most a year back."""
    return shift_years(today, -1)


def check_absence_days(first_day: date, last_day: date, today: date) -> None:
    if last_day < first_day:
        raise ValidationError(_("The last day lies before the first day."))
    earliest, latest = earliest_day_back(today), latest_day_ahead(today)
    if first_day < earliest or last_day > latest:
        raise ValidationError(
            _("Choose days from %(earliest)s to %(latest)s: at most a year back or ahead.")
            % {
                "earliest": date_format(earliest, "j F Y"),
                "latest": date_format(latest, "j F Y"),
            }
        )


def _require_consent(person: Person):
    if not person.has_consent(Purpose.FOLLOWUP):
        raise ValidationError(_("This person did not agree to be contacted when absent."))


def _require_follow_up(user, signal: Signal):
    if not permissions.may_follow_up(user, signal):
        raise permissions.NotFound


def _require_active(signal: Signal):
    if not signal.is_active:
        raise ValidationError(_("This signal is closed."))


def _audit(acting_user, action, signal: Signal, detail: str):
    record(acting_user, action, SUBJECT, person=signal.person, detail=f"#{signal.pk} {detail}")


# --- Follow-up ---------------------------------------------------------------------------


@transaction.atomic
def raise_manual_signal(
    person: Person, place, reason: str, *, acting_user, today: date | None = None
):
    """A host's "let op" after a conversation; added to the open signal if there is one."""
    permissions.require(acting_user, Capability.DOOR, place)
    if not permissions.may_see_person(acting_user, person):
        raise permissions.NotFound
    _require_consent(person)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say in a few words why."))
    today = today or timezone.localdate()
    signal = Signal.objects.select_for_update().active().filter(person=person, place=place).first()
    if signal is not None:
        signal.reason = f"{signal.reason}\n{today:%Y-%m-%d}: {reason}"
        # A host was worried: no longer a question at the door, a coordinator's task.
        signal.follow_up_since = signal.follow_up_since or today
        signal.save(update_fields=["reason", "follow_up_since", "updated_at"])
        _audit(acting_user, AuditEvent.Action.CHANGE, signal, "let op added")
        return signal
    signal = Signal.objects.create(
        person=person,
        place=place,
        kind=Signal.Kind.MANUAL,
        raised_on=today,
        last_seen=_last_seen(person, place, today),
        reason=reason,
        created_by=acting_user,
        follow_up_since=today,
    )
    _audit(acting_user, AuditEvent.Action.CREATE, signal, "let op")
    return signal


def _last_seen(person, place, today):
    return (
        Visit.objects.filter(
            person=person, session__activity__place=place, session__date__lte=today
        )
        .order_by("-session__date")
        .values_list("session__date", flat=True)
        .first()
    )


@transaction.atomic
def assign(signal: Signal, user, *, acting_user) -> Signal:
    """Give the signal to a volunteer or professional who runs the door at its place."""
    _require_follow_up(acting_user, signal)
    _require_active(signal)
    if user is not None and not permissions.can(user, Capability.DOOR, signal.place_id):
        raise ValidationError(_("Assign the signal to someone who works at this place."))
    signal.assigned_to = user
    signal.save(update_fields=["assigned_to", "updated_at"])
    _audit(acting_user, AuditEvent.Action.CHANGE, signal, f"assigned to {user}")
    return signal


@transaction.atomic
def log_contact(
    signal: Signal, method: str, outcome: str, note: str = "", *, acting_user
) -> ContactLog:
    _require_follow_up(acting_user, signal)
    if method not in ContactLog.Method.values:
        raise ValidationError(_("Unknown way of contact."))
    if outcome not in dict(ContactLog._meta.get_field("outcome").choices):
        raise ValidationError(_("Unknown outcome."))
    contact = ContactLog.objects.create(
        signal=signal, by=acting_user, method=method, outcome=outcome, note=note.strip()
    )
    _audit(acting_user, AuditEvent.Action.CREATE, signal, f"contact {method} {outcome}")
    return contact


@transaction.atomic
def snooze(signal: Signal, until: date, *, acting_user, today: date | None = None) -> Signal:
    _require_follow_up(acting_user, signal)
    _require_active(signal)
    today = today or timezone.localdate()
    if until <= today:
        raise ValidationError(_("Snooze until a date after today."))
    if until > latest_day_ahead(today):
        raise ValidationError(
            _("Snooze for at most a year, until %(latest)s at the latest.")
            % {"latest": date_format(latest_day_ahead(today), "j F Y")}
        )
    signal.status = Signal.Status.SNOOZED
    signal.snoozed_until = until
    signal.save(update_fields=["status", "snoozed_until", "updated_at"])
    _audit(acting_user, AuditEvent.Action.CHANGE, signal, f"snoozed until {until}")
    return signal


@transaction.atomic
def close(signal: Signal, outcome: str, *, acting_user) -> Signal:
    _require_follow_up(acting_user, signal)
    _require_active(signal)
    if outcome not in Outcome.values:
        raise ValidationError(_("Unknown outcome."))
    _close(signal, outcome, acting_user)
    _audit(acting_user, AuditEvent.Action.CHANGE, signal, f"closed: {outcome}")
    return signal


def _close(signal: Signal, outcome: str, by=None):
    signal.status = Signal.Status.CLOSED
    signal.outcome = outcome
    signal.closed_at = timezone.now()
    signal.closed_by = by
    signal.save(update_fields=["status", "outcome", "closed_at", "closed_by", "updated_at"])


@transaction.atomic
def record_absence(
    person: Person,
    first_day: date,
    last_day: date,
    note: str = "",
    *,
    acting_user,
    today: date | None = None,
    answer_first_contacts: bool = True,
):
    """An announced absence ("op vakantie tot 12 mei"), by someone who hosts their place.

    One that has begun and still lasts explains why they are away now, so nobody need
    worry meanwhile: the door stops asking about them. Their open first contacts at the
    places the user runs the door of close as "ziek of weg geweest", as the door's "op
    vakantie tot ..." closes its own (``answer_first_contacts``: the door's answer, which
    closes its signal itself and whose undo takes back only that, passes False).
    """
    if not permissions.may_see_person(acting_user, person):
        raise permissions.NotFound
    _require_consent(person)
    today = today or timezone.localdate()
    check_absence_days(first_day, last_day, today)
    absence = AnnouncedAbsence.objects.create(
        person=person,
        first_day=first_day,
        last_day=last_day,
        note=note.strip(),
        recorded_by=acting_user,
    )
    record(
        acting_user,
        AuditEvent.Action.CREATE,
        "announced absence",
        person=person,
        detail=f"{first_day} – {last_day}",
    )
    if answer_first_contacts and first_day <= today <= last_day:
        _close_first_contacts(person, acting_user)
    return absence


def _close_first_contacts(person: Person, acting_user) -> None:
    """The person's open first contacts at the places the user runs the door of, closed as
    ill or away, with an audit row each."""
    first_contacts = Signal.objects.select_for_update().filter(
        permissions.in_reach(acting_user, Capability.DOOR, "place"),
        person=person,
        status=Signal.Status.OPEN,
        follow_up_since__isnull=True,
    )
    for signal in first_contacts:
        _close(signal, Outcome.ILL_OR_AWAY, permissions.as_recorder(acting_user))
        _audit(acting_user, AuditEvent.Action.CHANGE, signal, "closed: an announced absence")


# --- At the door: "Wie weet hoe het met Jan gaat?" ---------------------------------------


def _require_door(user, signal: Signal):
    """A host of the signal's place who may see the person, whose processing is not
    restricted (the door does not show them): `NotFound` otherwise."""
    permissions.require(user, Capability.DOOR, signal.place_id)
    if signal.person.is_restricted or not permissions.may_see_person(user, signal.person):
        raise permissions.NotFound


def _holiday_until(until: date | None, today: date) -> date:
    if until is None:
        raise ValidationError(_("Until when? Choose the day they are back."))
    if until <= today:
        raise ValidationError(_("Choose a day after today."))
    check_absence_days(today, until, today)
    return until


@transaction.atomic
def answer_at_door(
    signal: Signal, answer: str, *, until: date | None = None, acting_user, today=None
) -> Signal:
    """A host's one-tap answer to "Wie weet hoe het met Jan gaat?" (``first_contact``): doing
    fine (closed as all fine), ill (an announced absence of
    ``OMZIEN_FIRST_CONTACT_ILL_DAYS``, closed as ill or away), on holiday ``until`` a
    day (an announced absence, closed as ill or away), moved (closed as moved), or don't
    know (a coordinator's follow-up from today). Each answer is a line in the signal's
    contact log ("asked around at the door"). Only for an open signal that is still a
    first contact."""
    _require_door(acting_user, signal)
    _require_consent(signal.person)
    signal = Signal.objects.select_for_update().select_related("person").get(pk=signal.pk)
    _require_active(signal)
    if not signal.is_first_contact:
        raise ValidationError(_("A coordinator follows this signal up already."))
    if answer not in DoorAnswer.values:
        raise ValidationError(_("Unknown answer."))
    today = today or timezone.localdate()
    effect = effect_of(answer)
    until = _holiday_until(until, today) if answer == DoorAnswer.HOLIDAY else None
    note = door_note(answer, until)
    ContactLog.objects.create(
        signal=signal,
        by=permissions.as_recorder(acting_user),
        method=ContactLog.Method.ASKED,
        outcome=contact_outcome(answer),
        note=note,
    )
    last_day = until
    if effect.absence_days is not None:
        last_day = today + timedelta(days=effect.absence_days - 1)
    if last_day is not None:
        record_absence(
            signal.person,
            today,
            last_day,
            note,
            acting_user=acting_user,
            today=today,
            answer_first_contacts=False,
        )
    if effect.outcome is not None:
        _close(signal, effect.outcome, permissions.as_recorder(acting_user))
    if effect.to_follow_up:
        signal.follow_up_since = today
        signal.save(update_fields=["follow_up_since", "updated_at"])
    _audit(acting_user, AuditEvent.Action.CHANGE, signal, f"door answer: {answer}")
    return signal


@transaction.atomic
def undo_door_answer(signal: Signal, *, acting_user, now: datetime | None = None) -> Signal:
    """Take back one's own answer at the door within ``UNDO_MINUTES``, while nobody did
    anything with the signal since: the contact line and the absence it recorded go, the
    signal is a first contact at the door again."""
    _require_door(acting_user, signal)
    signal = Signal.objects.select_for_update().select_related("person").get(pk=signal.pk)
    now = now or timezone.now()
    contact = signal.contacts.order_by("-at", "-pk").first()
    too_late = ValidationError(_("This answer can no longer be undone here."))
    if (
        contact is None
        or contact.method != ContactLog.Method.ASKED
        or contact.by_id != getattr(acting_user, "pk", None)
        or now - contact.at > timedelta(minutes=UNDO_MINUTES)
        or signal.assigned_to_id is not None
    ):
        raise too_late
    if not signal.is_active:
        if Signal.objects.active().filter(person=signal.person, place=signal.place).exists():
            raise too_late
        signal.status, signal.outcome = Signal.Status.OPEN, ""
        signal.closed_at = signal.closed_by = None
    signal.follow_up_since = None
    signal.save(
        update_fields=[
            "status",
            "outcome",
            "closed_at",
            "closed_by",
            "follow_up_since",
            "updated_at",
        ]
    )
    AnnouncedAbsence.objects.filter(
        person=signal.person,
        recorded_by=acting_user,
        note=contact.note,
        recorded_at__gte=contact.at - timedelta(minutes=1),
    ).delete()
    contact.delete()
    _audit(acting_user, AuditEvent.Action.CHANGE, signal, "door answer undone")
    return signal


@transaction.atomic
def take_over(signal: Signal, *, acting_user, today: date | None = None) -> Signal:
    """A coordinator follows a first contact up at once ("Zelf opvolgen"), without waiting
    for the door."""
    _require_follow_up(acting_user, signal)
    _require_active(signal)
    if not signal.is_first_contact:
        raise ValidationError(_("A coordinator follows this signal up already."))
    signal.follow_up_since = today or timezone.localdate()
    signal.save(update_fields=["follow_up_since", "updated_at"])
    _audit(acting_user, AuditEvent.Action.CHANGE, signal, "taken over from the door")
    return signal


@transaction.atomic
def release_assignments(user) -> int:
    """Take back the signals assigned to the user at places where they no longer run the
    door (a membership removed or moved, an account switched off): access follows the
    current role, and a signal must not wait for someone who cannot reach it."""
    user = get_user_model().objects.filter(pk=user.pk).first()
    if user is None:
        return 0
    where = permissions.reach(user, Capability.DOOR)  # nowhere for a switched-off account
    if where is permissions.EVERYWHERE:
        return 0
    released = list(
        Signal.objects.active()
        .filter(assigned_to=user)
        .exclude(place__in=sorted(where))
        .select_related("person")
    )
    for signal in released:
        signal.assigned_to = None
        signal.save(update_fields=["assigned_to", "updated_at"])
        _audit(None, AuditEvent.Action.CHANGE, signal, f"assignment of {user} ended with role")
    return len(released)


# --- The nightly save ----------------------------------------------------------------------


@dataclass
class SaveResult:
    opened: int = 0
    updated: int = 0
    seen_again: int = 0
    withdrawn: int = 0
    woken: int = 0
    handed_over: int = 0  # first contacts nobody answered in time: now a follow-up
    escalated: int = 0
    # Filled in after the commit, when the escalation mails went out.
    mailed: int = 0
    mail_failed: int = 0


@transaction.atomic
def save_detected(candidates: list[Candidate], as_of: date) -> SaveResult:
    """Bring the stored signals in line with detection on ``as_of``.

    Closes open signals of people seen again at the place since (``seen again``) or who
    withdrew their consent; opens new signals (first contacts, asked at the door) and
    refreshes open ones; wakes snoozed signals whose date came; hands first contacts
    nobody answered in time to the coordinators (``handed_over``); escalates follow-ups
    nobody picked up in time, and once the run is committed mails the professionals
    about them (``result.mailed``).
    """
    result = SaveResult()
    active = Signal.objects.active()
    returned = active.filter(kind=Signal.Kind.AUTO, last_seen__isnull=False).filter(
        Exists(
            Visit.objects.filter(
                person=OuterRef("person"),
                session__activity__place=OuterRef("place"),
                session__date__gt=OuterRef("last_seen"),
                session__date__lte=as_of,
            )
        )
    )
    for signal in returned:
        _close(signal, Outcome.SEEN_AGAIN)
        result.seen_again += 1
    consenting = Person.objects.with_consent(Purpose.FOLLOWUP).values("pk")
    for signal in active.exclude(person__in=consenting):
        _close(signal, Outcome.OTHER)
        result.withdrawn += 1

    existing = {(s.person_id, s.place_id): s for s in Signal.objects.active()}
    new = []
    for candidate in candidates:
        signal = existing.get((candidate.person_id, candidate.place_id))
        if signal is None:
            new.append(
                Signal(
                    person_id=candidate.person_id,
                    place_id=candidate.place_id,
                    kind=Signal.Kind.AUTO,
                    raised_on=as_of,
                    last_seen=candidate.last_seen,
                    reason=candidate.reason,
                    probability=candidate.probability,
                    raw_probability=candidate.raw_probability,  # what the calibration learns from
                    missed=candidate.missed,
                    occasional=candidate.occasional,
                    rhythm=candidate.rhythm,
                    activity_id=candidate.activity_id,
                    week_parity=candidate.week_parity,
                )
            )
        elif signal.kind == Signal.Kind.AUTO:
            signal.last_seen = candidate.last_seen
            signal.reason = candidate.reason
            signal.probability = candidate.probability
            signal.missed = candidate.missed
            signal.occasional = candidate.occasional
            signal.rhythm = candidate.rhythm
            signal.activity_id = candidate.activity_id
            signal.week_parity = candidate.week_parity
            signal.save(
                update_fields=[
                    "last_seen",
                    "reason",
                    "probability",
                    "missed",
                    "occasional",
                    "rhythm",
                    "activity",
                    "week_parity",
                    "updated_at",
                ]
            )
            result.updated += 1
        else:  # a host raised it by hand: keep their words, add the figures
            signal.probability = candidate.probability
            signal.missed = candidate.missed
            signal.occasional = candidate.occasional
            signal.rhythm = candidate.rhythm
            signal.save(
                update_fields=["probability", "missed", "occasional", "rhythm", "updated_at"]
            )
            result.updated += 1
    Signal.objects.bulk_create(new)
    result.opened = len(new)

    result.woken = Signal.objects.filter(
        status=Signal.Status.SNOOZED, snoozed_until__lte=as_of
    ).update(status=Signal.Status.OPEN, snoozed_until=None)
    result.handed_over = _hand_over(as_of)
    result.escalated = _escalate(as_of, result)
    record(
        None,
        AuditEvent.Action.CHANGE,
        "signals (nightly)",
        detail=(
            f"{as_of}: {result.opened} opened, {result.updated} updated, "
            f"{result.seen_again} seen again, {result.withdrawn} consent withdrawn, "
            f"{result.woken} woken, {result.handed_over} handed over, "
            f"{result.escalated} escalated"
        ),
    )
    return result


def _hand_over(as_of: date) -> int:
    """Open first contacts nobody at the door answered while the absence grew by the set
    days and the door had its chance (``first_contact.needs_coordinator``) become
    follow-ups from ``as_of``. People whose processing is restricted are left as they
    are."""
    waiting = (
        with_door_day(Signal.objects.select_for_update())
        .filter(
            status=Signal.Status.OPEN,
            follow_up_since__isnull=True,
            person__restricted_at__isnull=True,
        )
        .values_list("pk", "raised_on", "door_day")
    )
    due = [pk for pk, raised, door in waiting if needs_coordinator(raised, as_of, door)]
    return Signal.objects.filter(pk__in=due).update(
        follow_up_since=as_of, updated_at=timezone.now()
    )


def _escalate(as_of: date, result: SaveResult) -> int:
    """Mark follow-ups nobody picked up in time (counted from the day they became one),
    and mail the professionals once the run is committed: a rolled-back run must not
    announce signals that do not exist. First contacts are the door's, not yet late."""
    due = list(
        Signal.objects.select_for_update()
        .filter(
            status=Signal.Status.OPEN,
            escalated_at__isnull=True,
            follow_up_since__isnull=False,
            follow_up_since__lte=as_of - timedelta(days=escalate_after_days()),
            # A person whose processing is restricted (AVG art. 18): kept, not escalated.
            person__restricted_at__isnull=True,
        )
        .filter(_not_picked_up())
        .values_list("pk", "place_id")
    )
    if not due:
        return 0
    Signal.objects.filter(pk__in=[pk for pk, _place in due]).update(escalated_at=timezone.now())
    per_place = Counter(place_id for _pk, place_id in due)

    def notify():
        sent = notifications.send_escalation_mails(per_place, escalate_after_days())
        result.mailed, result.mail_failed = sent.mailed, sent.failed

    transaction.on_commit(notify)
    return len(due)
