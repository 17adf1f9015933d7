"""The coordinator's follow-up with a real browser (Debian chromium): the open signals of
their place, one signal, a contact, assign, snooze and close; assigning
straight from the list; and a host's "let op"."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from omzien.accounts.models import Role
from omzien.signals.models import Signal
from tests import factories
from tests.attendance import door
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"  # tests.factories.UserFactory's password


@pytest.fixture
def open_signal(transactional_db, trefpunt, coordinator_trefpunt):
    riet = door.person("Riet", "Hendriks", place=trefpunt, followup=True)
    factories.MembershipFactory(user__username="truus", role=Role.HOST, place=trefpunt)
    return Signal.objects.create(
        person=riet,
        place=trefpunt,
        raised_on=timezone.localdate() - timedelta(days=2),
        follow_up_since=timezone.localdate() - timedelta(days=2),  # the coordinator's
        last_seen=timezone.localdate() - timedelta(days=24),
        reason=(
            "Komt meestal naar de Koffieochtend op dinsdag (9 van de laatste 10 keer); "
            "laatst gezien 24 dagen geleden; 3 bijeenkomsten gemist."
        ),
        probability=0.87,
        missed=3,
    )


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/deur/")


def assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024


def test_coordinator_follows_up_a_signal(
    page, live_server, open_signal, coordinator_trefpunt, browser_problems, artifacts_dir
):
    signal = open_signal
    log_in(page, live_server, "carla")
    page.goto(f"{live_server.url}/signalen/")
    row = page.locator("tr", has_text="Riet Hendriks")
    expect(row).to_be_visible()
    expect(row).to_contain_text("er kan iets aan de hand zijn")
    expect(row).to_contain_text("(87%)")
    expect(page.locator("#chance-explained")).to_contain_text("schatting")
    assert_fits(page)
    page.screenshot(path=artifacts_dir / "signals-list.png", full_page=True)

    row.get_by_role("link", name="Riet Hendriks").click()
    expect(page).to_have_url(f"{live_server.url}/signalen/{signal.pk}/")
    expect(page.locator("h1")).to_contain_text("Riet Hendriks")
    assert_fits(page)
    page.screenshot(path=artifacts_dir / "signals-detail.png", full_page=True)

    # A contact: called, no contact yet.
    page.select_option("#id_contact-method", "called")
    page.select_option("#id_contact-outcome", "no_contact")
    page.fill("#id_contact-note", "Voicemail ingesproken")
    page.click("form.signal-contact button[type=submit]")
    expect(page.locator("form.signal-contact")).to_be_visible()
    contact = signal.contacts.get()
    assert (contact.method, contact.outcome, contact.by) == (
        "called",
        "no_contact",
        coordinator_trefpunt,
    )
    assert contact.note == "Voicemail ingesproken"
    expect(page.locator("main")).to_contain_text("Voicemail ingesproken")

    # Assigned to Truus, a host who knows her.
    truus = factories.UserFactory(username="truus")
    page.select_option("#id_assign-user", str(truus.pk))
    page.click("form.signal-assign button[type=submit]")
    expect(page.locator("main")).to_contain_text("truus")
    signal.refresh_from_db()
    assert signal.assigned_to == truus

    # Snoozed for a week: she is staying with her daughter.
    until = timezone.localdate() + timedelta(days=7)
    page.fill("#id_snooze-until", until.isoformat())
    page.click("form.signal-snooze button[type=submit]")
    expect(page.locator("form.signal-snooze")).to_be_visible()
    signal.refresh_from_db()
    assert (signal.status, signal.snoozed_until) == ("snoozed", until)
    page.screenshot(path=artifacts_dir / "signals-snoozed.png", full_page=True)

    # Closed: all fine.
    page.select_option("#id_close-outcome", "all_fine")
    page.click("form.signal-close button[type=submit]")
    expect(page.locator("form.signal-close")).to_have_count(0)
    signal.refresh_from_db()
    assert (signal.status, signal.outcome, signal.closed_by) == (
        "closed",
        "all_fine",
        coordinator_trefpunt,
    )
    assert_fits(page)
    page.screenshot(path=artifacts_dir / "signals-closed.png", full_page=True)

    page.goto(f"{live_server.url}/signalen/")
    expect(page.locator("main")).not_to_contain_text("Riet Hendriks")

    # Looked back on under "Afgehandeld", with its outcome, for this month.
    page.get_by_role("link", name="Afgehandeld").click()
    expect(page).to_have_url(f"{live_server.url}/signalen/afgehandeld/")
    page.fill("#id_van", timezone.localdate().replace(day=1).isoformat())
    page.click("form.closed-filter button[type=submit]")
    closed = page.locator("tr", has_text="Riet Hendriks")
    expect(closed).to_contain_text("alles goed")
    assert_fits(page)
    page.screenshot(path=artifacts_dir / "signals-closed-list.png", full_page=True)
    assert browser_problems == []


def test_host_raises_let_op_and_records_an_absence(
    page, live_server, open_signal, browser_problems, artifacts_dir
):
    riet, place = open_signal.person, open_signal.place
    open_signal.delete()
    log_in(page, live_server, "truus")
    page.goto(f"{live_server.url}/deur/persoon/{riet.pk}/")
    page.click("#let-op-link")
    expect(page.locator("#let-op-form")).to_be_visible()
    page.fill("#id_reason", "Vertelde dat haar man is overleden")
    assert_fits(page)
    page.screenshot(path=artifacts_dir / "signals-let-op.png", full_page=True)
    page.click("#let-op-submit")
    expect(page).to_have_url(f"{live_server.url}/deur/persoon/{riet.pk}/")
    expect(page.locator("#door-messages")).to_be_visible()
    signal = Signal.objects.get(person=riet)
    assert (signal.place, signal.kind, signal.reason) == (
        place,
        "manual",
        "Vertelde dat haar man is overleden",
    )
    page.screenshot(path=artifacts_dir / "signals-person-after-let-op.png", full_page=True)

    page.click("#absence-link")
    page.fill("#id_first_day", "2026-05-12")
    page.fill("#id_last_day", "2026-04-28")
    page.click("#absence-submit")
    expect(page.locator("#field-last_day .error")).to_be_visible()
    assert not riet.announced_absences.exists()
    page.screenshot(path=artifacts_dir / "signals-absence-error.png", full_page=True)
    page.fill("#id_last_day", "2026-05-26")
    page.fill("#id_note", "op vakantie")
    page.click("#absence-submit")
    expect(page.locator("#door-messages")).to_be_visible()
    absence = riet.announced_absences.get()
    assert (absence.first_day, absence.last_day) == (date(2026, 5, 12), date(2026, 5, 26))
    assert [p for p in browser_problems if "400" not in p] == []  # the refused form


def test_coordinator_assigns_a_signal_straight_from_the_list(
    page, live_server, open_signal, coordinator_trefpunt, browser_problems, artifacts_dir
):
    truus = get_user_model().objects.get(username="truus")
    log_in(page, live_server, "carla")
    page.goto(f"{live_server.url}/signalen/")
    row = page.locator(f"#signal-{open_signal.pk}")
    expect(row.locator(".assignee")).to_contain_text("nog niemand")

    row.locator("select").select_option(str(truus.pk))
    row.get_by_role("button", name="Toewijzen").click()

    expect(page).to_have_url(re.compile(r"/signalen/"))
    name = truus.get_full_name() or truus.username
    expect(page.locator(f"#signal-{open_signal.pk} .assignee")).to_contain_text(name)
    open_signal.refresh_from_db()
    assert open_signal.assigned_to == truus
    assert_fits(page)
    page.screenshot(path=artifacts_dir / "signals-assigned-from-list.png", full_page=True)
    assert browser_problems == []
