"""RFC 5545 recurrence rules for activities, in the local time of Europe/Amsterdam.

Occurrences are computed on naive local date-times and only then given the time zone,
so a Tuesday 10:00 activity stays at 10:00 on both sides of a DST change.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def normalise_rule(text: str) -> str:
    """The rule as stored: upper case, without an 'RRULE:' prefix or spaces."""
    rule = "".join((text or "").split()).upper()
    return rule.removeprefix("RRULE:")


def parse_rule(text: str, first_start: datetime) -> rrule:
    """Parse an RRULE value, raising a ValidationError in plain Dutch when it is not valid."""
    rule = normalise_rule(text)
    if not rule:
        raise ValidationError(_("Enter a recurrence rule, e.g. FREQ=WEEKLY;BYDAY=TU."))
    parts = dict(part.partition("=")[::2] for part in rule.split(";"))
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise ValidationError(
            _("The recurrence rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY, e.g. %(example)s."),
            params={"example": "FREQ=WEEKLY;BYDAY=TU"},
        )
    if "UNTIL" in parts:
        raise ValidationError(_("Use the field 'last date' instead of UNTIL in the rule."))
    try:
        return rrulestr(f"RRULE:{rule}", dtstart=first_start)
    except (ValueError, TypeError, KeyError) as error:
        raise ValidationError(
            _("This recurrence rule cannot be read (%(error)s). Example: %(example)s."),
            params={"error": error, "example": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"},
        ) from None


def parse_dates(text: str) -> list[date]:
    """Dates written as YYYY-MM-DD, separated by commas, spaces or new lines."""
    dates = []
    for token in (text or "").replace(",", " ").split():
        try:
            dates.append(date.fromisoformat(token))
        except ValueError:
            raise ValidationError(
                _("'%(value)s' is not a date; write dates as YYYY-MM-DD, e.g. 2026-12-24."),
                params={"value": token},
            ) from None
    return sorted(set(dates))


def local_occurrences(
    rule: str,
    first_date: date,
    start_time: time,
    window_start: date,
    window_end: date,
    last_date: date | None = None,
    exception_dates: Iterable[date] = (),
) -> Iterator[datetime]:
    """Aware local start times of the rule's occurrences from window_start to window_end."""
    recurrence = parse_rule(rule, datetime.combine(first_date, start_time))
    begin = max(window_start, first_date)
    end = min(window_end, last_date) if last_date else window_end
    if end < begin:
        return
    skipped = set(exception_dates)
    zone = local_zone()
    after = datetime.combine(begin, time.min)
    before = datetime.combine(end, time.max)
    for naive in recurrence.between(after, before, inc=True):
        if naive.date() not in skipped:
            yield naive.replace(tzinfo=zone)


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week of a day."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def iso_week(day: date) -> str:
    """The ISO week of a day as written in links: 2026-W48."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"
