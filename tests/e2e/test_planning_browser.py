"""A coordinator plans a monthly activity on a tablet with a real browser (Debian
chromium): the first Wednesday of the month, the preview of the next dates, saving, and
the public page in words."""

from datetime import date, datetime

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from omzien.agenda.models import Activity
from omzien.agenda.recurrence import local_zone
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING
from tests.factories import ActivityFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"  # tests.factories.UserFactory's password
TABLET = {"width": 820, "height": 1180}
# Wednesday 2 December 2026, the first Wednesday of its month. The clock ticks on from
# there (the browser's cookies count with Max-Age, so its own clock does not matter).
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=local_zone())


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


def serious_violations(page) -> list[str]:
    results = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_coordinator_plans_the_first_wednesday_of_the_month(
    page,
    live_server,
    transactional_db,
    clock,
    coordinator_trefpunt,
    trefpunt,
    artifacts_dir,
    browser_problems,
):
    page.set_viewport_size(TABLET)
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "carla")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.get_by_role("link", name="Planning", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planning")
    page.click("#new-activity")

    page.fill("#id_title", "Soep en praat")
    page.select_option("#id_category", "eten")
    page.fill("#id_start_time", "17:30")
    page.fill("#id_end_time", "19:30")
    page.get_by_label("elke maand op de eerste, tweede, ... of laatste weekdag").check()
    page.get_by_role("checkbox", name="woensdag").check()
    expect(page.locator("#field-position")).to_be_visible()  # shown for "every month"
    page.select_option("#id_position", "1")
    page.fill("#id_first_date", "2026-12-01")
    page.locator('input[name="exception_dates"]').first.fill("2027-01-06")

    # planning.js keeps the preview up to date while answering...
    expect(page.locator("#preview-rule")).to_have_text(
        "elke eerste woensdag van de maand, 17:30–19:30"
    )
    expect(page.locator("#preview-dates time").nth(1)).to_have_attribute("datetime", "2027-02-03")
    # ... and the button shows the same without it.
    page.click("#preview-button")
    expect(page.locator("#preview-rule")).to_have_text(
        "elke eerste woensdag van de maand, 17:30–19:30"
    )
    shown = page.locator("#preview-dates time").evaluate_all(
        "items => items.map(item => item.getAttribute('datetime'))"
    )
    assert shown == [
        "2026-12-02",
        "2027-02-03",  # 6 January is a holiday
        "2027-03-03",
        "2027-04-07",
        "2027-05-05",
        "2027-06-02",
        "2027-07-07",
        "2027-08-04",
    ]
    assert not Activity.objects.exists()  # a preview saves nothing
    page.screenshot(path=artifacts_dir / "planning-preview.png", full_page=True)
    assert serious_violations(page) == []

    page.click("#save-button")
    expect(page.locator("#door-messages")).to_contain_text("Soep en praat is opgeslagen")
    activity = Activity.objects.get()
    assert activity.rrule == "FREQ=MONTHLY;BYDAY=1WE"
    assert activity.exception_date_list == [date(2027, 1, 6)]

    page.goto(f"{live_server.url}{activity.get_absolute_url()}")
    expect(page.locator("#activity-when")).to_have_text(
        "elke eerste woensdag van de maand, 17:30–19:30"
    )
    page.screenshot(path=artifacts_dir / "planning-public-page.png", full_page=True)
    assert browser_problems == []


def test_coordinator_cancels_a_session_after_confirming_and_undoes_it(
    page,
    live_server,
    transactional_db,
    clock,
    coordinator_trefpunt,
    trefpunt,
    browser_problems,
    artifacts_dir,
):
    koffie = ActivityFactory(
        place=trefpunt,
        title="Koffieochtend",
        rrule="FREQ=WEEKLY;BYDAY=WE",
        first_date=date(2026, 11, 4),
    )
    page.set_viewport_size(TABLET)
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "carla")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.goto(f"{live_server.url}/planning/bijeenkomsten/")
    assert serious_violations(page) == []
    session = koffie.sessions.get(date=date(2026, 12, 9))
    row = page.locator(f"#session-{session.pk}")
    row.get_by_role("link", name="Afzeggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze bijeenkomst afzeggen?")
    session.refresh_from_db()
    assert not session.is_cancelled  # asking is not doing
    page.fill("#id_reason", "De zaal wordt geschilderd")
    page.click("#confirm-cancel")
    expect(row).to_contain_text("De zaal wordt geschilderd")
    page.screenshot(path=artifacts_dir / "planning-sessions.png", full_page=False)
    session.refresh_from_db()
    assert session.is_cancelled

    row.get_by_role("button", name="Toch laten doorgaan").click()
    expect(row.get_by_role("link", name="Afzeggen")).to_be_visible()
    session.refresh_from_db()
    assert not session.is_cancelled

    page.goto(f"{live_server.url}/planning/sluitingen/")
    page.screenshot(path=artifacts_dir / "planning-closures.png", full_page=True)
    assert serious_violations(page) == []
    assert browser_problems == []
