"""The demo's connections between villages: a coming open afternoon (answered by one of
its two places), a visit written down, and the dorpenplatform's last and next evening."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from omzien.demo.connections import create_demo_connections
from omzien.demo.network import create_network
from omzien.villageplatform.models import Action, Evening
from omzien.villageplatform.queries import open_earlier_actions
from omzien.visiting.models import Invitation
from tests.villageplatform.conftest import add_starting_tags

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)


@pytest.fixture
def region():
    with time_machine.travel("2026-03-02 10:00 +01:00", tick=False):
        region = create_network(TODAY)
        add_starting_tags()
        yield region


def test_open_afternoon_visit_and_evenings(region):
    assert create_demo_connections(region, TODAY) == 4
    coming, past = Invitation.objects.order_by("-date")
    assert coming.date > TODAY > past.date
    assert {guest.place.slug: guest.count for guest in coming.guests.all()} == {
        "trefpunt-duistervoorde": 3,
        "dorpshuis-terwolde": None,
    }
    assert past.report and past.guests.get().want_to_try
    calendar = Client().get("/open-dagen/").content.decode()
    assert "Open middag bij De Benring" in calendar and "Ans" not in calendar

    last, upcoming = Evening.objects.order_by("date")
    assert last.date < TODAY < upcoming.date
    assert sum(row.count for row in last.attendance.all()) == 6
    assert {tag.slug for lesson in last.lessons.all() for tag in lesson.tags.all()} >= {"vervoer"}
    # The next evening has the last one's agreement to follow up.
    assert list(open_earlier_actions(upcoming)) == list(Action.objects.all())


def test_twice_adds_nothing(region):
    create_demo_connections(region, TODAY)
    assert create_demo_connections(region, TODAY) == 0
    assert (Invitation.objects.count(), Evening.objects.count()) == (2, 2)
