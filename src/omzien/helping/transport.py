"""Getting there: "Ik wil mee maar heb geen vervoer" turns a trip to an activity into a
help request for transport.

The public agenda links to the form with the destination in the query string (``plek``,
``datum``, ``activiteit`` or ``sessie``). Whatever is unknown, inactive or contradictory
in it is left out: the form then simply asks for it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.agenda import queries as agenda_queries
from omzien.agenda.models import Activity, Session
from omzien.core.choices import Day, PartOfDay
from omzien.places.models import Place

# How far ahead someone can ask for a lift: the agenda shows sessions up to two years on.
FURTHEST_AHEAD = timedelta(days=2 * 366)
# The part of the day a start time falls in (the helpers' "when I can").
AFTERNOON_FROM, EVENING_FROM = 12, 18
WEEKDAYS = list(Day.values)  # Monday first, like date.weekday()


@dataclass
class Destination:
    """Where and when someone wants to go; the activity and its start when known."""

    place: Place | None = None
    day: date | None = None
    activity: Activity | None = None
    starts_at: datetime | None = None

    def matching(self, place: Place, day: date) -> "Destination":
        """The destination the resident chose: the activity and its start kept only when
        they still go to its place, on its day."""
        activity = self.activity if self.activity and self.activity.place_id == place.pk else None
        starts_at = self.starts_at if activity and self.day == day else None
        if activity is not None and starts_at is None:
            starts_at = _start_on(activity, day)
        return Destination(place=place, day=day, activity=activity, starts_at=starts_at)

    def description(self) -> str:
        """ "Vervoer naar <activiteit> bij <plek>, <adres>, op <datum> om <tijd>"."""
        where = {"place": self.place.name, "address": self.place.address}
        if self.activity is not None:
            text = _("Transport to %(activity)s at %(place)s, %(address)s") % {
                **where,
                "activity": self.activity.title,
            }
        else:
            text = _("Transport to %(place)s, %(address)s") % where
        day = formats.date_format(self.day, "l j F Y")
        if self.starts_at is not None:
            when = _("on %(date)s at %(time)s") % {"date": day, "time": self.start_time()}
        else:
            when = _("on %(date)s") % {"date": day}
        return f"{text}, {when}"

    def query(self) -> str:
        """The known parts as the link's query string again (the form posts back to it)."""
        parts = {
            "plek": self.place.pk if self.place else None,
            "datum": self.day.isoformat() if self.day else None,
            "activiteit": self.activity.pk if self.activity else None,
        }
        return urlencode({name: value for name, value in parts.items() if value is not None})

    def start_time(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%H:%M") if self.starts_at else ""

    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]

    def part_of_day(self) -> list[str]:
        if self.starts_at is None:
            return []
        hour = timezone.localtime(self.starts_at).hour
        if hour >= EVENING_FROM:
            return [PartOfDay.EVENING]
        return [PartOfDay.AFTERNOON if hour >= AFTERNOON_FROM else PartOfDay.MORNING]


def day_in_reach(day: date, today: date | None = None) -> bool:
    """A day one can still ask a lift for: from today, not years ahead."""
    today = today or timezone.localdate()
    return today <= day <= today + FURTHEST_AHEAD


def from_query(query) -> Destination:
    """The destination the link carries, each part only when it is known and public."""
    session = _session(query.get("sessie"))
    activity = session.activity if session else _activity(query.get("activiteit"))
    place = _place(query.get("plek"))
    if activity is not None and place is not None and activity.place_id != place.pk:
        activity = session = None  # a link that contradicts itself: the place wins
    place = place or (activity.place if activity else None)
    day = session.date if session else _day(query.get("datum"))
    if day is None:
        return Destination(place=place)
    if session is not None and session.takes_place:
        starts_at = session.starts_at
    else:
        starts_at = _start_on(activity, day) if activity else None
    return Destination(place=place, day=day, activity=activity, starts_at=starts_at)


def _number(value) -> int | None:
    return permissions.primary_key(value) if value else None


def _place(value) -> Place | None:
    pk = _number(value)
    return Place.objects.active().select_related("village").filter(pk=pk).first() if pk else None


def _activity(value) -> Activity | None:
    pk = _number(value)
    if pk is None:
        return None
    found = Activity.objects.active().filter(pk=pk, place__is_active=True)
    return found.select_related("place__village").first()


def _session(value) -> Session | None:
    pk = _number(value)
    if pk is None:
        return None
    found = Session.objects.filter(
        pk=pk, activity__is_active=True, activity__place__is_active=True
    ).select_related("activity__place__village")
    session = found.first()
    return session if session is not None and day_in_reach(session.date) else None


def _day(value) -> date | None:
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if day_in_reach(day) else None


def _start_on(activity: Activity, day: date) -> datetime | None:
    """When the activity starts that day, as the agenda shows it (moved, cancelled)."""
    sessions = agenda_queries.sessions_between([activity], day, day, timezone.localdate())
    held = [session for session in sessions if session.takes_place and session.date == day]
    return held[0].starts_at if held else None
