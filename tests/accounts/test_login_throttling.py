"""Log-in throttling (django-axes) on /inloggen/ and /beheer/login/: five wrong passwords
for one account from one address lock that account there for a quarter of an hour."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.test import RequestFactory

from omzien.accounts.throttling import client_ip

PAGES = ["/inloggen/", "/beheer/login/"]
T0 = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
LOCKED = "Te vaak geprobeerd"  # the Dutch page's heading


def log_in(client, page, username, password, address="192.0.2.10"):
    return client.post(page, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, page, username, times, address="192.0.2.10") -> list[int]:
    """Log in with a wrong password `times` times; the status codes of the answers (the
    form again, 200, until the fifth, which is the lockout page)."""
    codes = [log_in(client, page, username, "fout", address).status_code for _ in range(times)]
    assert codes == [200, 200, 200, 200, 429, 429][:times]
    return codes


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def all_rows() -> int:
    return sum(model._default_manager.count() for model in apps.get_models())


def test_the_settings(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_HANDLER == "axes.handlers.cache.AxesCacheHandler"


@pytest.mark.parametrize("page", PAGES)
def test_five_wrong_passwords_lock_the_account_with_a_dutch_page(client, host_benring, page):
    with time_machine.travel(T0, tick=False):
        fail(client, page, "henk", 5)

        response = log_in(client, page, "henk", "omzien-test")

        assert response.status_code == 429
        assert not logged_in(client)
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert LOCKED in html and "Wacht 15 minuten" in html
    assert '<html lang="nl">' in html and "omzien.css" in html  # the site's own page


@pytest.mark.parametrize("page", PAGES)
def test_another_account_from_the_same_address_still_works(
    client, host_benring, coordinator_trefpunt, page
):
    with time_machine.travel(T0, tick=False):
        fail(client, page, "henk", 5)
        assert log_in(client, page, "henk", "omzien-test").status_code == 429

        response = log_in(client, page, "carla", "omzien-test")

        assert response.status_code == 302
        assert logged_in(client)  # checked in the frozen time: the session expires


def test_the_same_account_from_another_address_still_works(client, host_benring):
    with time_machine.travel(T0, tick=False):
        fail(client, "/inloggen/", "henk", 5, address="192.0.2.10")
        response = log_in(client, "/inloggen/", "henk", "omzien-test", address="198.51.100.4")
    assert response.status_code == 302


@pytest.mark.parametrize("page", PAGES)
def test_after_the_cool_off_the_right_password_works(client, host_benring, page):
    with time_machine.travel(T0, tick=False) as traveller:
        fail(client, page, "henk", 5)
        traveller.shift(timedelta(minutes=10))
        assert log_in(client, page, "henk", "omzien-test").status_code == 429
        # Trying while locked does not make the wait longer: 15 minutes from the 5th.
        traveller.shift(timedelta(minutes=5, seconds=1))

        response = log_in(client, page, "henk", "omzien-test")

        assert response.status_code == 302
        assert logged_in(client)


def test_a_successful_log_in_starts_the_count_again(client, host_benring):
    with time_machine.travel(T0, tick=False):
        fail(client, "/inloggen/", "henk", 4)
        assert log_in(client, "/inloggen/", "henk", "omzien-test").status_code == 302
        client.post("/uitloggen/")
        fail(client, "/inloggen/", "henk", 4)
        assert log_in(client, "/inloggen/", "henk", "omzien-test").status_code == 302


@pytest.mark.parametrize("page", PAGES)
def test_a_failed_log_in_is_logged(client, host_benring, page, caplog):
    with caplog.at_level(logging.WARNING):
        fail(client, page, "henk", 1, address="203.0.113.9")
    failures = [r for r in caplog.records if r.name.startswith("axes")]
    assert failures and all(r.levelno == logging.WARNING for r in failures)
    text = failures[0].getMessage()
    assert "henk" in text and "203.0.113.9" in text and page in text
    assert "fout" not in text  # never the password


def test_failed_log_ins_write_no_rows(client, host_benring):
    before = all_rows()
    with time_machine.travel(T0, tick=False):
        fail(client, "/inloggen/", "henk", 5)
        fail(client, "/beheer/login/", "niemand", 3)
        assert log_in(client, "/inloggen/", "henk", "omzien-test").status_code == 429
    assert all_rows() == before


def test_the_address_behind_our_proxy(settings):
    request = RequestFactory().post(
        "/inloggen/",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",  # the first part the client sent
    )
    settings.OMZIEN_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.OMZIEN_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"
    settings.OMZIEN_PROXY_COUNT = 3  # more proxies than the header shows: do not guess
    assert client_ip(request) == "127.0.0.1"
