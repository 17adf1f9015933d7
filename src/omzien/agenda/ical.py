"""RFC 5545 iCalendar feeds: one recurring VEVENT per activity, plus its exceptions.

Each activity is a master event with its RRULE and EXDATEs. A session that is cancelled
or moved becomes an override with the master's UID and a RECURRENCE-ID; a session outside
the rule is an event of its own. A day its place is closed (``places.PlaceClosure``)
becomes a cancelled override too, with the closure's reason, whether or not the session
has a row. UIDs come from the activity's UUID, so they never change.
"""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from omzien.agenda import queries
from omzien.agenda.models import Activity, Session
from omzien.agenda.recurrence import local_zone

# Overrides older than this are of no use to a calendar that subscribes now.
OVERRIDE_HISTORY = timedelta(days=90)


def activity_uid(activity: Activity) -> str:
    return f"{activity.uid}@{settings.OMZIEN_ICAL_DOMAIN}"


def extra_session_uid(session: Session) -> str:
    return f"{session.activity.uid}-{session.date:%Y%m%d}@{settings.OMZIEN_ICAL_DOMAIN}"


def _describe(event: Event, activity: Activity, absolute_url) -> None:
    place = activity.place
    event.add("summary", activity.title)
    event.add("location", f"{place.name}, {place.address}")
    event.add("geo", (float(place.latitude), float(place.longitude)))
    event.add("categories", [activity.get_category_display()])
    event.add("url", absolute_url(activity.get_absolute_url()))
    lines = [activity.description] if activity.description else []
    lines.append(_("Sign-up required") if activity.signup_required else _("Walk in, no sign-up"))
    if activity.is_free:
        lines.append(_("Free"))
    else:
        # In the feed's language: "€ 7,50" in Dutch (a str() of the Decimal says 7.50).
        cost = number_format(activity.cost, decimal_pos=2, use_l10n=True)
        lines.append(_("Cost: € %(cost)s") % {"cost": cost})
    event.add("description", "\n".join(lines))


def master_event(activity: Activity, stamp: datetime, absolute_url) -> Event:
    zone = local_zone()
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", stamp)
    start = datetime.combine(activity.first_date, activity.start_time, tzinfo=zone)
    event.add("dtstart", start)
    event.add("dtend", start + activity.duration)
    rule = vRecur.from_ical(activity.rrule)
    if activity.last_date:
        # With a DTSTART in a time zone, RFC 5545 wants UNTIL in UTC.
        until = datetime.combine(activity.last_date, activity.start_time, tzinfo=zone)
        rule["UNTIL"] = until.astimezone(UTC)
    event.add("rrule", rule)
    exceptions = [
        datetime.combine(day, activity.start_time, tzinfo=zone)
        for day in activity.exception_date_list
    ]
    if exceptions:
        event.add("exdate", exceptions)
    _describe(event, activity, absolute_url)
    return event


def session_event(session: Session, stamp: datetime, absolute_url) -> Event:
    activity = session.activity
    event = Event()
    if session.is_extra:
        event.add("uid", extra_session_uid(session))
    else:
        event.add("uid", activity_uid(activity))
        event.add("recurrence-id", session.rule_start)
    event.add("dtstamp", stamp)
    event.add("dtstart", timezone.localtime(session.starts_at))
    event.add("dtend", timezone.localtime(session.ends_at))
    _describe(event, activity, absolute_url)
    if session.closure:
        event.add("status", "CANCELLED")
        event["summary"] = _("Closed: %(title)s") % {"title": activity.title}
        reason = session.closure.reason
        event["description"] = (
            _("The meeting place is closed: %(reason)s") % {"reason": reason}
            if reason
            else _("The meeting place is closed.")
        )
    elif session.is_cancelled:
        event.add("status", "CANCELLED")
        event["summary"] = _("Cancelled: %(title)s") % {"title": activity.title}
        event["description"] = _("Cancelled: %(reason)s") % {"reason": session.cancel_reason}
    else:
        event.add("status", "CONFIRMED")
        if session.note:
            event["description"] = f"{session.note}\n{event['description']}"
    return event


def overrides(activities: list[Activity], today: date) -> list[Session]:
    """The sessions that differ from the rules: cancelled, moved, extra, or closed.

    From OVERRIDE_HISTORY back to the end of the agenda's range; a closed day of the rule
    without a row becomes an unsaved session, so its override exists all the same.
    """
    first_day, last_day = today - OVERRIDE_HISTORY, queries.agenda_range(today)[1]
    by_pk = {activity.pk: activity for activity in activities}
    sessions = list(
        Session.objects.filter(activity__in=activities, date__gte=first_day)
        .exclude(status=Session.Status.SCHEDULED, is_rescheduled=False, is_extra=False)
        .order_by("starts_at", "pk")
    )
    for session in sessions:
        session.activity = by_pk[session.activity_id]
    closures = queries.closures_by_place({a.place_id for a in activities}, first_day, last_day)
    taken = {(session.activity_id, session.date) for session in sessions}
    for activity in activities:
        for closure in closures.get(activity.place_id, ()):
            days = max(closure.first_day, first_day), min(closure.last_day, last_day)
            for start in activity.occurrences(*days):
                if (activity.pk, start.date()) not in taken:
                    taken.add((activity.pk, start.date()))
                    sessions.append(
                        Session(
                            activity=activity,
                            date=start.date(),
                            starts_at=start,
                            ends_at=start + activity.duration,
                        )
                    )
    queries.attach_closures(sessions, closures)
    return sorted(sessions, key=lambda session: (session.starts_at, session.activity_id))


def build_calendar(activities, name: str, absolute_url, today: date | None = None) -> bytes:
    """The feed of the given activities as iCalendar bytes."""
    today = today or timezone.localdate()
    stamp = timezone.now().replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//Omzien//Omzien agenda//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    activities = list(activities.select_related("place"))
    for activity in activities:
        calendar.add_component(master_event(activity, stamp, absolute_url))
    for session in overrides(activities, today):
        calendar.add_component(session_event(session, stamp, absolute_url))
    # A VTIMEZONE covering the feed's years only: a phone does not need 1970's DST rules.
    first_year = min((a.first_date.year for a in activities), default=today.year)
    calendar.add_missing_timezones(
        first_date=date(min(first_year, today.year - 1), 1, 1),
        last_date=date(today.year + 10, 1, 1),
    )
    return calendar.to_ical()
