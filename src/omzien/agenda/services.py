"""Writes to the agenda: keeping sessions in step with the rules, and a coordinator's
changes to activities and sessions (the admin calls these; so do the demo and tests).

A coordinator's change takes the acting user, checks that they manage the place
(`accounts.permissions`, `NotFound` otherwise), runs in one transaction and is recorded
in the audit log. Keeping the rolling window filled is the system's own work.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.agenda.models import Activity, Session
from omzien.audit.models import AuditEvent
from omzien.audit.services import record


def session_window(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return (
        today - timedelta(weeks=settings.OMZIEN_SESSION_WINDOW_PAST_WEEKS),
        today + timedelta(weeks=settings.OMZIEN_SESSION_WINDOW_WEEKS),
    )


def materialise_sessions(first_day: date, last_day: date, activities=None) -> int:
    """Create the missing sessions of the activities' rules between two dates.

    Idempotent: existing sessions (cancelled, rescheduled or with visits) are left as they
    are. Returns how many sessions were created.
    """
    activities = list(Activity.objects.active() if activities is None else activities)
    existing = defaultdict(set)
    stored = (
        Session.objects.filter(activity__in=activities)
        .between(first_day, last_day)
        .values_list("activity_id", "date")
    )
    for activity_id, day in stored:
        existing[activity_id].add(day)
    new_sessions = [
        session
        for activity in activities
        for session in activity.rule_sessions(first_day, last_day, skip=existing[activity.pk])
    ]
    Session.objects.bulk_create(new_sessions, batch_size=500, ignore_conflicts=True)
    return len(new_sessions)


@transaction.atomic
def sync_activity_sessions(activity: Activity, today: date | None = None) -> None:
    """Bring the activity's future sessions in line with its (changed) rule.

    Sessions in the past, cancelled or rescheduled by hand, and extra sessions keep
    what people did with them; other future sessions follow the rule's dates and times.
    """
    today = today or timezone.localdate()
    first_day, last_day = session_window(today)
    wanted = {start.date(): start for start in activity.occurrences(today, last_day)}
    following_rule = activity.sessions.filter(
        date__gte=today, is_rescheduled=False, is_extra=False, status=Session.Status.SCHEDULED
    )
    for session in following_rule:
        start = wanted.get(session.date)
        if start is None:
            if not session.visits.exists():
                session.delete()
            continue
        if session.starts_at != start or session.ends_at != start + activity.duration:
            session.starts_at, session.ends_at = start, start + activity.duration
            session.save(update_fields=["starts_at", "ends_at"])
    if activity.is_active:
        materialise_sessions(max(first_day, today), last_day, activities=[activity])


def ensure_sessions(first_day: date, last_day: date) -> None:
    """Make sure the sessions of a period exist as rows, from the window's start.

    For the door (a check-in needs a row) and the signal command; the public pages never
    write and compute what has no row (``agenda.queries``). Older periods keep what was
    recorded then; inventing past sessions would suggest they took place.
    """
    window_start = session_window()[0]
    if last_day >= window_start:
        materialise_sessions(max(first_day, window_start), last_day)


def _require_manager(acting_user, activity: Activity) -> None:
    permissions.require(acting_user, Capability.MANAGE_PLACE, activity.place_id)


@transaction.atomic
def save_activity(activity: Activity, *, acting_user, today: date | None = None) -> Activity:
    """A new or changed activity; its coming sessions follow the (changed) rule."""
    _require_manager(acting_user, activity)
    activity.full_clean()
    created = activity.pk is None
    activity.save()
    sync_activity_sessions(activity, today=today)
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE
    record(acting_user, action, "activity", detail=f"#{activity.pk} {activity.title}")
    return activity


@transaction.atomic
def save_session(session: Session, *, acting_user, changed: set[str] = frozenset()) -> Session:
    """A session a coordinator adds or changes.

    A new session on a date the rule does not give is an extra one; a session whose time
    was changed (``changed`` names the changed fields) is rescheduled, so the rule leaves
    it alone from now on.
    """
    _require_manager(acting_user, session.activity)
    created = session.pk is None
    if created:
        session.is_extra = not any(
            start.date() == session.date
            for start in session.activity.occurrences(session.date, session.date)
        )
    elif {"starts_at", "ends_at"} & set(changed):
        session.is_rescheduled = True
    if session.status == Session.Status.SCHEDULED:
        session.cancel_reason = ""
    session.full_clean()
    session.save()
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE
    detail = f"#{session.pk} {session.date} {session.get_status_display()}"
    record(acting_user, action, "session", detail=detail)
    return session


def cancel_session(session: Session, reason: str, *, acting_user) -> Session:
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason.strip()
    return save_session(session, acting_user=acting_user, changed={"status", "cancel_reason"})


def reinstate_session(session: Session, *, acting_user) -> Session:
    session.status = Session.Status.SCHEDULED
    return save_session(session, acting_user=acting_user, changed={"status"})


def _check_day_is_free(activity: Activity, day: date, but=None) -> None:
    others = activity.sessions.filter(date=day).exclude(pk=getattr(but, "pk", None))
    if others.exists():
        raise ValidationError(
            _("%(activity)s already has a session on %(date)s.")
            % {"activity": activity.title, "date": date_format(day, "l j F Y")}
        )


def add_extra_session(activity: Activity, starts_at, ends_at, *, acting_user) -> Session:
    """A session on a date of the coordinator's choosing (one per activity and day)."""
    _require_manager(acting_user, activity)
    day = timezone.localtime(starts_at).date()
    _check_day_is_free(activity, day)
    session = Session(activity=activity, date=day, starts_at=starts_at, ends_at=ends_at)
    return save_session(session, acting_user=acting_user)


@transaction.atomic
def move_session(session: Session, starts_at, ends_at, *, acting_user) -> Session:
    """Another time for one session; the session that takes place is returned.

    On the same day the session keeps its place in the rule (its RECURRENCE-ID) and is
    marked as rescheduled. To another day: the door, the agenda and the signals count a
    session on its ``date``, so the rule's session is cancelled ("moved to ...") and an
    extra session is added on the new day.
    """
    _require_manager(acting_user, session.activity)
    new_day = timezone.localtime(starts_at).date()
    if new_day == session.date:
        session.starts_at, session.ends_at = starts_at, ends_at
        return save_session(session, acting_user=acting_user, changed={"starts_at", "ends_at"})
    _check_day_is_free(session.activity, new_day, but=session)
    reason = _("Moved to %(date)s") % {"date": date_format(new_day, "l j F")}
    if not session.is_cancelled:
        cancel_session(session, reason, acting_user=acting_user)
    return add_extra_session(session.activity, starts_at, ends_at, acting_user=acting_user)


@transaction.atomic
def delete_session(session: Session, *, acting_user) -> None:
    """Remove a session added by mistake; one that people came to stays (cancel it)."""
    _require_manager(acting_user, session.activity)
    if session.visits.exists():
        raise ValidationError(
            _("People came to this session, so it stays. Cancel it instead, with a reason.")
        )
    detail = f"#{session.pk} {session.date}"
    session.delete()
    record(acting_user, AuditEvent.Action.DELETE, "session", detail=detail)
