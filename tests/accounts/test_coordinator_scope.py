"""A coordinator manages their own place's agenda and cannot see or change another's."""

from datetime import date

import pytest

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.agenda import services
from omzien.agenda.models import Activity, Session
from tests.factories import ActivityFactory, MembershipFactory


@pytest.fixture
def koffie_trefpunt(trefpunt):
    return ActivityFactory(place=trefpunt, title="Koffie Trefpunt", slug="koffie")


@pytest.fixture
def biljart_benring(benring):
    return ActivityFactory(place=benring, title="Biljart Benring", slug="biljart")


@pytest.fixture
def carla(client, coordinator_trefpunt):
    client.force_login(coordinator_trefpunt)
    return client


def activity_form(place, **overrides):
    data = {
        "place": place.pk,
        "title": "Wandelen",
        "slug": "wandelen",
        "category": "bewegen",
        "description": "",
        "is_active": "on",
        "rrule": "FREQ=WEEKLY;BYDAY=FR",
        "first_date": "2026-11-27",
        "last_date": "",
        "start_time": "10:00",
        "duration": "01:30:00",
        "exception_dates": "",
        "capacity": "",
        "cost": "0",
        "accessibility_notes": "",
    }
    data.update(overrides)
    return data


def test_activity_list_shows_only_own_place(carla, koffie_trefpunt, biljart_benring):
    response = carla.get("/beheer/agenda/activity/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Koffie Trefpunt" in page
    assert "Biljart Benring" not in page


def test_other_places_activity_cannot_be_opened(carla, biljart_benring):
    response = carla.get(f"/beheer/agenda/activity/{biljart_benring.pk}/change/")
    assert response.status_code == 302
    assert response.url == "/beheer/"


def test_other_places_activity_cannot_be_changed(carla, biljart_benring, benring):
    response = carla.post(
        f"/beheer/agenda/activity/{biljart_benring.pk}/change/",
        activity_form(benring, title="Gekaapt", slug="biljart"),
    )
    assert response.status_code == 302
    biljart_benring.refresh_from_db()
    assert biljart_benring.title == "Biljart Benring"


def test_other_places_activity_cannot_be_deleted(carla, biljart_benring):
    carla.post(f"/beheer/agenda/activity/{biljart_benring.pk}/delete/", {"post": "yes"})
    assert Activity.objects.filter(pk=biljart_benring.pk).exists()


def test_cannot_add_an_activity_to_another_place(carla, benring):
    response = carla.post("/beheer/agenda/activity/add/", activity_form(benring))
    assert response.status_code == 200
    assert "place" in response.context["adminform"].form.errors
    assert not Activity.objects.exists()


def test_adding_an_activity_to_own_place_creates_its_sessions(carla, trefpunt):
    response = carla.post("/beheer/agenda/activity/add/", activity_form(trefpunt))
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = Activity.objects.get(slug="wandelen")
    assert activity.place == trefpunt
    sessions = list(activity.sessions.all())
    assert len(sessions) >= 12
    assert {s.date.weekday() for s in sessions} == {4}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rrule": "elke vrijdag"}, "rrule"),
        ({"last_date": "2026-01-01"}, "last_date"),
        ({"first_date": "2026-02-30"}, "first_date"),
    ],
)
def test_bad_activity_in_admin_gives_error_and_saves_nothing(carla, trefpunt, overrides, field):
    response = carla.post("/beheer/agenda/activity/add/", activity_form(trefpunt, **overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Activity.objects.exists()
    assert not Session.objects.exists()


def test_coordinator_cancels_own_session_with_reason(carla, koffie_trefpunt):
    services.materialise_sessions(date(2026, 3, 1), date(2026, 3, 31), [koffie_trefpunt])
    session = koffie_trefpunt.sessions.get(date=date(2026, 3, 3))
    url = f"/beheer/agenda/session/{session.pk}/change/"
    form = {
        "starts_at_0": "2026-03-03",
        "starts_at_1": "10:00:00",
        "ends_at_0": "2026-03-03",
        "ends_at_1": "12:00:00",
        "status": "cancelled",
        "cancel_reason": "",
        "note": "",
    }
    response = carla.post(url, form)
    assert response.status_code == 200
    assert "cancel_reason" in response.context["adminform"].form.errors
    session.refresh_from_db()
    assert not session.is_cancelled

    response = carla.post(url, {**form, "cancel_reason": "Gastvrouw ziek"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled and not session.is_rescheduled


def test_moving_a_session_marks_it_rescheduled(carla, koffie_trefpunt):
    services.materialise_sessions(date(2026, 3, 1), date(2026, 3, 31), [koffie_trefpunt])
    session = koffie_trefpunt.sessions.get(date=date(2026, 3, 3))
    carla.post(
        f"/beheer/agenda/session/{session.pk}/change/",
        {
            "starts_at_0": "2026-03-03",
            "starts_at_1": "13:00:00",
            "ends_at_0": "2026-03-03",
            "ends_at_1": "15:00:00",
            "status": "scheduled",
            "cancel_reason": "",
            "note": "In de kerkzaal",
        },
    )
    session.refresh_from_db()
    assert session.is_rescheduled
    assert session.note == "In de kerkzaal"


def test_other_places_session_cannot_be_cancelled(carla, biljart_benring):
    services.materialise_sessions(date(2026, 3, 1), date(2026, 3, 31), [biljart_benring])
    session = biljart_benring.sessions.first()
    response = carla.post(
        f"/beheer/agenda/session/{session.pk}/change/",
        {
            "status": "cancelled",
            "cancel_reason": "Gekaapt",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert not session.is_cancelled


def test_own_place_can_be_edited_but_not_another(carla, trefpunt, benring):
    assert carla.get(f"/beheer/places/place/{trefpunt.pk}/change/").status_code == 200
    assert carla.get(f"/beheer/places/place/{benring.pk}/change/").status_code == 302
    assert carla.get("/beheer/places/place/add/").status_code == 403
    assert carla.get("/beheer/places/village/").status_code == 403
    assert carla.get("/beheer/people/person/").status_code == 403
    assert carla.get("/beheer/accounts/membership/").status_code == 403


@pytest.mark.parametrize("who", ["host_benring", "professional", "viewer"])
def test_other_roles_do_not_manage_the_agenda(client, request, who, koffie_trefpunt):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/beheer/agenda/activity/").status_code == 403
    assert client.get(f"/beheer/agenda/activity/{koffie_trefpunt.pk}/change/").status_code == 403


def test_admin_role_manages_every_place(client, trefpunt, benring):
    admin_user = MembershipFactory(user__username="ada", role="admin", place=None).user
    assert set(permissions.places_for_user(admin_user, Capability.MANAGE_PLACE)) == {
        trefpunt,
        benring,
    }
    client.force_login(admin_user)
    assert client.get(f"/beheer/places/place/{benring.pk}/change/").status_code == 200


def test_anonymous_visitor_is_sent_to_login(client, koffie_trefpunt):
    response = client.get("/beheer/agenda/activity/")
    assert response.status_code == 302
    assert response.url.startswith("/beheer/login/")


def test_inactive_user_loses_all_rights(coordinator_trefpunt, trefpunt):
    coordinator_trefpunt.is_active = False
    assert not permissions.places_for_user(coordinator_trefpunt, Capability.MANAGE_PLACE).exists()
