"""Help in a real browser: a resident asks on a phone, a coordinator proposes a helper
and sees what the helper is told (what, where and a first name only), then connects."""

import pytest
from playwright.sync_api import expect

from omzien.accounts.models import Role
from omzien.helping.models import HelpMatch, HelpRequest
from tests import factories
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PHONE = {"width": 390, "height": 844}
PASSWORD = "omzien-test"


def assert_fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_resident_asks_on_a_phone_and_a_coordinator_connects_a_helper(
    page, live_server, transactional_db, benring, browser_problems, artifacts_dir
):
    factories.MembershipFactory(user__username="bea", role=Role.COORDINATOR, place=benring)
    factories.HelpOfferFactory(
        first_name="Jan", village=benring.village, place=benring, phone="0687654321"
    )

    # A resident on a phone, without an account.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/hulp/")
    expect(page.locator("h1")).to_have_text("Hulp vragen of aanbieden")
    page.click("#ask-link")
    page.get_by_role("checkbox", name="boodschappen", exact=True).check()
    page.fill(
        "#id_description",
        "Wie kan donderdag boodschappen voor mij doen? Ik woon aan de Dorpsstraat 4.",
    )
    page.select_option("#id_village", label="Voorst")
    page.get_by_role("radio", name="deze week", exact=True).check()
    page.get_by_role("checkbox", name="donderdag", exact=True).check()
    page.get_by_role("checkbox", name="ochtend", exact=True).check()
    page.fill("#id_first_name", "Riet")
    page.fill("#id_phone", "06 12 34 56 78")
    # The honeypot is out of sight: people never fill it in.
    assert page.locator("#id_website").bounding_box()["x"] < 0
    page.locator("#field-consent").get_by_role("radio", name="Ja").check()
    assert_fits(page, PHONE["width"])
    page.screenshot(path=str(artifacts_dir / "help-ask-phone.png"), full_page=True)
    page.click("#ask-submit")
    expect(page.locator("#thanks")).to_be_visible()
    asked = HelpRequest.objects.get()
    assert asked.place == benring and asked.phone == "0612345678"

    # The coordinator, on a tablet.
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "bea")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.goto(f"{live_server.url}/hulp/beheer/")
    row = page.locator(f"#request-{asked.pk}")
    expect(row).to_contain_text("Riet")
    expect(row).to_contain_text("nieuw")
    row.get_by_role("link", name="Riet").click()
    expect(page.locator("#request-contact")).to_contain_text("0612345678")
    if page.locator("#suggestions").count():
        page.locator("#suggestions button").first.click()
    else:
        page.select_option("#propose-offer", label="Jan, Voorst: boodschappen")
        page.click("#propose-submit")
    expect(page.locator("#request-state")).to_have_text("voorgesteld")
    match = HelpMatch.objects.get()

    # What the helper is told: what, where and a first name, nothing else.
    page.click(f"#helper-view-{match.pk}")
    told = page.locator("#helper-view")
    expect(told).to_contain_text("Riet in Voorst")
    expect(told).to_contain_text("boodschappen")
    body = page.locator("main").inner_text()
    assert "0612345678" not in body and "Dorpsstraat" not in body
    page.screenshot(path=str(artifacts_dir / "help-helper-view.png"), full_page=True)

    # Both agreed: connect them.
    page.go_back()
    page.click(f"#confirm-{match.pk}")
    expect(page.locator("#request-state")).to_have_text("gekoppeld")
    expect(page.locator("#history")).to_contain_text("voorgesteld → gekoppeld")
    assert browser_problems == []
