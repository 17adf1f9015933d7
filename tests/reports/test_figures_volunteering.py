"""Hosts and their hours at the door, against a small region worked out by hand.

Twello has Trefpunt (Koffieochtend, Tuesdays, 2 hours) and Kruispunt (Handwerken,
Thursdays, 1.5 hours); Voorst has De Benring (Biljarten, Tuesdays, 2 hours). The figures
are made on 30 June 2026.

    2025-12-30 koffie      Hanna              (another year)
    2026-01-06 koffie      Hanna, Piet        4 hours
    2026-01-15 handwerken  Hanna              1.5 hours
    2026-02-03 koffie      Hanna              2 hours
    2026-02-12 handwerken  Piet               (Kruispunt closed that day)
    2026-03-10 koffie      Piet               (cancelled)
    2026-04-07 biljart     Truus              2 hours
    2026-07-07 koffie      Piet               (after the figures were made)
"""

from datetime import date, timedelta

import pytest

from omzien.agenda.models import Session
from omzien.reports.cube import MEASURES, Adds, Unit
from omzien.reports.figures import build_cube
from tests import factories
from tests.reports.cube_checks import assert_adds_up, assert_complete

AS_OF = date(2026, 6, 30)


@pytest.fixture
def kruispunt(twello):
    return factories.PlaceFactory(name="Kruispunt", slug="kruispunt", village=twello)


@pytest.fixture
def hosted(trefpunt, kruispunt, benring):
    koffie = factories.ActivityFactory(place=trefpunt, slug="koffie")
    handwerken = factories.ActivityFactory(
        place=kruispunt,
        slug="handwerken",
        rrule="FREQ=WEEKLY;BYDAY=TH",
        duration=timedelta(hours=1, minutes=30),
    )
    biljart = factories.ActivityFactory(place=benring, slug="biljart")
    hanna, piet, truus = (
        factories.UserFactory(username=name) for name in ["hanna", "piet", "truus"]
    )

    def host(activity, day, *users, **session):
        made = factories.SessionFactory(activity=activity, date=day, **session)
        for user in users:
            factories.SessionHostFactory(session=made, user=user)

    host(koffie, date(2025, 12, 30), hanna)
    host(koffie, date(2026, 1, 6), hanna, piet)
    host(handwerken, date(2026, 1, 15), hanna)
    host(koffie, date(2026, 2, 3), hanna)
    host(handwerken, date(2026, 2, 12), piet)
    factories.PlaceClosureFactory(
        place=kruispunt, first_day=date(2026, 2, 12), last_day=date(2026, 2, 12)
    )
    host(
        koffie,
        date(2026, 3, 10),
        piet,
        status=Session.Status.CANCELLED,
        cancel_reason="ziek",
    )
    host(biljart, date(2026, 4, 7), truus)
    host(koffie, date(2026, 7, 7), piet)


@pytest.fixture
def cube(hosted):
    return build_cube(2026, as_of=AS_OF)


EXPECTED = {
    # (group, period): (hosts, host_hours)
    ("trefpunt-duistervoorde", "2026-01"): (2, 4.0),
    ("trefpunt-duistervoorde", "2026-02"): (1, 2.0),
    ("trefpunt-duistervoorde", "2026-03"): (0, 0.0),
    ("trefpunt-duistervoorde", "2026-Q1"): (2, 6.0),
    ("trefpunt-duistervoorde", "2026-07"): (0, 0.0),
    ("trefpunt-duistervoorde", "2026"): (2, 6.0),
    ("kruispunt", "2026-01"): (1, 1.5),
    ("kruispunt", "2026-02"): (0, 0.0),
    ("kruispunt", "2026-Q1"): (1, 1.5),
    ("kruispunt", "2026"): (1, 1.5),
    ("de-benring", "2026-04"): (1, 2.0),
    ("de-benring", "2026-Q1"): (0, 0.0),
    ("de-benring", "2026-Q2"): (1, 2.0),
    ("de-benring", "2026"): (1, 2.0),
    ("twello", "2026-01"): (2, 5.5),
    ("twello", "2026-Q1"): (2, 7.5),
    ("twello", "2026-Q2"): (0, 0.0),
    ("twello", "2026"): (2, 7.5),
    ("voorst", "2026"): (1, 2.0),
    ("region", "2026-01"): (2, 5.5),
    ("region", "2026-Q1"): (2, 7.5),
    ("region", "2026-Q2"): (1, 2.0),
    ("region", "2026"): (3, 9.5),
}


@pytest.mark.parametrize(("cell", "expected"), EXPECTED.items(), ids=str)
def test_hosts_and_hours(cube, cell, expected):
    group, period = cell
    assert (cube.get(group, period, "hosts"), cube.get(group, period, "host_hours")) == expected


def test_the_measures_declare_what_they_are():
    hosts, hours = MEASURES["hosts"], MEASURES["host_hours"]
    assert (hosts.unit, hosts.over_groups, hosts.over_periods) == (
        Unit.PEOPLE,
        Adds.UNION,
        Adds.UNION,
    )
    assert (hours.unit, hours.base, hours.over_groups, hours.over_periods) == (
        Unit.EVENTS,
        "hosts",
        Adds.SUM,
        Adds.SUM,
    )


def test_every_cell_is_there_and_adds_up(cube):
    assert_complete(cube)
    assert_adds_up(cube, ["hosts", "host_hours"])
    # Hanna hosted in January and February: one host of the quarter, not two.
    assert cube.get("trefpunt-duistervoorde", "2026-Q1", "hosts") < sum(
        cube.get("trefpunt-duistervoorde", month, "hosts") for month in ["2026-01", "2026-02"]
    )
