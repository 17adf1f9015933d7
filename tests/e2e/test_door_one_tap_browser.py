"""On a tablet at the door (Debian chromium, 1024 × 768): the expected people as one-tap
buttons, the search emptied and focused after each check-in, and "Is dit ...?" before a
duplicate is registered; axe-core finds no serious or critical problem on these pages."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from omzien.attendance.models import Visit
from omzien.people.models import Person
from tests.attendance import door
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"  # tests.factories.UserFactory's password
TABLET = {"width": 1024, "height": 768}


# Experimental in axe-core, so off by default; the door's buttons must pass it.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["html"] for node in violation["nodes"])
        for violation in violations
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.fixture
def regulars(transactional_db, benring, host_benring):
    """Today's koffieochtend; Jannie and Mariëtte came to the four before it, Marie not."""
    session = door.today_session(benring, title="Koffieochtend De Benring")
    jannie = door.person("Jannie", "Kamphuis", place=benring)
    mariette = door.person("Mariëtte", "de Vries", place=benring)
    door.person("Marie", "Jansen", place=benring)
    for days in range(1, 5):
        earlier = door.session_on(session.activity, session.date - timedelta(days=days))
        Visit.objects.create(session=earlier, person=jannie)
        Visit.objects.create(session=earlier, person=mariette)
    return session, jannie, mariette


def log_in(page, live_server):
    page.set_viewport_size(TABLET)
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "henk")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/deur/")


def item(page, person, where):
    return page.locator(f'{where} .person[data-person="{person.pk}"]')


def test_one_tap_on_an_expected_name_checks_in_and_the_search_is_ready_again(
    page, live_server, regulars, browser_problems, artifacts_dir
):
    session, jannie, mariette = regulars
    log_in(page, live_server)
    page.goto(f"{live_server.url}/deur/{session.pk}/")
    search = page.locator("#search-input")

    # Before anything is typed: the regulars as big name buttons.
    expect(item(page, jannie, "#expected-list")).to_be_visible()
    expect(item(page, mariette, "#expected-list")).to_be_visible()
    expect(page.locator("#expected-list .person")).to_have_count(2)
    button = item(page, jannie, "#expected-list").locator(".person-button")
    assert button.bounding_box()["height"] >= 60
    page.screenshot(path=artifacts_dir / "door-expected.png", full_page=True)
    assert serious_violations(page) == []

    # One tap: Jannie moves to the here-list; the search is empty and has the focus.
    page.fill("#search-input", "ma")
    button.click()
    expect(item(page, jannie, "#checked-in-list")).to_have_attribute("data-state", "in")
    expect(item(page, jannie, "#expected-list")).to_be_hidden()
    expect(search).to_have_value("")
    expect(search).to_be_focused()
    expect(page.locator("#present-count")).to_have_text("1")
    assert Visit.objects.filter(session=session, person=jannie).count() == 1

    # Someone else through the search: found, one tap, and the search is ready again.
    page.keyboard.type("marie jan")
    marie = page.locator("#results .person", has_text="Marie Jansen")
    expect(marie).to_be_visible()
    marie.locator(".person-button").click()
    expect(page.locator("#checked-in-list .person", has_text="Marie Jansen")).to_be_visible()
    expect(page.locator("#results .person")).to_have_count(0)
    expect(search).to_have_value("")
    expect(search).to_be_focused()
    expect(page.locator("#present-count")).to_have_text("2")
    page.screenshot(path=artifacts_dir / "door-expected-checked-in.png", full_page=True)

    # Undo brings Jannie back among the expected; Mariëtte is still waiting there.
    item(page, jannie, "#checked-in-list").locator(".undo-button").click()
    expect(item(page, jannie, "#checked-in-list")).to_have_count(0)
    expect(item(page, jannie, "#expected-list")).to_be_visible()
    expect(item(page, mariette, "#expected-list")).to_be_visible()
    assert not Visit.objects.filter(session=session, person=jannie).exists()

    # A reload shows what the server knows: the same.
    page.reload()
    expect(item(page, jannie, "#expected-list")).to_be_visible()
    expect(page.locator("#checked-in-list .person")).to_have_count(1)
    assert browser_problems == []


def test_is_dit_jannie_kamphuis_before_registering_her_twice(
    page, live_server, regulars, browser_problems, artifacts_dir
):
    session, jannie, _mariette = regulars
    people_before = Person.objects.count()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/deur/{session.pk}/")
    page.fill("#search-input", "jannie kamphuis van de brink")  # not found this way
    expect(page.locator("#no-results")).to_be_visible()
    page.click("#new-visitor")
    page.fill("#id_first_name", "Janie")
    page.fill("#id_last_name", "Kamphuis")
    page.check("#question-names input[value=yes]")
    page.check("#question-followup input[value=no]")
    page.click("#register-submit")

    question = page.locator("#similar-people")
    expect(question).to_be_visible()
    expect(question.locator("h2")).to_have_text("Is dit Jannie Kamphuis?")
    expect(page.locator("#register-anyway")).to_have_text("Nee, nieuwe bezoeker")
    page.screenshot(path=artifacts_dir / "door-is-dit.png", full_page=True)
    assert serious_violations(page) == []
    assert Person.objects.count() == people_before

    # Tap: it is Jannie. She is checked in, nobody new is registered.
    item(page, jannie, "#similar-list").locator(".person-button").click()
    expect(page).to_have_url(f"{live_server.url}/deur/{session.pk}/")
    expect(item(page, jannie, "#checked-in-list")).to_have_attribute("data-state", "in")
    expect(page.locator("#door-messages")).to_contain_text("Jannie Kamphuis")
    assert Person.objects.count() == people_before
    assert list(Visit.objects.filter(session=session).values_list("person", flat=True)) == [
        jannie.pk
    ]

    # Another Jannie Kamphuis who really is new: "Nee, nieuwe bezoeker" registers her once.
    page.click("#new-visitor")
    page.fill("#id_first_name", "Jannie")
    page.fill("#id_last_name", "Kamphuis")
    page.check("#question-names input[value=yes]")
    page.check("#question-followup input[value=no]")
    page.click("#register-submit")
    expect(page.locator("#similar-people")).to_be_visible()
    page.click("#register-anyway")
    expect(page).to_have_url(f"{live_server.url}/deur/{session.pk}/")
    assert Person.objects.count() == people_before + 1
    assert Person.objects.filter(first_name="Jannie", last_name="Kamphuis").count() == 2
    assert browser_problems == []
