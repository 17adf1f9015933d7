"""/overzicht/ and the viewers (municipality, fund): they are sent to the impact report,
whose fixed periods cannot be set against free date ranges; the other audiences keep it.

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


def test_viewers_are_sent_to_the_report_whatever_they_ask(client, town, viewer):
    """Free date ranges beside the report's fixed periods would let a viewer subtract
    one hidden figure from another: viewers read the report (/overzicht/rapportage/)."""
    for params in (
        {},
        JAN_FEB,
        {**JAN_FEB, "per": "week", "plek": "de-benring"},
        {"van": "2026-13-45"},
    ):
        response = page(client, viewer, **params)
        assert response.status_code == 302, params
        assert response.url == reverse("reports:impact")


@pytest.mark.parametrize("kind", ["bezoeken", "bezoekers", "terugkomst"])
def test_viewers_get_no_chart_of_a_free_range(client, town, viewer, kind):
    assert chart(client, viewer, kind, **JAN_FEB).status_code == 403
    assert chart(client, viewer, kind).status_code == 403


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


def test_the_chart_cache_never_serves_a_viewer(client, town, professional, viewer):
    """The page keeps its figures for the charts: never for another audience."""
    page(client, professional, **JAN_FEB)
    assert chart(client, viewer, "bezoeken", **JAN_FEB).status_code == 403
    client.logout()
    tree = svg_tree(chart(client, professional, "bezoeken", **JAN_FEB))
    assert {"named-0", "named-1"} <= set(by_id(tree, "named-"))
    assert not by_id(tree, "together-")


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
    assert page(client, viewer).status_code == 302
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
