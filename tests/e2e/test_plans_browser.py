"""Nieuwe plannen in a real browser: a resident proposes an activity on a phone, the
coordinator approves it, five people say "ik doe mee" (the coordinator gets one mail,
without names), and the coordinator makes it an activity with the call list."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from omzien.accounts.models import Role
from omzien.agenda.models import Activity
from omzien.proposals.models import Proposal
from tests import factories
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PHONE = {"width": 390, "height": 844}
PASSWORD = "omzien-test"
JOINING = [
    ("Jan", "jan@example.org"),
    ("Marie", ""),
    ("Kees", "0698765432"),
    ("", ""),
    ("Anna", "anna@example.org"),
]


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_plan_from_a_phone_reaches_the_threshold_and_becomes_an_activity(
    page, browser, live_server, transactional_db, benring, browser_problems, artifacts_dir, settings
):
    settings.OMZIEN_PROPOSAL_NEAREST_PLACES = 1
    factories.MembershipFactory(
        user__username="bea",
        user__email="bea@benring.example",
        role=Role.COORDINATOR,
        place=benring,
    )

    # A resident on a phone, without an account.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/plannen/")
    expect(page.locator("h1")).to_have_text("Nieuwe plannen: activiteiten die bewoners voorstellen")
    page.click("#propose-link")
    page.fill("#id_title", "Samen koken <op donderdag>")
    page.fill("#id_description", "Elke week een ander gerecht, samen eten.")
    page.get_by_role("radio", name="Samen eten", exact=True).check()
    page.select_option("#id_village", label="Voorst")
    page.fill("#id_when", "donderdagavond")
    page.get_by_role("checkbox", name="donderdag", exact=True).check()
    page.get_by_role("checkbox", name="avond", exact=True).check()
    page.fill("#id_bring", "Mijn recepten en een grote pan")
    page.fill("#id_first_name", "Gerda")
    page.fill("#id_phone", "06 12 34 56 78")
    assert page.locator("#id_website").bounding_box()["x"] < 0  # the honeypot: out of sight
    page.locator("#field-consent").get_by_role("radio", name="Ja").check()
    assert_fits(page)
    page.screenshot(path=str(artifacts_dir / "plans-propose-phone.png"), full_page=True)
    page.click("#propose-submit")
    expect(page.locator("#thanks")).to_be_visible()
    proposal = Proposal.objects.get()
    assert proposal.status == "wacht" and proposal.phone == "0612345678"
    page.goto(f"{live_server.url}/plannen/")
    expect(page.locator("#board")).to_have_count(0)  # not public before approval

    # The coordinator, on a tablet, in a browser of her own.
    staff = browser.new_context(locale="en-US", viewport={"width": 1024, "height": 768})
    coordinator = staff.new_page()
    coordinator.goto(f"{live_server.url}/inloggen/")
    coordinator.fill("#id_username", "bea")
    coordinator.fill("#id_password", PASSWORD)
    coordinator.click("#login-form button[type=submit]")
    coordinator.goto(f"{live_server.url}/plannen/beheer/")
    row = coordinator.locator(f"#proposal-{proposal.pk}")
    expect(row).to_contain_text("wacht op goedkeuring")
    row.get_by_role("link", name="Samen koken <op donderdag>").click()
    expect(coordinator.locator("#proposal-contact")).to_contain_text("0612345678")
    coordinator.click("#approve-submit")
    expect(coordinator.locator("#proposal-state")).to_have_text("op het prikbord")

    # Five people say "ik doe mee" on their phones.
    for number, (first_name, reach) in enumerate(JOINING):
        page.goto(f"{live_server.url}/plannen/")
        card = page.locator(f"#plan-{proposal.pk}")
        expect(card).to_contain_text("Samen koken <op donderdag>")  # escaped, shown as text
        card.get_by_role("link", name="Ik doe mee").click()
        if first_name:
            page.get_by_role("radio", name="Houd mij op de hoogte", exact=False).check()
            page.fill("#id_first_name", first_name)
            page.fill("#id_email" if "@" in reach else "#id_phone", reach or "0611112222")
            page.locator("#field-consent").get_by_role("radio", name="Ja").check()
        else:
            page.get_by_role("radio", name="Tel mij mee", exact=False).check()
        if number == 0:
            assert_fits(page)
            page.screenshot(path=str(artifacts_dir / "plans-join-phone.png"), full_page=True)
        page.click("#join-submit")
        expect(page.locator("#joined")).to_be_visible()
        expect(page.locator(".help-lead")).to_contain_text(f"{number + 1}")
        assert len(mail.outbox) == (1 if number == 4 else 0)

    # The coordinator heard of it once: counts and a link, no names.
    [notice] = mail.outbox
    assert notice.to == ["bea@benring.example"]
    for private in ("Jan", "Marie", "Kees", "Anna", "Gerda", "jan@example.org", "0698765432"):
        assert private not in notice.subject + notice.body
    link = next(line for line in notice.body.splitlines() if "/plannen/beheer/" in line)
    assert link.endswith(f"/plannen/beheer/{proposal.pk}/")

    # One step: the proposal becomes an activity, with whom to call.
    coordinator.goto(f"{live_server.url}/plannen/beheer/{proposal.pk}/")
    expect(coordinator.locator("#interest-count")).to_contain_text("5 mensen")
    coordinator.click("#start-link")
    expect(coordinator.locator("#id_title")).to_have_value("Samen koken <op donderdag>")
    coordinator.fill("#id_title", "Samen koken")
    coordinator.fill("#id_first_date", "2030-03-07")
    coordinator.fill("#id_start_time", "18:00")
    coordinator.check("#id_weekly")
    coordinator.click("#start-submit")
    expect(coordinator.locator("#started")).to_be_visible()
    expect(coordinator.locator("#call-list")).to_contain_text("0698765432")
    expect(coordinator.locator("#call-list")).to_contain_text("Gerda")
    activity = Activity.objects.get()
    assert activity.place == benring and activity.title == "Samen koken"
    # Jan and Anna are told by mail; Gerda (who proposed), Marie and Kees are on the list.
    told = sorted(to for message in mail.outbox[1:] for to in message.to)
    assert told == ["anna@example.org", "jan@example.org"]
    proposal.refresh_from_db()
    assert proposal.status == "activiteit" and proposal.phone == "" and proposal.first_name == ""
    page.goto(f"{live_server.url}/plannen/")
    expect(page.locator(f"#plan-{proposal.pk}")).to_have_count(0)
    coordinator.screenshot(path=str(artifacts_dir / "plans-started.png"), full_page=True)
    staff.close()
    assert browser_problems == []


LONG_WORD = "Burenhulpkoffieochtendwandelgroepfietstochtvoorjongenoud" * 2


def test_the_board_and_a_plan_fit_a_phone_without_javascript(
    browser, live_server, transactional_db, benring, artifacts_dir
):
    proposal = factories.ProposalFactory(
        village=benring.village,
        places=[benring],
        status="goedgekeurd",
        title=LONG_WORD,
        description=LONG_WORD,
    )
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    phone = context.new_page()
    for path in ("/plannen/", f"/plannen/{proposal.pk}/"):
        phone.goto(f"{live_server.url}{path}")
        expect(phone.locator("h1")).to_be_visible()
        assert_fits(phone)
    # Without JavaScript "tel mij mee" still works: a plain form.
    phone.get_by_role("radio", name="Tel mij mee", exact=False).check()
    phone.click("#join-submit")
    expect(phone.locator("#joined")).to_be_visible()
    assert proposal.interests.count() == 1
    context.close()
