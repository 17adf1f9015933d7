"""The bridging figures on the staff pages, on the hand-built region of
``bridging_region``: a place's figures on /overzicht/ (exact, for who may see that
place's figures) and the network page /overzicht/verbinding/ (exact for the whole
region's exact audience, thresholded for coordinators and viewers); and who gets none."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.reports.network import place_bridging
from tests import factories
from tests.reports.bridging_region import build_region, without_protection

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("reports:overview")
NETWORK = reverse("reports:network")
YEAR_2026 = {"van": "2026-01-01", "tot": "2026-12-31"}


@pytest.fixture(autouse=True)
def _next_spring():
    with time_machine.travel(datetime(2027, 3, 1, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        yield


@pytest.fixture
def region(trefpunt, benring):
    return build_region(trefpunt, benring)


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'<dd data-figure="([^"]+)">([^<]*)</dd>', html))


def test_place_bridging_by_hand(region):
    places = region["places"]
    trefpunt = place_bridging(places["trefpunt"], date(2026, 1, 1), date(2026, 12, 31))
    # Anna, Bert, Cor, Fenna, Hanna, Ids, Joop, Kees; from elsewhere Cor, Fenna, Hanna
    # (Voorst) and Kees (Wilp); all came to another place too (Anna to the Dorpshuis, in
    # Twello itself, so Twello is not among the other villages).
    assert (trefpunt.people, trefpunt.other_village, trefpunt.other_place) == (8, 4, 8)
    assert trefpunt.villages == [("Voorst", 6), ("Wilp", 1)]
    january = place_bridging(places["trefpunt"], date(2026, 1, 1), date(2026, 1, 31))
    # Bert came to De Benring in February.
    assert (january.people, january.other_village, january.other_place) == (4, 2, 3)
    huis = place_bridging(places["huis"], date(2026, 1, 1), date(2026, 12, 31))
    assert (huis.people, huis.other_village, huis.other_place, huis.villages) == (1, 0, 0, [])


def test_a_coordinator_sees_their_place_s_bridging(client, region, coordinator_trefpunt):
    client.force_login(coordinator_trefpunt)
    response = client.get(OVERVIEW, YEAR_2026)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Verbinding van Trefpunt Duistervoorde" in html
    assert figures(html) == {"people": "8", "other_village": "4", "other_place": "8"}
    # The other villages are visits at places out of the coordinator's reach: named when
    # at least 5 of the visitors came there (as the network's links), without a count.
    assert "Kwamen ook naar plekken in: Voorst." in html
    assert "Wilp" not in html.split("bridging-figures")[1].split("</section>")[0]
    assert "(6)" not in html


def test_a_professional_chooses_a_place(client, region, professional):
    client.force_login(professional)
    html = client.get(OVERVIEW, {**YEAR_2026, "plek": "dorpshuis"}).content.decode()
    assert figures(html) == {"people": "2", "other_village": "1", "other_place": "2"}
    assert "Voorst (1)" in html  # the whole region's exact audience: every count
    # All places together, or one activity: no place's bridging figures.
    assert figures(client.get(OVERVIEW, YEAR_2026).content.decode()) == {}
    activity = "dorpshuis/koffie-dorpshuis"
    assert figures(client.get(OVERVIEW, {**YEAR_2026, "plek": activity}).content.decode()) == {}


def test_no_bridging_figures_of_another_coordinator_s_place(client, region, coordinator_trefpunt):
    client.force_login(coordinator_trefpunt)
    response = client.get(OVERVIEW, {**YEAR_2026, "plek": "de-benring"})
    assert response.status_code == 400
    assert figures(response.content.decode()) == {}


def test_hosts_and_anonymous_visitors_get_no_bridging(client, region, benring):
    for url in (OVERVIEW, NETWORK):
        assert client.get(url).status_code == 302  # to the log-in page
    host = factories.MembershipFactory(role=Role.HOST, place=benring).user
    client.force_login(host)
    assert client.get(OVERVIEW, YEAR_2026).status_code == 403
    assert client.get(NETWORK, {"jaar": 2026}).status_code == 403


def network_rows(html: str) -> dict[str, str]:
    return {
        village: re.sub(r"\s+", " ", text).strip()
        for village, text in re.findall(
            r'<tr data-village="([^"]+)"><th scope="row">[^<]*</th>\s*<td>(.*?)</td>', html, re.S
        )
    }


def test_the_network_page(client, region, professional, coordinator_trefpunt, monkeypatch):
    without_protection(monkeypatch)
    client.force_login(professional)
    response = client.get(NETWORK, {"jaar": 2026})
    assert response.status_code == 200
    exact = network_rows(response.content.decode())
    assert exact["twello"] == "Voorst (7), Wilp (1)" and exact["terwolde"] == "geïsoleerd"
    # A coordinator reads the region's network as viewers do: links of 5+ people, no counts.
    client.force_login(coordinator_trefpunt)
    thresholded = network_rows(client.get(NETWORK, {"jaar": 2026}).content.decode())
    assert thresholded["twello"] == "Voorst" and thresholded["wilp"] == "geïsoleerd"
    assert client.get(NETWORK, {"jaar": "1999"}).status_code == 400


def test_village_names_and_slugs_are_escaped_in_the_drawing(client, region, professional):
    """A name (or a slug written past the forms) with markup stays text in the inline SVG."""
    wilp = region["villages"]["wilp"]
    type(wilp).objects.filter(pk=wilp.pk).update(
        name='Wilp"><script>alert(1)</script>', slug='wilp"onmouseover="alert(2)'
    )
    client.force_login(professional)
    html = client.get(NETWORK, {"jaar": 2026}).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<script>" not in svg and 'onmouseover="' not in svg
    assert "&lt;script&gt;" in svg and 'id="village-wilp&quot;onmouseover=&quot;alert(2)"' in svg
