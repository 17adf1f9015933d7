"""suppress_below: counts of fewer than five people are hidden in viewer-facing reports."""

from datetime import date

import pytest

from omzien.reports.disclosure import Hidden
from omzien.reports.statistics import Grouping, attendance_overview
from tests import factories
from tests.reports.visits import add_visit

pytestmark = pytest.mark.django_db

SMALL, HIDDEN = Hidden.SMALL, Hidden.PROTECTING


def overview(places, suppress_below, grouping=Grouping.MONTH, first=date(2026, 1, 1)):
    return attendance_overview(
        places,
        grouping=grouping,
        first_day=first,
        last_day=date(2026, 2, 28),
        as_of=date(2026, 4, 15),
        suppress_below=suppress_below,
    )


def cells(figures):
    return (
        figures.visits,
        figures.named_visits,
        figures.anonymous_visits,
        figures.unique_visitors,
        figures.new_visitors,
        figures.returning_visitors,
        figures.returning_share,
    )


def test_fewer_than_five_people_are_suppressed(history):
    suppressed = overview([history["trefpunt"]], suppress_below=5)
    january, february = suppressed.periods
    # 3 people in January: the counts of 1 to 4 say "<5"; their 5 named and 8 visits in
    # all are about those 3 people, so they are hidden too (not "<5": they are larger).
    # The 3 anonymous visits are 3 people as well. The share goes with the returning.
    assert cells(january) == (HIDDEN, HIDDEN, SMALL, SMALL, SMALL, SMALL, HIDDEN)
    assert cells(february) == (HIDDEN, SMALL, SMALL, SMALL, SMALL, SMALL, HIDDEN)
    assert cells(suppressed.totals) == (HIDDEN, HIDDEN, SMALL, SMALL, SMALL, None, None)
    assert suppressed.suppressed_below == 5


def test_large_enough_cells_stay_and_small_parts_go(history):
    # With a threshold of 3, January's 3 people and their visits are shown, but the 2
    # new ones and the 1 who came back are not (and so not the share).
    january, february = overview([history["trefpunt"]], suppress_below=3).periods
    assert cells(january) == (8, 5, 3, 3, SMALL, SMALL, HIDDEN)
    # February's 1 anonymous visit is hidden, so its 4 named visits are too: else the
    # 5 visits minus the named ones would give it away.
    assert cells(february) == (5, HIDDEN, SMALL, 4, SMALL, SMALL, HIDDEN)


def test_zero_is_shown(history):
    weeks = overview([history["trefpunt"]], 5, grouping=Grouping.WEEK, first=date(2026, 1, 19))
    empty = weeks.periods[0]
    assert empty.start == date(2026, 1, 19)
    assert cells(empty) == (0, 0, 0, 0, 0, 0, None)


def test_without_threshold_nothing_is_suppressed(history):
    figures = overview([history["trefpunt"]], suppress_below=None)
    assert figures.suppressed_below is None
    assert cells(figures.periods[0]) == (8, 5, 3, 3, 2, 1, 1 / 3)


def test_enough_people_are_shown(trefpunt):
    koffie = factories.ActivityFactory(place=trefpunt)
    for _number in range(6):
        person = factories.PersonFactory()
        add_visit(koffie, date(2026, 1, 6), person)
        add_visit(koffie, date(2026, 1, 13), person)
    january, february = overview([trefpunt], suppress_below=5).periods
    # 6 people, all new, none came back after 13 January within 28 days.
    assert cells(january) == (12, 12, 0, 6, 6, 0, 0.0)
    assert cells(february) == (0, 0, 0, 0, 0, 0, None)
