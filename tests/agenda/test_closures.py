"""A place's closure: its sessions show as closed on every public page and in the feeds.

Whether the session has a row (materialised) or is computed from the rule; other places
are not affected. The door's helpers (``Session.closure``, ``outside_closures``) say so.
"""

import json
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
import time_machine
from icalendar import Calendar

from omzien.accounts.permissions import SYSTEM
from omzien.agenda import services
from omzien.agenda.models import Session
from omzien.agenda.services import cancel_session
from omzien.places.models import PlaceClosure
from tests.factories import ActivityFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CLOSED_TUESDAY = date(2027, 3, 16)


def travel(day: date):
    return time_machine.travel(datetime.combine(day, time(9), tzinfo=AMSTERDAM), tick=False)


@pytest.fixture(autouse=True)
def _today():
    with travel(date(2027, 3, 10)):
        yield


@pytest.fixture(params=["computed", "stored"])
def koffie(request, trefpunt, benring):
    activity = ActivityFactory(
        place=trefpunt, title="Koffieochtend", slug="koffie", first_date=date(2027, 1, 5)
    )
    ActivityFactory(
        place=benring,
        title="Biljarten",
        slug="biljarten",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        first_date=date(2027, 1, 5),
    )
    PlaceClosure.objects.create(
        place=trefpunt,
        first_day=date(2027, 3, 15),
        last_day=date(2027, 3, 21),
        reason="Verbouwing van de zaal",
    )
    if request.param == "stored":
        services.materialise_sessions(date(2027, 3, 1), date(2027, 3, 31))
    return activity


def sessions_on_page(response):
    return {
        (s.activity.title, s.date): s
        for _day, sessions in response.context["days"]
        for s in sessions
    }


def test_week_agenda_shows_the_session_as_closed_with_the_reason(client, koffie):
    response = client.get("/agenda/", {"week": "2027-W11"})
    sessions = sessions_on_page(response)
    closed = sessions[("Koffieochtend", CLOSED_TUESDAY)]
    assert closed.closure.reason == "Verbouwing van de zaal"
    assert not closed.takes_place
    assert sessions[("Biljarten", CLOSED_TUESDAY)].takes_place
    page = response.content.decode()
    assert "<strong>Gesloten</strong>: Verbouwing van de zaal" in page
    assert page.count('class="session cancelled"') == 1


def test_the_weeks_around_the_closure_are_open(client, koffie):
    for week in ("2027-W10", "2027-W12"):
        sessions = sessions_on_page(client.get("/agenda/", {"week": week}))
        assert all(s.takes_place for s in sessions.values())


def test_json_ld_calls_the_closed_session_off(client, koffie):
    page = client.get("/agenda/", {"week": "2027-W11", "dorp": "twello"}).content.decode()
    (events,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    (event,) = json.loads(events)
    assert event["eventStatus"] == "https://schema.org/EventCancelled"


def test_home_page_on_a_closed_day(client, koffie):
    with travel(CLOSED_TUESDAY):
        response = client.get("/")
    (closed,) = [
        s for s in response.context["today_sessions"] if s.activity.title == "Koffieochtend"
    ]
    assert closed.closure is not None
    assert "Gesloten</strong>: Verbouwing van de zaal" in response.content.decode()


def test_place_page_and_activity_page_show_the_closure(client, koffie):
    place_page = client.get("/plekken/trefpunt-duistervoorde/")
    (closed,) = [s for s in place_page.context["sessions"] if s.date == CLOSED_TUESDAY]
    assert closed.closure is not None
    assert "Verbouwing van de zaal" in place_page.content.decode()

    activity_page = client.get("/agenda/trefpunt-duistervoorde/koffie/")
    by_day = {s.date: s for s in activity_page.context["sessions"]}
    assert by_day[CLOSED_TUESDAY].closure is not None
    assert by_day[CLOSED_TUESDAY + timedelta(weeks=1)].closure is None
    assert (
        '<li class="cancelled">' in activity_page.content.decode()
        and "Gesloten</strong>: Verbouwing" in activity_page.content.decode()
    )


def test_other_places_page_knows_nothing_of_it(client, koffie):
    page = client.get("/plekken/de-benring/").content.decode()
    assert "Gesloten" not in page and "Verbouwing" not in page


@pytest.mark.parametrize("url", ["/agenda.ics", "/plekken/trefpunt-duistervoorde/agenda.ics"])
def test_feeds_cancel_the_closed_day(client, koffie, url):
    calendar = Calendar.from_ical(client.get(url).content)
    overrides = [
        e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e and "Koffie" in e["SUMMARY"]
    ]
    (override,) = overrides
    assert override.decoded("RECURRENCE-ID") == datetime(2027, 3, 16, 10, tzinfo=AMSTERDAM)
    assert override["STATUS"] == "CANCELLED"
    assert str(override["SUMMARY"]) == "Gesloten: Koffieochtend"
    assert "Verbouwing van de zaal" in str(override["DESCRIPTION"])
    occurrences = recurring_ical_events.of(calendar).between(date(2027, 3, 9), date(2027, 3, 24))
    status = {
        (str(e["SUMMARY"]), e.decoded("DTSTART").date()): str(e.get("STATUS", "CONFIRMED"))
        for e in occurrences
    }
    assert status[("Gesloten: Koffieochtend", CLOSED_TUESDAY)] == "CANCELLED"
    assert status[("Koffieochtend", date(2027, 3, 9))] != "CANCELLED"
    assert status[("Koffieochtend", date(2027, 3, 23))] != "CANCELLED"
    if "plekken" not in url:
        assert status[("Biljarten", CLOSED_TUESDAY)] != "CANCELLED"


def test_a_cancelled_session_in_a_closure_shows_the_closure(client, koffie):
    services.materialise_sessions(CLOSED_TUESDAY, CLOSED_TUESDAY, [koffie])
    cancel_session(koffie.sessions.get(date=CLOSED_TUESDAY), "Ziek", acting_user=SYSTEM)
    calendar = Calendar.from_ical(client.get("/agenda.ics").content)
    (override,) = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert override["STATUS"] == "CANCELLED"
    assert "Verbouwing" in str(override["DESCRIPTION"])


def test_an_extra_session_in_a_closure_is_cancelled_in_the_feed(client, koffie):
    extra = Session.objects.create(
        activity=koffie,
        date=date(2027, 3, 18),
        starts_at=datetime(2027, 3, 18, 14, tzinfo=AMSTERDAM),
        ends_at=datetime(2027, 3, 18, 16, tzinfo=AMSTERDAM),
        is_extra=True,
    )
    calendar = Calendar.from_ical(client.get("/agenda.ics").content)
    (event,) = [e for e in calendar.walk("VEVENT") if f"{extra.date:%Y%m%d}" in str(e["UID"])]
    assert event["STATUS"] == "CANCELLED"


def test_the_door_helpers_know_the_closure(koffie):
    services.materialise_sessions(date(2027, 3, 1), date(2027, 3, 31), [koffie])
    closed = Session.objects.get(activity=koffie, date=CLOSED_TUESDAY)
    open_ = Session.objects.get(activity=koffie, date=date(2027, 3, 9))
    assert closed.closure.reason == "Verbouwing van de zaal"
    assert not closed.takes_place
    assert open_.closure is None and open_.takes_place
    remaining = Session.objects.filter(activity=koffie).outside_closures()
    assert closed not in remaining and open_ in remaining
    assert remaining.count() == koffie.sessions.count() - 1
