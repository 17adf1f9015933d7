"""/overzicht/rapportage.pdf and ``reports.pdf.render_pdf``: the report a fund receives.

The PDF is read back with ``pdftotext`` (poppler-utils; CI installs it): it has to say
the figures of the tables, and for a viewer the hidden marker where the page has it and
never a hidden value. The ``town`` fixture's figures are in test_impact_page.py.
"""

import re
import shutil
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from omzien.reports.audience import Audience
from omzien.reports.cube import PeriodKind
from omzien.reports.impact import By, ReportRequest, build_report
from omzien.reports.models import PlaceStory
from omzien.reports.pdf import render_pdf
from omzien.reports.presentation import HIDDEN

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("pdftotext") is None,
        reason="pdftotext is missing: apt-get install -y poppler-utils",
    ),
]

URL = reverse("reports:impact_pdf")


@pytest.fixture(autouse=True)
def _mid_april():
    with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        yield


def pdf_text(pdf: bytes, tmp_path) -> str:
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


def rows_of(text: str, label: str) -> list[list[str]]:
    """The lines of the PDF's tables that start with a group's name, as words after it
    (the charts' labels say "group · period": they are not table rows)."""
    return [
        line.strip()[len(label) :].split()
        for line in text.splitlines()
        if line.strip().startswith(label) and "·" not in line
    ]


def download(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_the_viewer_downloads_a_pdf_with_the_tables_figures_and_markers(
    client, town, viewer, tmp_path
):
    response = download(client, viewer, jaar="2026", per="kwartaal", indeling="plek")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="rapportage-voorst-2026-per-kwartaal-plek.pdf"'
    )
    text = pdf_text(response.content, tmp_path)
    # The title page: the region, the period, the date the figures are of.
    first_page = text.split("\f")[0]
    assert "Rapportage" in first_page and "Voorst" in first_page
    assert "1 januari 2026 – 15 april 2026" in first_page
    assert "De cijfers zijn van 15 april 2026." in first_page
    assert "Inhoud" in text.split("\f")[1]
    assert "Bereik" in text and "Hoe we tellen" in text
    assert "48,6%" in text and "14,2%" in text and "GGD Gezondheidsmonitor" in text
    # The region's first quarter: 19 people, 11 new, 84 visits.
    region_rows = rows_of(text, "Hele regio")
    assert region_rows[0][:4] == ["K1", "2026", "19", "11"]
    # De Benring's 2 people and their visits are hidden: a marker, never the 2.
    reach = text.partition("Bereik: de getallen")[2].partition("Wat er te doen was")[0]
    benring = [row for row in rows_of(reach, "De Benring") if row[:2] == ["K1", "2026"]]
    assert benring
    for row in benring:
        assert HIDDEN in row
        assert "2" not in row[2:]


def test_a_professionals_pdf_has_the_exact_figures(client, town, professional, tmp_path):
    response = download(client, professional, jaar="2026", per="kwartaal", indeling="plek")
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    benring = rows_of(text, "De Benring")
    assert benring[0][:4] == ["K1", "2026", "2", "2"]
    assert HIDDEN not in text
    assert "Wat we niet tonen" not in text  # the disclosure rule is the viewers'


def test_render_pdf_makes_the_report_with_its_stories(town, tmp_path):
    PlaceStory.objects.create(
        place=town["trefpunt"],
        period="2026-Q1",
        went_well="Zes nieuwe handwerkers.",
        learned="Koffie helpt.",
    )
    request = ReportRequest(
        date(2026, 1, 1), date(2026, 4, 15), By.VILLAGE, PeriodKind.MONTH, Audience.VIEWER
    )
    text = pdf_text(render_pdf(build_report(request, as_of=date(2026, 4, 15))), tmp_path)
    assert "Zes nieuwe handwerkers." in text and "Koffie helpt." in text
    assert "Uit de ontmoetingsplekken" in text
    assert "Wat we niet tonen" in text
    # The region's January row as the report object has it (the rule decides which of
    # its figures are hidden; "•" where one is).
    report = build_report(request, as_of=date(2026, 4, 15))
    first = [
        HIDDEN if cell.suppressed else str(cell.value)
        for cell in (report.cell("region", "2026-01", name) for name in ("people", "new_people"))
    ]
    assert re.search(rf"Hele regio\s+januari 2026\s+{first[0]}\s+{first[1]}", text)


def test_the_pdf_fetches_nothing(town, tmp_path, monkeypatch):
    """Only data: addresses (the charts) are allowed: no remote font or image."""
    import weasyprint

    fetched = []
    original = weasyprint.URLFetcher.fetch

    def fetch(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(weasyprint.URLFetcher, "fetch", fetch)
    request = ReportRequest(
        date(2026, 1, 1), date(2026, 4, 15), By.REGION, PeriodKind.YEAR, Audience.PROFESSIONAL
    )
    render_pdf(build_report(request, as_of=date(2026, 4, 15)))
    assert fetched and all(url.startswith("data:image/svg+xml") for url in fetched)
