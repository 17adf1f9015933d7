"""Bad or odd query parameters on /overzicht/ and its charts: a 400 with a Dutch message,
never a 500, whatever the dates (0001-01-01, 9999-12-31, ranges that would overflow when
widened to whole weeks or months) and whatever the strings."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:overview")
CHART = reverse("reports:chart", args=["bezoeken"])
OUT_OF_RANGE = "Kies een datum van 2000-01-01 tot en met 2099-12-31."


@pytest.fixture(autouse=True)
def _mid_april():
    with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        yield


@pytest.mark.parametrize(
    "params",
    [
        {"tot": "0001-01-01"},  # the default start would lie before the year 1
        {"tot": "0001-01-01", "per": "week"},
        {"van": "0001-01-01"},
        {"van": "0001-01-01", "tot": "0001-01-31"},
        {"van": "0001-01-01", "tot": "0001-01-07", "per": "week"},
        {"tot": "9999-12-31"},  # its month or week would end after the year 9999
        {"tot": "9999-12-31", "per": "week"},
        {"van": "9999-12-01", "tot": "9999-12-31"},
        {"van": "9999-12-27", "tot": "9999-12-31", "per": "week"},
        {"van": "1999-12-31"},
        {"van": "2026-01-01", "tot": "2100-01-01"},
        {"from": "0001-01-01", "to": "9999-12-31"},
    ],
)
@pytest.mark.parametrize("who", ["coordinator_trefpunt", "professional"])
def test_dates_out_of_range_are_a_400_on_the_page_and_the_charts(
    client, trefpunt, request, who, params
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(PAGE, params)
    assert response.status_code == 400
    page = response.content.decode()
    assert OUT_OF_RANGE in page
    assert 'class="error" role="alert"' in page
    assert "report-totals" not in page
    for kind in ("bezoeken", "bezoekers", "terugkomst"):
        chart = client.get(reverse("reports:chart", args=[kind]), params)
        assert chart.status_code == 400
        assert set(chart.content.decode().splitlines()) == {OUT_OF_RANGE}


@pytest.mark.parametrize(
    ("params", "first", "last"),
    [
        # Without a start, the last 12 months, but never before 2000.
        ({"tot": "2000-02-15"}, date(2000, 1, 1), date(2000, 2, 29)),
        ({"tot": "2000-02-15", "per": "week"}, date(1999, 12, 27), date(2000, 2, 20)),
        ({"van": "2099-12-01", "tot": "2099-12-31"}, date(2099, 12, 1), date(2099, 12, 31)),
        # 31 December 2099 is a Thursday: its week ends on Sunday 3 January 2100.
        (
            {"van": "2099-12-31", "tot": "2099-12-31", "per": "week"},
            date(2099, 12, 28),
            date(2100, 1, 3),
        ),
    ],
)
def test_the_edges_of_the_range_work(client, coordinator_trefpunt, params, first, last):
    client.force_login(coordinator_trefpunt)
    response = client.get(PAGE, params)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert (overview.first_day, overview.last_day) == (first, last)
    assert client.get(CHART, params).status_code == 200


# Anything a browser could send: dates of any year, near-dates, and plain text (no lone
# surrogates: they cannot be sent in a URL).
text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
dates = st.dates().map(date.isoformat)
date_like = st.one_of(
    dates,
    st.from_regex(r"\A-?[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}\Z"),
    st.dates().map(lambda day: day.strftime("%d-%m-%Y")),
    text,
)
parameters = st.fixed_dictionaries(
    {},
    optional={
        "van": date_like,
        "tot": date_like,
        "from": date_like,
        "to": date_like,
        "per": st.one_of(st.sampled_from(["maand", "week", "month", "jaar", ""]), text),
        "plek": st.one_of(
            st.sampled_from(
                ["", "trefpunt-duistervoorde", "trefpunt-duistervoorde/x", "de-benring"]
            ),
            text,
        ),
    },
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=parameters, who=st.sampled_from(["coordinator_trefpunt", "professional"]))
def test_any_query_is_answered_with_200_or_400(
    client, coordinator_trefpunt, professional, params, who
):
    client.force_login(coordinator_trefpunt if who == "coordinator_trefpunt" else professional)
    response = client.get(PAGE, params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert 'role="alert"' in response.content.decode()
    chart = client.get(CHART, params)
    assert chart.status_code == response.status_code


report_parameters = st.fixed_dictionaries(
    {},
    optional={
        "jaar": st.one_of(st.sampled_from(["2026", "2025", "2027", "0", "-1", ""]), text),
        "per": st.one_of(st.sampled_from(["maand", "kwartaal", "jaar", "week", ""]), text),
        "indeling": st.one_of(st.sampled_from(["regio", "dorp", "plek", "land", ""]), text),
    },
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(params=report_parameters, who=st.sampled_from(["coordinator_trefpunt", "viewer"]))
def test_any_report_query_is_answered_with_200_or_400(
    client, coordinator_trefpunt, viewer, params, who
):
    """The impact report's fixed choices: anything else is the form's error, never a 500."""
    client.force_login(coordinator_trefpunt if who == "coordinator_trefpunt" else viewer)
    response = client.get(reverse("reports:impact"), params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert 'role="alert"' in response.content.decode()
    chart = client.get(reverse("reports:impact_chart", args=["reach"]), params)
    assert chart.status_code == response.status_code
