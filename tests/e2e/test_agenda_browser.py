"""A visitor finds an activity in the week agenda with a real browser (Debian chromium)."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

TREFPUNT_ACTIVITY = "Koffieochtend in het Trefpunt"
BENRING_ACTIVITY = "Biljarten in De Benring"


@pytest.fixture
def agenda(transactional_db, trefpunt, benring):
    """An activity at a place in Twello and one in Voorst, both on every day of this week."""
    four_weeks_ago = timezone.localdate() - timedelta(weeks=4)
    coffee = factories.ActivityFactory(
        place=trefpunt,
        title=TREFPUNT_ACTIVITY,
        slug="koffieochtend",
        rrule="FREQ=DAILY",
        first_date=four_weeks_ago,
        start_time=time(10, 0),
    )
    billiards = factories.ActivityFactory(
        place=benring,
        title=BENRING_ACTIVITY,
        slug="biljarten",
        rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
        first_date=four_weeks_ago,
        start_time=time(14, 0),
    )
    return coffee, billiards


def activity_links(page, title):
    return page.locator("article.session h3 a", has_text=title)


def test_visitor_filters_the_agenda_by_village_and_opens_an_activity(
    page, live_server, agenda, browser_problems, artifacts_dir
):
    coffee, _billiards = agenda
    # The browser asks for English; the site stays Dutch until someone chooses.
    assert page.evaluate("navigator.language") == "en-US"

    page.goto(f"{live_server.url}/agenda/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(activity_links(page, TREFPUNT_ACTIVITY).first).to_be_visible()
    expect(activity_links(page, BENRING_ACTIVITY).first).to_be_visible()
    page.screenshot(path=artifacts_dir / "agenda-week.png", full_page=True)
    assert browser_problems == []

    page.locator("select[name=dorp]").select_option(label="Twello")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/agenda/\?(.*&)?dorp=twello(&|$)"))
    expect(page.locator("select[name=dorp]")).to_have_value("twello")
    expect(activity_links(page, TREFPUNT_ACTIVITY).first).to_be_visible()
    expect(activity_links(page, BENRING_ACTIVITY)).to_have_count(0)
    page.screenshot(path=artifacts_dir / "agenda-twello.png", full_page=True)
    assert browser_problems == []

    activity_links(page, TREFPUNT_ACTIVITY).first.click()
    expect(page).to_have_url(f"{live_server.url}/agenda/trefpunt-duistervoorde/koffieochtend/")
    assert coffee.get_absolute_url() == "/agenda/trefpunt-duistervoorde/koffieochtend/"
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("h1")).to_have_text(TREFPUNT_ACTIVITY)
    expect(page.locator("main .where").first).to_contain_text("Trefpunt Duistervoorde")
    expect(page.locator("main .where").first).to_contain_text("Twello")
    page.screenshot(path=artifacts_dir / "agenda-activity.png", full_page=True)
    assert browser_problems == []


def test_language_switch_changes_the_language_and_keeps_the_page(
    page, live_server, agenda, browser_problems
):
    page.goto(f"{live_server.url}/agenda/?dorp=voorst")
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.locator("form.language button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/agenda/\?dorp=voorst$"))
    expect(activity_links(page, BENRING_ACTIVITY).first).to_be_visible()

    page.locator("form.language button[value=nl]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert browser_problems == []
