"""Reading and checking the rows of a visit file (the first pass of ``import_visits``).

``read_rows`` opens the file (``formats.open_visit_file``), maps the header to the
format's columns and hands every row to a ``RowChecker``: it checks the row's texts,
date and session and the person's consistency within the file, reports problems, and
reduces each good row to three numbers, its row, its person and its session, spooled to
a temporary file (``Spool``). Memory holds only the distinct people (``FilePerson``)
and sessions (``SessionKey``) of the file; ``visitfiles.plan`` compares those with the
database.
"""

import array
import contextlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from omzien.people.models import normalise_for_search
from omzien.visitfiles.checking import Bad, Problems, State
from omzien.visitfiles.formats import (
    ALL_COLUMNS,
    COLUMNS,
    CONSENT,
    CONSENT_DATE,
    DUTCH_NAMES,
    ENGLISH_NAMES,
    header_column,
    open_visit_file,
)

PROGRESS_EVERY = 20_000  # rows
SPOOL_FLUSH = 3 * 5000  # numbers (three per row) kept in memory before writing

# progress(stage, position, total): stage "check" (bytes for CSV, rows for .xlsx) or
# "write" (rows).
Progress = Callable[[str, int, int | None], None]


class FilePerson:
    """A person as the file describes them: from their first row, gaps filled by later ones."""

    __slots__ = (
        "index",
        "row",
        "texts",
        "first_name",
        "last_name",
        "village",
        "place",
        "consent",
        "consent_day",
        "last_day",
    )

    def __init__(
        self, index, row, texts, first_name, last_name, village, place, consent, consent_day
    ):
        self.index = index
        self.last_day = date.min  # of the person's visits in the file
        self.row = row
        self.texts = texts  # the first row's texts: later rows that repeat them are fine
        self.first_name = first_name
        self.last_name = last_name
        self.village = village
        self.place = place
        self.consent = consent
        self.consent_day = consent_day  # when they agreed (None: the time of import)


@dataclass(frozen=True)
class SessionKey:
    activity: int
    day: date
    row: int  # the first row that needs it, for a message


class Spool:
    """(row, person, session) numbers of the good rows, in a temporary file."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.buffer = array.array("l")

    def add(self, row: int, person: int, session: int) -> None:
        self.buffer.extend((row, person, session))
        if len(self.buffer) >= SPOOL_FLUSH:
            self.buffer.tofile(self.file)
            del self.buffer[:]

    def __iter__(self):
        """Batches of (row, person, session) triples as a flat array."""
        self.buffer.tofile(self.file)
        del self.buffer[:]
        self.file.seek(0)
        while True:
            batch = array.array("l")
            with contextlib.suppress(EOFError):  # the last batch is shorter
                batch.fromfile(self.file, SPOOL_FLUSH)
            if not batch:
                return
            yield batch

    def close(self):
        self.file.close()


class RowChecker:
    """Reads the rows once: checks each, spools the good ones, collects people and sessions."""

    def __init__(self, index: dict[str, int], width: int, state: State, problems: Problems):
        self.state = state
        self.problems = problems
        self.width = width
        self.columns = tuple(index[column] for column in COLUMNS)
        self.i_consent = index.get(CONSENT)
        self.i_consent_date = index.get(CONSENT_DATE)
        self.people: dict[str, FilePerson] = {}
        self.sessions: list[SessionKey] = []
        self._days: list[date] = []  # the sessions' dates, for the fast path
        self._session_index: dict[tuple[int, date], int] = {}
        self._by_text: dict[tuple[str, str, str], int] = {}
        self.spool = Spool()
        self.rows = 0

    def check(self, row: int, values: list[str]) -> None:
        if len(values) < self.width:
            values = values + [""] * (self.width - len(values))
        elif len(values) > self.width and any(value.strip() for value in values[self.width :]):
            self.problems.add(
                row,
                "",
                "too_many_values",
                _("this row has more values than there are columns; is a value missing quotes?"),
            )
            return
        i_ref, i_first, i_last, i_village, i_place, i_activity, i_date = self.columns
        ref = values[i_ref].strip()
        first = values[i_first].strip()
        last = values[i_last].strip()
        village = values[i_village].strip()
        place = values[i_place].strip()
        activity = values[i_activity].strip()
        day = values[i_date].strip()
        consent = None if self.i_consent is None else values[self.i_consent].strip()
        agreed = "" if self.i_consent_date is None else values[self.i_consent_date].strip()
        if not (ref or first or last or village or place or activity or day or consent or agreed):
            return
        self.rows += 1
        session = self._by_text.get((place, activity, day))
        if session is None:
            session = self._session(row, place, activity, day)
        person = self.people.get(ref)
        if person is None or person.texts != (first, last, village, consent, agreed):
            person = self._person(row, ref, first, last, village, consent, agreed, session)
        if person is not None and session is not None:
            self.spool.add(row, person.index, session)
            if self._days[session] > person.last_day:
                person.last_day = self._days[session]

    def _session(self, row: int, place_text: str, activity_text: str, day_text: str):
        """The number of the row's session, or None after reporting what is wrong."""
        add = self.problems.add
        state = self.state
        place = activity = day = None
        good = True
        if not place_text:
            add(row, "place", "required", _("the meeting place is empty"))
            good = False
        else:
            place = state.place(place_text)
            if type(place) is Bad:
                add(row, "place", place.code, place.message)
                good = False
                place = None
        if not activity_text:
            add(row, "activity", "required", _("the activity is empty"))
            good = False
        elif place is not None:
            activity = state.activity(place, activity_text)
            if type(activity) is Bad:
                add(row, "activity", activity.code, activity.message)
                good = False
        if not day_text:
            add(row, "date", "required", _("the date is empty"))
            good = False
        else:
            day = state.day(day_text)
            if type(day) is Bad:
                add(row, "date", day.code, day.message)
                good = False
        if not good:
            return None
        key = (activity, day)
        number = self._session_index.get(key)
        if number is None:
            kind, verdict = state.session(activity, day)
            if kind is None:
                add(row, "date", verdict.code, verdict.message)
                return None
            number = len(self.sessions)
            self.sessions.append(SessionKey(activity, day, row))
            self._days.append(day)
            self._session_index[key] = number
        if len(self._by_text) < State.MAX_CACHE:
            self._by_text[place_text, activity_text, day_text] = number
        return number

    def _person(self, row, ref, first, last, village_text, consent_text, agreed_text, session):
        """The row's person (new or as before), or None after reporting what is wrong."""
        add = self.problems.add
        good = True
        if not ref:
            add(row, "person_ref", "required", _("person_ref is empty; every row needs one"))
            good = False
        elif len(ref) > 64:
            add(row, "person_ref", "too_long", _("person_ref is longer than 64 characters"))
            good = False
        if not first:
            add(row, "first_name", "required", _("the first name is empty"))
            good = False
        elif len(first) > 100:
            add(row, "first_name", "too_long", _("the first name is longer than 100 characters"))
            good = False
        if len(last) > 100:
            add(row, "last_name", "too_long", _("the last name is longer than 100 characters"))
            good = False
        village = None
        if village_text:
            village = self.state.village(village_text)
            if type(village) is Bad:
                add(row, "village", village.code, village.message)
                good = False
        consent = None
        if consent_text is not None:
            consent = self.state.consent(consent_text)
            if type(consent) is Bad:
                add(row, CONSENT, consent.code, consent.message)
                good = False
        agreed = None
        if agreed_text:
            agreed = self.state.consent_day(agreed_text)
            if type(agreed) is Bad:
                add(row, CONSENT_DATE, agreed.code, agreed.message)
                good = False
        if not good:
            return None
        person = self.people.get(ref)
        if person is None:
            place = None
            if session is not None:
                activity = self.state.directory.activities[self.sessions[session].activity]
                place = activity.place_id
            texts = (first, last, village_text, consent_text, agreed_text)
            person = FilePerson(
                len(self.people), row, texts, first, last, village, place, consent, agreed
            )
            self.people[ref] = person
            return person
        same = self._same_person(row, ref, person, first, last, village, consent, agreed)
        return person if same else None

    def _same_person(
        self, row, ref, person: FilePerson, first, last, village, consent, agreed
    ) -> bool:
        add = self.problems.add
        names = self.state.directory.villages.names
        values = {"ref": ref, "row": person.row}
        good = True
        if normalise_for_search(first) != normalise_for_search(person.first_name):
            values.update(value=first, other=person.first_name)
            add(
                row,
                "first_name",
                "other_first_name",
                _(
                    "person_ref %(ref)s has the first name '%(value)s' here, but "
                    "'%(other)s' in row %(row)d"
                )
                % values,
            )
            good = False
        if (
            last
            and person.last_name
            and normalise_for_search(last) != normalise_for_search(person.last_name)
        ):
            values.update(value=last, other=person.last_name)
            add(
                row,
                "last_name",
                "other_last_name",
                _(
                    "person_ref %(ref)s has the last name '%(value)s' here, but "
                    "'%(other)s' in row %(row)d"
                )
                % values,
            )
            good = False
        if village is not None and person.village is not None and village != person.village:
            values.update(value=names[village], other=names[person.village])
            add(
                row,
                "village",
                "other_village",
                _("person_ref %(ref)s lives in %(value)s here, but in %(other)s in row %(row)d")
                % values,
            )
            good = False
        if consent != person.consent:
            add(
                row,
                CONSENT,
                "other_consent",
                _("person_ref %(ref)s has other consent here than in row %(row)d") % values,
            )
            good = False
        if agreed is not None and person.consent_day is not None and agreed != person.consent_day:
            add(
                row,
                CONSENT_DATE,
                "other_consent_date",
                _("person_ref %(ref)s has another consent date here than in row %(row)d") % values,
            )
            good = False
        if good:  # what the first row left empty, a later one may fill in
            person.last_name = person.last_name or last
            if person.village is None:
                person.village = village
            if person.consent_day is None:
                person.consent_day = agreed
        return good


def column_index(
    header: list[str],
    header_row: int,
    problems: Problems,
    notices: Problems,
    names: dict[str, str] | None = None,
):
    """Column -> position; a missing or doubled column is a problem, others a notice.

    Columns may be named in English or Dutch (``formats.DUTCH_COLUMNS``); ``names`` gets
    each column's name as the file writes it (normalised), so messages use the file's
    words, and the name of a missing column is given in the file's language.
    """
    index: dict[str, int] = {}
    names = {} if names is None else names
    for position, name in enumerate(header):
        column, written = header_column(name)
        if not column:
            continue
        if column in index:
            if written != names[column]:
                problems.add(
                    header_row,
                    f"{names[column]}/{written}",
                    "same_column_twice",
                    _("the columns %(first)s and %(second)s are the same column; keep one of them")
                    % {"first": names[column], "second": written},
                )
            else:
                problems.add(
                    header_row,
                    written,
                    "duplicate_column",
                    _("the column %(column)s appears twice") % {"column": written},
                )
        elif column in ALL_COLUMNS:
            index[column] = position
            names[column] = written
        else:
            notices.add(
                header_row,
                str(name).strip(),
                "ignored_column",
                _("the column '%(column)s' is not part of the format and was ignored")
                % {"column": str(name).strip()},
            )
    dutch = any(names[column] != column for column in index)
    language = DUTCH_NAMES if dutch else ENGLISH_NAMES
    for column in COLUMNS:
        if column not in index:
            names[column] = language[column]
            problems.add(
                header_row,
                language[column],
                "missing_column",
                _(
                    "the column %(column)s is missing; the first row must name the columns "
                    "%(columns)s"
                )
                % {
                    "column": language[column],
                    "columns": ", ".join(language[column] for column in ALL_COLUMNS),
                },
            )
    if CONSENT_DATE in index and CONSENT not in index:
        names.setdefault(CONSENT, language[CONSENT])
        problems.add(
            header_row,
            names[CONSENT_DATE],
            "consent_date_without_consent",
            _(
                "the column %(column)s says when the person agreed, so it needs the column "
                "%(consent)s with what they agreed to"
            )
            % {"column": names[CONSENT_DATE], "consent": language[CONSENT]},
        )
    return index


def read_rows(
    path, today, allowed_places, problems, notices, progress, names=None
) -> RowChecker | None:
    """Every row checked and spooled; None when the header already has problems.
    ``names`` gets the columns' names as the file writes them (``column_index``)."""
    with open_visit_file(path) as source:
        index = column_index(source.header, source.header_row, problems, notices, names)
        if problems:
            return None
        first = RowChecker(index, len(source.header), State(today, allowed_places), problems)
        check = first.check
        next_report = PROGRESS_EVERY
        for count, (row, values) in enumerate(source, start=1):
            check(row, values)
            if progress is not None and count >= next_report:
                next_report += PROGRESS_EVERY
                progress("check", source.position, source.total)
        if progress is not None:
            progress("check", source.total or source.position, source.total)
    return first
