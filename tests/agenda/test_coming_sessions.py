"""Activity and place pages show the coming sessions: at least the next three, however far
ahead, and never one that has ended. Read-only: nothing is written to show them."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from omzien.accounts.permissions import SYSTEM
from omzien.agenda import queries
from omzien.agenda.models import Session
from omzien.agenda.services import cancel_session
from tests.factories import ActivityFactory, SessionFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day: date, hour: int, minute: int = 0):
    return time_machine.travel(
        datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM), tick=False
    )


@pytest.fixture
def monthly(trefpunt):
    """Samen eten on the first Thursday of the month, 17:30-19:30."""
    return ActivityFactory(
        place=trefpunt,
        title="Samen eten",
        slug="samen-eten",
        rrule="FREQ=MONTHLY;BYDAY=1TH",
        first_date=date(2026, 1, 1),
        start_time=time(17, 30),
    )


def listed_dates(response) -> list[date]:
    return [session.date for session in response.context["sessions"]]


def test_a_monthly_activity_shows_its_next_three_sessions(client, monthly):
    # 9 December: the next first Thursday is 7 January, beyond the page's eight weeks?
    # No: but two of three are; the page reaches as far as the third one needs.
    with at(date(2026, 12, 9), 9):
        response = client.get(monthly.get_absolute_url())
    assert listed_dates(response) == [date(2027, 1, 7), date(2027, 2, 4), date(2027, 3, 4)]
    page = response.content.decode()
    assert "geen bijeenkomsten" not in page
    assert "donderdag 7 januari 2027" in page  # another year: with its year


def test_a_yearly_activity_shows_sessions_a_year_ahead(client, trefpunt):
    yearly = ActivityFactory(
        place=trefpunt, slug="nieuwjaar", rrule="FREQ=YEARLY", first_date=date(2026, 1, 3)
    )
    with at(date(2026, 3, 10), 9):
        response = client.get(yearly.get_absolute_url())
    # Two years ahead at most: the third would be in 2029.
    assert listed_dates(response) == [date(2027, 1, 3), date(2028, 1, 3)]


def test_the_place_page_reaches_the_monthly_activity(client, monthly):
    with at(date(2026, 12, 9), 9):
        response = client.get(monthly.place.get_absolute_url())
    assert listed_dates(response) == [date(2027, 1, 7), date(2027, 2, 4), date(2027, 3, 4)]
    assert "De komende bijeenkomsten" in response.content.decode()


def test_a_weekly_activity_shows_its_weeks_and_at_least_three(client, trefpunt):
    weekly = ActivityFactory(place=trefpunt, slug="koffie")  # Tuesdays 10:00
    with at(date(2027, 3, 10), 9):
        response = client.get(weekly.get_absolute_url())
    assert len(listed_dates(response)) == 8
    with at(date(2027, 3, 10), 9):
        response = client.get(trefpunt.get_absolute_url())
    # Two weeks hold two Tuesdays; the place page goes on to the third.
    assert listed_dates(response) == [date(2027, 3, 16), date(2027, 3, 23), date(2027, 3, 30)]


def test_cancelled_sessions_do_not_count_as_the_next_three(client, monthly):
    with at(date(2026, 12, 9), 9):
        session = SessionFactory(activity=monthly, date=date(2027, 1, 7))
        cancel_session(session, "Kerstvakantie", acting_user=SYSTEM)
        response = client.get(monthly.get_absolute_url())
    assert listed_dates(response) == [
        date(2027, 1, 7),
        date(2027, 2, 4),
        date(2027, 3, 4),
        date(2027, 4, 1),
    ]
    assert "Kerstvakantie" in response.content.decode()


@pytest.mark.parametrize(
    ("hour", "minute", "listed_today"),
    [(9, 0, True), (10, 30, True), (11, 59, True), (12, 0, False), (23, 30, False)],
)
def test_a_session_that_has_ended_is_not_coming(client, trefpunt, hour, minute, listed_today):
    weekly = ActivityFactory(place=trefpunt, slug="koffie")  # Tuesdays 10:00-12:00
    tuesday = date(2027, 3, 9)
    with at(tuesday, hour, minute):
        response = client.get(weekly.get_absolute_url())
        place_response = client.get(trefpunt.get_absolute_url())
    assert (tuesday in listed_dates(response)) is listed_today
    assert (tuesday in listed_dates(place_response)) is listed_today


def test_a_session_across_midnight_is_coming_until_it_ends(client, trefpunt):
    # A New Year's Eve evening, 22:00 to 01:00.
    evening = ActivityFactory(
        place=trefpunt,
        slug="oudjaar",
        rrule="FREQ=YEARLY",
        first_date=date(2026, 12, 31),
        start_time=time(22),
        duration=datetime(2000, 1, 2, 1) - datetime(2000, 1, 1, 22),
    )
    new_years_eve = date(2026, 12, 31)
    with at(date(2027, 1, 1), 0, 30):
        going_on = listed_dates(client.get(evening.get_absolute_url()))
    with at(date(2027, 1, 1), 1, 0):
        ended = listed_dates(client.get(evening.get_absolute_url()))
    assert going_on[0] == new_years_eve
    assert new_years_eve not in ended and ended[0] == date(2027, 12, 31)


def test_coming_sessions_write_nothing(django_assert_max_num_queries, monthly):
    with at(date(2026, 12, 9), 9):
        before = Session.objects.count()
        sessions = queries.coming_sessions([monthly], datetime.now(tz=AMSTERDAM), weeks=2)
    assert len(sessions) == 3 and all(session.pk is None for session in sessions)
    assert Session.objects.count() == before == 0
