"""A viewer of the municipality reads the impact report with a real browser (Debian
chromium): logs in, opens the report from the menu, chooses a year, per month and per
village, sees the charts load (under the strict CSP) with their tables, and downloads
the PDF."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from omzien.agenda.recurrence import local_zone
from tests import factories
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING
from tests.reports.visits import add_visit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"  # tests.factories.UserFactory's password
NOW = datetime(2026, 4, 15, 10, 0, tzinfo=local_zone())


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def region(transactional_db, trefpunt, benring):
    """Trefpunt: 8 regulars every Tuesday from 6 January to 24 February 2026 (and once in
    December 2025); De Benring: 2 newcomers on 6 January, too few for a viewer."""
    koffie = factories.ActivityFactory(place=trefpunt, title="Koffieochtend", slug="koffie")
    biljart = factories.ActivityFactory(place=benring, title="Biljarten", slug="biljart")
    for _number in range(8):
        person = factories.PersonFactory()
        add_visit(koffie, date(2025, 12, 30), person)
        for week in range(8):
            add_visit(koffie, date(2026, 1, 6) + timedelta(weeks=week), person)
    for _number in range(2):
        add_visit(biljart, date(2026, 1, 6), factories.PersonFactory())


def all_charts_loaded(page):
    """Every chart image has arrived (polled from here: the page's CSP forbids the
    string evaluation ``wait_for_function`` uses)."""
    images = page.locator(".impact-section img")
    expect(images.first).to_be_visible()
    for index in range(images.count()):
        image = images.nth(index)
        for _attempt in range(100):
            if image.evaluate("(image) => image.complete && image.naturalWidth > 0"):
                break
            page.wait_for_timeout(100)
        else:
            raise AssertionError(f"chart {image.get_attribute('src')} did not load")


def test_a_viewer_chooses_a_report_and_downloads_the_pdf(
    page, live_server, clock, region, viewer, browser_problems, artifacts_dir
):
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "victor")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page).not_to_have_url(f"{live_server.url}/inloggen/")
    page.wait_for_load_state("load")  # wherever the log-in led, with its images
    page.get_by_role("link", name="Rapportage", exact=True).first.click()
    expect(page).to_have_url(f"{live_server.url}/overzicht/rapportage/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapportage")
    all_charts_loaded(page)  # before choosing another report

    page.select_option("#id_jaar", "2026")
    page.select_option("#id_per", "maand")
    page.select_option("#id_indeling", "dorp")
    page.get_by_role("button", name="Laat zien").click()
    expect(page).to_have_url(
        f"{live_server.url}/overzicht/rapportage/?jaar=2026&per=maand&indeling=dorp"
    )
    reach = page.locator("#section-reach")
    table = reach.locator("table")
    expect(table.locator("tbody tr").first).to_contain_text("Hele regio")
    expect(table.locator("tbody tr").first).to_contain_text("januari 2026")
    # Voorst is De Benring's village: its 2 people are hidden, and marked so.
    voorst_january = table.locator("tbody tr", has_text="Voorst").first
    expect(voorst_january.locator("td.hidden").first).to_have_text("•")
    # Every chart is an image that loaded, with an alt text that sends to the table.
    images = page.locator(".impact-section img")
    assert images.count() >= 2
    all_charts_loaded(page)
    for index in range(images.count()):
        assert "tabel" in images.nth(index).get_attribute("alt")
    page.screenshot(path=artifacts_dir / "report-viewer.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als pdf").click()
    download = download_info.value
    assert download.suggested_filename == "rapportage-voorst-2026-per-maand-dorp.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    # Chromium ends a download's navigation as "aborted": that is the download itself.
    assert [
        problem
        for problem in browser_problems
        if not ("rapportage.pdf" in problem and "ERR_ABORTED" in problem)
    ] == [], browser_problems
