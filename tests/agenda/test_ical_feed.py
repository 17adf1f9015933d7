"""The iCalendar feeds, read back with the icalendar library the way a phone would."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from omzien.accounts.permissions import SYSTEM
from omzien.agenda import services
from tests.factories import ActivityFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _on_the_first_of_march_2027(time_machine):
    """The feeds as on 1 March 2027: the overrides they carry lie around today."""
    time_machine.move_to(datetime(2027, 3, 1, 9, 30, tzinfo=AMSTERDAM), tick=False)


def fetch(client, url="/agenda.ics", **params) -> Calendar:
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def expand(calendar, first: date, last: date):
    return recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))


@pytest.fixture
def koffie(trefpunt):
    activity = ActivityFactory(
        place=trefpunt,
        title="Koffieochtend",
        slug="koffieochtend",
        first_date=date(2027, 1, 5),
        exception_dates="2027-04-27",
    )
    services.materialise_sessions(date(2027, 3, 1), date(2027, 5, 1), activities=[activity])
    return activity


def test_feed_has_a_vtimezone_and_a_recurring_event(client, koffie):
    calendar = fetch(client)
    timezones = calendar.walk("VTIMEZONE")
    assert [tz["TZID"] for tz in timezones] == ["Europe/Amsterdam"]
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Koffieochtend"
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event["RRULE"]["BYDAY"] == ["TU"]
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART") == datetime(2027, 1, 5, 10, tzinfo=AMSTERDAM)


def test_occurrences_keep_local_time_across_dst(client, koffie):
    occurrences = expand(fetch(client), date(2027, 3, 16), date(2027, 4, 6))
    starts = sorted(event.decoded("DTSTART") for event in occurrences)
    assert [s.date() for s in starts] == [
        date(2027, 3, 16),
        date(2027, 3, 23),
        date(2027, 3, 30),
        date(2027, 4, 6),
    ]
    assert {s.astimezone(AMSTERDAM).time() for s in starts} == {time(10, 0)}
    assert [s.utcoffset() for s in starts] == [timedelta(hours=h) for h in (1, 1, 2, 2)]


def test_feed_occurrences_match_the_sessions(client, koffie):
    first, last = date(2027, 3, 1), date(2027, 5, 1)
    starts = sorted(event.decoded("DTSTART") for event in expand(fetch(client), first, last))
    sessions = koffie.sessions.between(first, last).order_by("starts_at")
    assert starts == [s.starts_at for s in sessions]
    assert date(2027, 4, 27) not in {s.date() for s in starts}


def test_cancelled_session_carries_status_cancelled(client, koffie):
    session = koffie.sessions.get(date=date(2027, 3, 23))
    services.cancel_session(session, "Zaal in gebruik voor de verkiezingen", acting_user=SYSTEM)

    calendar = fetch(client)
    overrides = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert len(overrides) == 1
    (override,) = overrides
    assert override["STATUS"] == "CANCELLED"
    assert override["UID"] == calendar.walk("VEVENT")[0]["UID"]
    assert override.decoded("RECURRENCE-ID") == datetime(2027, 3, 23, 10, tzinfo=AMSTERDAM)
    assert "verkiezingen" in str(override["DESCRIPTION"])

    (occurrence,) = expand(calendar, date(2027, 3, 23), date(2027, 3, 23))
    assert occurrence["STATUS"] == "CANCELLED"


def test_rescheduled_session_moves_in_the_feed(client, koffie):
    session = koffie.sessions.get(date=date(2027, 3, 30))
    session.starts_at = datetime(2027, 3, 30, 13, 30, tzinfo=AMSTERDAM)
    session.ends_at = session.starts_at + timedelta(hours=2)
    session.is_rescheduled = True
    session.save()

    (occurrence,) = expand(fetch(client), date(2027, 3, 30), date(2027, 3, 30))
    assert occurrence.decoded("DTSTART") == datetime(2027, 3, 30, 13, 30, tzinfo=AMSTERDAM)


def test_last_date_becomes_until_in_utc(client, koffie):
    koffie.last_date = date(2027, 3, 30)
    koffie.save()
    (event,) = fetch(client).walk("VEVENT")
    assert event["RRULE"]["UNTIL"] == [datetime(2027, 3, 30, 8, tzinfo=ZoneInfo("UTC"))]
    starts = [
        e.decoded("DTSTART").date()
        for e in expand(fetch(client), date(2027, 3, 1), date(2027, 5, 1))
    ]
    assert max(starts) == date(2027, 3, 30)


def test_uids_are_stable_and_the_feed_round_trips(client, koffie):
    first = fetch(client)
    second = fetch(client)
    assert [e["UID"] for e in first.walk("VEVENT")] == [e["UID"] for e in second.walk("VEVENT")]
    assert str(koffie.uid) in first.walk("VEVENT")[0]["UID"]
    reparsed = Calendar.from_ical(first.to_ical())
    assert reparsed.to_ical() == first.to_ical()


def test_place_feed_has_only_that_place(client, koffie, benring):
    ActivityFactory(place=benring, title="Biljarten", slug="biljarten")
    network = {str(e["SUMMARY"]) for e in fetch(client).walk("VEVENT")}
    place = {
        str(e["SUMMARY"]) for e in fetch(client, "/plekken/de-benring/agenda.ics").walk("VEVENT")
    }
    assert network == {"Koffieochtend", "Biljarten"}
    assert place == {"Biljarten"}


def test_network_feed_takes_the_agenda_filters(client, koffie, benring):
    ActivityFactory(place=benring, title="Biljarten", slug="biljarten", category="spel")
    by_village = fetch(client, dorp="voorst").walk("VEVENT")
    by_category = fetch(client, soort="koffie").walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in by_village] == ["Biljarten"]
    assert [str(e["SUMMARY"]) for e in by_category] == ["Koffieochtend"]


def test_unknown_filter_in_feed_is_a_clear_error(client, koffie):
    response = client.get("/agenda.ics", {"dorp": "atlantis"})
    assert response.status_code == 400
    assert "atlantis" in response.content.decode()


def test_unknown_place_feed_is_not_found(client, db):
    assert client.get("/plekken/bestaat-niet/agenda.ics").status_code == 404


def test_inactive_activity_is_not_in_the_feed(client, koffie):
    koffie.is_active = False
    koffie.save()
    assert fetch(client).walk("VEVENT") == []


@pytest.mark.parametrize(("language", "cost"), [("nl", "Kosten: € 7,50"), ("en", "Cost: € 7.50")])
def test_the_cost_is_written_as_the_feeds_language_writes_it(
    client, settings, trefpunt, language, cost
):
    ActivityFactory(place=trefpunt, title="Samen eten", slug="eten", cost="7.50")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    (event,) = fetch(client).walk("VEVENT")
    assert cost in str(event["DESCRIPTION"]).splitlines()


def test_the_place_page_offers_a_webcal_subscription_and_a_download(client, benring):
    page = client.get(benring.get_absolute_url()).content.decode()
    assert 'href="webcal://testserver/plekken/de-benring/agenda.ics"' in page
    assert 'href="http://testserver/plekken/de-benring/agenda.ics"' in page  # download
    assert "iPhone" in page and "Google Agenda" in page and "Via URL" in page


def test_the_agenda_subscribes_to_its_filters_but_not_its_week(client, koffie):
    page = client.get("/agenda/", {"week": "2027-W10", "village": "twello"}).content.decode()
    assert 'href="webcal://testserver/agenda.ics?dorp=twello"' in page
    assert 'href="http://testserver/agenda.ics?dorp=twello"' in page
    footer = client.get("/").content.decode()
    assert 'href="/agenda/#agenda-in-calendar"' in footer
