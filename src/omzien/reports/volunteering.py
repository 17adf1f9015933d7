"""Volunteers: who hosted the sessions, and their hours at the door.

A host of a session is a user in ``attendance.SessionHost``: whoever recorded a visit there
(``attendance.services`` notes it with every check-in and anonymous count) and whoever a
coordinator added on the session's hosts page. Only sessions held count (not cancelled, not
on a day their place is closed, on or before the day the figures were made), on the
session date, at the session's place, its village and the region:

hosts
    Different users who hosted a session.
host_hours
    Hours at the door: for every host of every session, the session's length (start to
    end) in hours, so two hosts of a two-hour coffee morning are four hours. Rounded to
    one decimal; each cell is rounded from the exact sum, so with sessions of whole or
    half hours the places add up to their village exactly.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from django.db.models import DurationField, ExpressionWrapper, F
from django.utils.translation import gettext_lazy as _

from omzien.agenda.models import Session
from omzien.attendance.models import SessionHost
from omzien.reports.counting import YearCounter, day_number, day_numbers, fetch, ids
from omzien.reports.cube import Adds, Cube, Unit, measure
from omzien.reports.reach import closed_on_day

SECTION = "volunteers"

measure(
    "hosts",
    _("Hosts"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.UNION,
    over_periods=Adds.UNION,
    help_text=_("Different volunteers who hosted a session."),
)
measure(
    "host_hours",
    _("Hours at the door"),
    SECTION,
    Unit.EVENTS,
    base="hosts",
    help_text=_("The length of every session hosted, once for every host."),
)


def compute(cube: Cube) -> None:
    counter = YearCounter(cube.groups, cube.year)
    rows = fetch(
        SessionHost.objects.filter(
            session__date__gte=date(cube.year, 1, 1), session__date__lte=date(cube.year, 12, 31)
        )
        .annotate(length=ExpressionWrapper(ENDS - STARTS, output_field=DurationField()))
        .values_list(
            "user_id", "session__activity__place_id", "session__date", "session__status", "length"
        )
        .order_by()
    )
    users = ids(row[0] for row in rows)
    places = ids(row[1] for row in rows)
    days = day_numbers(row[2] for row in rows)
    cancelled = np.array([row[3] == Session.Status.CANCELLED for row in rows], dtype=bool)
    hours = np.array([_hours(row[4]) for row in rows], dtype=float)
    held = ~cancelled & ~closed_on_day(places, days) & (days <= day_number(cube.as_of))
    levels = counter.place_rows(places)
    cube.values.update(counter.count("hosts", levels, days, people=users, where=held))
    for key, value in counter.count("host_hours", levels, days, weights=hours, where=held).items():
        cube.values[key] = round(value, 1)


ENDS, STARTS = F("session__ends_at"), F("session__starts_at")


def _hours(length) -> float:
    """A session's length from a plain cursor: an interval (PostgreSQL) or microseconds
    (SQLite's ``django_timestamp_diff``)."""
    if isinstance(length, timedelta):
        return length.total_seconds() / 3600
    return int(length) / 3_600_000_000
