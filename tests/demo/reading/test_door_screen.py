"""The check-in screen on the synthetic demo: who is expected, typos, and what it costs.

Only the host's log-in is written (in the test's own savepoint, rolled back after it).
"""

import time

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.agenda.models import Session
from omzien.attendance import queries
from omzien.people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db

# What the screen may cost, whatever the number of people: log-in and session (4), the
# audit row, the counts (2), who is in, who is expected (2), menu, region and closures,
# and the first contacts the door is asked about (one, plus an audit row per name shown).
SCREEN_QUERIES = 14


@pytest.fixture
def busiest_session(region):
    """The latest session with visits of the activity with the most visits."""
    activity = (
        Session.objects.values("activity")
        .annotate(visits=Count("visits"))
        .order_by("-visits")
        .first()["activity"]
    )
    return (
        Session.objects.filter(activity=activity, visits__isnull=False)
        .select_related("activity__place")
        .order_by("-starts_at")
        .first()
    )


@pytest.fixture
def host(client, busiest_session):
    user = factories.MembershipFactory(role=Role.HOST, place=busiest_session.activity.place).user
    client.force_login(user)
    return client


def test_the_screen_shows_the_regulars_in_a_bounded_number_of_queries(host, busiest_session):
    url = reverse("attendance:check_in", args=[busiest_session.pk])
    host.get(url)  # warm: templates and translations loaded once
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = host.get(url)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    expected = response.context["expected"]
    assert 0 < len(expected) <= queries.EXPECTED_LIMIT
    shares = [person.expected_share for person in expected]
    assert shares == sorted(shares, reverse=True)
    assert len(captured) <= SCREEN_QUERIES, [query["sql"][:80] for query in captured]
    print(
        f"check-in screen: {len(captured)} queries, {elapsed * 1000:.0f} ms,"
        f" {len(expected)} expected"
    )


def test_a_typo_in_a_demo_name_still_finds_the_person(host, busiest_session):
    regular = busiest_session.visits.exclude(person=None).select_related("person").first().person
    first = regular.first_name
    typo = first[:2] + first[3:] if len(first) > 5 else first + "e"
    url = reverse("attendance:search", args=[busiest_session.pk])
    started = time.perf_counter()
    found = host.get(url, {"q": f"{regular.last_name} {typo}"}).context["results"]
    print(f"search with a typo: {(time.perf_counter() - started) * 1000:.0f} ms")
    assert regular in found
    assert host.get(url, {"q": "xqzw"}).context["results"] == []
    assert Person.objects.count() == 220
