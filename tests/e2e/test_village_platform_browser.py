"""The dorpenplatform in a real browser: Victor of the municipality plans an evening, Carla
(Trefpunt Duistervoorde) notes how many came from her place and shares what works with a
tag, and a search for it finds it."""

import pytest
from playwright.sync_api import expect

from omzien.accounts.models import Role
from omzien.villageplatform.models import Evening, EveningAttendance, Lesson
from tests import factories
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING
from tests.villageplatform.conftest import add_starting_tags

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")


def test_a_viewer_plans_an_evening_and_a_coordinator_shares_what_works(
    page, browser, live_server, transactional_db, benring, trefpunt, browser_problems
):
    add_starting_tags()
    factories.MembershipFactory(user__username="victor", role=Role.VIEWER, place=None)
    factories.MembershipFactory(user__username="carla", role=Role.COORDINATOR, place=trefpunt)

    # Victor starts on the impact report; the menu leads him to the village platform.
    log_in(page, live_server, "victor")
    page.get_by_role("link", name="Dorpenplatform", exact=True).click()
    page.click("#evening-new")
    page.fill("#id_title", "Dorpenplatform najaar")
    page.fill("#id_date", "2026-10-06")
    page.fill("#id_start_time", "19:30")
    page.fill("#id_end_time", "21:30")
    page.select_option("#id_host_place", label="De Benring (Voorst)")
    page.fill("#id_agenda", "Welkom\nWat werkt bij u?\nAfspraken")
    page.click("#evening-submit")
    expect(page.locator("#evening-title")).to_have_text("Dorpenplatform najaar")
    expect(page.locator("#agenda li")).to_have_count(3)
    evening = Evening.objects.get()

    # Carla, in a browser of her own, counts her place and shares a lesson.
    staff = browser.new_context(locale="en-US", viewport={"width": 1024, "height": 768})
    carla = staff.new_page()
    log_in(carla, live_server, "carla")
    carla.goto(f"{live_server.url}/dorpenplatform/")
    carla.click(f"#evening-{evening.pk} a")
    carla.click("#attendance-link")
    expect(carla.locator(f"#id_place_{benring.pk}")).to_have_count(0)  # not her place
    carla.fill(f"#id_place_{trefpunt.pk}", "7")
    carla.click("#attendance-submit")
    expect(carla.locator("#attendance-total")).to_have_text("7")
    carla.click("#lesson-link")
    carla.fill("#id_title", "Koffie met de scholieren")
    carla.fill("#id_practice", "Op zaterdag schenken scholieren de koffie; de jongeren blijven.")
    carla.get_by_role("checkbox", name="koffie", exact=True).check()
    carla.click("#lesson-submit")
    expect(carla.locator("h1")).to_have_text("Wat werkt: Trefpunt Duistervoorde")

    # Anyone staff-side finds it.
    carla.goto(f"{live_server.url}/dorpenplatform/wat-werkt/")
    carla.fill("#id_q", "scholieren")
    carla.select_option("#id_label", label="koffie")
    carla.click("#search-submit")
    expect(carla.locator("#results .lesson h3")).to_have_text(["Koffie met de scholieren"])
    lesson = Lesson.objects.get()
    assert lesson.evening == evening and list(lesson.tags.values_list("slug", flat=True)) == [
        "koffie"
    ]
    assert EveningAttendance.objects.get().count == 7
    staff.close()
    assert not browser_problems
