"""A coordinator makes the one-time link to a resident's own answers on the privacy-rights
page (address, QR code, a slip that prints alone), and the resident opens it on their own
phone (390×844): "Toon mijn antwoorden", every question with the answer, once; printed,
the page is the answers only."""

from datetime import date

import pytest

from omzien.accounts.models import Role
from omzien.wellbeing.models import AnswersViewing
from tests import factories
from tests.attendance.door import person
from tests.e2e.accessibility import assert_no_serious_axe_violations
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING
from tests.e2e.test_accessibility import log_in_as
from tests.wellbeing.helpers import LONELY, answered

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PHONE = {"width": 390, "height": 844}


def fits_the_width(page) -> bool:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return widths[0] <= widths[1]


def test_a_resident_sees_their_own_answers_once_on_their_phone(
    page, live_server, transactional_db, benring, artifacts_dir, browser, browser_problems
):
    jannie = person("Jannie", "Kamphuis", place=benring)
    answered(jannie, benring, date(2026, 3, 10), LONELY, health="gaat wel")
    coordinator = factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user
    log_in_as(page, live_server, coordinator)
    page.goto(f"{live_server.url}/persoonsgegevens/{jannie.pk}/")
    page.locator("#own-answers").click()
    assert "Open hem niet zelf" in page.locator("#hand-over").inner_text()
    assert page.locator("#slip svg").is_visible()  # the QR code
    address = page.locator("#own-answers-address").get_attribute("href")
    page.screenshot(path=str(artifacts_dir / "own-answers-link.png"))
    assert_no_serious_axe_violations(page)
    page.emulate_media(media="print")  # only the slip is printed
    assert page.locator("#slip").is_visible()
    assert not page.locator("#hand-over").is_visible()
    assert not page.locator(".site-header").is_visible()

    phone = browser.new_context(viewport=PHONE, locale="nl-NL")
    own_phone = phone.new_page()
    own_phone.goto(address)
    assert fits_the_width(own_phone)
    assert AnswersViewing.objects.get().opened_at is None  # the page that asks uses nothing
    own_phone.locator("#show-own-answers").click()
    answers = own_phone.locator("table.answers tbody tr")
    assert answers.count() == 7  # six loneliness questions, one on health
    assert "gaat wel" in answers.nth(6).inner_text()
    assert "Jannie" not in own_phone.content()
    assert fits_the_width(own_phone)
    own_phone.screenshot(path=str(artifacts_dir / "own-answers-phone.png"), full_page=True)
    assert_no_serious_axe_violations(own_phone)
    own_phone.emulate_media(media="print")
    assert not own_phone.locator("#once").is_visible()
    assert own_phone.locator("table.answers").first.is_visible()
    own_phone.pdf(path=str(artifacts_dir / "own-answers-printed.pdf"))
    own_phone.emulate_media(media="screen")
    own_phone.goto(address)  # once only
    assert own_phone.locator("#refusal").is_visible()
    phone.close()
    assert not browser_problems, browser_problems
