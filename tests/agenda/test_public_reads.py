"""Public pages only read: no anonymous GET writes a row, whatever week or filter it asks.

Weeks without stored sessions are computed from the rules (unsaved sessions); stored
rows win; weeks outside the agenda's range and malformed weeks are a Dutch 400.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omzien.accounts.permissions import SYSTEM
from omzien.agenda import services
from omzien.agenda.models import Session
from omzien.agenda.services import cancel_session
from tests.factories import ActivityFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = date(2027, 3, 10)  # a Wednesday in week 2027-W10
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.combine(TODAY, time(9), tzinfo=AMSTERDAM), tick=False):
        yield


@pytest.fixture
def programme(trefpunt, benring):
    koffie = ActivityFactory(
        place=trefpunt, title="Koffieochtend", slug="koffie", first_date=date(2026, 1, 6)
    )
    biljarten = ActivityFactory(
        place=benring,
        title="Biljarten",
        slug="biljarten",
        category="spel",
        rrule="FREQ=WEEKLY;BYDAY=MO",
        first_date=date(2026, 1, 5),
    )
    return {"koffie": koffie, "biljarten": biljarten}


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def get_without_writing(client, url, params=None):
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == [], f"{url} {params} wrote: {writes}"
    assert row_counts() == before
    return response


PUBLIC_GETS = [
    ("/", {}, 200),
    ("/agenda/", {}, 200),
    ("/agenda/", {"week": "2027-W11"}, 200),  # next week
    ("/agenda/", {"week": "2027-W09"}, 200),  # previous week
    ("/agenda/", {"week": "2028-W30"}, 200),  # far ahead, outside the materialised window
    ("/agenda/", {"week": "2025-W30"}, 200),  # far back: what was recorded
    ("/agenda/", {"week": "2029-W10"}, 200),  # the last week the agenda reaches
    ("/agenda/", {"week": "2030-W10"}, 400),  # beyond it
    ("/agenda/", {"week": "9999-W51"}, 400),
    ("/agenda/", {"week": "9999-W52"}, 400),
    ("/agenda/", {"week": "0001-W01"}, 400),
    ("/agenda/", {"week": "volgende"}, 400),
    ("/agenda/", {"week": "2027-W11", "dorp": "twello"}, 200),
    ("/agenda/", {"week": "2028-W11", "plek": "de-benring", "soort": "spel"}, 200),
    ("/agenda/", {"village": "voorst", "category": "koffie"}, 200),
    ("/agenda/", {"dorp": "atlantis"}, 400),
    ("/agenda/trefpunt-duistervoorde/koffie/", {}, 200),
    ("/agenda/trefpunt-duistervoorde/bestaat-niet/", {}, 404),
    ("/agenda.ics", {}, 200),
    ("/agenda.ics", {"dorp": "voorst", "soort": "spel"}, 200),
    ("/agenda.ics", {"week": "9999-W52"}, 400),
    ("/plekken/", {}, 200),
    ("/plekken/de-benring/", {}, 200),
    ("/plekken/de-benring/agenda.ics", {}, 200),
    ("/plekken/bestaat-niet/", {}, 404),
]


@pytest.mark.parametrize(("url", "params", "status"), PUBLIC_GETS)
def test_public_get_writes_nothing(client, programme, url, params, status):
    response = get_without_writing(client, url, params)
    assert response.status_code == status


@pytest.mark.parametrize(("url", "params", "status"), PUBLIC_GETS)
def test_public_get_writes_nothing_after_the_nightly_run(client, programme, url, params, status):
    first, last = services.session_window(TODAY)
    services.materialise_sessions(first, last)
    response = get_without_writing(client, url, params)
    assert response.status_code == status


def test_a_crawler_following_next_week_to_the_end_adds_nothing(client, programme):
    before = Session.objects.count()
    url, params, weeks = "/agenda/", {}, 0
    while True:
        response = client.get(url, params)
        assert response.status_code == 200
        weeks += 1
        following = response.context["next_week"]
        if following is None:
            break
        params = {"week": following}
    assert Session.objects.count() == before == 0
    assert params == {"week": "2029-W10"}  # two years ahead, then no link any more
    assert weeks == 105
    assert 'rel="next"' not in response.content.decode()


def test_far_weeks_are_computed_from_the_rules(client, programme):
    response = client.get("/agenda/", {"week": "2028-W30"})
    sessions = [s for _day, day_sessions in response.context["days"] for s in day_sessions]
    assert [(s.activity.title, s.date) for s in sessions] == [
        ("Biljarten", date(2028, 7, 24)),
        ("Koffieochtend", date(2028, 7, 25)),
    ]
    assert all(s.pk is None for s in sessions)
    koffie = sessions[1]
    assert koffie.starts_at == datetime(2028, 7, 25, 10, tzinfo=AMSTERDAM)


def test_stored_sessions_win_over_the_rule(client, programme):
    koffie = programme["koffie"]
    services.materialise_sessions(date(2027, 3, 15), date(2027, 3, 21), [koffie])
    cancelled = koffie.sessions.get(date=date(2027, 3, 16))
    cancel_session(cancelled, "Zaal bezet", acting_user=SYSTEM)
    moved = Session.objects.create(
        activity=koffie,
        date=date(2028, 7, 25),
        starts_at=datetime(2028, 7, 25, 14, tzinfo=AMSTERDAM),
        ends_at=datetime(2028, 7, 25, 16, tzinfo=AMSTERDAM),
        is_rescheduled=True,
        note="Middag, in de kerk",
    )
    response = client.get("/agenda/", {"week": "2027-W11", "dorp": "twello"})
    (session,) = [s for _day, day_sessions in response.context["days"] for s in day_sessions]
    assert session.pk == cancelled.pk and session.is_cancelled
    assert "Zaal bezet" in response.content.decode()
    response = client.get("/agenda/", {"week": "2028-W30", "dorp": "twello"})
    (session,) = [s for _day, day_sessions in response.context["days"] for s in day_sessions]
    assert session.pk == moved.pk
    assert "Middag, in de kerk" in response.content.decode()


def test_weeks_before_the_window_show_only_what_was_recorded(client, programme):
    koffie = programme["koffie"]
    Session.objects.create(
        activity=koffie,
        date=date(2026, 6, 2),
        starts_at=datetime(2026, 6, 2, 10, tzinfo=AMSTERDAM),
        ends_at=datetime(2026, 6, 2, 12, tzinfo=AMSTERDAM),
    )
    response = client.get("/agenda/", {"week": "2026-W23"})
    sessions = [s for _day, day_sessions in response.context["days"] for s in day_sessions]
    assert [(s.activity.title, s.date) for s in sessions] == [("Koffieochtend", date(2026, 6, 2))]


@pytest.mark.parametrize(
    ("week", "reach"),
    [
        ("9999-W51", True),
        ("9999-W52", True),
        ("0001-W01", True),
        ("2030-W10", True),
        ("2025-W10", True),
        ("2027-W60", False),
        ("2027-W00", False),
        ("10000-W01", False),
        ("-2027-W10", False),
        ("٢٠٢٧-W10", False),  # Arabic-Indic digits are digits to int(), not to us
        ("2027-W1" + "0" * 5000, False),
    ],
)
def test_weeks_out_of_range_or_malformed_are_a_dutch_400(client, programme, week, reach):
    response = client.get("/agenda/", {"week": week})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    if reach:
        assert "De agenda gaat niet tot week" in page
        assert "2025-W11" in page and "2029-W10" in page
    else:
        assert "is geen week" in page


def test_the_first_and_last_week_have_no_link_beyond(client, programme):
    first = client.get("/agenda/", {"week": "2025-W11"}).content.decode()
    last = client.get("/agenda/", {"week": "2029-W10"}).content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'rel="prev"' in last


PARAMETERS = st.sampled_from(["week", "dorp", "plek", "soort", "village", "place", "other"])


@settings(
    max_examples=150,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.dictionaries(
        PARAMETERS,
        st.text(max_size=40)
        | st.from_regex(r"-?[0-9]{1,6}-?[Ww][0-9]{1,3}", fullmatch=True)
        | st.sampled_from(["twello", "de-benring", "koffie", "2027-W11", "9999-W52"]),
        max_size=3,
    ),
    url=st.sampled_from(["/agenda/", "/agenda.ics"]),
)
def test_any_query_is_a_page_or_a_clear_400_and_writes_nothing(client, programme, url, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code in (200, 400)
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
