"""Passkeys and security keys (WebAuthn, django-otp-webauthn) as the second step beside the
authenticator app: the pages, removing one, the reset, and who may call the ceremony's
JSON endpoints. The ceremony itself (a browser signing a challenge) is in
tests/e2e/test_passkey_browser.py; here the package's check of the browser's answer is
replaced by one that hands back the stored credential, so what Omzien does around it is
tested: who is logged in, which session counts as verified, where they go."""

import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.exceptions import CredentialUserMismatch
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from omzien.accounts import permissions, services, two_factor
from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from tests import factories
from tests.two_factor import plain_force_login

PASSWORD = "omzien-test"
# The demo's relying party: localhost on port 8000 (the test client's own "testserver"
# is not a domain passkeys work on).
HERE = {"HTTP_HOST": "localhost:8000"}
BEGIN_LOGIN = "/account/passkey/authentication/begin/"
COMPLETE_LOGIN = "/account/passkey/authentication/complete/"
BEGIN_ADDING = "/account/passkey/registration/begin/"
COMPLETE_ADDING = "/account/passkey/registration/complete/"


@pytest.fixture(autouse=True)
def _passkeys_on_localhost(settings):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://localhost:8000"]


def with_passkey_only(client, user):
    """The user's session after logging in with a passkey (their only second factor)."""
    device = factories.WebAuthnCredentialFactory(user=user)
    plain_force_login(client, user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def password_step(client, username):
    return client.post("/inloggen/", {"username": username, "password": PASSWORD}, **HERE)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def browser_answers_with(monkeypatch):
    """Stand in for py_webauthn's check of the browser's signed answer: the chosen
    credential is "the one the browser used" (the package's check that it is the user's
    own stays)."""

    def choose(device):
        def authenticate_complete(self, user, state, data):
            if user and device.user_id != user.pk:
                raise CredentialUserMismatch
            device.set_last_used_timestamp(commit=True)
            return device

        monkeypatch.setattr(WebAuthnHelper, "authenticate_complete", authenticate_complete)

    return choose


# --- The pages -----------------------------------------------------------------------------


def test_the_set_up_page_offers_a_passkey_with_its_script(client, professional):
    plain_force_login(client, professional)
    page = client.get("/account/tweestaps/instellen/?next=/signalen/", **HERE).content.decode()
    assert 'id="passkeys"' in page
    assert 'id="passkey-register-button"' in page
    assert "Sleutel of passkey toevoegen" in page
    # Without JavaScript the placeholder stays: it says so and points to the app.
    assert "JavaScript" in page and 'id="passkey-registration-placeholder"' in page
    assert 'src="/static/django_otp_webauthn/otp_webauthn_register.js"' in page
    assert 'src="/account/passkey/jsi18n/"' in page
    assert 'data-done-url="/account/tweestaps/?next=%2Fsignalen%2F"' in page


def test_on_another_address_the_page_says_where_passkeys_work(client, professional):
    plain_force_login(client, professional)
    page = client.get("/account/tweestaps/instellen/", HTTP_HOST="127.0.0.1:8000")
    text = page.content.decode()
    assert "passkey-register-button" not in text
    assert "http://localhost:8000" in text


def test_the_overview_lists_the_users_own_passkeys_only(client, coordinator_trefpunt):
    mine = with_passkey_only(client, coordinator_trefpunt)
    other = factories.WebAuthnCredentialFactory()
    page = client.get("/account/tweestaps/", **HERE).content.decode()
    assert f'id="passkey-{mine.pk}"' in page
    assert f'id="passkey-{other.pk}"' not in page
    assert "na uw wachtwoord gebruikt u uw sleutel of passkey" in page
    assert 'id="no-recovery-codes"' in page


def test_the_jsi18n_catalog_speaks_dutch_with_u(client):
    catalog = client.get("/account/passkey/jsi18n/").content.decode()
    assert "Toevoegen mislukt: waarschijnlijk hebt u" in catalog
    assert "Je hebt" not in catalog


# --- A passkey is a second step ------------------------------------------------------------


def test_a_user_with_only_a_passkey_has_a_second_step(client, professional):
    factories.WebAuthnCredentialFactory(user=professional)
    assert two_factor.has_second_factor(professional)
    assert two_factor.asks_second_step(professional)
    response = password_step(client, "pauline")
    assert response.url == "/inloggen/code/"
    assert not logged_in(client)
    page = client.get("/inloggen/code/", **HERE).content.decode()
    assert 'id="passkey-verification-button"' in page and "Met uw sleutel of passkey" in page
    assert 'src="/static/django_otp_webauthn/otp_webauthn_auth.js"' in page


def test_on_another_address_the_code_page_says_where_the_passkey_works(client, professional):
    factories.WebAuthnCredentialFactory(user=professional)
    password_step(client, "pauline")
    page = client.get("/inloggen/code/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "passkey-verification-button" not in page
    assert 'id="passkey-elsewhere"' in page and "http://localhost:8000" in page
    assert 'id="code-form"' in page


def test_an_unconfirmed_passkey_is_no_second_step(professional):
    factories.WebAuthnCredentialFactory(user=professional, confirmed=False)
    assert not two_factor.has_second_factor(professional)
    assert two_factor.step_needed(professional) == two_factor.SETUP


def test_a_session_logged_in_with_a_passkey_passes_the_middleware(client, professional):
    with_passkey_only(client, professional)
    assert client.get("/signalen/", **HERE).status_code == 200


def test_logged_in_without_the_passkey_the_middleware_asks_for_it(client, professional):
    factories.WebAuthnCredentialFactory(user=professional)
    plain_force_login(client, professional)  # e.g. through /beheer/login/
    response = client.get("/signalen/", **HERE)
    assert response.url == "/inloggen/code/?next=%2Fsignalen%2F"


def test_password_then_passkey_logs_in_verified_and_goes_on(
    client, professional, browser_answers_with
):
    device = factories.WebAuthnCredentialFactory(user=professional)
    client.post("/inloggen/?next=/signalen/", {"username": "pauline", "password": PASSWORD}, **HERE)
    begin = client.post(BEGIN_LOGIN, **HERE)
    assert begin.status_code == 200
    options = begin.json()
    assert options["rpId"] == "localhost"
    assert options["userVerification"] == "discouraged"  # the password was the first step
    assert len(options["allowCredentials"]) == 1  # only her own
    browser_answers_with(device)
    complete = client.post(COMPLETE_LOGIN, {}, content_type="application/json", **HERE)
    assert complete.status_code == 200, complete.content
    assert complete.json()["redirect_url"] == "/signalen/"
    assert logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert two_factor.PENDING_USER not in client.session
    assert client.get("/signalen/", **HERE).status_code == 200


def test_another_users_passkey_does_not_log_in(client, professional, browser_answers_with):
    factories.WebAuthnCredentialFactory(user=professional)
    someone_else = factories.WebAuthnCredentialFactory()
    password_step(client, "pauline")
    client.post(BEGIN_LOGIN, **HERE)
    browser_answers_with(someone_else)
    complete = client.post(COMPLETE_LOGIN, {}, content_type="application/json", **HERE)
    assert complete.status_code == 403
    assert complete.json()["code"] == "credential_user_mismatch"
    assert not logged_in(client)


def test_the_passkey_step_without_a_password_is_refused_and_writes_no_session(client, db):
    factories.WebAuthnCredentialFactory()
    sessions = Session.objects.count()
    for url in (BEGIN_LOGIN, COMPLETE_LOGIN):
        response = client.post(url, {}, content_type="application/json", **HERE)
        assert response.status_code == 403
        assert response.json()["code"] == "not_authenticated"
    assert Session.objects.count() == sessions, "passwordless log-in is off"


def test_after_too_many_wrong_codes_a_passkey_does_not_help(client, professional, rf):
    factories.WebAuthnCredentialFactory(user=professional)
    password_step(client, "pauline")
    request = rf.get("/")
    for _attempt in range(5):
        two_factor.count_failure(professional, request)
    response = client.post(BEGIN_LOGIN, **HERE)
    assert response.status_code == 429
    assert "te vaak fout" in response.json()["detail"]


# --- Adding a passkey ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 403),  # not logged in
        ("host", 404),  # door-only: no second step
        ("coordinator", 200),  # optional: may add a first one
        ("professional_setting_up", 200),  # no second factor yet: setting up
        ("professional_unverified", 403),  # has an app this session has not used
        ("professional_verified", 200),
    ],
)
def test_who_may_begin_adding_a_passkey(client, who, status, host_benring, coordinator_trefpunt):
    pauline = factories.MembershipFactory(
        user__username="pauline", role=Role.PROFESSIONAL, place=None
    ).user
    if who == "host":
        plain_force_login(client, host_benring)
    elif who == "coordinator":
        plain_force_login(client, coordinator_trefpunt)
    elif who == "professional_setting_up":
        plain_force_login(client, pauline)
    elif who == "professional_unverified":
        TOTPDevice.objects.create(user=pauline, name="phone", confirmed=True)
        plain_force_login(client, pauline)
    elif who == "professional_verified":
        client.force_login(pauline)  # a session that used her app
    response = client.post(BEGIN_ADDING, **HERE)
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["rp"] == {"name": "Omzien", "id": "localhost"}


def test_adding_the_first_passkey_verifies_the_session_and_is_audited(
    client, professional, monkeypatch
):
    def register_complete(self, user, state, data):
        return factories.WebAuthnCredentialFactory(user=user)

    monkeypatch.setattr(WebAuthnHelper, "register_complete", register_complete)
    plain_force_login(client, professional)
    assert client.get("/signalen/", **HERE).url.startswith("/account/tweestaps/instellen/")
    assert client.post(BEGIN_ADDING, **HERE).status_code == 200
    response = client.post(COMPLETE_ADDING, {}, content_type="application/json", **HERE)
    assert response.status_code == 200, response.content
    device = WebAuthnCredential.objects.get(user=professional)
    assert response.json() == {"id": device.pk}
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/signalen/", **HERE).status_code == 200
    event = AuditEvent.objects.get(user=professional, subject=services.SUBJECT)
    assert event.action == AuditEvent.Action.CREATE and event.detail == "passkey added"


# --- Removing a passkey --------------------------------------------------------------------


def test_a_coordinator_removes_her_passkey_after_confirming(client, coordinator_trefpunt):
    device = with_passkey_only(client, coordinator_trefpunt)
    services.regenerate_recovery_codes(acting_user=coordinator_trefpunt)
    url = f"/account/tweestaps/passkey/verwijderen/?passkey={device.pk}"
    confirm = client.get(url, **HERE)
    assert confirm.status_code == 200 and "confirm-passkey-remove" in confirm.content.decode()
    assert WebAuthnCredential.objects.filter(pk=device.pk).exists(), "a GET changes nothing"
    response = client.post(
        "/account/tweestaps/passkey/verwijderen/", {"passkey": device.pk}, **HERE
    )
    assert response.status_code == 302 and response.url == "/account/tweestaps/"
    assert not WebAuthnCredential.objects.filter(pk=device.pk).exists()
    # Her last one: two-factor log-in is off, the recovery codes went with it.
    assert not two_factor.has_second_factor(coordinator_trefpunt)
    assert not StaticDevice.objects.filter(user=coordinator_trefpunt).exists()
    event = AuditEvent.objects.filter(user=coordinator_trefpunt, subject=services.SUBJECT)
    assert event.latest("pk").detail == "passkey removed"


def test_a_professionals_last_second_step_is_not_removed(client, professional):
    device = with_passkey_only(client, professional)
    page = client.get(f"/account/tweestaps/passkey/verwijderen/?passkey={device.pk}", **HERE)
    assert "passkey-remove-refused" in page.content.decode()
    assert "confirm-passkey-remove" not in page.content.decode()
    response = client.post(
        "/account/tweestaps/passkey/verwijderen/", {"passkey": device.pk}, **HERE
    )
    assert response.status_code == 409
    assert WebAuthnCredential.objects.filter(pk=device.pk).exists()
    with pytest.raises(services.LastSecondFactor):
        services.remove_passkey(acting_user=professional, passkey_id=device.pk)


def test_a_professional_with_an_app_too_may_remove_her_passkey(client, professional):
    device = with_passkey_only(client, professional)
    TOTPDevice.objects.create(user=professional, name="phone", confirmed=True)
    response = client.post(
        "/account/tweestaps/passkey/verwijderen/", {"passkey": device.pk}, **HERE
    )
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=device.pk).exists()
    assert two_factor.has_second_factor(professional)


def test_another_users_passkey_cannot_be_removed(client, coordinator_trefpunt, professional):
    with_passkey_only(client, coordinator_trefpunt)
    theirs = factories.WebAuthnCredentialFactory(user=professional)
    url = "/account/tweestaps/passkey/verwijderen/"
    assert client.get(f"{url}?passkey={theirs.pk}", **HERE).status_code == 404
    assert client.post(url, {"passkey": theirs.pk}, **HERE).status_code == 404
    assert client.get(f"{url}?passkey={theirs.pk + 1000}", **HERE).status_code == 404
    assert client.post(url, {}, **HERE).status_code == 400
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()
    with pytest.raises(permissions.NotFound):
        services.remove_passkey(acting_user=coordinator_trefpunt, passkey_id=theirs.pk)


# --- The administrator's reset -------------------------------------------------------------


def test_the_reset_removes_the_passkeys_too(client, professional):
    factories.WebAuthnCredentialFactory(user=professional)
    factories.WebAuthnCredentialFactory(user=professional)
    other = factories.WebAuthnCredentialFactory()
    anna = factories.MembershipFactory(user__username="anna", role=Role.ADMIN, place=None).user
    client.force_login(anna)
    url = f"/account/tweestaps/herstellen/{professional.pk}/"
    assert "sleutels en passkeys" in client.get(url, **HERE).content.decode()
    assert client.post(url, **HERE).status_code == 302
    assert not WebAuthnCredential.objects.filter(user=professional).exists()
    assert WebAuthnCredential.objects.filter(pk=other.pk).exists()
    event = AuditEvent.objects.get(user=anna, subject=services.SUBJECT)
    assert event.action == AuditEvent.Action.DELETE
    assert event.detail == "reset for pauline (2 passkeys)"
    # At her next log-in she sets up a new second step.
    client.post("/uitloggen/")
    password_step(client, "pauline")
    assert client.get("/start/", **HERE).url.startswith("/account/tweestaps/instellen/")


# --- The relying party from the environment ------------------------------------------------

PRINT_RELYING_PARTY = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.OTP_WEBAUTHN_RP_ID, ','.join(s.OTP_WEBAUTHN_ALLOWED_ORIGINS), "
    "s.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN)"
)


def relying_party(tmp_path, **env) -> list[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("OMZIEN_WEBAUTHN")
        and key not in {"OMZIEN_SITE_URL", "ALLOWED_HOSTS", "OMZIEN_ENV", "SECRET_KEY"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="omzien.config.settings", OMZIEN_DATA_DIR=str(tmp_path), **env
    )
    result = subprocess.run(
        [sys.executable, "-c", PRINT_RELYING_PARTY],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


PRODUCTION = {"OMZIEN_ENV": "production", "SECRET_KEY": "x" * 50}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # The demo runs on 127.0.0.1, which cannot be a relying party: localhost can.
        ({}, ["localhost", "http://localhost:8000", "False"]),
        ({"OMZIEN_SITE_URL": "http://localhost:8080"}, ["localhost", "http://localhost:8080"]),
        (
            {**PRODUCTION, "ALLOWED_HOSTS": "10.0.0.5,.omzien.example.nl"},
            ["omzien.example.nl", "https://omzien.example.nl"],
        ),
        (
            {**PRODUCTION, "ALLOWED_HOSTS": "a.example", "OMZIEN_SITE_URL": "https://b.example"},
            ["b.example", "https://b.example"],
        ),
        (
            {
                **PRODUCTION,
                "ALLOWED_HOSTS": "a.example",
                "OMZIEN_WEBAUTHN_RP_ID": "example",
                "OMZIEN_WEBAUTHN_ORIGINS": "https://a.example, https://b.example",
            },
            ["example", "https://a.example,https://b.example"],
        ),
    ],
)
def test_the_relying_party_comes_from_the_environment(tmp_path, env, expected):
    assert relying_party(tmp_path, **env)[: len(expected)] == expected
