"""Rules in Dutch words on the public pages, and the admin's duration as hours."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from omzien.accounts.permissions import SYSTEM
from omzien.agenda import services
from omzien.agenda.models import Activity
from omzien.agenda.recurrence import local_zone
from tests.factories import ActivityFactory


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=local_zone()), tick=False):
        yield


@pytest.fixture
def samen_eten(benring):
    return ActivityFactory(
        place=benring,
        title="Samen eten",
        rrule="FREQ=MONTHLY;BYDAY=-1FR",
        start_time=time(17, 30),
        duration=timedelta(hours=2),
    )


def test_the_place_page_says_on_which_day(client, samen_eten):
    page = client.get(samen_eten.place.get_absolute_url()).content.decode()
    assert "elke laatste vrijdag van de maand, 17:30–19:30" in page


def test_the_activity_page_says_when(client, samen_eten):
    page = client.get(samen_eten.get_absolute_url()).content.decode()
    assert "elke laatste vrijdag van de maand, 17:30–19:30" in page


def test_in_english_when_chosen(client, samen_eten):
    client.post("/taal/", {"language": "en"})
    page = client.get(samen_eten.get_absolute_url()).content.decode()
    assert "every last Friday of the month, 17:30–19:30" in page


def test_the_week_agenda_says_how_it_repeats(client, samen_eten):
    page = client.get("/agenda/?week=2026-W52").content.decode()
    assert "<li>elke laatste vrijdag van de maand</li>" in page


def test_an_extra_session_does_not_claim_the_rule(client, samen_eten):
    services.add_extra_session(
        samen_eten,
        datetime(2026, 12, 23, 12, 0, tzinfo=local_zone()),
        datetime(2026, 12, 23, 14, 0, tzinfo=local_zone()),
        acting_user=SYSTEM,
    )
    page = client.get("/agenda/?week=2026-W52").content.decode()
    # The extra one on Wednesday 23 December, and the rule's on Friday 25 December.
    assert page.count("<h3><a") == 2
    assert page.count("<li>elke laatste vrijdag van de maand</li>") == 1


def test_the_admin_reads_02_00_as_two_hours(client, coordinator_trefpunt, trefpunt):
    client.force_login(coordinator_trefpunt)
    response = client.post(
        reverse("admin:agenda_activity_add"),
        {
            "place": trefpunt.pk,
            "title": "Handwerken",
            "slug": "handwerken",
            "category": "handwerken",
            "is_active": "on",
            "rrule": "FREQ=WEEKLY;BYDAY=TH",
            "first_date": "2026-12-03",
            "start_time": "14:00",
            "duration": "02:00",
            "cost": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    assert activity.duration == timedelta(hours=2)
    session = activity.sessions.get(date=date(2026, 12, 3))
    assert (session.ends_at - session.starts_at) == timedelta(hours=2)
    change = client.get(reverse("admin:agenda_activity_change", args=[activity.pk]))
    assert 'value="02:00"' in change.content.decode()
    assert "elke donderdag, 14:00–16:00" in change.content.decode()
