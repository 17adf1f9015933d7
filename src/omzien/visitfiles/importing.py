"""Importing a visit file: check every row, then write everything in one transaction.

What the import does (the rules a coordinator can rely on):

- **All or nothing.** The file is read once. Every row is checked (texts, dates, the
  session, the person's consistency within the file) and reduced to three numbers, its
  row, its person and its session, which go to a temporary spool file; memory holds only
  the distinct people and sessions. Then the people and sessions are checked against the
  database. With any problem nothing is written and every problem is reported (row,
  column, message). Otherwise, inside one transaction, the distinct people and sessions
  are checked again against the now locked database state, people, consent answers and
  past sessions are written, and the spool becomes visits in batches of 5000. Should the
  database have changed in between so that a row is no longer right, the transaction is
  rolled back and the problems are reported.
- **Idempotent.** People are matched on person_ref, sessions on activity and date, visits
  on person and session (the database's unique constraint decides), and a consent answer
  is only recorded when it differs from the person's latest answer. Importing the same
  file twice adds nothing the second time.
- **Dry run** (``dry_run=True``) is the same import, rolled back at the end: the counts are
  exactly what a real import would add, and nothing is kept.

What counts as a problem (each reported with the row as Excel shows it, the column and a
message a volunteer understands):

- the file: not .csv/.xlsx, not UTF-8, unreadable, a required column missing or a column
  twice (columns the format does not know are ignored, with a notice);
- a row: person_ref, first_name, place, activity or date empty; a text longer than the
  database keeps; a village, place or activity nobody is called (by name or slug, case
  and accents ignored), or a name that several share (then the slug is needed); a place
  the uploading coordinator does not manage; a date not written YYYY-MM-DD, a date that
  does not exist, a date after today; a date on which the activity did not run: before
  its first date, after its last date, on one of its dates without activity, or not on
  its recurrence rule (a session that exists is always accepted, e.g. an extra one, so
  a coordinator adds an extra session in the admin first); a cancelled session (unless
  the visit is already recorded, so an export of such a visit imports again); a consent
  word other than names, followup and questionnaires;
- a person: the same person_ref with another first name, last name, village or consent
  elsewhere in the file; a person_ref Omzien knows with another first name, last name or
  village (names compared ignoring case and accents; an empty last name or village on
  either side is no conflict: the file fills in what Omzien lacks); a reference
  ``omzien-<number>`` that Omzien did not hand out; a consent the person explicitly
  refused or withdrew in Omzien while the file says yes (an import never turns
  somebody's "no" into "yes"; that needs their own answer); a new person whose last visit
  in the file lies longer ago than OMZIEN_RETENTION_YEARS (Omzien forgets such people,
  as it promises them; an import must not bring them back).

The ``consent`` column, when present, is a person's whole current answer: the purposes
listed are given, the others not (an empty cell: none given). Without the column
consent is left alone. Unknown sessions of a known activity on a date it ran are created
as past sessions at the rule's time. Existing people are never renamed or moved.
A row whose cells are all empty is skipped.
"""

import array
import contextlib
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.agenda import recurrence
from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.audit import services as audit
from omzien.people.models import (
    Consent,
    Person,
    generated_pk,
    latest_answers,
    normalise_for_search,
)
from omzien.privacy.retention import retention_cutoff
from omzien.visitfiles.checking import (
    CANCELLED,
    NEW,
    OK,
    PURPOSES,
    Bad,
    Problem,
    Problems,
    State,
    long_date,
)
from omzien.visitfiles.formats import (
    ALL_COLUMNS,
    COLUMNS,
    CONSENT,
    VisitFileError,
    normalise_header,
    open_visit_file,
)

BATCH_SIZE = 5000
QUERY_CHUNK = 500  # ids per IN (...) query, well below SQLite's parameter limit
PROGRESS_EVERY = 20_000  # rows
SQLITE_CACHE_KIB = 64 * 1024
SPOOL_FLUSH = 3 * BATCH_SIZE  # numbers (three per row) kept in memory before writing

Progress = Callable[[str, int, int | None], None]

__all__ = ["ImportResult", "Problem", "import_visits", "max_upload_bytes"]


def max_upload_bytes() -> int:
    """The largest visit file the upload page takes (setting OMZIEN_VISIT_FILE_MAX_BYTES)."""
    return settings.OMZIEN_VISIT_FILE_MAX_BYTES


@dataclass
class ImportResult:
    """What an import found and added (or, in a dry run, would add)."""

    name: str
    dry_run: bool = False
    rows: int = 0
    people: int = 0
    people_completed: int = 0
    sessions: int = 0
    visits: int = 0
    consents: int = 0
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    notices: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def visits_known(self) -> int:
        """Rows whose visit was already recorded (or that repeat a row of the file)."""
        return self.rows - self.visits


def _chunks(items, size=QUERY_CHUNK):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Person:
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
        "last_day",
    )

    def __init__(self, index, row, texts, first_name, last_name, village, place, consent):
        self.index = index
        self.last_day = date.min  # of the person's visits in the file
        self.row = row
        self.texts = texts  # the first row's texts: later rows that repeat them are fine
        self.first_name = first_name
        self.last_name = last_name
        self.village = village
        self.place = place
        self.consent = consent


@dataclass(frozen=True)
class _SessionKey:
    activity: int
    day: date
    row: int  # the first row that needs it, for a message


class _Spool:
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


class _FirstPass:
    """Reads the rows once: checks each, spools the good ones, collects people and sessions."""

    def __init__(self, index: dict[str, int], width: int, state: State, problems: Problems):
        self.state = state
        self.problems = problems
        self.width = width
        self.columns = tuple(index[column] for column in COLUMNS)
        self.i_consent = index.get(CONSENT)
        self.people: dict[str, _Person] = {}
        self.sessions: list[_SessionKey] = []
        self._days: list[date] = []  # the sessions' dates, for the fast path
        self._session_index: dict[tuple[int, date], int] = {}
        self._by_text: dict[tuple[str, str, str], int] = {}
        self.spool = _Spool()
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
        if not (ref or first or last or village or place or activity or day or consent):
            return
        self.rows += 1
        session = self._by_text.get((place, activity, day))
        if session is None:
            session = self._session(row, place, activity, day)
        person = self.people.get(ref)
        if person is None or person.texts != (first, last, village, consent):
            person = self._person(row, ref, first, last, village, consent, session)
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
            self.sessions.append(_SessionKey(activity, day, row))
            self._days.append(day)
            self._session_index[key] = number
        if len(self._by_text) < State.MAX_CACHE:
            self._by_text[place_text, activity_text, day_text] = number
        return number

    def _person(self, row, ref, first, last, village_text, consent_text, session):
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
        if not good:
            return None
        person = self.people.get(ref)
        if person is None:
            place = None
            if session is not None:
                activity = self.state.directory.activities[self.sessions[session].activity]
                place = activity.place_id
            texts = (first, last, village_text, consent_text)
            person = _Person(len(self.people), row, texts, first, last, village, place, consent)
            self.people[ref] = person
            return person
        return (
            person if self._same_person(row, ref, person, first, last, village, consent) else None
        )

    def _same_person(self, row, ref, person: _Person, first, last, village, consent) -> bool:
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
        if good:  # what the first row left empty, a later one may fill in
            person.last_name = person.last_name or last
            if person.village is None:
                person.village = village
        return good


@dataclass
class _PeoplePlan:
    pks: list  # person number to pk; None for people still to be created
    new: list[str] = field(default_factory=list)
    completions: dict[int, dict] = field(default_factory=dict)
    consents: list[tuple[int, str, bool]] = field(default_factory=list)  # number, purpose


def _check_people(people: dict[str, _Person], problems: Problems, consent_column: bool, today):
    """Compare the file's people with the database: problems, and what to write.

    A new person whose last visit in the file lies beyond the retention period is a
    problem: Omzien would forget them the next night, as it promised them.
    """
    cutoff = retention_cutoff(today)
    plan = _PeoplePlan(pks=[None] * len(people))
    generated = {}
    explicit = []
    for ref in people:
        pk = generated_pk(ref)
        if pk is None:
            explicit.append(ref)
        else:
            generated[pk] = ref
    found: dict[str, tuple] = {}
    fields = ("pk", "ref", "first_name", "last_name", "village_id")
    for chunk in _chunks(explicit):
        for row in Person.objects.filter(ref__in=chunk).values_list(*fields):
            found[row[1]] = row
    for chunk in _chunks(generated):
        for row in Person.objects.filter(pk__in=chunk).values_list(*fields):
            ref = generated[row[0]]
            if not row[1] or row[1] == ref:
                found.setdefault(ref, row)
    add = problems.add
    for ref, person in people.items():
        existing = found.get(ref)
        if existing is None:
            if generated_pk(ref) is not None:
                add(
                    person.row,
                    "person_ref",
                    "unknown_omzien_ref",
                    _(
                        "person_ref %(ref)s has the form Omzien uses for its own numbers, "
                        "but Omzien knows nobody by it; choose another person_ref"
                    )
                    % {"ref": ref},
                )
            elif date.min < person.last_day < cutoff:
                add(
                    person.row,
                    "date",
                    "past_retention",
                    _(
                        "person_ref %(ref)s was last here on %(date)s: longer ago than Omzien "
                        "keeps people (%(years)d years), so their visits cannot be imported"
                    )
                    % {
                        "ref": ref,
                        "date": long_date(person.last_day),
                        "years": settings.OMZIEN_RETENTION_YEARS,
                    },
                )
            else:
                plan.new.append(ref)
            continue
        pk, _ref, first, last, village = existing
        plan.pks[person.index] = pk
        if normalise_for_search(first) != normalise_for_search(person.first_name):
            add(
                person.row,
                "first_name",
                "known_other_first_name",
                _(
                    "person_ref %(ref)s belongs to someone with another first name in "
                    "Omzien; check the person_ref"
                )
                % {"ref": ref},
            )
        elif (
            last
            and person.last_name
            and normalise_for_search(last) != normalise_for_search(person.last_name)
        ):
            add(
                person.row,
                "last_name",
                "known_other_last_name",
                _(
                    "person_ref %(ref)s belongs to someone with another last name in "
                    "Omzien; check the person_ref"
                )
                % {"ref": ref},
            )
        elif village is not None and person.village is not None and village != person.village:
            add(
                person.row,
                "village",
                "known_other_village",
                _(
                    "person_ref %(ref)s lives in another village according to Omzien; "
                    "a move is changed in the management pages, not by an import"
                )
                % {"ref": ref},
            )
        else:
            completion = {}
            if not last and person.last_name:
                completion["last_name"] = person.last_name
            if village is None and person.village is not None:
                completion["village_id"] = person.village
            if completion:
                plan.completions[pk] = completion
    if consent_column:
        _check_consents(people, plan, problems)
    return plan


def _check_consents(people: dict[str, _Person], plan: _PeoplePlan, problems: Problems) -> None:
    latest: dict[tuple[int, str], bool] = {}
    for chunk in _chunks(pk for pk in plan.pks if pk is not None):
        latest.update(latest_answers(Consent.objects.filter(person_id__in=chunk)))
    for ref, person in people.items():
        pk = plan.pks[person.index]
        for purpose in PURPOSES:
            wanted = purpose in person.consent
            current = latest.get((pk, purpose)) if pk is not None else None
            if wanted and current is False:
                problems.add(
                    person.row,
                    CONSENT,
                    "consent_refused",
                    _(
                        "person_ref %(ref)s said no to '%(purpose)s' in Omzien; an import "
                        "cannot change a no into a yes, only the person can (at the door)"
                    )
                    % {"ref": ref, "purpose": purpose},
                )
            elif wanted != bool(current):
                plan.consents.append((person.index, purpose, wanted))


def _check_sessions(keys: list[_SessionKey], state: State, problems: Problems) -> list[list]:
    """[kind, pk] per session number, as the database says now."""
    sessions = []
    for key in keys:
        kind, value = state.session(key.activity, key.day)
        if kind is None:
            problems.add(key.row, "date", value.code, value.message)
        sessions.append([kind, value])
    return sessions


def _check_cancelled(rows, problems: Problems, keys: list[_SessionKey], state: State) -> None:
    """Rows on cancelled sessions are fine only when the visit is already recorded.

    rows: (row, session number, session pk, person pk or None).
    """
    by_session = defaultdict(set)
    for _row, _number, session, person in rows:
        if person is not None:
            by_session[session].add(person)
    known = set()
    for session, people in by_session.items():
        for chunk in _chunks(people):
            known.update(
                Visit.objects.filter(session_id=session, person_id__in=chunk).values_list(
                    "session_id", "person_id"
                )
            )
    for row, number, session, person in rows:
        if (session, person) not in known:
            key = keys[number]
            problems.add(
                row,
                "date",
                "cancelled",
                _("the session of %(activity)s on %(date)s was cancelled")
                % {
                    "activity": state.directory.activities[key.activity].title,
                    "date": long_date(key.day),
                },
            )


def _column_index(header: list[str], header_row: int, problems: Problems, notices: Problems):
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        column = normalise_header(name)
        if not column:
            continue
        if column in index:
            problems.add(
                header_row,
                column,
                "duplicate_column",
                _("the column %(column)s appears twice") % {"column": column},
            )
        elif column in ALL_COLUMNS:
            index[column] = position
        else:
            notices.add(
                header_row,
                str(name).strip(),
                "ignored_column",
                _("the column '%(column)s' is not part of the format and was ignored")
                % {"column": str(name).strip()},
            )
    for column in COLUMNS:
        if column not in index:
            problems.add(
                header_row,
                column,
                "missing_column",
                _(
                    "the column %(column)s is missing; the first row must name the columns "
                    "%(columns)s"
                )
                % {"column": column, "columns": ", ".join(ALL_COLUMNS)},
            )
    return index


class _Rollback(Exception):
    pass


def import_visits(
    path,
    *,
    dry_run: bool = False,
    user=None,
    allowed_places=None,
    today: date | None = None,
    progress: Progress | None = None,
    name: str | None = None,
) -> ImportResult:
    """Check a visit file and, when every row is right, add what it holds.

    ``allowed_places``: ids of the places the importing user manages (None: all).
    ``progress(stage, position, total)`` is called now and then, with stage "check"
    (position and total in bytes for CSV, rows for .xlsx) and then "write" (rows).
    Problems in the file never raise: they are in the result.
    """
    today = today or timezone.localdate()
    result = ImportResult(name=name or Path(path).name, dry_run=dry_run)
    problems, notices = Problems(), Problems()
    first = None
    try:
        first = _read(path, today, allowed_places, problems, notices, progress)
        if first is not None:
            result.rows = first.rows
            _settle(first, first.state, problems, result, write=False)
            if not problems:
                _write(first, today, allowed_places, problems, result, user, progress)
    except VisitFileError as error:
        problems.add(error.row or 0, "", "unreadable", error.message)
    finally:
        if first is not None:
            first.spool.close()
    order = {column: number for number, column in enumerate(ALL_COLUMNS)}
    result.errors = sorted(problems.items, key=lambda p: (p.row, order.get(p.column, -1)))
    result.error_count = problems.count
    result.notices = notices.items
    if problems:
        result.people = result.people_completed = result.sessions = 0
        result.visits = result.consents = 0
    return result


def _read(path, today, allowed_places, problems, notices, progress) -> _FirstPass | None:
    with open_visit_file(path) as source:
        index = _column_index(source.header, source.header_row, problems, notices)
        if problems:
            return None
        first = _FirstPass(index, len(source.header), State(today, allowed_places), problems)
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


def _write(first: _FirstPass, today, allowed_places, problems, result, user, progress) -> None:
    """The writing pass: one transaction, rolled back on any problem or in a dry run."""
    try:
        with transaction.atomic(), _tuned_for_bulk():
            _settle(
                first,
                State(today, allowed_places),
                problems,
                result,
                write=True,
                user=user,
                progress=progress,
            )
            if problems or result.dry_run:
                raise _Rollback
            audit.record(
                user,
                "import",
                "visit file",
                detail=(
                    f"{result.name}: {result.rows} rows, {result.people} people, "
                    f"{result.sessions} sessions, {result.visits} visits, "
                    f"{result.consents} consents"
                ),
            )
    except _Rollback:
        pass


def _settle(first, state, problems, result, *, write, user=None, progress=None) -> None:
    """Check the file's people and sessions against the database; with write, add them.

    Run twice: on the state the rows were checked against (only to find problems), and
    inside the writing transaction on a fresh state, where it also writes.
    """
    plan = _check_people(first.people, problems, first.i_consent is not None, state.today)
    sessions = _check_sessions(first.sessions, state, problems)
    write = write and not problems
    if write:
        now = timezone.now()
        _write_people(first.people, plan, result, now, user)
        _write_sessions(first.sessions, sessions, state, result)
    cancelled = [kind == CANCELLED for kind, _pk in sessions]
    person_pks = plan.pks
    cancelled_rows = []
    if write:
        writer = _VisitWriter(now, user)
        done = 0
        for batch in first.spool:
            for offset in range(0, len(batch), 3):
                row, person, session = batch[offset : offset + 3]
                if cancelled[session]:
                    cancelled_rows.append((row, session, sessions[session][1], person_pks[person]))
                else:
                    writer.add(sessions[session][1], person_pks[person])
            done += len(batch) // 3
            if progress is not None:
                progress("write", done, first.rows)
        writer.flush()
        result.visits = writer.added
    elif any(cancelled):
        for batch in first.spool:
            for offset in range(0, len(batch), 3):
                row, person, session = batch[offset : offset + 3]
                if cancelled[session]:
                    cancelled_rows.append((row, session, sessions[session][1], person_pks[person]))
    if cancelled_rows:
        _check_cancelled(cancelled_rows, problems, first.sessions, state)


def _write_people(people: dict[str, _Person], plan: _PeoplePlan, result, now, user) -> None:
    """Create the new people, fill in gaps of known ones, record changed consent answers."""
    new = [
        Person(
            ref=ref,
            first_name=people[ref].first_name,
            last_name=people[ref].last_name,
            village_id=people[ref].village,
            registered_place_id=people[ref].place,
        )
        for ref in plan.new
    ]
    created = Person.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if any(person.pk is None for person in created):  # databases without RETURNING
        pks = {}
        for chunk in _chunks(plan.new):
            pks.update(Person.objects.filter(ref__in=chunk).values_list("ref", "pk"))
        for person in created:
            person.pk = pks[person.ref]
    for person in created:
        plan.pks[people[person.ref].index] = person.pk
    result.people = len(created)

    if plan.completions:
        completed = list(Person.objects.filter(pk__in=list(plan.completions)))
        for person in completed:
            for name, value in plan.completions[person.pk].items():
                setattr(person, name, value)
            person.search_name = person.compute_search_name()
        Person.objects.bulk_update(
            completed, ["last_name", "village", "search_name"], batch_size=BATCH_SIZE
        )
        result.people_completed = len(completed)

    recorded_by = user if user is not None and user.is_authenticated else None
    consents = [
        Consent(
            person_id=plan.pks[number],
            purpose=purpose,
            given=given,
            recorded_at=now,
            recorded_by=recorded_by,
            source="import",
        )
        for number, purpose, given in plan.consents
    ]
    Consent.objects.bulk_create(consents, batch_size=BATCH_SIZE)
    result.consents = len(consents)


def _write_sessions(keys: list[_SessionKey], sessions: list[list], state: State, result) -> None:
    """Create the past sessions the file needs, at the time their rule gives them."""
    zone = recurrence.local_zone()
    new = []
    for key, (kind, _pk) in zip(keys, sessions, strict=True):
        if kind != NEW:
            continue
        activity = state.directory.activities[key.activity]
        starts_at = datetime.combine(key.day, activity.start_time, tzinfo=zone)
        new.append(
            Session(
                activity_id=key.activity,
                date=key.day,
                starts_at=starts_at,
                ends_at=starts_at + activity.duration,
            )
        )
    if not new:
        return
    # Another process may create one of them meanwhile (PostgreSQL): then that one counts.
    Session.objects.bulk_create(new, batch_size=BATCH_SIZE, ignore_conflicts=True)
    result.sessions = len(new)
    state.forget_sessions({session.activity_id for session in new})
    for number, (key, entry) in enumerate(zip(keys, sessions, strict=True)):
        if entry[0] == NEW:
            pk, is_cancelled = state.sessions_of(key.activity)[key.day]
            sessions[number] = [CANCELLED if is_cancelled else OK, pk]


@contextlib.contextmanager
def _tuned_for_bulk():
    """Database settings for the writing transaction (only it), both tried on 1M rows.

    PostgreSQL: check foreign keys per statement instead of queueing two million checks
    for COMMIT (deferred, as Django declares them), which is a quarter faster. SQLite: a
    larger page cache, since a visit's indexes are spread by person and the default 2 MB
    makes SQLite read the same index pages again and again (a third faster).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield
        # Only reached when the block succeeded (a rollback restores the mode itself):
        # within an outer transaction, back to how Django declares the constraints.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


class _VisitWriter:
    """Inserts visits in batches; the unique constraint skips those already there.

    PostgreSQL gets one statement per batch (the pairs as two arrays, unnested); other
    databases one prepared statement executed for every row, which SQLite does fastest.
    """

    def __init__(self, now: datetime, user):
        self.batch: list[tuple] = []
        self.added = 0
        self.recorded_at = connection.ops.adapt_datetimefield_value(now)
        self.user_id = user.pk if user is not None and user.is_authenticated else None
        meta = Visit._meta
        quote = connection.ops.quote_name
        names = ("session", "person", "recorded_at", "recorded_by")
        columns = ", ".join(quote(meta.get_field(name).column) for name in names)
        self.unnest = connection.vendor == "postgresql"
        if self.unnest:
            # Table and column names come from the model; values are parameters.
            self.sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
                "SELECT session, person, %s, %s "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS visit (session, person) "
                "ON CONFLICT DO NOTHING"
            )
            return
        self.sql = " ".join(
            part
            for part in (
                connection.ops.insert_statement(on_conflict=OnConflict.IGNORE),
                quote(meta.db_table),
                f"({columns}) VALUES (%s, %s, %s, %s)",
                connection.ops.on_conflict_suffix_sql(
                    [meta.get_field("session"), meta.get_field("person")],
                    OnConflict.IGNORE,
                    None,
                    None,
                ),
            )
            if part
        )

    def add(self, session: int, person: int) -> None:
        self.batch.append((session, person))
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        self.batch.sort()  # neighbouring keys: fewer index pages touched per batch
        recorded_at, user_id = self.recorded_at, self.user_id
        with connection.cursor() as cursor:
            if self.unnest:
                sessions, people = zip(*self.batch, strict=True)
                cursor.execute(self.sql, [recorded_at, user_id, list(sessions), list(people)])
            else:
                cursor.executemany(
                    self.sql,
                    [(session, person, recorded_at, user_id) for session, person in self.batch],
                )
            self.added += max(cursor.rowcount, 0)
        self.batch = []
