"""Writes to the agenda: keeping sessions in step with the rules, cancelling sessions."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from omzien.agenda.models import Activity, Session


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
    existing = set(
        Session.objects.filter(activity__in=activities)
        .between(first_day, last_day)
        .values_list("activity_id", "date")
    )
    new_sessions = [
        Session(
            activity=activity,
            date=start.date(),
            starts_at=start,
            ends_at=start + activity.duration,
        )
        for activity in activities
        for start in activity.occurrences(first_day, last_day)
        if (activity.pk, start.date()) not in existing
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


def cancel_session(session: Session, reason: str) -> Session:
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason.strip()
    session.full_clean()
    session.save(update_fields=["status", "cancel_reason"])
    return session


def reinstate_session(session: Session) -> Session:
    session.status = Session.Status.SCHEDULED
    session.cancel_reason = ""
    session.save(update_fields=["status", "cancel_reason"])
    return session
