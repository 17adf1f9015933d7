"""Two hosts tapping the same person at the same moment: one visit, two happy tablets.

Real HTTP requests against pytest-django's live server (a threaded WSGI server), from two
threads with separate logged-in sessions, released together by a barrier. On SQLite the
test database is a file, so the server's threads meet SQLite's real locking; CI runs the
same test on PostgreSQL (DATABASE_URL).
"""

import json
import threading
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string

from omzien.accounts.models import Role
from omzien.attendance.models import Visit
from tests import factories
from tests.attendance import door

ROUNDS = 20


class Tablet:
    """A host's browser: its own session cookie and CSRF token."""

    def __init__(self, user):
        client = Client()
        client.force_login(user)
        self.session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.csrf = get_random_string(32)

    def post(self, url: str, data: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            url,
            data=urlencode(data).encode(),
            method="POST",
            headers={
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session}; "
                f"{settings.CSRF_COOKIE_NAME}={self.csrf}",
                "X-CSRFToken": self.csrf,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, {"body": error.read().decode(errors="replace")[:500]}


def at_once(calls):
    """Run the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=30)
        results[index] = call()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def two_hosts(transactional_db, host_benring, benring):
    hanna = factories.MembershipFactory(user__username="hanna", role=Role.HOST, place=benring).user
    return Tablet(host_benring), Tablet(hanna)


@pytest.fixture
def session(transactional_db, benring):
    return door.today_session(benring)


def test_two_hosts_check_in_the_same_person_at_once_make_one_visit(
    live_server, two_hosts, session, benring
):
    henk, hanna = two_hosts
    url = live_server.url + reverse("attendance:tap_check_in", args=[session.pk])
    people = [door.person(f"Gelijktijdig{number:02d}", place=benring) for number in range(ROUNDS)]

    for person in people:
        results = at_once(
            [
                lambda data={"person": person.pk}: henk.post(url, data),
                lambda data={"person": person.pk}: hanna.post(url, data),
            ]
        )
        statuses = [status for status, _body in results]
        assert statuses == [200, 200], results
        assert sorted(body["created"] for _status, body in results) == [False, True], results
        assert all(body["checked_in"] for _status, body in results)

    for person in people:
        assert Visit.objects.filter(session=session, person=person).count() == 1
    assert Visit.objects.count() == ROUNDS


def test_the_same_anonymous_tap_sent_twice_at_once_counts_once(live_server, two_hosts, session):
    henk, _hanna = two_hosts
    url = live_server.url + reverse("attendance:tap_add_anonymous", args=[session.pk])
    tokens = [str(uuid.uuid4()) for _ in range(ROUNDS)]

    for token in tokens:
        results = at_once([lambda data={"token": token}: henk.post(url, data)] * 2)
        assert [status for status, _body in results] == [200, 200], results
        assert sorted(body["created"] for _status, body in results) == [False, True], results

    assert Visit.objects.filter(session=session, person__isnull=True).count() == ROUNDS
