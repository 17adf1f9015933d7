"""/overzicht/ for viewers (municipality, fund): every place, small cells hidden everywhere.

The figures of the ``town`` fixture (conftest.py) are worked out there. Time stands
still on 15 April 2026, so every 4-week window of January and February is complete.
"""

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.reports.audience import Audience
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("reports:overview")
JAN_FEB = {"van": "2026-01-01", "tot": "2026-02-28"}
SVG = "{http://www.w3.org/2000/svg}"
SMALL_COUNTS = {"1", "2", "3", "4"}
PRIVACY = "Aantallen kleiner dan 5 tonen we niet, zodat niemand herkenbaar is."


@pytest.fixture(autouse=True)
def _mid_april():
    with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        yield


def page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def chart(client, user, kind, **params):
    client.force_login(user)
    return client.get(reverse("reports:chart", args=[kind]), params)


def sections(response) -> dict[str, str]:
    """The page's parts by their heading id: totals, the three charts, per activity."""
    html = response.content.decode()
    found = re.findall(
        r'<section class="[^"]*" aria-labelledby="([^"]+)">(.*?)</section>', html, re.S
    )
    return dict(found)


def cells(html: str) -> list[str]:
    """The figures in tables (td) and in the totals (dd)."""
    return [value.strip() for value in re.findall(r"<(?:td|dd)[^>]*>(.*?)</(?:td|dd)>", html, re.S)]


def svg_tree(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    return ET.fromstring(response.content)


def by_id(tree, prefix: str) -> dict[str, ET.Element]:
    return {
        element.get("id"): element
        for element in tree.iter()
        if (element.get("id") or "").startswith(prefix)
    }


def test_viewer_sees_every_place_with_small_cells_hidden_in_every_table(client, town, viewer):
    response = page(client, viewer, **JAN_FEB)
    assert response.status_code == 200
    options = re.findall(r'<option value="([^"]*)"', response.content.decode())
    assert {"", "de-benring", "de-benring/biljart", "trefpunt-duistervoorde"} <= set(options)
    parts = sections(response)
    assert set(parts) == {
        "totals",
        "chart-bezoeken",
        "chart-bezoekers",
        "chart-terugkomst",
        "per-activity",
    }
    # Every table and the totals have figures shown and figures hidden.
    for name, html in parts.items():
        values = cells(html)
        assert {"&lt;5", "verborgen"} & set(values), name
        assert any(value.isdigit() and int(value) >= 5 for value in values), name
    # The totals: 84 visits, of which 3 anonymous ("<5"), 19 people, 11 new.
    assert cells(parts["totals"]) == ["84", "&lt;5", "19", "11"]
    # January: 40 named + 2 anonymous: both go, the visits (42) stay.
    assert cells(parts["chart-bezoeken"])[:3] == ["verborgen", "&lt;5", "42"]
    # Biljarten: 2 visits of 2 people; Koffieochtend's 70 visits go with it, or else the
    # totals minus the other activities would give Biljarten's 2 away.
    activities = parts["per-activity"]
    assert re.search(
        r"Biljarten</th><td[^>]*>De Benring</td><td>&lt;5</td><td>0</td><td>&lt;5</td>", activities
    )
    assert re.search(
        r"Koffieochtend</th><td[^>]*>[^<]*</td><td>verborgen</td><td>&lt;5</td><td>11</td>",
        activities,
    )
    assert PRIVACY in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        JAN_FEB,
        {**JAN_FEB, "per": "week"},
        {**JAN_FEB, "plek": "de-benring"},
        {**JAN_FEB, "plek": "trefpunt-duistervoorde/koffie", "per": "week"},
        {"van": "2025-12-01", "tot": "2026-03-31"},
    ],
)
def test_no_count_under_five_anywhere_on_the_viewers_page(client, town, viewer, params):
    response = page(client, viewer, **params)
    assert response.status_code == 200
    html = response.content.decode()
    shown = cells(html.partition("</form>")[2])
    assert shown
    assert not SMALL_COUNTS & set(shown)
    for row in response.context["rows"]:
        assert not SMALL_COUNTS & set(row.values())


def test_a_professional_still_sees_exact_figures(client, town, professional):
    response = page(client, professional, **JAN_FEB)
    assert response.status_code == 200
    parts = sections(response)
    assert cells(parts["totals"]) == ["84", "3", "19", "11"]
    assert cells(parts["chart-bezoeken"])[:3] == ["40", "2", "42"]
    assert "&lt;5" not in response.content.decode()
    assert "verborgen" not in response.content.decode()
    assert PRIVACY not in response.content.decode()
    assert re.search(
        r"Biljarten</th><td[^>]*>De Benring</td><td>2</td><td>0</td><td>2</td>",
        parts["per-activity"],
    )


@pytest.mark.parametrize(("plek", "example"), [("", "together-1"), ("de-benring", "hidden-1")])
def test_viewers_charts_draw_no_hidden_figure(client, town, viewer, plek, example):
    params = {**JAN_FEB, "per": "week", "plek": plek}
    rows = page(client, viewer, **params).context["rows"]
    hidden = {"verborgen", "&lt;5", "<5"}

    visits = svg_tree(chart(client, viewer, "bezoeken", **params))
    bars, marks = by_id(visits, "named-") | by_id(visits, "together-"), by_id(visits, "hidden-")
    for index, row in enumerate(rows):
        if row["visits"] in hidden:
            assert not {f"named-{index}", f"anonymous-{index}", f"together-{index}"} & set(bars)
            assert "".join(marks[f"hidden-{index}"].itertext()).strip() in {"<5", "verborgen"}
        elif {row["named"], row["anonymous"]} & hidden:
            assert f"together-{index}" in bars and f"named-{index}" not in bars
        else:
            assert f"named-{index}" in bars and f"hidden-{index}" not in marks
    # The week of 5 January: 2 anonymous visitors (all places), 2 at Biljarten (De Benring).
    assert example in bars | marks

    visitors = svg_tree(chart(client, viewer, "bezoekers", **params))
    for line, column in (("unique", "unique"), ("new", "new")):
        points = len(list(by_id(visitors, line)[line].iter(f"{SVG}use")))
        assert points == sum(row[column] not in hidden for row in rows), line
    marks = by_id(visitors, "hidden-")
    assert {int(key.split("-")[1]) for key in marks} == {
        index for index, row in enumerate(rows) if {row["unique"], row["new"]} & hidden
    }

    returning = svg_tree(chart(client, viewer, "terugkomst", **params))
    points = len(list(by_id(returning, "returned")["returned"].iter(f"{SVG}use")))
    assert points == sum(row["share"].endswith("%") for row in rows)
    # The y axis of a viewer's count chart has no tick under 5 either.
    for tree in (visits, visitors):
        ticks = {"".join(tick.itertext()).strip() for tick in by_id(tree, "ytick_").values()}
        assert ticks and not SMALL_COUNTS & ticks


def test_viewers_alt_texts_say_small_the_same_way_as_the_tables(client, town, viewer):
    html = page(client, viewer, **JAN_FEB).content.decode()
    alternatives = re.findall(r'<img src="[^"]+" alt="([^"]+)"', html)
    assert len(alternatives) == 3
    for alternative in alternatives:
        assert "“&lt;5”" in alternative and "“verborgen”" in alternative


def test_the_chart_cache_is_kept_per_audience(client, town, professional, viewer):
    """The page keeps its figures for the charts: never for another audience."""
    page(client, professional, **JAN_FEB)
    tree = svg_tree(chart(client, viewer, "bezoeken", **JAN_FEB))
    assert "named-0" not in by_id(tree, "named-")  # January's split is hidden
    assert "together-0" in by_id(tree, "together-")
    visitors = svg_tree(chart(client, viewer, "bezoekers", **JAN_FEB))
    assert "".join(by_id(visitors, "hidden-")["hidden-1"].itertext()).strip() == "<5"

    client.logout()
    page(client, viewer, **JAN_FEB)
    tree = svg_tree(chart(client, professional, "bezoeken", **JAN_FEB))
    assert {"named-0", "named-1"} <= set(by_id(tree, "named-"))
    assert not by_id(tree, "together-")
    assert not by_id(svg_tree(chart(client, professional, "bezoekers", **JAN_FEB)), "hidden-")


def test_a_coordinator_who_is_also_a_viewer_sees_only_their_place_exactly(
    client, town, coordinator_trefpunt
):
    factories.MembershipFactory(user=coordinator_trefpunt, role=Role.VIEWER, place=None)
    assert Audience.for_user(coordinator_trefpunt) is Audience.PROFESSIONAL
    response = page(client, coordinator_trefpunt, **JAN_FEB)
    assert response.status_code == 200
    options = re.findall(r'<option value="([^"]*)"', response.content.decode())
    assert not [value for value in options if value.startswith("de-benring")]
    assert "&lt;5" not in response.content.decode()
    assert page(client, coordinator_trefpunt, plek="de-benring", **JAN_FEB).status_code == 400


def test_a_viewer_whose_membership_was_removed_may_not(client, town, viewer):
    assert page(client, viewer).status_code == 200
    viewer.memberships.all().delete()
    assert page(client, viewer).status_code == 403
    assert chart(client, viewer, "bezoeken").status_code == 403


@pytest.mark.parametrize("who", ["host_benring", None])
def test_hosts_and_anonymous_visitors_get_no_figures(client, town, request, settings, who):
    settings.LOGIN_URL = "/inloggen/"
    if who is not None:
        client.force_login(request.getfixturevalue(who))
    for url in (URL, reverse("reports:chart", args=["bezoeken"])):
        response = client.get(url, JAN_FEB)
        if who is None:
            assert response.status_code == 302
            assert response.url.startswith("/inloggen/?next=")
        else:
            assert response.status_code == 403
