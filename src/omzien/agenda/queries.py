"""Reading the agenda: which sessions a visitor sees for a week and a filter."""

from datetime import date, timedelta

from omzien.agenda.models import Activity, Session
from omzien.agenda.services import ensure_sessions


def filter_activities(activities, village=None, place=None, category=None):
    if village is not None:
        activities = activities.filter(place__village=village)
    if place is not None:
        activities = activities.filter(place=place)
    if category:
        activities = activities.filter(category=category)
    return activities


def sessions_of_week(monday: date, village=None, place=None, category=None) -> list[Session]:
    sunday = monday + timedelta(days=6)
    ensure_sessions(monday, sunday)
    activities = filter_activities(Activity.objects.active(), village, place, category)
    return list(
        Session.objects.filter(activity__in=activities).between(monday, sunday).with_details()
    )


def upcoming_sessions(activities, first_day: date, weeks: int = 6) -> list[Session]:
    last_day = first_day + timedelta(weeks=weeks)
    ensure_sessions(first_day, last_day)
    return list(
        Session.objects.filter(activity__in=activities).between(first_day, last_day).with_details()
    )


def group_by_day(sessions: list[Session]) -> list[tuple[date, list[Session]]]:
    days: dict[date, list[Session]] = {}
    for session in sessions:
        days.setdefault(session.date, []).append(session)
    return sorted(days.items())
