"""Noticing: signals raised about people who stayed away, and what the follow-up found.

A signal belongs to one place (every signal has one); it counts at that place, its
village and the region. Signals of people who were forgotten (privacy) are deleted with
them and count nowhere, also not in years before.

signals_raised
    Signals raised in the period (``raised_on``), by Omzien or by hand.
signals_picked_up
    Of those, the ones somebody took on in time: a contact logged (local date) on or
    before the deadline, or an assignment the nightly run never had to escalate (a
    follow-up is escalated exactly when nobody was assigned and no contact was logged in
    time; when someone was assigned is not stored). A host's answer at the door counts as
    a contact, except "weet niet", which hands the signal to a coordinator instead
    (``signals.first_contact.picked_up_contacts``). The deadline is the escalation period
    (``OMZIEN_SIGNAL_ESCALATE_DAYS``, 7 days) after the signal became a coordinator's
    follow-up (``follow_up_since``); for a signal still asked at the door, after the day
    it would become one by waiting (``OMZIEN_FIRST_CONTACT_DAYS`` after ``raised_on``).
    Unknown (None) while the escalation period after the period's last day has not
    passed on the day the figures were made, or while a signal of the period not picked
    up yet has its deadline still to come (a first contact raised late in the period), as
    returning people are in reach.
signals_fine, signals_needs_help, signals_referred, signals_no_contact
    Signals closed in the period (local date of ``closed_at``) by their outcome. The
    signal's closing outcome when it is one of these four (all fine, needs help,
    referred, no contact); a signal closed otherwise ("seen again", moved away, other)
    counts by the outcome of its last logged contact (a door's "weet niet" aside), and not
    at all without one: the outcomes are what the follow-up found.
signals_back ("weer gezien")
    Different people with a signal raised in the period who had a named visit, at any
    place, after the day it was raised, up to the day the figures were made.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.attendance.models import Visit
from omzien.reports.counting import YearCounter, day_number, day_numbers, ids
from omzien.reports.cube import Adds, Cube, Unit, difference, measure
from omzien.signals.first_contact import picked_up_contacts
from omzien.signals.models import ContactLog, Outcome, Signal

SECTION = "noticing"

# The follow-up outcomes the report shows, and the measure of each.
OUTCOME_MEASURES = {
    Outcome.ALL_FINE: "signals_fine",
    Outcome.NEEDS_HELP: "signals_needs_help",
    Outcome.REFERRED: "signals_referred",
    Outcome.NO_CONTACT: "signals_no_contact",
}

measure(
    "signals_raised",
    _("Signals raised"),
    SECTION,
    Unit.PEOPLE,
    help_text=_("Someone who usually came was missed, and a signal asked to reach out."),
)
measure(
    "signals_picked_up",
    _("Picked up in time"),
    SECTION,
    Unit.PEOPLE,
    help_text=_("Of the signals raised, those somebody took on within the escalation period."),
)
# Raised minus picked up is a count too: never displayed, it takes part in the disclosure
# rule so that a small one cannot be had by subtracting the two shown counts.
measure(
    "signals_not_picked_up",
    _("Not picked up in time"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.NONE,
    over_periods=Adds.NONE,
    displayed=False,
)
difference("signals_raised", "signals_picked_up", "signals_not_picked_up")
measure("signals_fine", _("Outcome: all fine"), SECTION, Unit.PEOPLE)
measure("signals_needs_help", _("Outcome: needs help"), SECTION, Unit.PEOPLE)
measure("signals_referred", _("Outcome: referred"), SECTION, Unit.PEOPLE)
measure("signals_no_contact", _("Outcome: no contact"), SECTION, Unit.PEOPLE)
measure(
    "signals_back",
    _("Seen again"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.UNION,
    over_periods=Adds.UNION,
    help_text=_("People with a signal who came to a meeting place again afterwards."),
)


def escalate_days() -> int:
    return settings.OMZIEN_SIGNAL_ESCALATE_DAYS


def first_contact_days() -> int:
    return settings.OMZIEN_FIRST_CONTACT_DAYS


def compute(cube: Cube) -> None:
    counter = YearCounter(cube.groups, cube.year)
    _raised(cube, counter)
    _outcomes(cube, counter)


def _local_day(moment) -> date | None:
    return None if moment is None else timezone.localtime(moment).date()


def _raised(cube: Cube, counter: YearCounter) -> None:
    as_of = cube.as_of
    came_back = Visit.objects.filter(
        person=OuterRef("person"),
        session__date__gt=OuterRef("raised_on"),
        session__date__lte=as_of,
    )
    rows = list(
        Signal.objects.filter(
            raised_on__gte=date(cube.year, 1, 1), raised_on__lte=date(cube.year, 12, 31)
        )
        .annotate(back=Exists(came_back))
        .values_list(
            "pk",
            "person_id",
            "place_id",
            "raised_on",
            "assigned_to_id",
            "escalated_at",
            "back",
            "follow_up_since",
        )
        .order_by()
    )
    first_contact = _first_contacts([row[0] for row in rows])
    days = day_numbers(row[3] for row in rows)
    people = ids(row[1] for row in rows)
    levels = counter.place_rows(ids(row[2] for row in rows))
    picked_up = np.array([_picked_up(row, first_contact.get(row[0])) for row in rows], dtype=bool)
    back = np.array([bool(row[6]) for row in rows], dtype=bool)
    cube.values.update(counter.count("signals_raised", levels, days))
    cube.values.update(counter.count("signals_back", levels, days, people=people, where=back))
    # A signal not picked up yet whose deadline is still to come may be picked up still.
    pending = ~picked_up & (day_numbers(_deadline(row) for row in rows) >= day_number(as_of))
    known = {
        period.key: day_number(period.last_day) + escalate_days() < day_number(as_of)
        and not pending[
            (days >= day_number(period.first_day)) & (days <= day_number(period.last_day))
        ].any()
        for period in cube.periods()
    }
    for name, where in (("signals_picked_up", picked_up), ("signals_not_picked_up", ~picked_up)):
        for key, value in counter.count(name, levels, days, where=where).items():
            cube.values[key] = value if known[key[1]] else None


def _first_contacts(signal_ids: list[int]) -> dict[int, date]:
    """The local day of each signal's first logged contact that took it on."""
    first: dict[int, date] = {}
    contacts = ContactLog.objects.filter(picked_up_contacts(), signal_id__in=signal_ids)
    contacts = contacts.order_by("at", "pk")
    for signal_id, at in contacts.values_list("signal_id", "at"):
        first.setdefault(signal_id, _local_day(at))
    return first


def _deadline(row) -> date:
    """The escalation period after the signal became a follow-up (or, still asked at the
    door, after the day it would become one by waiting)."""
    raised_on, follow_up_since = row[3], row[7]
    became_follow_up = follow_up_since or raised_on + timedelta(days=first_contact_days())
    return became_follow_up + timedelta(days=escalate_days())


def _picked_up(row, first_contact: date | None) -> bool:
    _pk, _person, _place, _raised_on, assigned_to, escalated_at, _back, _since = row
    if first_contact is not None and first_contact <= _deadline(row):
        return True
    return assigned_to is not None and escalated_at is None


def _outcomes(cube: Cube, counter: YearCounter) -> None:
    zone = timezone.get_current_timezone()
    start = datetime(cube.year, 1, 1, tzinfo=zone) - timedelta(days=1)
    end = datetime(cube.year + 1, 1, 1, tzinfo=zone) + timedelta(days=1)
    closed = list(
        Signal.objects.filter(
            status=Signal.Status.CLOSED, closed_at__gte=start, closed_at__lt=end
        ).values_list("pk", "place_id", "closed_at", "outcome")
    )
    contacts = ContactLog.objects.filter(
        picked_up_contacts(), signal_id__in=[row[0] for row in closed]
    )
    # Ordered by time, so the last contact of a signal wins.
    last_contact = dict(contacts.order_by("at", "pk").values_list("signal_id", "outcome"))
    outcomes = np.array(
        [row[3] if row[3] in OUTCOME_MEASURES else last_contact.get(row[0], "") for row in closed],
        dtype=object,
    )
    days = day_numbers(_local_day(row[2]) for row in closed)
    levels = counter.place_rows(ids(row[1] for row in closed))
    for outcome, name in OUTCOME_MEASURES.items():
        cube.values.update(counter.count(name, levels, days, where=outcomes == outcome.value))
