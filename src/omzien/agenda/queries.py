"""Reading the agenda: which sessions a visitor sees for a period and a filter.

Reading never writes. Sessions exist as rows for the materialised window (and wherever
something happened to them: cancelled, moved, extra, visited); for other dates the
activities' rules give the occurrences, as unsaved ``Session`` objects. Each session read
here carries its ``closure`` (``places.PlaceClosure`` or None).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import models
from django.utils import timezone

from omzien.agenda.models import Activity, Session
from omzien.agenda.recurrence import week_bounds
from omzien.agenda.services import session_window
from omzien.places.models import PlaceClosure

# How far the public agenda reaches: back to what was recorded two years ago, ahead to
# two years from now (nobody plans a coffee morning further ahead; the feeds carry the
# rules themselves). Weeks outside are refused in words, never computed.
WEEKS_BACK = 104
WEEKS_AHEAD = 104


def agenda_range(today: date | None = None) -> tuple[date, date]:
    """The first Monday and the last Sunday the public agenda shows."""
    today = today or timezone.localdate()
    first_monday = week_bounds(today - timedelta(weeks=WEEKS_BACK))[0]
    last_sunday = week_bounds(today + timedelta(weeks=WEEKS_AHEAD))[1]
    return first_monday, last_sunday


def filter_activities(activities, village=None, place=None, category=None):
    if village is not None:
        activities = activities.filter(place__village=village)
    if place is not None:
        activities = activities.filter(place=place)
    if category:
        activities = activities.filter(category=category)
    return activities


def closures_by_place(place_ids, first_day: date, last_day: date) -> dict[int, list]:
    """The closures of the places that overlap the period, per place id."""
    closures = defaultdict(list)
    for closure in PlaceClosure.objects.filter(place_id__in=place_ids).overlapping(
        first_day, last_day
    ):
        closures[closure.place_id].append(closure)
    return closures


def attach_closures(sessions, closures: dict[int, list]) -> None:
    """Set each session's ``closure`` from closures_by_place (no query per session)."""
    for session in sessions:
        place_id = session.activity.place_id
        session.closure = next(
            (c for c in closures.get(place_id, ()) if c.covers(place_id, session.date)), None
        )


def sessions_between(
    activities, first_day: date, last_day: date, today: date | None = None
) -> list[Session]:
    """The sessions of the activities from first_day to last_day, as visitors see them.

    Stored rows win (cancelled, moved and extra sessions, and everything with visits);
    the rules fill in the dates without a row, from the start of the materialised window
    on: older periods show what was recorded then, since inventing past sessions would
    suggest they took place. Ordered by start; each carries its ``closure``.
    """
    if isinstance(activities, models.QuerySet):
        activities = activities.select_related("place__village")
    activities = {activity.pk: activity for activity in activities}
    if not activities:
        return []
    stored = list(Session.objects.filter(activity_id__in=activities).between(first_day, last_day))
    for session in stored:
        session.activity = activities[session.activity_id]
    taken = defaultdict(set)
    for session in stored:
        taken[session.activity_id].add(session.date)
    rule_start = max(first_day, session_window(today)[0])
    computed = [
        session
        for activity in activities.values()
        for session in activity.rule_sessions(rule_start, last_day, skip=taken[activity.pk])
    ]
    sessions = sorted(stored + computed, key=lambda s: (s.starts_at, s.activity_id, s.pk or 0))
    places = {activity.place_id for activity in activities.values()}
    attach_closures(sessions, closures_by_place(places, first_day, last_day))
    return sessions


def sessions_of_week(
    monday: date, village=None, place=None, category=None, today: date | None = None
) -> list[Session]:
    activities = filter_activities(Activity.objects.active(), village, place, category)
    return sessions_between(activities, monday, monday + timedelta(days=6), today)


# How far ahead an activity or place page looks for its next sessions: as far as the
# agenda reaches, so a monthly or yearly activity still shows when it comes next.
COMING_WEEKS_AT_MOST = WEEKS_AHEAD
# The windows tried in turn: most pages are done after the first (one query each).
COMING_WINDOWS_WEEKS = (8, 26, COMING_WEEKS_AT_MOST)


def coming_sessions(activities, now: datetime, weeks: int, at_least: int = 3) -> list[Session]:
    """The sessions that have not ended yet: those of the coming weeks, and at least the
    next ``at_least`` that take place, however far ahead (up to two years).

    A session that has ended (today, its end time passed) is no longer coming; one that
    started yesterday evening and ends after midnight still is. Read-only, like
    ``sessions_between``.
    """
    if isinstance(activities, models.QuerySet):
        activities = list(activities.select_related("place__village"))
    today = timezone.localdate(now)
    # From yesterday: a session of yesterday's date may still be going on after midnight.
    first_day = today - timedelta(days=1)
    windows = sorted({weeks, *(w for w in COMING_WINDOWS_WEEKS if w > weeks)})
    for window in windows:
        last_day = today + timedelta(weeks=min(window, COMING_WEEKS_AT_MOST))
        found = [
            session
            for session in sessions_between(activities, first_day, last_day, today)
            if session.ends_at > now
        ]
        held = [session for session in found if session.takes_place]
        if len(held) >= at_least or window >= COMING_WEEKS_AT_MOST:
            break
    if len(held) < at_least:
        return found
    # More than enough: the coming weeks, or up to the at_least-th session if later.
    horizon = max(today + timedelta(weeks=weeks), held[at_least - 1].date)
    return [session for session in found if session.date <= horizon]


def group_by_day(sessions: list[Session]) -> list[tuple[date, list[Session]]]:
    days: dict[date, list[Session]] = {}
    for session in sessions:
        days.setdefault(session.date, []).append(session)
    return sorted(days.items())


def first_end(sessions: list[Session]) -> datetime | None:
    """When the first of these sessions ends: then they are no longer all coming."""
    return min((session.ends_at for session in sessions), default=None)
