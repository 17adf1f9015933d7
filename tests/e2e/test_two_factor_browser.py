"""A professional sets up two-factor log-in in a real browser (Debian chromium): the
password, the set-up page with its QR code and the key to type, the first code, the
recovery codes; then logs out and in again with the password and a code, computed here
from the key on the page as an authenticator app computes it."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from omzien.accounts.models import Role
from tests import factories
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"  # tests.factories.UserFactory's password


def code_of(key: bytes, steps_ahead: int = 0) -> str:
    """The phone's code now, or that many 30-second steps on (the server takes the next
    step's code too, so a second log-in need not wait for the clock)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def password_step(page, live_server):
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "pauline")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")


def test_a_professional_sets_up_two_factor_and_logs_in_with_a_code(
    page, live_server, transactional_db, browser_problems, artifacts_dir
):
    factories.MembershipFactory(user__username="pauline", role=Role.PROFESSIONAL, place=None)
    password_step(page, live_server)
    # No app yet: the set-up page, whatever she asked for.
    expect(page).to_have_url(re.compile(r"/account/tweestaps/instellen/"))
    page.goto(f"{live_server.url}/signalen/")
    expect(page).to_have_url(re.compile(r"/account/tweestaps/instellen/"))
    expect(page.locator(".qr-code svg")).to_be_visible()
    page.screenshot(path=artifacts_dir / "two-factor-setup.png", full_page=True)
    key = b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))

    page.fill("#id_code", code_of(key))
    page.click("#setup-form button[type=submit]")
    codes = page.locator(".recovery-codes code")
    expect(codes).to_have_count(10)
    page.click("#recovery-codes-done")
    expect(page).to_have_url(f"{live_server.url}/signalen/")

    page.click("#logout-button")
    password_step(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/inloggen/code/")
    page.fill("#id_code", code_of(key, steps_ahead=1))
    page.click("#code-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/deur/")  # her start page
    page.goto(f"{live_server.url}/signalen/")
    expect(page).to_have_url(f"{live_server.url}/signalen/")
    assert browser_problems == []
