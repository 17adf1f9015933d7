"""Reading what detection needs from the database, as numpy arrays.

``load`` returns the ``detection.Arrays`` for an ``as_of`` date (sessions in the
lookback window, whether each was held, visits of people who agreed to follow-up,
their announced absences); ``region_p_alive`` fits BG/NBD on the region's visits up to
``as_of`` (``signals.history``) and returns P(still active) per person.
"""

import logging
from datetime import date, datetime, time, timedelta

import numpy as np

from omzien.agenda import recurrence
from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.people.models import Person, Purpose
from omzien.signals import bgnbd, history
from omzien.signals.models import AnnouncedAbsence, PlaceClosure

logger = logging.getLogger(__name__)


def followup_people(as_of: date):
    """People who agreed to follow-up on ``as_of`` and have not withdrawn since."""
    end = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=recurrence.local_zone())
    return Person.objects.with_consent(Purpose.FOLLOWUP).with_consent(Purpose.FOLLOWUP, before=end)


def _days(values) -> np.ndarray:
    return np.fromiter((value.toordinal() for value in values), np.int64)


def load(as_of: date, places=None, rules=None):
    """The ``detection.Arrays`` for ``as_of``: only sessions and visits up to that day."""
    from omzien.signals.detection import Arrays, Rules

    rules = rules or Rules.from_settings()
    start = as_of - timedelta(weeks=rules.lookback_weeks)
    sessions = Session.objects.filter(date__gte=start, date__lte=as_of)
    closures = PlaceClosure.objects.filter(first_day__lte=as_of, last_day__gte=start)
    if places is not None:
        sessions = sessions.filter(activity__place__in=places)
        closures = closures.filter(place__in=places)
    rows = list(sessions.values_list("pk", "activity_id", "activity__place_id", "date", "status"))
    ids, acts, place_ids, days, statuses = zip(*rows, strict=True) if rows else ((),) * 5
    session_place = np.array(place_ids, np.int64)
    session_day = _days(days)
    held = np.array([status == Session.Status.SCHEDULED for status in statuses], bool)
    for place_id, first, last in closures.values_list("place_id", "first_day", "last_day"):
        held &= ~(
            (session_place == place_id)
            & (session_day >= first.toordinal())
            & (session_day <= last.toordinal())
        )
    people = followup_people(as_of).values("pk")
    visits = list(
        Visit.objects.filter(
            person__in=people, session__date__gte=start, session__date__lte=as_of
        ).values_list("person_id", "session_id")
    )
    absences = list(
        AnnouncedAbsence.objects.filter(
            person__in=people, first_day__lte=as_of, last_day__gte=start
        ).values_list("person_id", "first_day", "last_day")
    )
    return Arrays(
        as_of=as_of.toordinal(),
        session_ids=np.array(ids, np.int64),
        session_activity=np.array(acts, np.int64),
        session_place=session_place,
        session_day=session_day,
        session_held=held,
        visit_person=np.array([v[0] for v in visits], np.int64),
        visit_session=np.array([v[1] for v in visits], np.int64),
        absence_person=np.array([a[0] for a in absences], np.int64),
        absence_first=_days(a[1] for a in absences),
        absence_last=_days(a[2] for a in absences),
    )


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
