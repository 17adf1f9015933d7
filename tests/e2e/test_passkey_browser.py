"""A professional sets up two-factor log-in with a passkey in a real browser (Debian
chromium) and logs in with it: Chromium's virtual authenticator (DevTools' WebAuthn
domain) plays the phone's or laptop's passkey, unlocked by fingerprint. The live server
runs on http://localhost:<port>, a secure context, and "localhost" is the relying-party
id; the origin (with its port) is allowed for this test."""

import re

import pytest
from playwright.sync_api import expect

from omzien.accounts import two_factor
from omzien.accounts.models import Role
from tests import factories
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"  # tests.factories.UserFactory's password


@pytest.fixture
def passkeys_on_the_live_server(settings, live_server):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")


def virtual_authenticator(page) -> str:
    """A platform authenticator with a passkey store and a fingerprint that always
    matches, for this page's browser context."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    answer = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return devtools, answer["authenticatorId"]


def password_step(page, live_server, username="pauline"):
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")


def test_a_professional_adds_a_passkey_and_logs_in_with_it(
    page,
    live_server,
    transactional_db,
    passkeys_on_the_live_server,
    browser_problems,
    artifacts_dir,
):
    membership = factories.MembershipFactory(
        user__username="pauline", role=Role.PROFESSIONAL, place=None
    )
    devtools, authenticator = virtual_authenticator(page)
    password_step(page, live_server)
    page.goto(f"{live_server.url}/signalen/")
    expect(page).to_have_url(re.compile(r"/account/tweestaps/instellen/"))

    add = page.locator("#passkey-register-button")
    expect(add).to_have_text("Sleutel of passkey toevoegen")
    page.screenshot(path=artifacts_dir / "passkey-setup.png", full_page=True)
    add.click()
    # Stored, this session counts as verified: on to the overview, which lists it.
    expect(page).to_have_url(re.compile(r"/account/tweestaps/\?next=%2Fsignalen%2F$"))
    expect(page.locator("#passkey-list li")).to_have_count(1)
    expect(page.locator("#no-recovery-codes")).to_be_visible()
    assert two_factor.has_passkey(membership.user)
    stored = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1
    page.click("#two-factor-continue")
    expect(page).to_have_url(f"{live_server.url}/signalen/")

    page.click("#logout-button")
    password_step(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/inloggen/code/")
    login = page.locator("#passkey-verification-button")
    expect(login).to_have_text("Met uw sleutel of passkey")
    page.screenshot(path=artifacts_dir / "passkey-login.png", full_page=True)
    login.click()
    expect(page).to_have_url(f"{live_server.url}/deur/")  # her start page
    page.goto(f"{live_server.url}/signalen/")
    expect(page).to_have_url(f"{live_server.url}/signalen/")
    assert browser_problems == []


def test_without_javascript_the_code_page_says_so_and_takes_the_code(
    browser, live_server, transactional_db, passkeys_on_the_live_server, artifacts_dir
):
    user = factories.MembershipFactory(
        user__username="pauline", role=Role.PROFESSIONAL, place=None
    ).user
    factories.WebAuthnCredentialFactory(user=user)
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    password_step(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/inloggen/code/")
    expect(page.locator("#passkey-verification-placeholder")).to_contain_text("JavaScript")
    expect(page.locator("#passkey-verification-button")).to_have_count(0)
    expect(page.locator("#code-form")).to_be_visible()
    page.screenshot(path=artifacts_dir / "passkey-login-without-javascript.png", full_page=True)
    context.close()
