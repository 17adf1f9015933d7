"""The planning pages with the test client: coordinators plan their own places; other
places answer 404, other roles 403, and nobody writes without the right."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from omzien.agenda import services
from omzien.agenda.models import Activity
from omzien.agenda.recurrence import local_zone
from omzien.audit.models import AuditEvent
from omzien.places.models import PlaceClosure
from tests.factories import ActivityFactory, PlaceClosureFactory, VisitFactory

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 12, 2, 9, 0, tzinfo=local_zone()), tick=False):
        yield


@pytest.fixture
def carla(client, coordinator_trefpunt):
    client.force_login(coordinator_trefpunt)
    return client


@pytest.fixture
def koffie(trefpunt):
    return ActivityFactory(
        place=trefpunt, title="Koffieochtend", slug="koffieochtend", rrule="FREQ=WEEKLY;BYDAY=WE"
    )


@pytest.fixture
def elsewhere(benring):
    return ActivityFactory(place=benring, title="Biljarten", slug="biljarten")


def new_activity(place, **changes):
    data = {
        "title": "Soep en praat",
        "place": place.pk,
        "category": "eten",
        "start_time": "17:30",
        "end_time": "19:30",
        "repeat": "monthly",
        "weekdays": ["2"],
        "position": "1",
        "first_date": "2026-12-01",
        "exception_dates": ["2027-01-06", ""],
        "cost": "0",
        "is_active": "on",
    }
    return data | changes


def session_of(activity, day):
    services.materialise_sessions(day, day, activities=[activity])
    return activity.sessions.get(date=day)


def test_the_preview_shows_the_next_dates_and_saves_nothing(carla, trefpunt):
    response = carla.post("/planning/nieuw/", new_activity(trefpunt, preview="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "elke eerste woensdag van de maand, 17:30–19:30" in page
    assert 'datetime="2026-12-02"' in page
    assert 'datetime="2027-01-06"' not in page  # the exception
    assert 'datetime="2027-02-03"' in page
    assert not Activity.objects.exists()


def test_the_live_preview_answers_the_dates_alone(carla, trefpunt):
    headers = {"X-Omzien-Fragment": "preview"}
    response = carla.post("/planning/nieuw/", new_activity(trefpunt), headers=headers)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert 'datetime="2027-02-03"' in page
    unanswered = carla.post(
        "/planning/nieuw/", new_activity(trefpunt, weekdays=[]), headers=headers
    )
    assert "Vult u de vragen hierboven in, dan ziet u de data." in unanswered.content.decode()
    assert not Activity.objects.exists()


def test_saving_goes_through_the_service_and_the_public_page_says_when(carla, trefpunt, client):
    response = carla.post("/planning/nieuw/", new_activity(trefpunt, save="1"))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.rrule, activity.duration) == ("FREQ=MONTHLY;BYDAY=1WE", timedelta(hours=2))
    assert AuditEvent.objects.filter(subject="activity", action="create").count() == 1
    assert activity.sessions.filter(date=date(2026, 12, 2)).exists()  # materialised
    assert not activity.sessions.filter(date=date(2027, 1, 6)).exists()
    client.logout()
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "elke eerste woensdag van de maand, 17:30–19:30" in page


def test_bad_input_is_a_400_in_dutch_and_saves_nothing(carla, trefpunt):
    response = carla.post(
        "/planning/nieuw/", new_activity(trefpunt, end_time="16:00", weekdays=[], save="1")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "De eindtijd ligt vóór de begintijd." in page
    assert "Nog niet opgeslagen" in page
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.exists()


def test_editing_fills_in_the_choices_and_keeps_what_it_cannot_express(carla, trefpunt):
    odd = ActivityFactory(place=trefpunt, rrule="FREQ=MONTHLY;BYDAY=1WE,3WE")
    page = carla.get(f"/planning/activiteit/{odd.pk}/").content.decode()
    assert "zoals nu: elke eerste en derde woensdag van de maand" in page
    data = new_activity(trefpunt, repeat="keep", weekdays=[], position="", save="1")
    assert carla.post(f"/planning/activiteit/{odd.pk}/", data).status_code == 302
    odd.refresh_from_db()
    assert odd.rrule == "FREQ=MONTHLY;BYDAY=1WE,3WE"
    assert odd.title == "Soep en praat"


def test_a_place_that_is_not_yours_cannot_be_chosen(carla, trefpunt, benring):
    response = carla.post("/planning/nieuw/", new_activity(benring, save="1"))
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_the_list_shows_only_your_places_in_words(carla, koffie, elsewhere):
    page = carla.get("/planning/").content.decode()
    assert "Koffieochtend" in page and "elke woensdag, 10:00–12:00" in page
    assert "Biljarten" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/planning/activiteit/{elsewhere}/",
        "/planning/activiteit/{elsewhere}/extra/",
        "/planning/bijeenkomst/{session}/afzeggen/",
        "/planning/bijeenkomst/{session}/verplaatsen/",
    ],
)
def test_another_places_things_answer_404_and_stay_as_they_are(carla, elsewhere, url):
    session = session_of(elsewhere, date(2026, 12, 8))
    address = url.format(elsewhere=elsewhere.pk, session=session.pk)
    assert carla.get(address).status_code == 404
    data = {"reason": "Zomaar", "day": "2026-12-09", "start_time": "10:00", "end_time": "11:00"}
    assert carla.post(address, data).status_code == 404
    assert carla.post(f"/planning/bijeenkomst/{session.pk}/doorgaan/").status_code == 404
    session.refresh_from_db()
    assert not session.is_cancelled and not session.is_rescheduled
    assert elsewhere.sessions.count() == 1
    assert not AuditEvent.objects.exists()


def test_another_places_closure_answers_404(carla, benring):
    closure = PlaceClosureFactory(place=benring, first_day=TODAY, last_day=TODAY)
    address = f"/planning/sluitingen/{closure.pk}/verwijderen/"
    assert carla.get(address).status_code == 404
    assert carla.post(address).status_code == 404
    assert PlaceClosure.objects.filter(pk=closure.pk).exists()


@pytest.mark.parametrize("who", ["host_benring", "viewer", "professional"])
@pytest.mark.parametrize(
    "url", ["/planning/", "/planning/nieuw/", "/planning/bijeenkomsten/", "/planning/sluitingen/"]
)
def test_roles_that_do_not_manage_a_place_get_403(client, request, who, url, benring):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 403
    assert client.post(url, new_activity(benring, save="1")).status_code == 403
    assert not Activity.objects.exists()


def test_anonymous_is_sent_to_log_in_and_writes_nothing(client, trefpunt, koffie):
    session = session_of(koffie, date(2026, 12, 9))
    for url in ["/planning/nieuw/", f"/planning/bijeenkomst/{session.pk}/afzeggen/"]:
        response = client.post(url, new_activity(trefpunt, save="1", reason="x"))
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen/")
    session.refresh_from_db()
    assert not session.is_cancelled
    assert Activity.objects.count() == 1


def test_the_coming_sessions_start_today(carla, koffie):
    past = session_of(koffie, date(2026, 11, 25))
    page = carla.get("/planning/bijeenkomsten/").content.decode()
    assert f'id="session-{past.pk}"' not in page
    assert "woensdag 2 december" in page
    assert "woensdag 9 december" in page
    # The window's sessions are rows now, each with its buttons.
    assert koffie.sessions.filter(date__gte=TODAY).count() >= 13


def test_cancel_asks_first_then_cancels_with_a_reason_and_can_be_undone(carla, koffie):
    session = session_of(koffie, date(2026, 12, 9))
    url = f"/planning/bijeenkomst/{session.pk}/afzeggen/"
    page = carla.get(url).content.decode()
    assert "Deze bijeenkomst afzeggen?" in page
    session.refresh_from_db()
    assert not session.is_cancelled

    refused = carla.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Schrijf op waarom deze bijeenkomst niet doorgaat." in refused.content.decode()
    session.refresh_from_db()
    assert not session.is_cancelled

    response = carla.post(url, {"reason": "De zaal wordt geschilderd"}, follow=True)
    session.refresh_from_db()
    assert session.is_cancelled and session.cancel_reason == "De zaal wordt geschilderd"
    assert "Toch laten doorgaan" in response.content.decode()

    carla.post(f"/planning/bijeenkomst/{session.pk}/doorgaan/")
    session.refresh_from_db()
    assert not session.is_cancelled and session.cancel_reason == ""
    assert AuditEvent.objects.filter(subject="session", action="change").count() == 2


def test_moving_within_the_day_changes_the_time(carla, koffie):
    session = session_of(koffie, date(2026, 12, 9))
    data = {"day": "2026-12-09", "start_time": "13:30", "end_time": "15:00"}
    assert carla.post(f"/planning/bijeenkomst/{session.pk}/verplaatsen/", data).status_code == 302
    session.refresh_from_db()
    assert session.is_rescheduled
    assert timezone.localtime(session.starts_at).time() == time(13, 30)
    assert timezone.localtime(session.ends_at).time() == time(15, 0)


def test_moving_to_another_day_cancels_this_one_and_adds_that_one(carla, koffie):
    session = session_of(koffie, date(2026, 12, 9))
    data = {"day": "2026-12-10", "start_time": "10:00", "end_time": "12:00"}
    assert carla.post(f"/planning/bijeenkomst/{session.pk}/verplaatsen/", data).status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled
    assert session.cancel_reason == "Verplaatst naar donderdag 10 december"
    moved = koffie.sessions.get(date=date(2026, 12, 10))
    assert moved.is_extra and not moved.is_cancelled


def test_moving_onto_a_day_with_a_session_is_refused(carla, koffie):
    session = session_of(koffie, date(2026, 12, 9))
    session_of(koffie, date(2026, 12, 16))
    data = {"day": "2026-12-16", "start_time": "10:00", "end_time": "12:00"}
    response = carla.post(f"/planning/bijeenkomst/{session.pk}/verplaatsen/", data)
    assert response.status_code == 400
    assert "heeft al een bijeenkomst op woensdag 16 december 2026" in response.content.decode()
    session.refresh_from_db()
    assert not session.is_cancelled


def test_an_extra_session(carla, koffie):
    data = {"day": "2026-12-12", "start_time": "14:00", "end_time": "16:00"}
    assert carla.post(f"/planning/activiteit/{koffie.pk}/extra/", data).status_code == 302
    extra = koffie.sessions.get(date=date(2026, 12, 12))
    assert extra.is_extra
    assert timezone.localtime(extra.starts_at).time() == time(14, 0)
    again = carla.post(f"/planning/activiteit/{koffie.pk}/extra/", data)
    assert again.status_code == 400
    assert koffie.sessions.filter(date=date(2026, 12, 12)).count() == 1


def test_a_closure_for_a_period_and_opening_after_all(carla, trefpunt, koffie):
    data = {
        "place": trefpunt.pk,
        "first_day": "2026-12-21",
        "last_day": "2027-01-03",
        "reason": "Kerstvakantie",
    }
    assert carla.post("/planning/sluitingen/", data).status_code == 302
    closure = PlaceClosure.objects.get()
    assert (closure.place, closure.reason) == (trefpunt, "Kerstvakantie")
    assert AuditEvent.objects.filter(subject="closure", action="create").count() == 1
    page = carla.get("/planning/bijeenkomsten/").content.decode()
    assert "Kerstvakantie" in page

    url = f"/planning/sluitingen/{closure.pk}/verwijderen/"
    assert "Toch open?" in carla.get(url).content.decode()
    assert PlaceClosure.objects.exists()
    assert carla.post(url).status_code == 302
    assert not PlaceClosure.objects.exists()
    assert AuditEvent.objects.filter(subject="closure", action="delete").count() == 1


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2027-01-03", "2026-12-21", "De laatste dag ligt vóór de eerste dag."),
        ("2026-11-01", "2026-11-30", "Deze periode ligt in het verleden."),
    ],
)
def test_a_bad_closure_is_refused_in_dutch(carla, trefpunt, first, last, message):
    data = {"place": trefpunt.pk, "first_day": first, "last_day": last, "reason": ""}
    response = carla.post("/planning/sluitingen/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlaceClosure.objects.exists()


def test_a_cancelled_session_with_visits_stays(carla, koffie):
    session = session_of(koffie, date(2026, 12, 2))
    VisitFactory(session=session)
    carla.post(f"/planning/bijeenkomst/{session.pk}/afzeggen/", {"reason": "Storm"})
    session.refresh_from_db()
    assert session.is_cancelled and session.visits.count() == 1


def test_the_staff_menu_offers_planning_to_those_who_may_plan(client, carla, host_benring):
    assert 'href="/planning/"' in carla.get("/planning/").content.decode()
    client.force_login(host_benring)
    assert 'href="/planning/"' not in client.get("/deur/").content.decode()


def test_a_preview_of_changes_still_says_what_is_saved_now(carla, trefpunt, koffie):
    data = new_activity(trefpunt, title="Soep en praat", preview="1")
    page = carla.post(f"/planning/activiteit/{koffie.pk}/", data).content.decode()
    assert "<h1>Koffieochtend</h1>" in page
    assert "Nu: elke woensdag, 10:00–12:00" in page
    assert "elke eerste woensdag van de maand, 17:30–19:30" in page  # the preview
    koffie.refresh_from_db()
    assert koffie.title == "Koffieochtend"
