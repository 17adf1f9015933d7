"""The bridging figures in the impact report, on the hand-built region of
``bridging_region``: the new column of the reach table, the section "Verbinding tussen de
dorpen" on the page, in the PDF's and the spreadsheet's source and in the JSON, exact for
a professional and thresholded (no counts) for a viewer and for a coordinator.

Each test makes the year's snapshot once and its outputs read it; the disclosure rule
takes a while on this year of few people, so only the viewer's test runs it."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.reports.audience import Audience
from omzien.reports.cube import PeriodKind
from omzien.reports.impact import By, ReportRequest, build_report
from tests import factories
from tests.reports.bridging_region import build_region, without_protection

pytestmark = pytest.mark.django_db

URL = reverse("reports:impact")


@pytest.fixture(autouse=True)
def _next_spring():
    with time_machine.travel(datetime(2027, 3, 1, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        yield


@pytest.fixture
def region(trefpunt, benring):
    return build_region(trefpunt, benring)


def report(audience, place_ids=None):
    request = ReportRequest(
        date(2026, 1, 1), date(2026, 12, 31), By.PLACE, PeriodKind.YEAR, audience, place_ids
    )
    return build_report(request, as_of=date(2027, 3, 1))


def network_rows(html: str) -> dict[str, str]:
    return {
        village: re.sub(r"\s+", " ", text).strip()
        for village, text in re.findall(
            r'<tr data-village="([^"]+)"><th scope="row">[^<]*</th>\s*<td>(.*?)</td>', html, re.S
        )
    }


PARAMS = {"jaar": 2026, "per": "jaar", "indeling": "plek"}


def test_a_professional_gets_the_exact_network(client, region, professional, monkeypatch):
    without_protection(monkeypatch)
    data = report(Audience.PROFESSIONAL).to_json()
    (network,) = data["network"]
    assert network["exact"] is True
    assert network["links"] == [
        {"villages": ["twello", "voorst"], "people": 7},
        {"villages": ["twello", "wilp"], "people": 1},
    ]
    assert network["isolated"] == ["terwolde"]
    assert network["without_places"] == ["klarenbeek"]
    cells = {(cell["group"], cell["measure"]): cell["value"] for cell in data["cells"]}
    assert cells[("region", "people_multi_place")] == 9
    assert cells[("dorpshuis", "people_multi_place")] == 2

    client.force_login(professional)
    response = client.get(URL, PARAMS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Verbinding tussen de dorpen" in html
    assert "Bezoekers van meer dan één plek" in html
    assert network_rows(html) == {
        "klarenbeek": "geen eigen plek",
        "terwolde": "geïsoleerd",
        "twello": "Voorst (7), Wilp (1)",
        "voorst": "Twello (7)",
        "wilp": "Twello (1)",
    }
    assert 'id="link-twello-wilp"' in html
    assert '<title id="network-2026-title">' in html


def test_a_viewer_gets_thresholded_links_without_counts(client, region, viewer):
    exact = report(Audience.PROFESSIONAL)
    viewer_report = report(Audience.VIEWER)
    (network,) = viewer_report.to_json()["network"]
    assert network["exact"] is False and network["min_cell"] == 5
    assert network["links"] == [{"villages": ["twello", "voorst"]}]
    assert network["isolated"] == ["terwolde", "wilp"]
    # The cells go through the one rule: Kees alone is multi-place at De Wilpse Kerk.
    wilp = viewer_report.cell("wilpse-kerk", "2026", "people_multi_place")
    assert wilp.suppressed and wilp.value is None
    for key, cell in viewer_report.cells.items():
        if not cell.suppressed:
            assert cell.value == exact.cells[key].value

    client.force_login(viewer)
    html = client.get(URL, PARAMS).content.decode()
    assert network_rows(html) == {
        "klarenbeek": "geen eigen plek",
        "terwolde": "geïsoleerd",
        "twello": "Voorst",
        "voorst": "Twello",
        "wilp": "geïsoleerd",
    }
    assert 'id="link-twello-voorst"' in html and 'id="link-twello-wilp"' not in html
    assert "(7)" not in html and "(1)" not in html

    response = client.get(reverse("reports:impact_xlsx"), PARAMS)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Verbinding tussen de dorpen"]
    rows = [row[:2] for row in sheet.iter_rows(values_only=True) if row and row[0]]
    assert ("Twello", "Voorst") in rows and ("Wilp", "geïsoleerd") in rows

    response = client.get(reverse("reports:impact_pdf"), PARAMS)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_coordinator_gets_the_thresholded_network(client, region, trefpunt, benring, monkeypatch):
    without_protection(monkeypatch)
    coordinator_report = report(Audience.PROFESSIONAL, frozenset([trefpunt.pk]))
    (network,) = coordinator_report.to_json()["network"]
    assert network["exact"] is False
    assert network["links"] == [{"villages": ["twello", "voorst"]}]
    # Their own place's figures stay exact.
    own = coordinator_report.cell("trefpunt-duistervoorde", "2026", "people_multi_place")
    assert own.value == 8
    host = factories.MembershipFactory(role=Role.HOST, place=benring).user
    client.force_login(host)
    assert client.get(URL, PARAMS).status_code == 403
