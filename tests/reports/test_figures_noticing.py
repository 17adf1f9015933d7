"""Signals and their follow-up in the report, against a small region worked out by hand.

Twello has Trefpunt and Kruispunt, Voorst has De Benring; the escalation period is 7 days.

    s1 Ann   Trefpunt  raised 2026-01-10, contact 01-12 (all fine), closed 01-20 all fine;
                       Ann came to De Benring on 02-03                  -> back
    s2 Bob   Kruispunt raised 2026-01-20, contact 02-05 (late; needs help), closed 02-10
                       "seen again" (counts as needs help); visit 02-09 -> back
    s3 Cees  Benring   raised 2026-02-14, assigned, never escalated (picked up); closed
                       2026-03-31 22:30 UTC = 1 April local: referred; visit on 02-14 only
    s4 Dirk  Trefpunt  raised 2026-03-30, escalated, assigned afterwards; closed 04-05
                       "moved" without a contact (no outcome); visit 04-20      -> back
    s5 Ann   Trefpunt  raised 2026-05-05, open; Ann came on 06-02               -> back
    s6 Els   Benring   raised 2026-07-10, open
    s7 Els   Kruispunt raised 2025-12-20, closed 2026-01-05 no contact
"""

from datetime import UTC, date, datetime

import pytest

from omzien.reports.cube import MEASURES, Adds, Unit
from omzien.reports.figures import build_cube
from omzien.signals.models import Outcome, Signal
from tests import factories
from tests.reports.cube_checks import assert_adds_up, assert_complete
from tests.reports.visits import add_visit

NAMES = [
    "signals_raised",
    "signals_picked_up",
    "signals_fine",
    "signals_needs_help",
    "signals_referred",
    "signals_no_contact",
    "signals_back",
]


@pytest.fixture(autouse=True)
def _escalation(settings):
    settings.OMZIEN_SIGNAL_ESCALATE_DAYS = 7


@pytest.fixture
def kruispunt(twello):
    return factories.PlaceFactory(name="Kruispunt", slug="kruispunt", village=twello)


def moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


@pytest.fixture
def signals(trefpunt, kruispunt, benring):
    koffie = factories.ActivityFactory(place=trefpunt, slug="koffie")
    handwerken = factories.ActivityFactory(place=kruispunt, slug="handwerken")
    biljart = factories.ActivityFactory(place=benring, slug="biljart")
    ann, bob, cees, dirk, els = (
        factories.PersonFactory(first_name=name) for name in ["Ann", "Bob", "Cees", "Dirk", "Els"]
    )
    worker = factories.UserFactory(username="wim")

    def signal(person, place, raised_on, **fields):
        return factories.SignalFactory(
            person=person, place=place, raised_on=raised_on, last_seen=None, **fields
        )

    def contact(made, day, outcome):
        log = factories.ContactLogFactory(signal=made, outcome=outcome, by=worker)
        type(log).objects.filter(pk=log.pk).update(at=moment(day))

    def closed(day, outcome, hour=10):
        return {"status": Signal.Status.CLOSED, "closed_at": moment(day, hour), "outcome": outcome}

    s1 = signal(ann, trefpunt, date(2026, 1, 10), **closed(date(2026, 1, 20), Outcome.ALL_FINE))
    contact(s1, date(2026, 1, 12), Outcome.ALL_FINE)
    add_visit(biljart, date(2026, 2, 3), ann)
    s2 = signal(bob, kruispunt, date(2026, 1, 20), **closed(date(2026, 2, 10), Outcome.SEEN_AGAIN))
    contact(s2, date(2026, 2, 5), Outcome.NEEDS_HELP)
    add_visit(handwerken, date(2026, 2, 9), bob)
    signal(
        cees,
        benring,
        date(2026, 2, 14),
        assigned_to=worker,
        **closed(date(2026, 3, 31), Outcome.REFERRED, hour=22),
    )
    add_visit(biljart, date(2026, 2, 14), cees)
    signal(
        dirk,
        trefpunt,
        date(2026, 3, 30),
        assigned_to=worker,
        escalated_at=moment(date(2026, 4, 7)),
        **closed(date(2026, 4, 5), Outcome.MOVED),
    )
    add_visit(biljart, date(2026, 4, 20), dirk)
    signal(ann, trefpunt, date(2026, 5, 5))
    add_visit(koffie, date(2026, 6, 2), ann)
    signal(els, benring, date(2026, 7, 10))
    signal(els, kruispunt, date(2025, 12, 20), **closed(date(2026, 1, 5), Outcome.NO_CONTACT))


@pytest.fixture
def cube(signals):
    return build_cube(2026, as_of=date(2027, 1, 15))


T, K, B = "trefpunt-duistervoorde", "kruispunt", "de-benring"

# (group, period): raised, picked up, fine, needs help, referred, no contact, back
EXPECTED = {
    (T, "2026-01"): (1, 1, 1, 0, 0, 0, 1),
    (T, "2026-03"): (1, 0, 0, 0, 0, 0, 1),
    (T, "2026-04"): (0, 0, 0, 0, 0, 0, 0),
    (T, "2026-05"): (1, 0, 0, 0, 0, 0, 1),
    (T, "2026-Q1"): (2, 1, 1, 0, 0, 0, 2),
    (T, "2026-Q2"): (1, 0, 0, 0, 0, 0, 1),
    (T, "2026"): (3, 1, 1, 0, 0, 0, 2),
    (K, "2026-01"): (1, 0, 0, 0, 0, 1, 1),
    (K, "2026-02"): (0, 0, 0, 1, 0, 0, 0),
    (K, "2026"): (1, 0, 0, 1, 0, 1, 1),
    (B, "2026-02"): (1, 1, 0, 0, 0, 0, 0),
    (B, "2026-03"): (0, 0, 0, 0, 0, 0, 0),
    (B, "2026-04"): (0, 0, 0, 0, 1, 0, 0),
    (B, "2026-07"): (1, 0, 0, 0, 0, 0, 0),
    (B, "2026-Q3"): (1, 0, 0, 0, 0, 0, 0),
    (B, "2026"): (2, 1, 0, 0, 1, 0, 0),
    ("twello", "2026-01"): (2, 1, 1, 0, 0, 1, 2),
    ("twello", "2026-Q1"): (3, 1, 1, 1, 0, 1, 3),
    ("twello", "2026"): (4, 1, 1, 1, 0, 1, 3),
    ("voorst", "2026"): (2, 1, 0, 0, 1, 0, 0),
    ("region", "2026-01"): (2, 1, 1, 0, 0, 1, 2),
    ("region", "2026-Q1"): (4, 2, 1, 1, 0, 1, 3),
    ("region", "2026-Q2"): (1, 0, 0, 0, 1, 0, 1),
    ("region", "2026"): (6, 2, 1, 1, 1, 1, 3),
}


@pytest.mark.parametrize(("cell", "expected"), EXPECTED.items(), ids=str)
def test_noticing_figures(cube, cell, expected):
    group, period = cell
    assert tuple(cube.get(group, period, name) for name in NAMES) == expected


def test_every_cell_is_there_and_adds_up(cube):
    assert_complete(cube)
    assert_adds_up(cube, NAMES)
    # Ann came back after two signals at Trefpunt: one person of the year.
    assert cube.get(T, "2026", "signals_back") < sum(
        cube.get(T, quarter, "signals_back") for quarter in ["2026-Q1", "2026-Q2"]
    )


def test_picked_up_is_unknown_until_the_escalation_period_has_passed(signals):
    cube = build_cube(2026, as_of=date(2026, 7, 15))
    assert cube.get(T, "2026-06", "signals_picked_up") == 0
    assert cube.get("region", "2026-Q1", "signals_picked_up") == 2
    for period in ["2026-07", "2026-Q3", "2026"]:
        assert cube.get("region", period, "signals_picked_up") is None
    # A visit after the day the figures were made is not known yet.
    cube = build_cube(2026, as_of=date(2026, 6, 1))
    assert cube.get(T, "2026-05", "signals_back") == 0


def test_the_measures_declare_what_they_are():
    for name in NAMES[:-1]:
        assert (MEASURES[name].unit, MEASURES[name].over_groups) == (Unit.PEOPLE, Adds.SUM)
        assert MEASURES[name].over_periods == Adds.SUM
    back = MEASURES["signals_back"]
    assert (back.unit, back.over_groups, back.over_periods) == (
        Unit.PEOPLE,
        Adds.UNION,
        Adds.UNION,
    )


@pytest.mark.django_db
def test_the_door_counts_as_picking_up_except_dont_know(trefpunt, settings):
    """A first contact answered at the door ("ziek") was picked up; "weet niet" was not;
    one still asked at the door keeps its month unknown until its deadline."""
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    worker = factories.UserFactory(username="wim")

    def first_contact(name, raised_on, answer=None, **fields):
        made = factories.SignalFactory(
            person=factories.PersonFactory(first_name=name),
            place=trefpunt,
            raised_on=raised_on,
            last_seen=None,
            **{"follow_up_since": None, **fields},
        )
        if answer is not None:
            log = factories.ContactLogFactory(
                signal=made, method="asked", outcome=answer, by=worker
            )
            type(log).objects.filter(pk=log.pk).update(at=moment(raised_on))
        return made

    first_contact("Ann", date(2026, 3, 2), Outcome.ILL_OR_AWAY, status=Signal.Status.CLOSED)
    first_contact("Bob", date(2026, 3, 3), Outcome.NO_CONTACT, follow_up_since=date(2026, 3, 3))
    cube = build_cube(2026, as_of=date(2026, 4, 15))
    assert (
        cube.get(T, "2026-03", "signals_raised"),
        cube.get(T, "2026-03", "signals_picked_up"),
    ) == (
        2,
        1,
    )
    # Raised on 30 March and nobody asked yet: its hand-over and escalation are to come.
    first_contact("Cees", date(2026, 3, 30))
    assert build_cube(2026, as_of=date(2026, 4, 15)).get(T, "2026-03", "signals_picked_up") is None
    assert build_cube(2026, as_of=date(2026, 4, 21)).get(T, "2026-03", "signals_picked_up") == 1
