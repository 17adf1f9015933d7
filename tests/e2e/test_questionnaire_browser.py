"""A resident fills in the 6-item scale on the host's tablet (820×1180), and on their own
phone (390×844) with a personal link; one question per screen, back and forward, and the
answers kept when the page is reloaded (a tablet that slept)."""

import pytest

from omzien.wellbeing.models import Draft, Mode, Response
from tests.attendance.door import person, today_session
from tests.e2e.accessibility import assert_no_serious_axe_violations
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING
from tests.e2e.test_accessibility import log_in_as

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}
# Lonely on every item: ja on the negative ones, nee on the positive ones (CBS order).
LONELY = ["ja", "nee", "nee", "ja", "nee", "ja"]


def choose(page, answer):
    page.locator(f"input[name=answer][value='{answer}']").check()


def answer_the_questions(page, artifacts_dir, name):
    for number, answer in enumerate(LONELY, start=1):
        assert page.locator("#progress").inner_text() == f"Vraag {number} van 8"
        choose(page, answer)
        if number == 1:
            page.screenshot(path=str(artifacts_dir / f"{name}-question.png"))
            assert_no_serious_axe_violations(page)
        page.locator("#next").click()
    choose(page, "goed")
    page.locator("#next").click()
    # The GP question is optional: skipped.
    assert "overslaan" in page.locator("#question-form").inner_text()
    page.locator("#next").click()
    page.locator("#send").click()
    assert page.locator("#thanks").is_visible()


def test_a_resident_fills_in_the_scale_on_the_tablet(
    page, live_server, transactional_db, benring, host_benring, artifacts_dir, browser_problems
):
    session = today_session(benring)
    jannie = person("Jannie", "Kamphuis", place=benring)
    page.set_viewport_size(TABLET)
    log_in_as(page, live_server, host_benring)
    page.goto(f"{live_server.url}/deur/persoon/{jannie.pk}/?terug={session.pk}")
    page.locator("#questionnaire-link").click()
    assert "nooit met uw naam" in page.locator("#consent-text").inner_text()
    page.get_by_label("Ja, ik doe mee").check()
    page.get_by_label("Ja, dat mag u vragen").check()  # the GP question's own consent
    page.locator("#consent-next").click()
    # Back and forward: the first answer is still there after going back.
    choose(page, "ja")
    page.locator("#next").click()
    page.locator("#back").click()
    assert page.locator("input[name=answer][value='ja']").is_checked()
    page.reload()  # the tablet slept: the answer is on the server
    assert page.locator("input[name=answer][value='ja']").is_checked()
    answer_the_questions(page, artifacts_dir, "questionnaire-tablet")
    djg6 = Response.objects.get(instrument="djg6")
    assert (djg6.total, djg6.category, djg6.mode) == (6, "severe", Mode.TABLET)
    assert not browser_problems, browser_problems


def test_a_resident_fills_it_in_on_their_phone_with_a_personal_link(
    page,
    live_server,
    transactional_db,
    benring,
    host_benring,
    artifacts_dir,
    browser,
    browser_problems,
):
    session = today_session(benring)
    jannie = person("Jannie", "Kamphuis", place=benring)
    log_in_as(page, live_server, host_benring)
    page.set_viewport_size(TABLET)
    page.goto(f"{live_server.url}/vragenlijst/{session.pk}/{jannie.pk}/")
    page.get_by_label("Ja, ik doe mee").check()
    page.get_by_label("Ja, dat mag u vragen").check()  # the GP question's own consent
    page.get_by_label("Later, op mijn eigen telefoon (een persoonlijke link)").check()
    page.locator("#consent-next").click()
    address = page.locator("#personal-link").get_attribute("href")
    assert Draft.objects.get().mode == Mode.LINK

    phone = browser.new_context(viewport=PHONE, locale="nl-NL")
    own_phone = phone.new_page()
    own_phone.goto(address)
    widths = own_phone.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]
    own_phone.locator("#link-begin").click()
    answer_the_questions(own_phone, artifacts_dir, "questionnaire-phone")
    assert Response.objects.get(instrument="djg6").mode == Mode.LINK
    own_phone.goto(address)  # once only
    assert own_phone.locator("#refusal").is_visible()
    phone.close()
    assert not browser_problems, browser_problems
