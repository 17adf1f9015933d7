"""Kom een kijkje nemen, in a real browser (Debian chromium): De Benring's coordinator
invites Trefpunt Duistervoorde, Trefpunt's coordinator answers "we komen met 3", and after
the visit De Benring writes down how it went and Trefpunt what it wants to try."""

from datetime import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from omzien.accounts.models import Role
from omzien.agenda.recurrence import local_zone
from omzien.visiting.models import Invitation
from tests import factories
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"  # tests.factories.UserFactory's password
# Monday 11 May 2026; the open afternoon is on Wednesday 20 May.
NOW = datetime(2026, 5, 11, 9, 0, tzinfo=local_zone())
AFTER_THE_VISIT = datetime(2026, 5, 21, 10, 0, tzinfo=local_zone())


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")


def test_benring_invites_trefpunt_who_come_with_three_and_both_write_down_afterwards(
    page,
    live_server,
    transactional_db,
    settings,
    benring,
    trefpunt,
    coordinator_trefpunt,
    browser_problems,
):
    settings.OMZIEN_MAP_TILES = ""  # the place page's map asks nothing of another host
    factories.MembershipFactory(user__username="bea", role=Role.COORDINATOR, place=benring)
    with time_machine.travel(NOW, tick=True) as clock:
        log_in(page, live_server, "bea")
        page.get_by_role("link", name="Bezoeken", exact=True).first.click()
        page.click("#new-invitation")
        page.fill("#id_title", "Open middag")
        page.fill("#id_date", "2026-05-20")
        page.fill("#id_start_time", "14:00")
        page.fill("#id_end_time", "16:00")
        page.get_by_label("Trefpunt Duistervoorde (Twello)").check()
        page.click("#invite-submit")
        expect(page.locator("#visit-messages")).to_contain_text("Uitnodiging verstuurd")
        invitation = Invitation.objects.get()
        page.click("#logout-button")

        # The invitation is public on Trefpunt's page at once.
        page.goto(f"{live_server.url}/plekken/trefpunt-duistervoorde/")
        expect(page.locator("#invited")).to_contain_text("Uitgenodigd bij De Benring")

        log_in(page, live_server, "carla")
        page.goto(f"{live_server.url}/bezoeken/")
        page.locator(f"#row-received-{invitation.pk}").get_by_role("link").click()
        page.click("#answer-trefpunt-duistervoorde")
        page.fill("#id_count", "3")
        page.fill("#id_names", "Ans, Gerrit en Wim")
        page.click("#answer-submit")
        expect(page.locator("#guest-trefpunt-duistervoorde .answer")).to_have_text(
            "3 komen: Ans, Gerrit en Wim"
        )
        page.click("#logout-button")

        clock.move_to(AFTER_THE_VISIT)
        log_in(page, live_server, "bea")
        page.goto(f"{live_server.url}/bezoeken/{invitation.pk}/")
        page.click("#report-link")
        page.fill("#id_report", "Gezellig: veel gepraat over de breiclub.")
        page.click("#report-submit")
        expect(page.locator("#report-text")).to_have_text(
            "Gezellig: veel gepraat over de breiclub."
        )
        page.click("#logout-button")

        log_in(page, live_server, "carla")
        page.goto(f"{live_server.url}/bezoeken/{invitation.pk}/")
        page.click("#wish-trefpunt-duistervoorde")
        page.fill("#id_want_to_try", "Een breiclub op dinsdagmiddag")
        page.click("#wish-submit")
        expect(page.locator("#guest-trefpunt-duistervoorde .wish")).to_have_text(
            "Een breiclub op dinsdagmiddag"
        )
    assert browser_problems == []
