"""The calendar of open days as iCalendar (/open-dagen.ics): one VEVENT per invitation.

UIDs come from the invitation's UUID, so they never change; a cancelled invitation stays
in the feed with ``STATUS:CANCELLED``, so a calendar that subscribed removes it.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from omzien.visiting.models import Invitation


def invitation_uid(invitation: Invitation) -> str:
    return f"visit-{invitation.uid}@{settings.OMZIEN_ICAL_DOMAIN}"


def invitation_event(invitation: Invitation, stamp, absolute_url) -> Event:
    host = invitation.host
    event = Event()
    event.add("uid", invitation_uid(invitation))
    event.add("dtstamp", stamp)
    event.add("dtstart", invitation.starts_at)
    event.add("dtend", invitation.ends_at)
    event.add("summary", f"{invitation.title} ({host.name})")
    event.add("location", f"{host.name}, {host.address}")
    event.add("geo", (float(host.latitude), float(host.longitude)))
    event.add("url", absolute_url(invitation.get_absolute_url()))
    guests = ", ".join(guest.place.name for guest in invitation.guests.all())
    lines = [invitation.message] if invitation.message else []
    lines.append(_("Invited: %(places)s") % {"places": guests})
    event.add("description", "\n".join(lines))
    if invitation.is_cancelled:
        event.add("status", "CANCELLED")
        event["summary"] = _("Cancelled: %(title)s") % {"title": event["summary"]}
    else:
        event.add("status", "CONFIRMED")
    return event


def build_calendar(invitations, absolute_url, today: date | None = None) -> bytes:
    today = today or timezone.localdate()
    stamp = timezone.now().replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//Omzien//Omzien open dagen//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Open days of the meeting places"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    invitations = list(invitations)
    for invitation in invitations:
        calendar.add_component(invitation_event(invitation, stamp, absolute_url))
    first_year = min((i.date.year for i in invitations), default=today.year)
    calendar.add_missing_timezones(
        first_date=date(min(first_year, today.year - 1), 1, 1),
        last_date=date(today.year + 3, 1, 1),
    )
    return calendar.to_ical()
