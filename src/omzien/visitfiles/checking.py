"""The checks of a visit file that need the database: texts to ids, dates, sessions.

``State`` holds what the database says (villages, places, activities, sessions), loaded
once and cached per distinct text, so checking a row costs dictionary look-ups, not
queries. The import makes one State to check the file and a fresh one inside the
writing transaction, to check again against what is then locked.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import dateformat
from django.utils.translation import gettext as _

from omzien.agenda import recurrence
from omzien.agenda.models import Session
from omzien.people.models import Purpose
from omzien.visitfiles.lookups import AMBIGUOUS, Directory, NameIndex

MAX_KEPT_PROBLEMS = 10_000  # all problems are counted; this many are kept in detail
# Dates as people's lists have them (design.md): 2026-11-24 (ISO, what Omzien writes),
# 24-11-2026 (Dutch Excel, also with / or .), 24-11-26 (a two-digit year is 20..: Omzien
# has no visits before 2000), each with an optional time (a date-time cell of Excel
# saved as CSV: 24-11-2026 10:00), which is ignored. An .xlsx date cell arrives as
# ISO text (``formats.cell_text``).
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _TIME)
DUTCH_DATE = re.compile(
    r"(?P<day>\d{1,2})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})" + _TIME
)
# What Excel stores a date of 2000 to 2099 as, shown without a date format.
EXCEL_SERIAL = re.compile(r"(3[6-9]|[4-6]\d|7[0-3])\d{3}")
EARLIEST_CONSENT = date(2000, 1, 1)
PURPOSES = tuple(Purpose.values)

# What State.session says about an activity on a date.
OK, CANCELLED, NEW = "ok", "cancelled", "new"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: the row as Excel shows it (0: the file), the column
    (empty: the whole row), a code for programs and a message for people."""

    row: int
    column: str
    code: str
    message: str

    def __str__(self):
        if self.row and self.column:
            return _("Row %(row)d, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class Problems:
    """Counts every problem and keeps the first MAX_KEPT_PROBLEMS, so memory stays small."""

    def __init__(self):
        self.items: list[Problem] = []
        self.count = 0

    def add(self, row: int, column: str, code: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_KEPT_PROBLEMS:
            self.items.append(Problem(row, column, code, message))

    def __bool__(self):
        return self.count > 0


class Bad:
    """A verdict on a text or a session: wrong, with a code and a message (cached)."""

    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message


def long_date(day: date) -> str:
    """'dinsdag 3 maart 2026' in the active language."""
    return dateformat.format(day, "l j F Y")


def parse_date(text: str) -> date | Bad:
    """A date as a list writes it (``ISO_DATE``, ``DUTCH_DATE``), or why it is none."""
    found = ISO_DATE.fullmatch(text) or DUTCH_DATE.fullmatch(text)
    if found is None and EXCEL_SERIAL.fullmatch(text):
        return Bad(
            "excel_number",
            _(
                "'%(value)s' is a number, not a date: Excel shows a date like this when the "
                "column has no date format; give the column the format 24-11-2026"
            )
            % {"value": text},
        )
    if found is None:
        return Bad(
            "bad_date",
            _(
                "'%(value)s' is not a date; write it as day-month-year, e.g. 24-11-2026, "
                "or as 2026-11-24"
            )
            % {"value": text},
        )
    year = int(found["year"])
    if len(found["year"]) == 2:
        year += 2000
    try:
        return date(year, int(found["month"]), int(found["day"]))
    except ValueError:
        return Bad("impossible_date", _("the date %(value)s does not exist") % {"value": text})


class State:
    """The database as the checks need it, with every distinct text's verdict cached."""

    MAX_CACHE = 100_000  # distinct texts per column; beyond this, look-ups are not cached

    def __init__(self, today: date, allowed_places=None):
        self.today = today
        self.allowed = None if allowed_places is None else set(allowed_places)
        self.directory = Directory()
        self._village: dict[str, int | Bad] = {}
        self._place: dict[str, int | Bad] = {}
        self._activity: dict[tuple[int, str], int | Bad] = {}
        self._day: dict[str, date | Bad] = {}
        self._consent: dict[str, frozenset | Bad] = {}
        self._sessions: dict[int, dict[date, tuple[int, bool]]] = {}
        self._rule_dates: dict[int, frozenset[date]] = {}

    def _remember(self, cache, key, value):
        if len(cache) < self.MAX_CACHE:
            cache[key] = value
        return value

    @staticmethod
    def _find(index: NameIndex, text: str, unknown: str, what: str):
        pk = index.find(text)
        if pk is None:
            message = unknown
            suggestion = index.suggestion(text)
            if suggestion:
                message += " " + _("(did you mean '%(name)s'?)") % {"name": suggestion}
            return Bad("unknown_" + what, message)
        if pk == AMBIGUOUS:
            return Bad(
                "ambiguous_" + what,
                _("more than one is called '%(value)s'; write the short name instead: %(slugs)s")
                % {
                    "value": text,
                    "slugs": ", ".join(index.slugs[pk] for pk in index.candidates(text)),
                },
            )
        return pk

    # Texts of a row ---------------------------------------------------------------

    def village(self, text: str) -> int | Bad:
        found = self._village.get(text)
        if found is None:
            unknown = _("unknown village '%(value)s'") % {"value": text}
            found = self._find(self.directory.villages, text, unknown, "village")
            self._remember(self._village, text, found)
        return found

    def place(self, text: str) -> int | Bad:
        found = self._place.get(text)
        if found is None:
            unknown = _("unknown meeting place '%(value)s'") % {"value": text}
            found = self._find(self.directory.places, text, unknown, "place")
            if type(found) is int and self.allowed is not None and found not in self.allowed:
                found = Bad(
                    "no_permission",
                    _("no rights for this meeting place ('%(value)s')") % {"value": text},
                )
            self._remember(self._place, text, found)
        return found

    def activity(self, place: int, text: str) -> int | Bad:
        key = (place, text)
        found = self._activity.get(key)
        if found is None:
            unknown = _("unknown activity '%(value)s' at %(place)s") % {
                "value": text,
                "place": self.directory.places.names[place],
            }
            found = self._find(self.directory.activity_index(place), text, unknown, "activity")
            self._remember(self._activity, key, found)
        return found

    def day(self, text: str) -> date | Bad:
        found = self._day.get(text)
        if found is None:
            found = self._remember(self._day, text, self._parse_day(text))
        return found

    def _parse_day(self, text: str) -> date | Bad:
        day = parse_date(text)
        if type(day) is Bad:
            return day
        if day > self.today:
            return Bad(
                "future_date",
                _("%(value)s lies in the future; only visits that took place can be imported")
                % {"value": text},
            )
        return day

    def consent_day(self, text: str) -> date | Bad:
        """The day a person agreed: not in the future, not before 2000."""
        day = parse_date(text)
        if type(day) is Bad:
            return day
        if day > self.today:
            return Bad(
                "future_consent_date",
                _("the consent date %(value)s lies in the future") % {"value": text},
            )
        if day < EARLIEST_CONSENT:
            return Bad(
                "early_consent_date",
                _("the consent date %(value)s lies before 2000; is the year right?")
                % {"value": text},
            )
        return day

    def consent(self, text: str) -> frozenset | Bad:
        found = self._consent.get(text)
        if found is None:
            words = {word.strip().lower() for word in text.split(";")} - {""}
            unknown = sorted(words - set(PURPOSES))
            if unknown:
                found = Bad(
                    "unknown_consent",
                    _(
                        "unknown consent '%(value)s'; write names, followup and/or "
                        "questionnaires, separated by ;"
                    )
                    % {"value": unknown[0]},
                )
            else:
                found = frozenset(words)
            self._remember(self._consent, text, found)
        return found

    # Sessions ---------------------------------------------------------------------

    def sessions_of(self, activity: int) -> dict[date, tuple[int, bool]]:
        """The activity's sessions: date to (pk, cancelled), one query per activity."""
        sessions = self._sessions.get(activity)
        if sessions is None:
            sessions = {
                day: (pk, status == Session.Status.CANCELLED)
                for day, pk, status in Session.objects.filter(activity_id=activity).values_list(
                    "date", "pk", "status"
                )
            }
            self._sessions[activity] = sessions
        return sessions

    def forget_sessions(self, activities) -> None:
        for activity in activities:
            self._sessions.pop(activity, None)

    def session(self, activity_id: int, day: date) -> tuple[str | None, object]:
        """(OK, pk), (CANCELLED, pk), (NEW, None), or (None, Bad) when it did not run."""
        activity = self.directory.activities.get(activity_id)
        if activity is None:
            return None, Bad("unknown_activity", _("this activity no longer exists"))
        found = self.sessions_of(activity_id).get(day)
        if found is not None:
            return (CANCELLED if found[1] else OK), found[0]
        why = self._not_running(activity, day)
        return (NEW, None) if why is None else (None, why)

    def _rule_dates_of(self, activity) -> frozenset[date]:
        dates = self._rule_dates.get(activity.pk)
        if dates is None:
            try:
                dates = frozenset(
                    start.date()
                    for start in recurrence.local_occurrences(
                        activity.rrule,
                        activity.first_date,
                        activity.start_time,
                        activity.first_date,
                        self.today,
                        last_date=activity.last_date,
                    )
                )
            except ValidationError:
                dates = frozenset()
            self._rule_dates[activity.pk] = dates
        return dates

    def _not_running(self, activity, day: date) -> Bad | None:
        values = {"activity": activity.title, "date": long_date(day)}
        if day < activity.first_date:
            values["first"] = long_date(activity.first_date)
            return Bad(
                "not_started",
                _("%(activity)s only started on %(first)s, so not on %(date)s") % values,
            )
        if activity.last_date and day > activity.last_date:
            values["last"] = long_date(activity.last_date)
            return Bad("ended", _("%(activity)s ended on %(last)s, so not on %(date)s") % values)
        try:
            skipped = activity.exception_date_list
        except ValidationError:
            skipped = []
        if day in skipped:
            return Bad(
                "no_activity_that_day",
                _("%(activity)s did not take place on %(date)s (a date without this activity)")
                % values,
            )
        if day not in self._rule_dates_of(activity):
            return Bad(
                "not_on_schedule",
                _(
                    "%(activity)s does not take place on %(date)s according to its schedule; "
                    "for an extra session, add it in the management pages first"
                )
                % values,
            )
        return None
