"""The dorpenplatform's pages with the test client: who may see and do what (and the
denials), bad input answered in Dutch without a change, free text escaped, deleting asked."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from omzien.audit.models import AuditEvent
from omzien.villageplatform.models import Action, Evening, EveningAttendance, FollowUp, Lesson
from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


def evening_data(region, **changes):
    data = {
        "title": "Dorpenplatform najaar",
        "date": "2026-10-06",
        "start_time": "19:30",
        "end_time": "21:30",
        "host_place": "",
        "location": "Gemeentehuis Twello",
        "agenda": "Welkom\nWat werkt bij u?",
        "region": region.pk,
    }
    data.update(changes)
    return data


def lesson_data(place, **changes):
    data = {
        "title": "Jongeren schenken koffie",
        "practice": "Scholieren van de buurt schenken op zaterdag de koffie.",
        "place": place.pk,
        "evening": "",
        "new_tag": "",
    }
    data.update(changes)
    return data


def test_anonymous_visitors_are_sent_to_log_in_and_write_nothing(client, evening):
    before = AuditEvent.objects.count()
    for url in (
        reverse("villageplatform:evenings"),
        reverse("villageplatform:evening", args=[evening.pk]),
        reverse("villageplatform:search"),
    ):
        assert client.get(url).status_code == 302
    response = client.post(reverse("villageplatform:evening_new"), evening_data(evening.region))
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    assert Evening.objects.count() == 1 and AuditEvent.objects.count() == before


def test_hosts_have_no_village_platform(client, host_benring, evening, benring):
    client.force_login(host_benring)
    assert client.get(reverse("villageplatform:evenings")).status_code == 403
    assert client.get(reverse("villageplatform:search")).status_code == 403
    assert client.get(reverse("villageplatform:evening", args=[evening.pk])).status_code == 404
    assert client.get(reverse("villageplatform:place", args=[benring.pk])).status_code == 404
    assert 'href="/dorpenplatform/"' not in client.get("/").content.decode()


@pytest.mark.parametrize("who", ["viewer", "professional", "coordinator_trefpunt"])
def test_every_staff_role_with_the_capability_reads_it_all(client, request, who, evening, benring):
    factories.LessonFactory(place=benring, evening=evening, title="Samen vervoer regelen")
    client.force_login(request.getfixturevalue(who))
    assert 'href="/dorpenplatform/"' in client.get("/").content.decode()
    page = client.get(reverse("villageplatform:evening", args=[evening.pk])).content.decode()
    assert "Samen vervoer regelen" in page
    place_page = client.get(reverse("villageplatform:place", args=[benring.pk]))
    assert "Samen vervoer regelen" in place_page.content.decode()


def test_the_list_shows_coming_and_past_evenings(client, viewer, evening, next_evening):
    client.force_login(viewer)
    with time_machine.travel("2026-04-01 23:30 +02:00"):
        page = client.get(reverse("villageplatform:evenings")).content.decode()
    coming, past = page.split('id="past-heading"')
    assert "Dorpenplatform juni" in coming and "Dorpenplatform maart" in past


def test_a_viewer_organises_an_evening(client, viewer, benring):
    client.force_login(viewer)
    assert client.get(reverse("villageplatform:evening_new")).status_code == 200
    response = client.post(
        reverse("villageplatform:evening_new"), evening_data(benring.village.region)
    )
    evening = Evening.objects.get()
    assert response["Location"] == reverse("villageplatform:evening", args=[evening.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Gemeentehuis Twello" in page and "<li>Wat werkt bij u?</li>" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "19:00"}, "De avond moet eindigen na het begin."),
        ({"location": ""}, "Kies de ontmoetingsplek, of zeg waar het is"),
        ({"date": "31-02-2026"}, "Voer een geldige datum in."),
    ],
)
def test_a_bad_evening_is_a_dutch_error_and_changes_nothing(
    client, viewer, benring, changes, message
):
    client.force_login(viewer)
    response = client.post(
        reverse("villageplatform:evening_new"), evening_data(benring.village.region, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evening.objects.exists()


def test_coordinators_neither_plan_nor_change_nor_delete_evenings(
    client, coordinator_trefpunt, evening
):
    client.force_login(coordinator_trefpunt)
    new = client.post(reverse("villageplatform:evening_new"), evening_data(evening.region))
    assert new.status_code == 403
    edit = reverse("villageplatform:evening_edit", args=[evening.pk])
    assert client.post(edit, evening_data(evening.region, title="Anders")).status_code == 404
    delete = reverse("villageplatform:evening_delete", args=[evening.pk])
    assert client.post(delete).status_code == 404
    evening.refresh_from_db()
    assert evening.title == "Dorpenplatform maart"


def test_deleting_an_evening_asks_first(client, viewer, evening):
    client.force_login(viewer)
    url = reverse("villageplatform:evening_delete", args=[evening.pk])
    question = client.get(url)
    assert "Wilt u deze avond echt verwijderen?" in question.content.decode()
    assert Evening.objects.exists()
    assert client.post(url)["Location"] == reverse("villageplatform:evenings")
    assert not Evening.objects.exists()


# --- Attendance ----------------------------------------------------------------------------


def test_a_coordinator_counts_their_own_place_only(
    client, coordinator_trefpunt, evening, benring, trefpunt
):
    client.force_login(coordinator_trefpunt)
    url = reverse("villageplatform:attendance", args=[evening.pk])
    form = client.get(url).content.decode()
    assert f'name="place_{trefpunt.pk}"' in form and f'name="place_{benring.pk}"' not in form
    # A field for another place is not the form's: it is ignored.
    client.post(url, {f"place_{trefpunt.pk}": "6", f"place_{benring.pk}": "9"})
    assert dict(EveningAttendance.objects.values_list("place_id", "count")) == {trefpunt.pk: 6}
    page = client.get(reverse("villageplatform:evening", args=[evening.pk])).content.decode()
    assert 'id="attendance-total">6<' in page


def test_an_organiser_counts_every_place(client, viewer, evening, benring, trefpunt):
    client.force_login(viewer)
    url = reverse("villageplatform:attendance", args=[evening.pk])
    client.post(url, {f"place_{trefpunt.pk}": "6", f"place_{benring.pk}": "4"})
    assert EveningAttendance.objects.count() == 2


@pytest.mark.parametrize("count", ["501", "-1", "veel", "2.5"])
def test_a_bad_count_changes_nothing(client, viewer, evening, benring, trefpunt, count):
    factories.EveningAttendanceFactory(evening=evening, place=benring, count=3)
    client.force_login(viewer)
    url = reverse("villageplatform:attendance", args=[evening.pk])
    response = client.post(url, {f"place_{benring.pk}": "8", f"place_{trefpunt.pk}": count})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert dict(EveningAttendance.objects.values_list("place_id", "count")) == {benring.pk: 3}


# --- Lessons -------------------------------------------------------------------------------


def test_a_coordinator_shares_a_lesson_with_a_tag(client, coordinator_trefpunt, trefpunt, evening):
    from omzien.villageplatform.models import Tag

    client.force_login(coordinator_trefpunt)
    form = client.get(reverse("villageplatform:lesson_new") + f"?avond={evening.pk}")
    assert form.status_code == 200
    response = client.post(
        reverse("villageplatform:lesson_new"),
        lesson_data(
            trefpunt,
            evening=evening.pk,
            tags=[Tag.objects.get(slug="jongeren").pk],
            new_tag="Scholieren",
        ),
    )
    assert response["Location"] == reverse("villageplatform:place", args=[trefpunt.pk])
    lesson = Lesson.objects.get()
    assert set(lesson.tags.values_list("slug", flat=True)) == {"jongeren", "scholieren"}
    evening_page = client.get(reverse("villageplatform:evening", args=[evening.pk]))
    assert "Jongeren schenken koffie" in evening_page.content.decode()


def test_a_coordinator_cannot_share_for_another_place(client, coordinator_trefpunt, benring):
    client.force_login(coordinator_trefpunt)
    response = client.post(reverse("villageplatform:lesson_new"), lesson_data(benring))
    assert response.status_code == 400
    assert not Lesson.objects.exists()


def test_a_bad_lesson_changes_nothing(client, viewer, benring):
    client.force_login(viewer)
    response = client.post(
        reverse("villageplatform:lesson_new"), lesson_data(benring, practice="", new_tag="nieuw")
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()
    assert not Lesson.objects.exists()


def test_only_their_own_places_lessons_are_changed_by_a_coordinator(
    client, coordinator_trefpunt, coordinator_benring, benring
):
    lesson = factories.LessonFactory(place=benring)
    edit = reverse("villageplatform:lesson_edit", args=[lesson.pk])
    delete = reverse("villageplatform:lesson_delete", args=[lesson.pk])
    client.force_login(coordinator_trefpunt)
    page = client.get(reverse("villageplatform:place", args=[benring.pk])).content.decode()
    assert edit not in page
    assert client.get(edit).status_code == 404
    assert client.post(edit, lesson_data(benring, title="Carla was hier")).status_code == 404
    assert client.post(delete).status_code == 404
    client.force_login(coordinator_benring)
    page = client.get(reverse("villageplatform:place", args=[benring.pk])).content.decode()
    assert edit in page
    client.post(edit, lesson_data(benring, title="Bijgewerkt"))
    lesson.refresh_from_db()
    assert lesson.title == "Bijgewerkt"


def test_deleting_a_lesson_asks_first(client, viewer, benring):
    lesson = factories.LessonFactory(place=benring)
    client.force_login(viewer)
    url = reverse("villageplatform:lesson_delete", args=[lesson.pk])
    assert "Wilt u deze les echt verwijderen?" in client.get(url).content.decode()
    assert Lesson.objects.exists()
    client.post(url)
    assert not Lesson.objects.exists()


def test_free_text_is_escaped(client, viewer, benring):
    evening = factories.EveningFactory(title=SCRIPT, agenda=SCRIPT, location=SCRIPT)
    factories.LessonFactory(place=benring, evening=evening, title=SCRIPT, practice=SCRIPT)
    factories.ActionFactory(evening=evening, description=SCRIPT, owner_name=SCRIPT)
    client.force_login(viewer)
    for url in (
        reverse("villageplatform:evening", args=[evening.pk]),
        reverse("villageplatform:evenings"),
        reverse("villageplatform:search"),
        reverse("villageplatform:place", args=[benring.pk]),
    ):
        page = client.get(url).content.decode()
        assert SCRIPT not in page and "&lt;script&gt;" in page, url


# --- Actions and follow-up -------------------------------------------------------------------


def test_an_action_agreed_is_followed_up_at_the_next_evening(
    client, viewer, coordinator_benring, evening, next_evening, benring
):
    client.force_login(viewer)
    client.post(
        reverse("villageplatform:action_new", args=[evening.pk]),
        {
            "description": "Vervoer regelen",
            "owner_place": benring.pk,
            "owner_name": "",
            "due_date": "2026-05-01",
            "status": "open",
        },
    )
    action = Action.objects.get()
    # The next evening's page shows what to follow up, with a form for Bea (De Benring).
    client.force_login(coordinator_benring)
    page = client.get(reverse("villageplatform:evening", args=[next_evening.pk])).content.decode()
    assert 'id="earlier-action-' in page and "Vervoer regelen" in page
    assert reverse("villageplatform:follow_up", args=[action.pk]) in page
    response = client.post(
        reverse("villageplatform:follow_up", args=[action.pk]),
        {"evening": next_evening.pk, "note": "Twee chauffeurs gevonden.", "status": "gedaan"},
    )
    assert response["Location"] == reverse("villageplatform:evening", args=[next_evening.pk])
    action.refresh_from_db()
    assert action.status == "gedaan"
    page = client.get(response["Location"]).content.decode()
    assert "Twee chauffeurs gevonden." in page


def test_a_follow_up_of_another_places_action_is_refused(
    client, coordinator_trefpunt, evening, next_evening, benring
):
    action = factories.ActionFactory(evening=evening, owner_place=benring)
    client.force_login(coordinator_trefpunt)
    page = client.get(reverse("villageplatform:evening", args=[next_evening.pk])).content.decode()
    assert "Vervoer regelen" in page
    url = reverse("villageplatform:follow_up", args=[action.pk])
    assert url not in page
    response = client.post(url, {"evening": next_evening.pk, "note": "Nee", "status": "gedaan"})
    assert response.status_code == 404 and not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_date": "2026-03-09"}, "mag niet vóór de avond liggen"),
        ({"owner_name": ""}, "Zeg wie het oppakt"),
    ],
)
def test_a_bad_action_changes_nothing(client, viewer, evening, changes, message):
    client.force_login(viewer)
    data = {
        "description": "Flyer maken",
        "owner_place": "",
        "owner_name": "gemeente",
        "due_date": "2026-04-01",
        "status": "open",
    }
    response = client.post(
        reverse("villageplatform:action_new", args=[evening.pk]), {**data, **changes}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Action.objects.exists()


def test_a_follow_up_at_an_earlier_evening_changes_nothing(client, viewer, evening, next_evening):
    action = factories.ActionFactory(evening=next_evening, due_date=date(2026, 7, 1))
    client.force_login(viewer)
    response = client.post(
        reverse("villageplatform:follow_up", args=[action.pk]),
        {"evening": evening.pk, "note": "Te vroeg", "status": "gedaan"},
    )
    assert response.status_code == 400 and not FollowUp.objects.exists()


def test_an_unknown_region_is_a_visible_error(client, viewer, benring):
    client.force_login(viewer)
    data = {**evening_data(benring.village.region), "region": "99999"}
    response = client.post(reverse("villageplatform:evening_new"), data)
    assert response.status_code == 400 and "Regio:" in response.content.decode()
    assert not Evening.objects.exists()


@pytest.mark.parametrize("value", ["²", "-1", "0", "9" * 30, "abc"])
def test_an_odd_evening_in_the_query_string_is_ignored(client, viewer, evening, value):
    """``?avond=`` preselects an evening; anything that is not one is no 500."""
    client.force_login(viewer)
    action = factories.ActionFactory(evening=evening)
    for url in (
        reverse("villageplatform:lesson_new"),
        reverse("villageplatform:follow_up", args=[action.pk]),
    ):
        assert client.get(f"{url}?avond={value}").status_code == 200
