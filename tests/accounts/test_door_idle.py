"""Shared door tablets: hosts are logged out after OMZIEN_DOOR_IDLE_MINUTES without a
request; coordinators and other staff keep Django's usual session."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session

from omzien.accounts.models import Role
from tests.factories import MembershipFactory
from tests.two_factor import log_in_through_the_form

T0 = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)


def log_in(client, username):
    response = log_in_through_the_form(client, username)
    assert response.status_code == 302
    return response


def expires(client):
    """When the session ends, as the database keeps it."""
    return Session.objects.get(session_key=client.session.session_key).expire_date


def still_in(client) -> bool:
    return client.get("/deur/").status_code == 200


def test_the_default_is_half_an_hour(settings):
    assert settings.OMZIEN_DOOR_IDLE_MINUTES == 30


def test_a_host_is_logged_out_after_half_an_hour_without_use(client, host_benring):
    with time_machine.travel(T0, tick=False) as traveller:
        response = log_in(client, "henk")
        assert response.cookies["sessionid"]["max-age"] == 30 * 60
        assert client.session.get_expiry_age() == 30 * 60
        # Every request renews it: an hour of use with pauses under half an hour.
        for _ in range(3):
            traveller.shift(timedelta(minutes=29))
            assert still_in(client)
        traveller.shift(timedelta(minutes=31))
        response = client.get("/deur/")
    assert response.status_code == 302
    assert response.url.startswith("/inloggen/")


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PROFESSIONAL])
def test_other_staff_keep_the_usual_session(client, benring, role, settings):
    place = benring if role == Role.COORDINATOR else None
    MembershipFactory(user__username="sam", role=role, place=place)
    with time_machine.travel(T0, tick=False) as traveller:
        log_in(client, "sam")
        assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
        traveller.shift(timedelta(hours=5))
        assert still_in(client)


def test_the_session_is_saved_at_most_once_a_minute(client, host_benring):
    with time_machine.travel(T0, tick=False) as traveller:
        log_in(client, "henk")
        first = expires(client)
        assert first == T0 + timedelta(minutes=30)
        traveller.shift(timedelta(seconds=30))
        assert still_in(client)
        assert expires(client) == first  # not saved again
        traveller.shift(timedelta(seconds=31))
        assert still_in(client)
        assert expires(client) == first + timedelta(seconds=61)


def test_a_host_who_also_coordinates_keeps_the_usual_session(client, host_benring, trefpunt):
    MembershipFactory(user=host_benring, role=Role.COORDINATOR, place=trefpunt)
    with time_machine.travel(T0, tick=False) as traveller:
        log_in(client, "henk")
        traveller.shift(timedelta(hours=2))
        assert still_in(client)


def test_a_forced_log_in_starts_the_short_session_too(client, host_benring):
    client.force_login(host_benring)
    assert client.session.get_expiry_age() == 30 * 60


def test_the_setting_decides(client, host_benring, settings):
    settings.OMZIEN_DOOR_IDLE_MINUTES = 5
    with time_machine.travel(T0, tick=False) as traveller:
        log_in(client, "henk")
        traveller.shift(timedelta(minutes=4))
        assert still_in(client)
        traveller.shift(timedelta(minutes=6))
        assert not still_in(client)
