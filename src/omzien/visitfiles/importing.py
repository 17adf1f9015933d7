"""Importing a visit file: check every row, then write everything in one transaction.

The pipeline: ``rows`` reads and checks the rows and spools the good ones, ``plan``
compares the file's people and sessions with the database (what would be created),
``writing`` writes them in bulk; ``import_visits`` here runs them, all or nothing.

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
  twice, also once in Dutch and once in English (``datum`` and ``date``), or
  ``consent_date`` without ``consent`` (columns the format does not know are ignored,
  with a notice);
- a row: person_ref, first_name, place, activity or date empty; a text longer than the
  database keeps; a village, place or activity nobody is called (by name or slug, case
  and accents ignored), or a name that several share (then the slug is needed); a place
  the uploading coordinator does not manage; a date not written as a date
  (``checking.parse_date``: 2026-11-24, 24-11-2026, 24/11/2026, 24.11.2026, 24-11-26 for
  2026, each with a time that is ignored; an .xlsx date cell), a date that does not
  exist, a date after today; a date on which the activity did not run: before
  its first date, after its last date, on one of its dates without activity, or not on
  its recurrence rule (a session that exists is always accepted, e.g. an extra one, so
  a coordinator adds an extra session in the admin first); a cancelled session (unless
  the visit is already recorded, so an export of such a visit imports again); a consent
  word other than names, followup and questionnaires; a consent date that is no date,
  lies after today or before 2000;
- a person: the same person_ref with another first name, last name, village or consent
  elsewhere in the file; a person_ref Omzien knows with another first name, last name or
  village (names compared ignoring case and accents; an empty last name or village on
  either side is no conflict: the file fills in what Omzien lacks); a reference
  ``omzien-<number>`` that Omzien did not hand out; a consent the person explicitly
  refused or withdrew in Omzien while the file says yes (an import never turns
  somebody's "no" into "yes"; that needs their own answer); a new person whose last visit
  in the file lies longer ago than OMZIEN_RETENTION_YEARS (Omzien forgets such people,
  as it promises them; an import must not bring them back); another consent date for
  the same person_ref elsewhere in the file; a consent date before the latest answer
  Omzien has for a purpose the import would change (the latest answer counts, so an
  older paper form cannot overrule a newer answer).

The ``consent`` column, when present, is a person's whole current answer: the purposes
listed are given, the others not (an empty cell: none given). Without the column
consent is left alone. The ``consent_date`` column says when the person gave that
answer (signed the paper form): the Consent rows are recorded at noon of that day
(Europe/Amsterdam; just after Omzien's latest answer when that is the same day); an
empty cell, or today, records them at the moment of import. Column names are read in
English or Dutch (``formats.DUTCH_COLUMNS``), and problems name a column as the file
does. Unknown sessions of a known activity on a date it ran are created
as past sessions at the rule's time. Existing people are never renamed or moved.
A row whose cells are all empty is skipped.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.audit import services as audit
from omzien.visitfiles.checking import CANCELLED, Problem, Problems, State
from omzien.visitfiles.formats import ALL_COLUMNS, VisitFileError
from omzien.visitfiles.plan import check_cancelled, make_plan
from omzien.visitfiles.rows import Progress, RowChecker, read_rows
from omzien.visitfiles.writing import VisitWriter, tuned_for_bulk, write_people, write_sessions

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


class _Rollback(Exception):
    pass


# Makes the VisitWriter of the writing pass: (now, user) -> an object with add(session,
# person), flush() and added. Tests pass one that fails, to see the rollback.
WriterFactory = Callable[..., VisitWriter]


def import_visits(
    path,
    *,
    acting_user,
    dry_run: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    name: str | None = None,
    before_writing: Callable[[], None] | None = None,
    visit_writer: WriterFactory = VisitWriter,
) -> ImportResult:
    """Check a visit file and, when every row is right, add what it holds.

    Only rows of places the acting user manages (`accounts.permissions`) are accepted;
    a user who manages none gets `NotFound` (``SYSTEM``, the command: every place).
    ``progress(stage, position, total)`` is called now and then, with stage "check"
    (position and total in bytes for CSV, rows for .xlsx) and then "write" (rows).
    Problems in the file never raise: they are in the result.

    Two seams, for tests: ``before_writing()`` is called between checking the file and
    the writing transaction (where another user may change the database), and
    ``visit_writer(now, user)`` makes the writer of the visits (``writing.VisitWriter``).
    """
    allowed_places = _managed_places(acting_user)
    user = acting_user
    today = today or timezone.localdate()
    result = ImportResult(name=name or Path(path).name, dry_run=dry_run)
    problems, notices = Problems(), Problems()
    names: dict[str, str] = {}  # column -> its name in the file
    rows = None
    try:
        rows = read_rows(path, today, allowed_places, problems, notices, progress, names)
        if rows is not None:
            result.rows = rows.rows
            _settle(rows, rows.state, problems, result, write=False)
            if not problems:
                if before_writing is not None:
                    before_writing()
                _write(rows, today, allowed_places, problems, result, user, progress, visit_writer)
    except VisitFileError as error:
        problems.add(error.row or 0, "", "unreadable", error.message)
    finally:
        if rows is not None:
            rows.spool.close()
    order = {column: number for number, column in enumerate(ALL_COLUMNS)}
    result.errors = [
        replace(problem, column=names.get(problem.column, problem.column))
        for problem in sorted(problems.items, key=lambda p: (p.row, order.get(p.column, -1)))
    ]
    result.error_count = problems.count
    result.notices = notices.items
    if problems:
        result.people = result.people_completed = result.sessions = 0
        result.visits = result.consents = 0
    return result


def _managed_places(acting_user) -> list[int] | None:
    """The ids of the places whose visits the user may import (None: every place)."""
    where = permissions.reach(acting_user, Capability.MANAGE_PLACE)
    if where is permissions.EVERYWHERE:
        return None
    if not where:
        raise permissions.NotFound
    return sorted(where)


def _write(
    rows: RowChecker, today, allowed_places, problems, result, user, progress, visit_writer
) -> None:
    """The writing pass: one transaction, rolled back on any problem or in a dry run."""
    try:
        with transaction.atomic(), tuned_for_bulk():
            _settle(
                rows,
                State(today, allowed_places),
                problems,
                result,
                write=True,
                user=user,
                progress=progress,
                visit_writer=visit_writer,
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


def _settle(
    rows: RowChecker,
    state: State,
    problems: Problems,
    result: ImportResult,
    *,
    write: bool,
    user=None,
    progress=None,
    visit_writer: WriterFactory = VisitWriter,
) -> None:
    """Make the import plan against the database; with write, carry it out.

    Run twice: on the state the rows were checked against (only to find problems), and
    inside the writing transaction on a fresh state, where it also writes.
    """
    plan = make_plan(rows, state, problems)
    sessions = plan.sessions
    write = write and not problems
    if write:
        now = timezone.now()
        write_people(rows.people, plan.people, result, now, user)
        write_sessions(rows.sessions, sessions, state, result)
    cancelled = [kind == CANCELLED for kind, _pk in sessions]
    person_pks = plan.people.pks
    cancelled_rows = []
    if write:
        writer = visit_writer(now, user)
        done = 0
        for batch in rows.spool:
            for offset in range(0, len(batch), 3):
                row, person, session = batch[offset : offset + 3]
                if cancelled[session]:
                    cancelled_rows.append((row, session, sessions[session][1], person_pks[person]))
                else:
                    writer.add(sessions[session][1], person_pks[person])
            done += len(batch) // 3
            if progress is not None:
                progress("write", done, rows.rows)
        writer.flush()
        result.visits = writer.added
    elif any(cancelled):
        for batch in rows.spool:
            for offset in range(0, len(batch), 3):
                row, person, session = batch[offset : offset + 3]
                if cancelled[session]:
                    cancelled_rows.append((row, session, sessions[session][1], person_pks[person]))
    if cancelled_rows:
        check_cancelled(cancelled_rows, problems, rows.sessions, state)
