"""Help between residents in the report, against a small region worked out by hand.

Help belongs to a village: Twello and Voorst. Moments are UTC; days are local.

    o1 Bob offers (Twello)          2025-11-01
    r1 Ann asks (Twello)            2026-01-10; Bob's offer confirmed 01-12; done 02-01;
                                    Ann: good (02-02), Bob: fair (02-03)
    r2 someone asks on the site     2026-01-31 23:30 UTC = 1 February local; proposal declined
    o2 Cor offers (Voorst)          2026-03-15
    r3 Bob asks (Voorst)            2026-04-03; Cor's offer done (decided 04-05); done 04-20;
                                    Bob: not good (04-21)
    r4 Cor asks (Voorst)            2026-05-01, still open
    o3 a forgotten offer (Twello)   2026-06-01
    r5 a forgotten request (Twello) 2026-06-10, done 06-20
"""

from datetime import UTC, date, datetime

import pytest

from omzien.helping.models import HelpFeedback, HelpMatch, HelpOffer, HelpRequest
from omzien.reports.cube import MEASURES, Adds, GroupKind, Unit
from omzien.reports.figures import build_cube
from tests import factories
from tests.reports.cube_checks import assert_adds_up, assert_complete

NAMES = [
    "help_requests",
    "help_matched",
    "help_done",
    "help_feedback_good",
    "help_feedback_fair",
    "help_feedback_not_good",
    "help_offers",
    "people_gave_and_received",
]
Status = HelpRequest.Status


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def made(model, created_at, **fields):
    """A request or offer made at a moment (``created_at`` is set by the database)."""
    factory = factories.HelpRequestFactory if model is HelpRequest else factories.HelpOfferFactory
    entry = factory(**fields)
    model.objects.filter(pk=entry.pk).update(created_at=created_at)
    return entry


@pytest.fixture
def help_history(trefpunt, benring, twello, voorst_village):
    ann, bob, cor = (
        factories.PersonFactory(first_name=name, village=village)
        for name, village in [("Ann", twello), ("Bob", twello), ("Cor", voorst_village)]
    )
    in_twello = {"village": twello, "place": trefpunt}
    in_voorst = {"village": voorst_village, "place": benring}
    o1 = made(HelpOffer, at(2025, 11, 1), person=bob, **in_twello)
    r1 = made(
        HelpRequest,
        at(2026, 1, 10),
        person=ann,
        status=Status.DONE,
        closed_at=at(2026, 2, 1),
        **in_twello,
    )
    factories.HelpMatchFactory(
        request=r1, offer=o1, status=HelpMatch.Status.DONE, decided_at=at(2026, 1, 12)
    )
    factories.HelpFeedbackFactory(request=r1, answer="goed", at=at(2026, 2, 2))
    factories.HelpFeedbackFactory(
        request=r1, side=HelpFeedback.Side.HELPER, answer="redelijk", at=at(2026, 2, 3)
    )
    r2 = made(HelpRequest, at(2026, 1, 31, 23, 30), status=Status.NO_MATCH, **in_twello)
    factories.HelpMatchFactory(
        request=r2, offer=o1, status=HelpMatch.Status.DECLINED, decided_at=at(2026, 2, 2)
    )
    o2 = made(HelpOffer, at(2026, 3, 15), person=cor, **in_voorst)
    r3 = made(
        HelpRequest,
        at(2026, 4, 3),
        person=bob,
        status=Status.DONE,
        closed_at=at(2026, 4, 20),
        **in_voorst,
    )
    factories.HelpMatchFactory(
        request=r3, offer=o2, status=HelpMatch.Status.DONE, decided_at=at(2026, 4, 5)
    )
    factories.HelpFeedbackFactory(request=r3, answer="niet-goed", at=at(2026, 4, 21))
    made(HelpRequest, at(2026, 5, 1), person=cor, **in_voorst)
    made(HelpOffer, at(2026, 6, 1), person=None, first_name="", **in_twello)
    made(
        HelpRequest,
        at(2026, 6, 10),
        person=None,
        first_name="",
        status=Status.DONE,
        closed_at=at(2026, 6, 20),
        **in_twello,
    )


@pytest.fixture
def cube(help_history):
    return build_cube(2026, as_of=date(2026, 12, 31))


# (group, period): requests, matched, done, good, fair, not good, offers, gave and received
EXPECTED = {
    ("twello", "2026-01"): (1, 1, 0, 0, 0, 0, 0, 0),
    ("twello", "2026-02"): (1, 0, 1, 1, 1, 0, 0, 0),
    ("twello", "2026-06"): (1, 0, 1, 0, 0, 0, 1, 0),
    ("twello", "2026-Q1"): (2, 1, 1, 1, 1, 0, 0, 0),
    ("twello", "2026-Q2"): (1, 0, 1, 0, 0, 0, 1, 0),
    ("twello", "2026"): (3, 1, 2, 1, 1, 0, 1, 0),
    ("voorst", "2026-03"): (0, 0, 0, 0, 0, 0, 1, 0),
    ("voorst", "2026-04"): (1, 1, 1, 0, 0, 1, 0, 1),
    ("voorst", "2026-05"): (1, 0, 0, 0, 0, 0, 0, 1),
    ("voorst", "2026-Q1"): (0, 0, 0, 0, 0, 0, 1, 0),
    ("voorst", "2026-Q2"): (2, 1, 1, 0, 0, 1, 0, 2),
    ("voorst", "2026"): (2, 1, 1, 0, 0, 1, 1, 2),
    ("region", "2026-01"): (1, 1, 0, 0, 0, 0, 0, 0),
    ("region", "2026-Q1"): (2, 1, 1, 1, 1, 0, 1, 0),
    ("region", "2026-Q2"): (3, 1, 2, 0, 0, 1, 1, 2),
    ("region", "2026"): (5, 2, 3, 1, 1, 1, 2, 2),
}


@pytest.mark.parametrize(("cell", "expected"), EXPECTED.items(), ids=str)
def test_help_figures(cube, cell, expected):
    group, period = cell
    assert tuple(cube.get(group, period, name) for name in NAMES) == expected


def test_help_has_no_figures_per_place(cube):
    assert_complete(cube)
    assert cube.get("trefpunt-duistervoorde", "2026", "help_requests") is None
    assert all(MEASURES[name].levels == (GroupKind.REGION, GroupKind.VILLAGE) for name in NAMES)


def test_the_figures_add_up(cube):
    assert_adds_up(cube, NAMES)


def test_an_offer_made_after_the_figures_does_not_count_yet(help_history):
    cube = build_cube(2026, as_of=date(2026, 3, 14))
    assert cube.get("voorst", "2026", "people_gave_and_received") == 1  # Bob, not Cor yet


def test_the_measures_declare_what_they_are():
    for name in NAMES[:-1]:
        measure = MEASURES[name]
        assert (measure.unit, measure.over_groups, measure.over_periods) == (
            Unit.PEOPLE,
            Adds.SUM,
            Adds.SUM,
        )
    both = MEASURES["people_gave_and_received"]
    assert (both.over_groups, both.over_periods) == (Adds.UNION, Adds.UNION)
