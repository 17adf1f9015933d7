import json
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from omzien.accounts.permissions import SYSTEM
from omzien.agenda import services
from omzien.agenda.recurrence import week_bounds
from tests.factories import ActivityFactory

WEEK = "2027-W10"  # Monday 2027-03-08 to Sunday 2027-03-14
# The agenda as someone sees it on Monday 1 March 2027, the week before. (Sessions are
# made for a window around today, so the week must lie in it, whatever today is.)
NOW = datetime(2027, 3, 1, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def _on_the_first_of_march_2027(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def programme(trefpunt, benring):
    return {
        "koffie": ActivityFactory(
            place=trefpunt,
            title="Koffieochtend Trefpunt",
            slug="koffie",
            first_date=date(2027, 1, 5),
        ),
        "handwerken": ActivityFactory(
            place=trefpunt,
            title="Handwerkclub",
            slug="handwerken",
            category="handwerken",
            rrule="FREQ=WEEKLY;BYDAY=TH",
            first_date=date(2027, 1, 7),
            start_time=time(14),
            signup_required=True,
            cost="2.50",
        ),
        "biljarten": ActivityFactory(
            place=benring,
            title="Biljarten in De Benring",
            slug="biljarten",
            category="spel",
            rrule="FREQ=WEEKLY;BYDAY=MO,WE",
            first_date=date(2027, 1, 4),
        ),
    }


def titles(response) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


def test_week_shows_every_session_of_all_places(client, programme):
    response = client.get("/agenda/", {"week": WEEK})
    assert response.status_code == 200
    assert titles(response) == [
        "Biljarten in De Benring",
        "Koffieochtend Trefpunt",
        "Biljarten in De Benring",
        "Handwerkclub",
    ]
    page = response.content.decode()
    assert "Aanmelden" in page or "Sign-up" in page
    assert "2,50" in page or "2.50" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"dorp": "twello"}, {"Koffieochtend Trefpunt", "Handwerkclub"}),
        ({"village": "voorst"}, {"Biljarten in De Benring"}),
        ({"plek": "trefpunt-duistervoorde"}, {"Koffieochtend Trefpunt", "Handwerkclub"}),
        ({"soort": "handwerken"}, {"Handwerkclub"}),
        ({"dorp": "twello", "soort": "spel"}, set()),
        ({"category": "spel", "place": "de-benring"}, {"Biljarten in De Benring"}),
    ],
)
def test_filters(client, programme, params, expected):
    response = client.get("/agenda/", {"week": WEEK, **params})
    assert response.status_code == 200
    assert set(titles(response)) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"dorp": "atlantis"}, "atlantis"),
        ({"plek": "nergens"}, "nergens"),
        ({"soort": "paardrijden"}, "paardrijden"),
        ({"week": "volgende"}, "2026-W48"),
        ({"week": "2027-W60"}, "2027-W60"),
    ],
)
def test_bad_filters_give_a_dutch_error_and_no_agenda(client, programme, params, message):
    response = client.get("/agenda/", params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'role="alert"' in page
    assert titles(response) == []


def test_unknown_village_message_is_dutch(client, programme):
    response = client.get("/agenda/", {"dorp": "atlantis"})
    assert "Er is geen dorp" in response.content.decode()


def test_week_navigation_keeps_the_filters(client, programme):
    response = client.get("/agenda/", {"week": WEEK, "dorp": "twello"})
    page = response.content.decode()
    assert 'href="?week=2027-W09&amp;dorp=twello"' in page
    assert 'href="?week=2027-W11&amp;dorp=twello"' in page


def test_without_week_the_current_week_is_shown(client, trefpunt):
    monday, _sunday = week_bounds(timezone.localdate())
    assert monday == date(2027, 3, 1)  # NOW is a Monday
    ActivityFactory(place=trefpunt, rrule="FREQ=DAILY", first_date=monday - timedelta(days=30))
    response = client.get("/agenda/")
    assert response.status_code == 200
    assert response.context["monday"] == monday
    shown = {s.date for _day, sessions in response.context["days"] for s in sessions}
    assert shown == {monday + timedelta(days=n) for n in range(7)}


def test_cancelled_session_is_marked_with_its_reason(client, programme):
    services.ensure_sessions(date(2027, 3, 8), date(2027, 3, 14))
    session = programme["koffie"].sessions.get(date=date(2027, 3, 9))
    services.cancel_session(session, "Zaal in gebruik", acting_user=SYSTEM)
    response = client.get("/agenda/", {"week": WEEK})
    page = response.content.decode()
    assert "Zaal in gebruik" in page
    assert 'class="session cancelled"' in page


def test_json_ld_describes_each_session_as_an_event(client, programme):
    services.ensure_sessions(date(2027, 3, 8), date(2027, 3, 14))
    services.cancel_session(
        programme["koffie"].sessions.get(date=date(2027, 3, 9)), "Ziek", acting_user=SYSTEM
    )
    response = client.get("/agenda/", {"week": WEEK, "dorp": "twello"})
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    events = json.loads(match.group(1))
    assert [e["name"] for e in events] == ["Koffieochtend Trefpunt", "Handwerkclub"]
    koffie, handwerk = events
    assert koffie["@type"] == "Event"
    assert koffie["startDate"] == "2027-03-09T10:00:00+01:00"
    assert koffie["eventStatus"] == "https://schema.org/EventCancelled"
    assert koffie["location"]["address"]["postalCode"] == "7391 AA"
    assert koffie["isAccessibleForFree"] is True
    assert handwerk["offers"]["price"] == "2.50"


def test_json_ld_cannot_be_broken_out_of(client, trefpunt):
    ActivityFactory(
        place=trefpunt,
        title="</script><script>alert(1)</script>",
        slug="x",
        first_date=date(2027, 1, 5),
    )
    page = client.get("/agenda/", {"week": WEEK}).content.decode()
    assert "<script>alert(1)" not in page


def test_activity_page(client, programme):
    response = client.get("/agenda/trefpunt-duistervoorde/handwerken/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Handwerkclub</h1>" in page
    assert "Trefpunt Duistervoorde" in page
    assert '"@type": "Event"' in page


def test_activity_of_another_place_is_not_found(client, programme):
    assert client.get("/agenda/de-benring/handwerken/").status_code == 404


@pytest.mark.parametrize(
    ("week", "heading"),
    [
        ("2026-W53", "28 december 2026 tot en met 3 januari 2027"),
        ("2027-W10", "8 maart tot en met 14 maart 2027"),
    ],
)
def test_a_week_across_new_year_names_both_years(client, db, week, heading):
    page = client.get("/agenda/", {"week": week}).content.decode()
    assert heading in page
