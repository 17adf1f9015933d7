"""RFC 5545 recurrence rules for activities, in the local time of Europe/Amsterdam.

Occurrences are computed on naive local date-times and only then given the time zone,
so a Tuesday 10:00 activity stays at 10:00 on both sides of a DST change.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from icalendar import vRecur

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


# --- The coordinator's choices, and rules in words ----------------------------------------
#
# The planning form offers a few kinds of repetition; each is one shape of RRULE, so the
# rule stays RFC 5545 inside (feeds, the door and signals read it as before). A rule of
# another shape (typed in the admin, or imported) is not one of the choices: the form
# shows it in words and keeps it unless the coordinator chooses another repetition.

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = date.weekday()
# Which one of the month: first to fourth, and the last.
MONTH_POSITIONS = (1, 2, 3, 4, -1)


class Repeat(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    ONCE = "once"


@dataclass(frozen=True)
class RuleChoices:
    """A rule as the planning form asks for it: how it repeats, on which weekdays
    (0 = Monday; monthly: one) and, monthly, which one of the month (1-4, or -1 for the
    last)."""

    repeat: Repeat
    weekdays: tuple[int, ...] = ()
    position: int | None = None


ONCE_RULE = "FREQ=DAILY;COUNT=1"  # one date: the first date


def build_rule(choices: RuleChoices) -> str:
    """The RRULE for the form's choices (icalendar writes it)."""
    days = [WEEKDAY_CODES[day] for day in sorted(set(choices.weekdays))]
    if choices.repeat == Repeat.ONCE:
        return ONCE_RULE
    if not days:
        raise ValueError("a repeating rule needs at least one weekday")
    if choices.repeat == Repeat.MONTHLY:
        if choices.position not in MONTH_POSITIONS or len(days) != 1:
            raise ValueError(f"one weekday and a position in the month: {choices}")
        parts = {"FREQ": "MONTHLY", "BYDAY": [f"{choices.position}{day}" for day in days]}
    else:
        parts = {"FREQ": "WEEKLY", "BYDAY": days}
        if choices.repeat == Repeat.FORTNIGHTLY:
            parts["INTERVAL"] = 2
    return normalise_rule(vRecur(parts).to_ical().decode())


def _rule_parts(rule: str) -> dict[str, list[str]]:
    """The rule's parts as icalendar reads them, each a list of upper-case strings."""
    try:
        parsed = vRecur.from_ical(normalise_rule(rule))
    except ValueError:
        return {}
    return {
        key.upper(): [
            str(value).upper() for value in (values if isinstance(values, list) else [values])
        ]
        for key, values in parsed.items()
    }


_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)", re.ASCII)


def _weekdays(values: list[str]) -> list[tuple[int | None, int]] | None:
    """BYDAY values as (position or None, weekday); None when one cannot be read."""
    days = []
    for value in values:
        match = _BYDAY.fullmatch(value)
        if match is None:
            return None
        position = int(match[1]) if match[1] else None
        days.append((position, WEEKDAY_CODES.index(match[2])))
    return days


def parse_choices(rule: str, first_date: date) -> RuleChoices | None:
    """The form's choices that give this rule, or None when the form cannot express it.

    A weekly rule without weekdays repeats on the first date's weekday, so it reads as
    that weekday; a monthly ``BYDAY=WE;BYSETPOS=1`` reads as the first Wednesday.
    """
    parts = _rule_parts(rule)
    if normalise_rule(rule) == ONCE_RULE:
        return RuleChoices(Repeat.ONCE)
    frequency = parts.pop("FREQ", [""])[0]
    interval = parts.pop("INTERVAL", ["1"])[0]
    parts.pop("WKST", None)
    days = _weekdays(parts.pop("BYDAY", [WEEKDAY_CODES[first_date.weekday()]]))
    setpos = parts.pop("BYSETPOS", None)
    if parts or not days:
        return None
    weekdays = tuple(sorted({day for _position, day in days}))
    if len(weekdays) != len(days):
        return None
    positions = {position for position, _day in days}
    if frequency == "WEEKLY" and positions == {None} and setpos is None:
        repeat = {"1": Repeat.WEEKLY, "2": Repeat.FORTNIGHTLY}.get(interval)
        return RuleChoices(repeat, weekdays) if repeat else None
    if frequency != "MONTHLY" or interval != "1" or len(weekdays) != 1:
        return None
    if setpos is not None:
        if positions != {None} or len(setpos) != 1:
            return None
        positions = {int(setpos[0])} if setpos[0].lstrip("-").isdigit() else set()
    if len(positions) != 1 or next(iter(positions)) not in MONTH_POSITIONS:
        return None
    return RuleChoices(Repeat.MONTHLY, weekdays, positions.pop())


def _weekday_name(day: int) -> str:
    return str(WEEKDAYS[day])  # Django's Dutch names are lower case: "woensdag"


def _and_list(words: list[str]) -> str:
    """ "a, b and c" in the active language."""
    if len(words) < 2:
        return "".join(words)
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _position_name(position: int) -> str:
    names = {
        1: pgettext("in the month", "first"),
        2: pgettext("in the month", "second"),
        3: pgettext("in the month", "third"),
        4: pgettext("in the month", "fourth"),
        5: pgettext("in the month", "fifth"),
        -1: pgettext("in the month", "last"),
        -2: pgettext("in the month", "second to last"),
    }
    return names.get(position, str(position))


def _long_date(day: date) -> str:
    return date_format(day, "j F Y")


def _monthly_days(days: list[tuple[int | None, int]], setpos: list[str] | None) -> str | None:
    """ "first Wednesday", "first and third Wednesday", "last Friday and Monday"."""
    if setpos is not None:
        if any(position is not None for position, _day in days) or not all(
            value.lstrip("-").isdigit() for value in setpos
        ):
            return None
        days = [(int(value), day) for value in setpos for _none, day in days]
    if any(position is None for position, _day in days):
        return None
    weekdays = sorted({day for _position, day in days})
    positions = sorted({position for position, _day in days}, key=lambda p: (p < 0, p))
    if len(weekdays) == 1:
        return f"{_and_list([_position_name(p) for p in positions])} {_weekday_name(weekdays[0])}"
    if len(positions) == 1:
        return f"{_position_name(positions[0])} {_and_list([_weekday_name(d) for d in weekdays])}"
    return _and_list([f"{_position_name(p)} {_weekday_name(d)}" for p, d in days])


def _describe_repetition(rule: str, first_date: date) -> str:
    """The repetition alone, in words: "every Tuesday", "every other week on Wednesday"."""
    if normalise_rule(rule) == ONCE_RULE:
        return _("only on %(date)s") % {"date": _long_date(first_date)}
    parts = _rule_parts(rule)
    frequency = parts.get("FREQ", [""])[0]
    interval = int(parts.get("INTERVAL", ["1"])[0] or 1)
    known = {"FREQ", "INTERVAL", "BYDAY", "BYSETPOS", "BYMONTHDAY", "COUNT", "WKST"}
    days = _weekdays(parts.get("BYDAY", []))
    if not frequency or set(parts) - known or days is None:
        return _("following the rule %(rule)s") % {"rule": normalise_rule(rule)}
    day_names = _and_list([_weekday_name(day) for _position, day in days])
    if frequency == "DAILY":
        text = _("every day") if interval == 1 else _("every %(n)s days") % {"n": interval}
    elif frequency == "WEEKLY":
        if not days:
            day_names = _weekday_name(first_date.weekday())
        if interval == 1:
            text = _("every %(days)s") % {"days": day_names}
        elif interval == 2:
            text = _("every other week on %(days)s") % {"days": day_names}
        else:
            text = _("every %(n)s weeks on %(days)s") % {"n": interval, "days": day_names}
    elif frequency == "MONTHLY":
        which = _monthly_days(days, parts.get("BYSETPOS")) if days else None
        if not days:
            monthdays = parts.get("BYMONTHDAY", [str(first_date.day)])
            text = _("every month on day %(days)s") % {"days": _and_list(monthdays)}
            if interval != 1:
                text = _("every %(n)s months on day %(days)s") % {
                    "n": interval,
                    "days": _and_list(monthdays),
                }
        elif which is None or "BYMONTHDAY" in parts:
            return _("following the rule %(rule)s") % {"rule": normalise_rule(rule)}
        elif interval == 1:
            text = _("every %(which)s of the month") % {"which": which}
        else:
            text = _("every %(n)s months, on the %(which)s of the month") % {
                "n": interval,
                "which": which,
            }
    else:  # YEARLY
        text = _("every year on %(date)s") % {"date": date_format(first_date, "j F")}
    if "COUNT" in parts:
        text = _("%(rule)s, %(count)s times") % {"rule": text, "count": parts["COUNT"][0]}
    return text


def describe_rule(
    rule: str,
    first_date: date,
    *,
    last_date: date | None = None,
    start_time: time | None = None,
    duration: timedelta | None = None,
) -> str:
    """A rule in words, in the active language: "elke eerste woensdag van de maand,
    10:00–12:00", "om de week op woensdag tot en met 30 juni 2027", "alleen op 12 maart
    2027". The one way every page says when an activity is."""
    text = _describe_repetition(rule, first_date)
    if last_date and normalise_rule(rule) != ONCE_RULE:
        text = _("%(rule)s until %(date)s") % {"rule": text, "date": _long_date(last_date)}
    if start_time is not None:
        text = f"{text}, {describe_times(start_time, duration)}"
    return text


def describe_times(start_time: time, duration: timedelta | None) -> str:
    """ "10:00–12:00" (or "10:00" without a duration)."""
    start = start_time.strftime("%H:%M")
    if not duration:
        return start
    end = (datetime.combine(date(2000, 1, 1), start_time) + duration).time()
    return f"{start}–{end:%H:%M}"


def next_dates(
    rule: str,
    first_date: date,
    start_time: time,
    today: date,
    *,
    last_date: date | None = None,
    exception_dates: Iterable[date] = (),
    count: int = 8,
) -> list[datetime]:
    """The first ``count`` occurrences from today on (for the planning form's preview)."""
    occurrences = local_occurrences(
        rule,
        first_date,
        start_time,
        today,
        today + timedelta(weeks=5 * 52),
        last_date=last_date,
        exception_dates=exception_dates,
    )
    return list(islice(occurrences, count))
