"""Reading what detection needs from the database, as numpy arrays.

``load`` returns the ``rhythms.Arrays`` for an ``as_of`` date (sessions in the
lookback window, whether each was held, visits of people who agreed to follow-up,
their announced absences); ``region_p_alive`` fits BG/NBD on the region's visits up to
``as_of`` (``signals.history``) and returns P(still active) per person.

At a million visits the cost is in reading rows, so everything that has a row per
visit is read as integer columns straight into numpy (``history.int_columns``), with
day numbers computed by the database and consent applied with ``np.isin`` on the ids
``followup_person_ids`` gives (benchmarks/signal_speed.py measures it).
"""

import logging
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import Case, IntegerField, When
from django.utils import timezone

from omzien.agenda import recurrence
from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.people.models import Consent, Person, Purpose
from omzien.places.models import PlaceClosure
from omzien.signals import bgnbd, history
from omzien.signals.models import AnnouncedAbsence, Outcome, Signal
from omzien.signals.rhythms import Arrays, Rules

logger = logging.getLogger(__name__)


def followup_people(as_of: date):
    """People who agreed to follow-up on ``as_of`` and have not withdrawn since; people whose
    processing is restricted (``Person.restricted_at``) are left out."""
    end = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=recurrence.local_zone())
    return (
        Person.objects.unrestricted()
        .with_consent(Purpose.FOLLOWUP)
        .with_consent(Purpose.FOLLOWUP, before=end)
    )


# Arrays counts days as date.toordinal(); the database gives days since 1970-01-01.
ORDINAL_OF_EPOCH = history.EPOCH.toordinal()


def followup_person_ids(as_of: date) -> np.ndarray:
    """The ids of ``followup_people(as_of)``, ascending, from one ordered scan of consents.

    The same rule as ``Person.objects.with_consent`` twice (the latest answer recorded
    before the end of ``as_of`` is yes, and the latest answer of all is yes; later
    recorded_at wins, then the higher id), but numpy picks the latest answers instead of
    two correlated subqueries per person. People whose processing is restricted are left
    out (they get no signal).
    """
    end = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=recurrence.local_zone())
    answers = (
        Consent.objects.filter(purpose=Purpose.FOLLOWUP)
        .annotate(
            before=Case(When(recorded_at__lt=end, then=1), default=0, output_field=IntegerField())
        )
        .order_by("person_id", "recorded_at", "pk")
        .values_list("person_id", "given", "before")
    )
    rows = history.int_columns(answers)
    person, given, before = rows[:, 0], rows[:, 1].astype(bool), rows[:, 2].astype(bool)
    agrees_now = person[_last_per_person(person) & given]
    person, given = person[before], given[before]
    agreed_then = person[_last_per_person(person) & given]
    consenting = np.intersect1d(agrees_now, agreed_then, assume_unique=True)
    restricted = np.fromiter(
        Person.objects.filter(restricted_at__isnull=False).values_list("pk", flat=True), np.int64
    )
    return np.setdiff1d(consenting, restricted, assume_unique=True)


def _last_per_person(person: np.ndarray) -> np.ndarray:
    """Marks the last row of each run of equal person ids."""
    return np.r_[person[1:] != person[:-1], True] if person.size else np.zeros(0, bool)


def load(as_of: date, places=None, rules: Rules | None = None) -> Arrays:
    """The ``rhythms.Arrays`` for ``as_of``: only sessions and visits up to that day.

    Visits are those of the loaded sessions only (so with ``places``, of those places).
    Integer columns straight from the cursor into numpy, day numbers computed by the
    database (``history.DayNumber``), consent applied in numpy: no Python object per
    visit.
    """
    rules = rules or Rules.from_settings()
    start = as_of - timedelta(weeks=rules.lookback_weeks)
    sessions = Session.objects.filter(date__gte=start, date__lte=as_of).order_by()
    closures = PlaceClosure.objects.filter(first_day__lte=as_of, last_day__gte=start)
    if places is not None:
        sessions = sessions.filter(activity__place__in=places)
        closures = closures.filter(place__in=places)
    columns = history.int_columns(
        sessions.annotate(
            day=history.DayNumber("date"),
            scheduled=Case(
                When(status=Session.Status.SCHEDULED, then=1),
                default=0,
                output_field=IntegerField(),
            ),
        ).values_list("pk", "activity_id", "activity__place_id", "day", "scheduled")
    )
    session_place = columns[:, 2]
    session_day = columns[:, 3] + ORDINAL_OF_EPOCH
    held = columns[:, 4].astype(bool)
    for place_id, first, last in closures.values_list("place_id", "first_day", "last_day"):
        held &= ~(
            (session_place == place_id)
            & (session_day >= first.toordinal())
            & (session_day <= last.toordinal())
        )

    people = followup_person_ids(as_of)
    # The window's sessions as a subquery rather than a join: both databases then scan
    # the visits once against a set of session ids.
    visits = history.int_columns(
        Visit.objects.filter(person__isnull=False, session__in=sessions.values("pk"))
        .order_by()
        .values_list("person_id", "session_id")
    )
    visits = visits[np.isin(visits[:, 0], people)]
    absences = history.int_columns(
        AnnouncedAbsence.objects.filter(first_day__lte=as_of, last_day__gte=start)
        .order_by()
        .annotate(first=history.DayNumber("first_day"), last=history.DayNumber("last_day"))
        .values_list("person_id", "first", "last")
    )
    absences = absences[np.isin(absences[:, 0], people)]
    explained = explained_absences(as_of, start)
    explained = explained[np.isin(explained[:, 0], people)]
    return Arrays(
        as_of=as_of.toordinal(),
        session_ids=columns[:, 0].copy(),
        session_activity=columns[:, 1].copy(),
        session_place=session_place.copy(),
        session_day=session_day,
        session_held=held,
        visit_person=visits[:, 0].copy(),
        visit_session=visits[:, 1].copy(),
        absence_person=absences[:, 0].copy(),
        absence_first=absences[:, 1] + ORDINAL_OF_EPOCH,
        absence_last=absences[:, 2] + ORDINAL_OF_EPOCH,
        explained_person=explained[:, 0].copy(),
        explained_place=explained[:, 1].copy(),
        explained_last_seen=explained[:, 2].copy(),
        explained_until=explained[:, 3].copy(),
    )


def explained_absences(as_of: date, start: date) -> np.ndarray:
    """Rows (person, place, last seen, explained until) of the signals closed by ``as_of``
    on an absence that began in the window: someone found out why they were away ("alles
    goed", "ziek", a door's answer), so that absence counts again only from the day it
    was closed; "verhuisd of bewust gestopt" explains it up to ``as_of``. Closed as seen
    again is no explanation (they came back). Whether the absence is still the current
    one at the place (no visit since) is for ``rhythms``, which knows the visits. Days
    are ordinals; a few rows per signal ever closed, so read as Python objects."""
    end = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=recurrence.local_zone())
    closed = (
        Signal.objects.filter(
            status=Signal.Status.CLOSED,
            closed_at__lt=end,
            last_seen__gte=start,
            last_seen__lte=as_of,
        )
        .exclude(outcome=Outcome.SEEN_AGAIN)
        .order_by()
        .values_list("person_id", "place_id", "last_seen", "closed_at", "outcome")
    )
    rows = [
        (
            person,
            place,
            last_seen.toordinal(),
            as_of.toordinal()
            if outcome == Outcome.MOVED
            else min(timezone.localdate(closed_at), as_of).toordinal(),
        )
        for person, place, last_seen, closed_at, outcome in closed
    ]
    return np.array(rows, np.int64).reshape(-1, 4)


def region_p_alive(as_of: date, person_ids: np.ndarray) -> np.ndarray | None:
    """BG/NBD P(still active) per person, fitted on the region's visits up to as_of.

    None when the model cannot be fitted (too few people, or a fit that fails).
    """
    try:
        summary = history.summarise(as_of)
        if len(summary.person_ids) < 10:
            return None
        params = bgnbd.fit(summary.frequency, summary.recency, summary.T)
        alive = bgnbd.p_alive(params, summary.frequency, summary.recency, summary.T)
    except Exception:  # a fit that does not converge must not stop the nightly run
        logger.exception("BG/NBD could not be fitted for %s; using the rhythm alone", as_of)
        return None
    ids = np.asarray(summary.person_ids, np.int64)
    order = np.argsort(ids)
    pos = np.minimum(np.searchsorted(ids[order], person_ids), max(ids.size - 1, 0))
    found = ids.size > 0
    result = np.ones(person_ids.size)
    if found:
        hit = ids[order][pos] == person_ids
        result[hit] = np.asarray(alive, float)[order][pos[hit]]
    return result
