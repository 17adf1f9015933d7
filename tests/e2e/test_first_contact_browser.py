"""The first contact at the door with a real browser (Debian chromium): a host opens the
check-in screen, is asked "Wie weet hoe het met ... gaat?", taps "Ziek" (the signal
closes, the absence is noted) and "Gaat goed" (it closes as all fine), another host taps
"Weet niet", and the coordinator then finds that one in their list."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from omzien.accounts.models import Role
from omzien.signals.models import AnnouncedAbsence, Outcome, Signal
from tests import factories
from tests.attendance import door
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"  # tests.factories.UserFactory's password


@pytest.fixture
def asked(transactional_db, benring, host_benring):
    """Three regulars of De Benring's coffee morning missed, all still asked at its door."""
    session = door.today_session(benring, title="Koffieochtend De Benring")
    factories.MembershipFactory(user__username="hanna", role=Role.HOST, place=benring)
    factories.MembershipFactory(user__username="corrie", role=Role.COORDINATOR, place=benring)

    def first_contact(first_name, last_name):
        return Signal.objects.create(
            person=door.person(first_name, last_name, place=benring, followup=True),
            place=benring,
            activity=session.activity,
            raised_on=timezone.localdate() - timedelta(days=3),
            reason="Komt meestal naar de Koffieochtend; al 3 weken niet gezien.",
            probability=0.7,
        )

    return (
        session,
        first_contact("Jan", "Bakker"),
        first_contact("Riet", "Hendriks"),
        first_contact("Kees", "Smit"),
    )


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/deur/")


def log_out(page):
    page.context.clear_cookies()


def test_hosts_answer_at_the_door_and_the_coordinator_gets_the_unknown_one(
    page, live_server, asked, browser_problems, artifacts_dir
):
    session, jan, riet, kees = asked
    log_in(page, live_server, "henk")
    page.click(f"#session-{session.pk}")
    box = page.locator("#first-contacts")
    expect(box).to_contain_text("Wie weet hoe het met Jan B. gaat?")
    expect(box).to_contain_text("Wie weet hoe het met Riet H. gaat?")
    expect(box).not_to_contain_text("Bakker")  # a short name, no reason, no chance
    expect(box).not_to_contain_text("weken")
    page.screenshot(path=artifacts_dir / "door-first-contact.png", full_page=True)

    # A wrong tap is taken back at once, then the right one.
    page.locator(f"#first-contact-{jan.pk}").get_by_role("button", name="Verhuisd").click()
    expect(page.locator("#door-messages")).to_contain_text("Jan B. is verhuisd")
    page.locator("#door-undo").get_by_role("button", name="Ongedaan maken").click()
    expect(page.locator("#door-messages")).to_contain_text("Ongedaan gemaakt")
    page.locator(f"#first-contact-{jan.pk}").get_by_role("button", name="Ziek").click()
    expect(page.locator("#door-messages")).to_contain_text(
        "Dank u wel: genoteerd dat Jan B. ziek is."
    )
    expect(page.locator(f"#first-contact-{jan.pk}")).to_have_count(0)
    jan.refresh_from_db()
    assert (jan.status, jan.outcome) == (Signal.Status.CLOSED, Outcome.ILL_OR_AWAY)
    absence = AnnouncedAbsence.objects.get(person=jan.person)
    assert absence.first_day == timezone.localdate()
    # Someone here spoke to Kees yesterday: he is fine, nobody needs to call him.
    page.locator(f"#first-contact-{kees.pk}").get_by_role("button", name="Gaat goed").click()
    expect(page.locator("#door-messages")).to_contain_text(
        "Dank u wel: genoteerd dat het goed gaat met Kees S."
    )
    kees.refresh_from_db()
    assert (kees.status, kees.outcome) == (Signal.Status.CLOSED, Outcome.ALL_FINE)
    assert not AnnouncedAbsence.objects.filter(person=kees.person).exists()

    log_out(page)
    log_in(page, live_server, "hanna")
    page.click(f"#session-{session.pk}")
    page.locator(f"#first-contact-{riet.pk}").get_by_role("button", name="Weet niet").click()
    expect(page.locator("#door-messages")).to_contain_text("Een coördinator gaat na")
    expect(page.locator("#first-contacts")).to_have_count(0)
    riet.refresh_from_db()
    assert (riet.status, riet.follow_up_since) == (Signal.Status.OPEN, timezone.localdate())

    log_out(page)
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "corrie")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.goto(f"{live_server.url}/signalen/")
    row = page.locator(f"tr#signal-{riet.pk}")
    expect(row).to_contain_text("Riet Hendriks")
    expect(row).to_contain_text("aan de deur gevraagd: niemand wist het")
    expect(page.locator(f"tr#signal-{jan.pk}")).to_have_count(0)
    page.screenshot(path=artifacts_dir / "signals-after-the-door.png", full_page=True)
    row.get_by_role("link", name="Riet Hendriks").click()
    expect(page.locator("main")).to_contain_text("niemand aan de deur wist het")
    assert browser_problems == []
