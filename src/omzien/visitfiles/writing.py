"""Bulk writing of an import plan: people, consent answers, past sessions and visits.

Runs inside the import's one transaction (``importing``), which ``tuned_for_bulk``
tunes for the database. Visits go in batches through ``VisitWriter``, whose inserts let
the database's unique constraint skip visits already recorded.
"""

import contextlib
from datetime import datetime

from django.db import connection
from django.db.models.constants import OnConflict

from omzien.agenda import recurrence
from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.people.models import Consent, Person
from omzien.visitfiles.checking import CANCELLED, NEW, OK, State
from omzien.visitfiles.plan import PeoplePlan, chunks
from omzien.visitfiles.rows import FilePerson, SessionKey

BATCH_SIZE = 5000
SQLITE_CACHE_KIB = 64 * 1024


def write_people(people: dict[str, FilePerson], plan: PeoplePlan, result, now, user) -> None:
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
        for chunk in chunks(plan.new):
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
            recorded_at=plan.consent_times.get(number, now),
            recorded_by=recorded_by,
            source="import",
        )
        for number, purpose, given in plan.consents
    ]
    Consent.objects.bulk_create(consents, batch_size=BATCH_SIZE)
    result.consents = len(consents)


def write_sessions(keys: list[SessionKey], sessions: list[list], state: State, result) -> None:
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
def tuned_for_bulk():
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


class VisitWriter:
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
                f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608  # nosec B608  # quoted table name
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
