"""Two-factor log-in: professionals and administrators log in with a password and the code
of an authenticator app (or a recovery code, once); coordinators may; hosts at the door
log in in one step. The codes are computed here as a phone computes them, at a frozen
time."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts import permissions, services, two_factor
from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from tests import factories
from tests.two_factor import app_code, key_code, plain_force_login

T0 = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
PASSWORD = "omzien-test"


def password_step(client, username, address="192.0.2.10"):
    return client.post(
        "/inloggen/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=address
    )


def code_step(client, code, address="192.0.2.10"):
    return client.post("/inloggen/code/", {"code": code}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def all_rows() -> int:
    return sum(model._default_manager.count() for model in apps.get_models())


def app_for(user) -> TOTPDevice:
    """An app with a fixed key, so the codes at the frozen times are always the same."""
    return TOTPDevice.objects.create(user=user, name="phone", key="5a" * 20, confirmed=True)


@pytest.fixture
def pauline_with_app(professional):
    return professional, app_for(professional)


# --- Logging in in two steps -----------------------------------------------------------


def test_a_professional_logs_in_with_password_and_then_the_apps_code(client, pauline_with_app):
    _pauline, device = pauline_with_app
    with time_machine.travel(T0, tick=False):
        response = password_step(client, "pauline")
        assert response.status_code == 302
        assert response.url == "/inloggen/code/"
        assert not logged_in(client), "the password alone logs nobody in"
        # Halfway, nothing but the code page: the signals page sends to log in.
        assert client.get("/signalen/").url.startswith("/inloggen/")
        assert "6-cijferige code" in client.get("/inloggen/code/").content.decode()
        response = code_step(client, app_code(device))
        assert response.status_code == 302
        assert response.url == "/start/"
        assert logged_in(client)
        assert client.get("/signalen/").status_code == 200


def test_next_is_kept_through_the_code_step(client, pauline_with_app):
    _pauline, device = pauline_with_app
    with time_machine.travel(T0, tick=False):
        client.post(
            "/inloggen/", {"username": "pauline", "password": PASSWORD, "next": "/signalen/"}
        )
        response = code_step(client, app_code(device))
    assert response.url == "/signalen/"


def test_a_wrong_code_or_an_old_one_does_not_log_in(client, pauline_with_app):
    _pauline, device = pauline_with_app
    with time_machine.travel(T0, tick=False) as traveller:
        earlier = app_code(device)
        traveller.shift(timedelta(minutes=3))
        password_step(client, "pauline")
        now = app_code(device)
        wrong = next(code for code in ("000000", "111111") if code != now)
        for code in (wrong, earlier, "abc", "", "1234567"):  # four count, under the limit
            response = code_step(client, code)
            assert response.status_code == 200
            assert not logged_in(client)
            if code:
                assert "Deze code klopt niet" in response.content.decode(), code


def test_a_code_works_only_once(client, pauline_with_app):
    _pauline, device = pauline_with_app
    with time_machine.travel(T0, tick=False):
        code = app_code(device)
        password_step(client, "pauline")
        assert code_step(client, code).status_code == 302
        client.post("/uitloggen/")
        password_step(client, "pauline")
        assert code_step(client, code).status_code == 200
        assert not logged_in(client)


def test_the_half_log_in_expires(client, pauline_with_app):
    _pauline, device = pauline_with_app
    with time_machine.travel(T0, tick=False) as traveller:
        password_step(client, "pauline")
        traveller.shift(timedelta(seconds=two_factor.PENDING_SECONDS + 60))
        response = code_step(client, app_code(device))
    assert response.url == "/inloggen/"
    assert not logged_in(client)


def test_the_code_page_without_a_password_sends_to_log_in(client, db):
    rows = all_rows()
    assert client.get("/inloggen/code/").url == "/inloggen/"
    assert client.post("/inloggen/code/", {"code": "123456"}).url == "/inloggen/"
    assert all_rows() == rows


# --- Recovery codes ----------------------------------------------------------------------


def test_a_recovery_code_logs_in_once(client, professional):
    with time_machine.travel(T0, tick=False):
        _device, codes = services.set_up_app(
            acting_user=professional, key_hex=(key := "ab" * 20), code=key_code(key)
        )
        assert len(codes) == 10
        password_step(client, "pauline")
        # As printed: upper case and the dash are fine.
        assert code_step(client, two_factor.shown(codes[0]).upper()).status_code == 302
        assert logged_in(client)
        assert two_factor.unused_recovery_codes(professional) == 9
        client.post("/uitloggen/")
        password_step(client, "pauline")
        assert code_step(client, codes[0]).status_code == 200
        assert not logged_in(client)
        assert code_step(client, codes[1]).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, professional):
    with time_machine.travel(T0, tick=False):
        _device, old = services.set_up_app(
            acting_user=professional, key_hex=(key := "cd" * 20), code=key_code(key)
        )
        client.force_login(professional)
        response = client.post("/account/tweestaps/herstelcodes/")
    assert response.status_code == 200
    shown = re.findall(r"<code>([a-z0-9]{4}-[a-z0-9]{4})</code>", response.content.decode())
    assert len(shown) == 10
    tokens = set(
        StaticToken.objects.filter(device__user=professional).values_list("token", flat=True)
    )
    assert tokens == {code.replace("-", "") for code in shown}
    assert not tokens & set(old)
    assert AuditEvent.objects.filter(user=professional, detail="new recovery codes").exists()


# --- Who must, who may, who does not ------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.ADMIN])
def test_required_roles_without_an_app_are_sent_to_set_up(client, db, role):
    user = factories.MembershipFactory(user__username="sam", role=role, place=None).user
    response = password_step(client, "sam")
    assert logged_in(client)
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0].startswith("/account/tweestaps/instellen/")
    for page in ("/start/", "/signalen/", "/beheer/", "/overzicht/", "/account/tweestaps/"):
        assert client.get(page).url.startswith("/account/tweestaps/instellen/"), page
    # Logging out stays possible.
    assert client.post("/uitloggen/").status_code == 302
    assert not logged_in(client)
    assert permissions.two_factor_required(user)


def test_setting_up_shows_a_qr_code_and_the_key_and_confirms_with_a_code(client, professional):
    plain_force_login(client, professional)
    with time_machine.travel(T0, tick=False):
        page = client.get("/account/tweestaps/instellen/")
        html = page.content.decode()
        assert page.status_code == 200
        assert "no-store" in page["Cache-Control"], "the secret is never kept by a cache"
        assert "<svg" in html and "<img" not in html.split("<main", 1)[1]
        key = client.session[two_factor.SETUP_KEY]
        secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
        assert secret.replace(" ", "") == two_factor.secret_for_typing(key).replace(" ", "")
        wrong = client.post("/account/tweestaps/instellen/", {"code": "000001"})
        assert wrong.status_code == 200 and not TOTPDevice.objects.filter(user=professional)
        done = client.post("/account/tweestaps/instellen/", {"code": key_code(key)})
        assert done.status_code == 200
        assert "herstelcodes" in done.content.decode().lower()
        device = TOTPDevice.objects.get(user=professional)
        assert device.confirmed and device.key == key
        # The session used the app: the pages are open now.
        assert client.get("/signalen/").status_code == 200
    assert AuditEvent.objects.filter(user=professional, detail="authenticator app set up").exists()


def test_an_unverified_session_cannot_replace_the_app(client, pauline_with_app):
    pauline, _device = pauline_with_app
    plain_force_login(client, pauline)  # e.g. logged in at /beheer/login/ with a password
    assert client.get("/account/tweestaps/instellen/").url.startswith("/inloggen/code/")
    assert client.get("/signalen/").url.startswith("/inloggen/code/")


def test_the_admin_log_in_also_asks_for_the_code(client, pauline_with_app):
    pauline, device = pauline_with_app
    with time_machine.travel(T0, tick=False):
        client.post("/beheer/login/", {"username": "pauline", "password": PASSWORD})
        assert client.get("/signalen/").url.startswith("/inloggen/code/")
        assert code_step(client, app_code(device)).status_code == 302
        assert client.get("/signalen/").status_code == 200


def test_coordinators_may_log_in_without_and_may_set_up_an_app(client, coordinator_trefpunt):
    assert password_step(client, "carla").url == "/deur/"
    assert logged_in(client)
    assert client.get("/account/tweestaps/").status_code == 200
    assert not permissions.two_factor_required(coordinator_trefpunt)
    with time_machine.travel(T0, tick=False):
        key = client.get("/account/tweestaps/instellen/") and client.session[two_factor.SETUP_KEY]
        client.post("/account/tweestaps/instellen/", {"code": key_code(key)})
        client.post("/uitloggen/")
        # Once set up, it is asked for.
        assert password_step(client, "carla").url == "/inloggen/code/"
        assert not logged_in(client)


def test_hosts_at_the_door_log_in_in_one_step(client, host_benring):
    assert password_step(client, "henk").url == "/deur/"
    assert logged_in(client)
    assert client.get("/deur/").status_code == 200
    page = client.get("/account/tweestaps/instellen/")
    assert page.status_code == 200 and "<svg" not in page.content.decode()
    assert client.post("/account/tweestaps/instellen/", {"code": "123456"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=host_benring).exists()


def test_a_host_with_an_old_app_still_logs_in_in_one_step(client, host_benring):
    app_for(host_benring)
    password_step(client, "henk")
    assert logged_in(client)
    assert client.get("/deur/").status_code == 200


# --- Throttling the code -------------------------------------------------------------------


def test_wrong_codes_are_throttled_per_account_and_write_no_rows(
    client, pauline_with_app, settings
):
    _pauline, device = pauline_with_app
    with time_machine.travel(T0, tick=False) as traveller:
        right = app_code(device)
        wrong = "000000" if right != "000000" else "111111"
        password_step(client, "pauline")
        rows = all_rows()
        answers = [
            code_step(client, wrong).status_code for _ in range(settings.OMZIEN_OTP_FAILURE_LIMIT)
        ]
        assert answers == [200] * (settings.OMZIEN_OTP_FAILURE_LIMIT - 1) + [429]
        assert all_rows() == rows, "wrong codes are counted in the cache, not the database"
        # The half log-in is gone and the account's code step stays refused, also from
        # another address with the right password.
        assert code_step(client, right).url == "/inloggen/"
        password_step(client, "pauline", address="198.51.100.7")
        assert code_step(client, right, address="198.51.100.7").status_code == 429
        assert not logged_in(client)
        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        assert password_step(client, "pauline").url == "/inloggen/code/"
        assert code_step(client, app_code(device)).url == "/start/"
        assert logged_in(client)


def test_wrong_codes_are_logged(client, pauline_with_app, caplog):
    with time_machine.travel(T0, tick=False):
        password_step(client, "pauline")
        code_step(client, "999999" if app_code(pauline_with_app[1]) != "999999" else "888888")
    assert "Wrong two-factor code for pauline from 192.0.2.10" in caplog.text


# --- The administrator's reset -----------------------------------------------------------


def test_an_administrator_resets_a_users_two_factor_after_confirming(client, pauline_with_app):
    pauline, _device = pauline_with_app
    services.regenerate_recovery_codes(acting_user=pauline)
    anna = factories.MembershipFactory(user__username="anna", role=Role.ADMIN, place=None).user
    client.force_login(anna)
    url = f"/account/tweestaps/herstellen/{pauline.pk}/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "confirm-reset" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=pauline).exists(), "a GET changes nothing"
    response = client.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=pauline).exists()
    assert not StaticToken.objects.filter(device__user=pauline).exists()
    event = AuditEvent.objects.get(user=anna, subject=services.SUBJECT)
    assert event.action == AuditEvent.Action.DELETE and "pauline" in event.detail
    # Pauline sets up a new app at her next log-in.
    client.post("/uitloggen/")
    password_step(client, "pauline")
    assert client.get("/start/").url.startswith("/account/tweestaps/instellen/")


def test_only_administrators_may_reset(client, pauline_with_app, coordinator_trefpunt):
    pauline, _device = pauline_with_app
    client.force_login(coordinator_trefpunt)
    assert client.post(f"/account/tweestaps/herstellen/{pauline.pk}/").status_code == 404
    assert TOTPDevice.objects.filter(user=pauline).exists()
    with pytest.raises(permissions.NotFound):
        services.reset_two_factor(pauline, acting_user=coordinator_trefpunt)


def test_the_user_admin_links_to_the_reset(client, pauline_with_app):
    pauline, _device = pauline_with_app
    anna = get_user_model().objects.create_superuser("anna", password=PASSWORD)
    client.force_login(anna)
    page = client.get(f"/beheer/auth/user/{pauline.pk}/change/").content.decode()
    assert f"/account/tweestaps/herstellen/{pauline.pk}/" in page
    assert client.get("/beheer/otp_totp/totpdevice/").status_code == 404
