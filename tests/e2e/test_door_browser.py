"""A host at the door with a real browser (Debian chromium): log in, search, one tap per
check-in, a new visitor with consent, +1, undo, and taps that fail and are retried."""

import re

import pytest
from playwright.sync_api import expect

from omzien.attendance.models import Visit
from omzien.people.models import Consent, Person, Purpose
from tests.attendance import door
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"  # tests.factories.UserFactory's password
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def door_day(transactional_db, benring, host_benring):
    session = door.today_session(benring, title="Koffieochtend De Benring")
    mariette = door.person("Mariëtte", "de Vries", place=benring)
    door.person("Marie", "Jansen", place=benring)
    return session, mariette


@pytest.fixture
def problems(browser_problems):
    """Browser problems, minus the failures a test causes on purpose (see `expect_failure`)."""
    expected: list[str] = []

    def unexpected() -> list[str]:
        return [p for p in browser_problems if not any(part in p for part in expected)]

    unexpected.expect = expected.append
    return unexpected


def log_in(page, live_server, artifacts_dir=None):
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "henk")
    page.fill("#id_password", PASSWORD)
    if artifacts_dir:
        page.screenshot(path=artifacts_dir / "door-login.png", full_page=True)
    page.click("#login-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/deur/")


def person_item(page, person, where="#results"):
    return page.locator(f'{where} .person[data-person="{person.pk}"]')


def visits_of(session, person):
    return Visit.objects.filter(session=session, person=person).count()


def test_host_checks_people_in_registers_a_newcomer_counts_and_undoes(
    page, live_server, door_day, problems, artifacts_dir
):
    session, mariette = door_day
    log_in(page, live_server, artifacts_dir)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.screenshot(path=artifacts_dir / "door-list.png", full_page=True)
    page.click(f"#session-{session.pk}")
    expect(page).to_have_url(f"{live_server.url}/deur/{session.pk}/")

    # Type-ahead: no Enter needed, accents and capitals do not matter.
    page.fill("#search-input", "mariette")
    expect(person_item(page, mariette)).to_be_visible()
    expect(page.locator("#results .person")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"\?q=mariette$"))
    page.screenshot(path=artifacts_dir / "door-search.png", full_page=True)

    # One tap checks Mariëtte in: she moves to the checked-in list, and the search is
    # empty again, with the focus, for the next visitor.
    person_item(page, mariette).locator(".person-button").click()
    expect(person_item(page, mariette, "#checked-in-list")).to_have_attribute("data-state", "in")
    expect(person_item(page, mariette)).to_have_count(0)
    expect(page.locator("#search-input")).to_have_value("")
    expect(page.locator("#search-input")).to_be_focused()
    expect(page).to_have_url(f"{live_server.url}/deur/{session.pk}/")
    expect(page.locator("#present-count")).to_have_text("1")
    assert visits_of(session, mariette) == 1
    page.screenshot(path=artifacts_dir / "door-checked-in.png", full_page=True)

    # A new visitor: first name, village and the consent question.
    page.fill("#search-input", "gerrit")
    expect(page.locator("#no-results")).to_be_visible()
    page.click("#new-visitor")
    expect(page.locator("#id_first_name")).to_have_value("gerrit")
    page.fill("#id_first_name", "Gerrit")
    page.check("#question-names input[value=yes]")
    page.check("#question-followup input[value=no]")
    page.screenshot(path=artifacts_dir / "door-register.png", full_page=True)
    page.click("#register-submit")
    expect(page).to_have_url(f"{live_server.url}/deur/{session.pk}/")
    expect(page.locator("#door-messages")).to_contain_text("Gerrit")
    gerrit = Person.objects.get(first_name="Gerrit")
    assert gerrit.registered_place == session.activity.place
    assert {(c.purpose, c.given) for c in Consent.objects.filter(person=gerrit)} == {
        (Purpose.NAMES, True),
        (Purpose.FOLLOWUP, False),
    }
    assert visits_of(session, gerrit) == 1
    expect(person_item(page, gerrit, "#checked-in-list")).to_have_attribute("data-state", "in")

    # +1 for someone who would rather stay anonymous.
    page.click("#anonymous-add")
    expect(page.locator("#anonymous-count")).to_have_text("1")
    expect(page.locator("#anonymous")).to_have_attribute("data-anonymous", "1")
    assert session.visits.filter(person__isnull=True).count() == 1
    expect(page.locator("#present-count")).to_have_text("3")

    # Undo Mariëtte's check-in from the checked-in list, without searching.
    person_item(page, mariette, "#checked-in-list").locator(".undo-button").click()
    expect(person_item(page, mariette, "#checked-in-list")).to_have_count(0)
    expect(page.locator("#present-count")).to_have_text("2")
    assert visits_of(session, mariette) == 0
    assert visits_of(session, gerrit) == 1
    page.screenshot(path=artifacts_dir / "door-after-undo.png", full_page=True)

    # Who is here today: Gerrit is new.
    page.click("#presence-link")
    expect(page.locator(f'#presence-list [data-person="{gerrit.pk}"]')).to_have_attribute(
        "data-new", "true"
    )
    page.screenshot(path=artifacts_dir / "door-presence.png", full_page=True)
    assert problems() == []


def test_a_failed_check_in_is_shown_kept_and_saved_once_on_retry(
    page, live_server, door_day, problems, artifacts_dir
):
    session, mariette = door_day
    log_in(page, live_server)
    page.goto(f"{live_server.url}/deur/{session.pk}/?q=mariette")

    # The connection drops just as the host taps: the request never reaches the server.
    # Mariëtte moves to the checked-in list all the same, marked as not saved.
    problems.expect("/inchecken/")
    page.route("**/inchecken/", lambda route: route.abort("internetdisconnected"))
    person_item(page, mariette).locator(".person-button").click()
    item = person_item(page, mariette, "#checked-in-list")
    expect(item).to_have_attribute("data-state", "failed")
    expect(page.locator("#door-queue")).to_be_visible()
    expect(page.locator("#door-queue-items")).to_contain_text("Mariëtte de Vries")
    assert visits_of(session, mariette) == 0
    stored = page.evaluate("localStorage.getItem('omzien-door-queue')")
    assert '"kind":"check-in"' in stored
    page.screenshot(path=artifacts_dir / "door-failed.png", full_page=True)

    # The connection is back; tapping the "not saved" button sends it again.
    page.unroute("**/inchecken/")
    item.locator(".person-button").click()
    expect(item).to_have_attribute("data-state", "in")
    expect(page.locator("#door-queue")).to_be_hidden()
    assert visits_of(session, mariette) == 1
    assert page.evaluate("localStorage.getItem('omzien-door-queue')") is None

    # Offline: +1 waits in the queue and goes out when the browser is online again.
    problems.expect("/anoniem/erbij/")
    page.context.set_offline(True)
    page.click("#anonymous-add")
    expect(page.locator("#anonymous")).to_have_attribute("data-queue", "failed")
    expect(page.locator("#anonymous-count")).to_have_text("1")  # shown, marked not saved
    assert session.visits.filter(person__isnull=True).count() == 0
    page.context.set_offline(False)
    expect(page.locator("#anonymous")).to_have_attribute("data-queue", "")
    expect(page.locator("#anonymous")).to_have_attribute("data-anonymous", "1")
    assert session.visits.filter(person__isnull=True).count() == 1

    # A lost answer: the server saved the +1 but the tablet never heard. The retry on the
    # next page load carries the same token, so the visitor still counts once.
    answers = {"dropped": 0}

    def drop_first_answer(route):
        response = route.fetch()
        if answers["dropped"] == 0:
            answers["dropped"] += 1
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    page.route("**/anoniem/erbij/", drop_first_answer)
    page.click("#anonymous-add")
    expect(page.locator("#anonymous")).to_have_attribute("data-queue", "failed")
    assert session.visits.filter(person__isnull=True).count() == 2
    page.unroute("**/anoniem/erbij/")
    page.reload()
    expect(page.locator("#anonymous")).to_have_attribute("data-queue", "")
    expect(page.locator("#anonymous-count")).to_have_text("2")
    assert session.visits.filter(person__isnull=True).count() == 2

    # −1 takes off one, once.
    page.click("#anonymous-remove")
    expect(page.locator("#anonymous")).to_have_attribute("data-anonymous", "1")
    assert session.visits.filter(person__isnull=True).count() == 1
    assert visits_of(session, mariette) == 1
    assert problems() == []


def test_the_door_on_a_phone_without_overlap(page, live_server, door_day, problems, artifacts_dir):
    session, mariette = door_day
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.screenshot(path=artifacts_dir / "door-phone-list.png", full_page=True)
    page.click(f"#session-{session.pk}")
    page.fill("#search-input", "mari")
    expect(page.locator("#results .person")).to_have_count(2)
    person_item(page, mariette).locator(".person-button").click()
    expect(person_item(page, mariette, "#checked-in-list")).to_have_attribute("data-state", "in")
    page.screenshot(path=artifacts_dir / "door-phone-check-in.png", full_page=True)
    # Nothing sticks out sideways, and every button is a big target.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for button in page.locator("main button:visible, main a.button:visible").all():
        box = button.bounding_box()
        assert box["height"] >= 44, (button.inner_text(), box)
    page.click("#new-visitor")
    page.screenshot(path=artifacts_dir / "door-phone-register.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems() == []
