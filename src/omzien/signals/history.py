"""People's visit histories as numpy arrays, for BG/NBD and for rhythm detection.

Only named visits count (anonymous visits have no person), only on sessions that were
held (not cancelled), and only up to a date, so that ``omzien signals --as-of`` sees what
was known on that date. A person who came to two activities on one day visited on one
*day*: the models count visit days.

Two SQL queries without a join fetch integer columns straight into numpy
(``int_columns``): the held sessions with their date turned into a day number by the
database (days since 1970-01-01, ``DayNumber``), and the (person, session) pairs of the
named visits; numpy gives each visit its day and does the rest (sorting, run
boundaries), so no Python object is made per visit. Day numbers are plain integers:
``day_number(some_date)`` gives the number of a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections, models

from omzien.agenda.models import Session
from omzien.attendance.models import Visit

__all__ = [
    "EPOCH",
    "VisitSummary",
    "date_of_day",
    "day_number",
    "int_columns",
    "person_day_pairs",
    "summarise",
    "summary_from_pairs",
]

EPOCH = date(1970, 1, 1)
# Rows are fetched from the database cursor in chunks of this many.
CHUNK_SIZE = 50_000


def day_number(day: date) -> int:
    """Days since 1970-01-01: the day numbers in the arrays of this module."""
    return (day - EPOCH).days


def date_of_day(number: int) -> date:
    return EPOCH + timedelta(days=int(number))


class DayNumber(models.Func):
    """A date column as days since 1970-01-01, computed by the database."""

    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # julianday('1970-01-01') is 2440587.5; the difference is a whole number of days.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        # date - date is an integer number of days in PostgreSQL.
        return self.as_sql(
            compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra
        )

    def as_sql(self, compiler, connection, template=None, **extra):
        if template is None:
            raise NotSupportedError(
                f"DayNumber is written for SQLite and PostgreSQL, not {connection.vendor}"
            )
        return super().as_sql(compiler, connection, template=template, **extra)


def named_visits(as_of: date, places=None) -> models.QuerySet:
    """Visits of known people on held sessions dated up to as_of (optionally at places)."""
    visits = Visit.objects.filter(
        person__isnull=False,
        session__date__lte=as_of,
        session__status=Session.Status.SCHEDULED,
    )
    if places is not None:
        visits = visits.filter(session__activity__place__in=places)
    return visits.order_by()


def compiled(queryset: models.QuerySet) -> tuple[str, tuple] | None:
    """The SQL and parameters of a query; None when Django knows it is empty (places=[])."""
    try:
        return queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None


def int_columns(queryset: models.QuerySet) -> np.ndarray:
    """The integer (or boolean) columns of a values_list query as an (n, columns) array.

    Runs the query's SQL on the cursor and reads it in chunks straight into numpy: Django's
    row-by-row iteration would cost more than the query itself at a million visits.
    """
    width = len(queryset.query.values_select) + len(queryset.query.annotation_select)
    query = compiled(queryset)
    if query is None:
        return np.empty((0, width), np.int64)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(*query)
        chunks = []
        while rows := cursor.fetchmany(CHUNK_SIZE):
            chunks.append(np.fromiter(chain.from_iterable(rows), np.int64, width * len(rows)))
    if not chunks:
        return np.empty((0, width), np.int64)
    return np.concatenate(chunks).reshape(-1, width)


def session_days(sessions: models.QuerySet) -> tuple[np.ndarray, np.ndarray]:
    """(session ids ascending, their day numbers) of a Session queryset."""
    rows = int_columns(sessions.order_by().annotate(day=DayNumber("date")).values_list("pk", "day"))
    order = np.argsort(rows[:, 0], kind="stable")
    return rows[order, 0], rows[order, 1]


def lookup(sorted_keys: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of keys in sorted_keys, and whether each key is there at all."""
    if not sorted_keys.size:
        return np.zeros(keys.size, np.int64), np.zeros(keys.size, bool)
    positions = np.searchsorted(sorted_keys, keys).clip(0, sorted_keys.size - 1)
    return positions, sorted_keys[positions] == keys


def person_day_pairs(as_of: date, places=None) -> tuple[np.ndarray, np.ndarray]:
    """The days on which each person visited, up to as_of.

    Returns (person_ids, days), equally long int64 arrays of the unique (person, day)
    pairs sorted by person, then day; days are day numbers (see ``day_number``). Visits to
    cancelled sessions and anonymous visits are left out.
    """
    # Two queries without a join, the held sessions with their day numbers and the named
    # visits, and numpy gives every visit its day: joining in the database and computing
    # a day per visit row took twice as long on SQLite. For the whole region both are
    # plain scans (SQLite would otherwise look up every session through the date index);
    # visits of later or cancelled sessions are dropped by the lookup.
    sessions = Session.objects.filter(status=Session.Status.SCHEDULED).order_by()
    visits = Visit.objects.filter(person__isnull=False).order_by()
    if places is not None:
        sessions = sessions.filter(date__lte=as_of, activity__place__in=places)
        visits = visits.filter(session__in=sessions.values("pk"))
    session_ids, session_day = session_days(sessions)
    held = session_day <= day_number(as_of)
    session_ids, session_day = session_ids[held], session_day[held]
    pairs = int_columns(visits.values_list("person_id", "session_id"))
    positions, known = lookup(session_ids, pairs[:, 1])
    person, day = pairs[known, 0], session_day[positions[known]]
    if not len(person):
        empty = np.empty(0, np.int64)
        return empty, empty.copy()
    # One sortable key per pair: person major, day minor.
    first_day = day.min()
    span = int(day.max() - first_day) + 1
    keys = np.sort(person * span + (day - first_day))
    # Not np.unique: numpy 2's hash-based unique is ten times slower than sorting here.
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    return keys // span, keys % span + first_day


@dataclass
class VisitSummary:
    """Per person, aligned arrays: the BG/NBD summary of their visit days up to as_of.

    ``person_ids`` ascending. ``frequency``: repeat visit days (distinct days - 1);
    ``recency``: first to last visit day; ``T``: first visit day to as_of; both in units
    of ``unit_days`` days, as floats. ``first_day`` and ``last_day`` are day numbers.
    """

    person_ids: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray
    first_day: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    last_day: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))

    def __len__(self) -> int:
        return len(self.person_ids)


def summary_from_pairs(
    person_ids: np.ndarray, days: np.ndarray, as_of: date, unit_days: int = 7
) -> VisitSummary:
    """The summary of sorted unique (person, day) pairs, as ``person_day_pairs`` gives."""
    if unit_days <= 0:
        raise ValueError("unit_days must be a positive number of days")
    person_ids = np.asarray(person_ids, np.int64)
    days = np.asarray(days, np.int64)
    if not len(person_ids):
        empty_int, empty_float = np.empty(0, np.int64), np.empty(0, float)
        return VisitSummary(
            empty_int,
            empty_float,
            empty_float.copy(),
            empty_float.copy(),
            empty_int.copy(),
            empty_int.copy(),
        )
    starts = np.flatnonzero(np.r_[True, person_ids[1:] != person_ids[:-1]])
    ends = np.r_[starts[1:], len(person_ids)]
    first_day = days[starts]
    last_day = days[ends - 1]
    return VisitSummary(
        person_ids=person_ids[starts],
        frequency=(ends - starts - 1).astype(float),
        recency=(last_day - first_day) / unit_days,
        T=(day_number(as_of) - first_day) / unit_days,
        first_day=first_day,
        last_day=last_day,
    )


def summarise(as_of: date, places=None, unit_days: int = 7) -> VisitSummary:
    """BG/NBD summaries of everyone with a named visit up to as_of (optionally at places).

    Time in units of ``unit_days`` days (weeks by default); several visits on one day
    count as one visit day.
    """
    person_ids, days = person_day_pairs(as_of, places)
    return summary_from_pairs(person_ids, days, as_of, unit_days)
