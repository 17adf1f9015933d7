"""Attendance figures on the hand-made history of conftest.py, worked out by hand."""

from datetime import date

import pytest

from omzien.reports.statistics import (
    Grouping,
    attendance_by_activity,
    attendance_overview,
    period_starts,
)
from tests import factories
from tests.reports.visits import add_visit

pytestmark = pytest.mark.django_db

LATER = date(2026, 4, 15)  # every 4-week window of January and February is complete


def rows(overview):
    """(start, visits, named, anonymous, unique, new, returning, share) per period."""
    return [
        (
            figures.start,
            figures.visits,
            figures.named_visits,
            figures.anonymous_visits,
            figures.unique_visitors,
            figures.new_visitors,
            figures.returning_visitors,
            figures.returning_share,
        )
        for figures in overview.periods
    ]


def months(places, activity=None, as_of=LATER):
    return attendance_overview(
        places,
        activity=activity,
        grouping=Grouping.MONTH,
        first_day=date(2026, 1, 1),
        last_day=date(2026, 2, 28),
        as_of=as_of,
    )


def test_per_month_at_one_place(history):
    overview = months([history["trefpunt"]])
    assert rows(overview) == [
        # Anna 3x (not new: she came in December), Bert, Cor; 3 anonymous. Only Cor
        # came back within 28 days of his last January visit.
        (date(2026, 1, 1), 8, 5, 3, 3, 2, 1, 1 / 3),
        # Cor, Dina, Anna, Bert; Dina is new. Cor came back on 3 March; Dina went to
        # De Benring, which is another place.
        (date(2026, 2, 1), 5, 4, 1, 4, 1, 1, 0.25),
    ]
    totals = overview.totals
    assert (totals.visits, totals.named_visits, totals.anonymous_visits) == (13, 9, 4)
    assert (totals.unique_visitors, totals.new_visitors) == (4, 3)
    assert totals.returning_visitors is None
    assert (overview.first_day, overview.last_day) == (date(2026, 1, 1), date(2026, 2, 28))


def test_per_month_at_several_places_counts_people_once_and_returns_anywhere(history):
    overview = months([history["trefpunt"], history["benring"]])
    assert rows(overview) == [
        # Evert at De Benring joins; he is new and did not come back.
        (date(2026, 1, 1), 9, 6, 3, 4, 3, 1, 0.25),
        # Dina's visit to De Benring on 2 March is a return to the network.
        (date(2026, 2, 1), 5, 4, 1, 4, 1, 2, 0.5),
    ]
    assert overview.totals.unique_visitors == 5


def test_per_activity(history):
    koffie = months([history["trefpunt"]], activity=history["koffie"])
    assert rows(koffie) == [
        # Anna is no newcomer to the coffee morning; nobody came back within 28 days.
        (date(2026, 1, 1), 6, 3, 3, 2, 1, 0, 0.0),
        # Cor's coffee on 3 March does not count: he was not at February's coffee.
        (date(2026, 2, 1), 3, 3, 0, 3, 1, 0, 0.0),
    ]
    handwerken = months([history["trefpunt"]], activity=history["handwerken"])
    assert rows(handwerken) == [
        # Anna's first time at handwerken makes her new there.
        (date(2026, 1, 1), 2, 2, 0, 2, 2, 1, 0.5),
        # Cor's 3 March visit was to the coffee morning, not a return to handwerken.
        (date(2026, 2, 1), 2, 1, 1, 1, 0, 0, 0.0),
    ]


def test_per_iso_week_across_the_new_year(history):
    overview = attendance_overview(
        [history["trefpunt"]],
        grouping=Grouping.WEEK,
        first_day=date(2026, 1, 1),  # a Thursday: widened to Monday 29 December 2025
        last_day=date(2026, 2, 8),
        as_of=date(2026, 3, 6),
    )
    assert rows(overview) == [
        (date(2025, 12, 29), 1, 1, 0, 1, 1, 0, 0.0),  # Fenna on 30 December: ISO week 1
        (date(2026, 1, 5), 4, 1, 3, 1, 0, 1, 1.0),  # the Sunday anonymous visit included
        (date(2026, 1, 12), 3, 3, 0, 2, 1, 0, 0.0),
        (date(2026, 1, 19), 0, 0, 0, 0, 0, 0, None),  # an empty week is still a row
        (date(2026, 1, 26), 1, 1, 0, 1, 1, 1, 1.0),
        # 8 February + 28 days is 8 March, after 6 March: not yet complete.
        (date(2026, 2, 2), 3, 2, 1, 2, 1, None, None),
    ]
    assert [figures.returning_complete for figures in overview.periods] == [True] * 5 + [False]
    totals = overview.totals
    assert (totals.visits, totals.unique_visitors, totals.new_visitors) == (12, 5, 4)
    assert sum(figures.visits for figures in overview.periods) == totals.visits


def test_incomplete_window_becomes_complete_later(history):
    overview = attendance_overview(
        [history["trefpunt"]],
        grouping=Grouping.WEEK,
        first_day=date(2026, 2, 2),
        last_day=date(2026, 2, 8),
        as_of=date(2026, 4, 1),
    )
    assert rows(overview) == [(date(2026, 2, 2), 3, 2, 1, 2, 1, 1, 0.5)]


@pytest.mark.parametrize(
    ("as_of", "complete"),
    [
        (date(2026, 3, 20), False),
        (date(2026, 3, 28), False),  # 28 February + 28 days: visits may still come today
        (date(2026, 3, 29), True),
    ],
)
def test_last_month_not_yet_complete(history, as_of, complete):
    january, february = months([history["trefpunt"]], as_of=as_of).periods
    assert january.returning_complete
    assert january.returning_visitors == 1
    assert february.returning_complete is complete
    if complete:
        assert (february.returning_visitors, february.returning_share) == (1, 0.25)
    else:
        assert (february.returning_visitors, february.returning_share) == (None, None)
        assert february.unique_visitors == 4  # the other figures are there


def test_return_on_day_28_counts_and_day_29_does_not(trefpunt):
    koffie = factories.ActivityFactory(place=trefpunt)
    on_time, late = factories.PersonFactory(), factories.PersonFactory()
    add_visit(koffie, date(2026, 1, 6), on_time)
    add_visit(koffie, date(2026, 2, 3), on_time)  # 28 days later
    add_visit(koffie, date(2026, 1, 6), late)
    add_visit(koffie, date(2026, 2, 4), late)  # 29 days later
    week = attendance_overview(
        [trefpunt],
        grouping=Grouping.WEEK,
        first_day=date(2026, 1, 5),
        last_day=date(2026, 1, 11),
        as_of=LATER,
    ).periods[0]
    assert (week.unique_visitors, week.returning_visitors, week.returning_share) == (2, 1, 0.5)


def test_running_period_is_marked(history):
    overview = months([history["trefpunt"]], as_of=date(2026, 2, 10))
    assert [figures.is_running for figures in overview.periods] == [False, True]
    assert overview.totals.is_running


def test_range_is_widened_to_whole_periods(history):
    overview = attendance_overview(
        [history["trefpunt"]],
        grouping=Grouping.MONTH,
        first_day=date(2026, 1, 15),
        last_day=date(2026, 2, 10),
        as_of=LATER,
    )
    assert (overview.first_day, overview.last_day) == (date(2026, 1, 1), date(2026, 2, 28))
    assert overview.totals.visits == 13


def test_period_starts():
    assert period_starts(date(2025, 11, 30), date(2026, 2, 1), Grouping.MONTH) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert period_starts(date(2026, 1, 4), date(2026, 1, 5), Grouping.WEEK) == [
        date(2025, 12, 29),
        date(2026, 1, 5),
    ]


def test_no_visits_gives_zeros(trefpunt):
    overview = months([trefpunt])
    assert rows(overview) == [
        (date(2026, 1, 1), 0, 0, 0, 0, 0, 0, None),
        (date(2026, 2, 1), 0, 0, 0, 0, 0, 0, None),
    ]


def test_counting_is_a_fixed_number_of_queries(history, django_assert_num_queries):
    with django_assert_num_queries(3):
        attendance_overview(
            [history["trefpunt"], history["benring"]],
            grouping=Grouping.WEEK,
            first_day=date(2025, 1, 1),
            last_day=date(2026, 6, 30),
            as_of=LATER,
        )


def test_per_activity_table(history):
    figures = attendance_by_activity([history["trefpunt"]], date(2026, 1, 1), date(2026, 2, 28))
    assert [
        (row.title, row.visits, row.anonymous_visits, row.unique_visitors) for row in figures
    ] == [("Handwerken", 4, 1, 2), ("Koffieochtend", 9, 3, 3)]
