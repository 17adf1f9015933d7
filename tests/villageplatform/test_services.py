"""The dorpenplatform's writes: who may (and the denials), what is valid, and that a
refusal changes nothing."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from omzien.accounts.permissions import NotFound
from omzien.audit.models import AuditEvent
from omzien.villageplatform import services
from omzien.villageplatform.models import (
    Action,
    Evening,
    EveningAttendance,
    FollowUp,
    Lesson,
    Tag,
)
from tests import factories

pytestmark = pytest.mark.django_db


def plan(region, **changes):
    fields = {
        "region": region,
        "title": "Dorpenplatform najaar",
        "date": date(2026, 10, 6),
        "start_time": time(19, 30),
        "end_time": time(21, 30),
        "host_place": None,
        "location": "Gemeentehuis Twello",
        "agenda": "Welkom\nWat werkt",
    }
    fields.update(changes)
    return services.EveningPlan(**fields)


def practice(place, **changes):
    fields = {
        "title": "Koffie op het plein",
        "practice": "Op marktdag een tafel met koffie op het plein.",
        "place": place,
    }
    fields.update(changes)
    return services.Practice(**fields)


# --- Evenings ------------------------------------------------------------------------------


def test_a_viewer_of_the_municipality_organises_an_evening(viewer, benring):
    evening = services.save_evening(plan(benring.village.region), acting_user=viewer)
    assert evening.organised_by == viewer
    assert evening.where == "Gemeentehuis Twello"
    assert AuditEvent.objects.filter(subject="village platform evening", action="create").exists()


def test_an_evening_at_a_meeting_place_keeps_no_free_location(professional, benring):
    evening = services.save_evening(
        plan(benring.village.region, host_place=benring), acting_user=professional
    )
    assert evening.location == "" and evening.where == "De Benring"


@pytest.mark.parametrize("who", ["coordinator_trefpunt", "host_benring"])
def test_only_organisers_plan_evenings(request, who, benring):
    user = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        services.save_evening(plan(benring.village.region), acting_user=user)
    assert not Evening.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": time(19, 0)}, "eindigen na"),
        ({"end_time": time(19, 30)}, "eindigen na"),
        ({"location": ""}, "waar"),
        ({"title": "  "}, "Titel"),
        ({"date": None}, "datum"),
    ],
)
def test_a_bad_evening_is_refused_in_dutch_and_nothing_is_saved(viewer, benring, changes, message):
    with pytest.raises(ValidationError) as refused:
        services.save_evening(plan(benring.village.region, **changes), acting_user=viewer)
    assert message in " ".join(refused.value.messages)
    assert not Evening.objects.exists()


def test_an_evening_cannot_move_past_its_actions_due_dates(viewer, evening):
    factories.ActionFactory(evening=evening, due_date=date(2026, 3, 20))
    with pytest.raises(ValidationError):
        services.save_evening(
            plan(evening.region, date=date(2026, 4, 1)), acting_user=viewer, evening=evening
        )
    evening.refresh_from_db()
    assert evening.date == date(2026, 3, 10)


def test_deleting_an_evening_keeps_its_lessons(viewer, evening, benring):
    lesson = factories.LessonFactory(place=benring, evening=evening)
    factories.ActionFactory(evening=evening)
    services.delete_evening(evening, acting_user=viewer)
    lesson.refresh_from_db()
    assert lesson.evening is None and not Action.objects.exists()


def test_a_coordinator_cannot_delete_an_evening(coordinator_trefpunt, evening):
    with pytest.raises(NotFound):
        services.delete_evening(evening, acting_user=coordinator_trefpunt)
    assert Evening.objects.filter(pk=evening.pk).exists()


# --- Attendance ----------------------------------------------------------------------------


def test_an_organiser_records_the_counts_of_every_place(viewer, evening, benring, trefpunt):
    services.record_attendance(evening, {benring.pk: 4, trefpunt.pk: 0}, acting_user=viewer)
    counts = dict(evening.attendance.values_list("place__name", "count"))
    assert counts == {"De Benring": 4, "Trefpunt Duistervoorde": 0}
    services.record_attendance(evening, {benring.pk: 6, trefpunt.pk: None}, acting_user=viewer)
    assert dict(evening.attendance.values_list("place__name", "count")) == {"De Benring": 6}


def test_a_coordinator_records_only_their_own_place(
    coordinator_trefpunt, evening, benring, trefpunt
):
    services.record_attendance(evening, {trefpunt.pk: 5}, acting_user=coordinator_trefpunt)
    with pytest.raises(NotFound):
        services.record_attendance(
            evening, {trefpunt.pk: 7, benring.pk: 3}, acting_user=coordinator_trefpunt
        )
    assert dict(evening.attendance.values_list("place_id", "count")) == {trefpunt.pk: 5}


def test_hosts_record_no_attendance(host_benring, evening, benring):
    with pytest.raises(NotFound):
        services.record_attendance(evening, {benring.pk: 2}, acting_user=host_benring)
    assert not EveningAttendance.objects.exists()


@pytest.mark.parametrize("count", [-1, 501])
def test_a_count_outside_0_to_500_changes_nothing(viewer, evening, benring, trefpunt, count):
    services.record_attendance(evening, {benring.pk: 2}, acting_user=viewer)
    with pytest.raises(ValidationError) as refused:
        services.record_attendance(evening, {benring.pk: 9, trefpunt.pk: count}, acting_user=viewer)
    assert "tussen 0 en 500" in refused.value.messages[0]
    assert dict(evening.attendance.values_list("place_id", "count")) == {benring.pk: 2}


# --- Lessons -------------------------------------------------------------------------------


def test_a_coordinator_shares_a_lesson_with_a_new_tag(coordinator_trefpunt, trefpunt, evening):
    koffie = Tag.objects.get(slug="koffie")
    lesson = services.add_lesson(
        practice(trefpunt, evening=evening, tags=[koffie], new_tag="Markt"),
        acting_user=coordinator_trefpunt,
    )
    assert {tag.slug for tag in lesson.tags.all()} == {"koffie", "markt"}
    assert lesson.created_by == coordinator_trefpunt and lesson.evening == evening


def test_the_starting_tags_are_there():
    assert set(Tag.objects.values_list("slug", flat=True)) >= {
        "koffie",
        "vrijwilligers",
        "jongeren",
        "vervoer",
        "ouderen",
        "eenzaamheid",
        "activiteiten",
        "samenwerking",
        "communicatie",
    }


def test_a_new_tag_that_exists_is_reused(viewer, benring):
    lesson = services.add_lesson(practice(benring, new_tag="Koffie"), acting_user=viewer)
    assert list(lesson.tags.values_list("slug", flat=True)) == ["koffie"]
    assert Tag.objects.filter(slug="koffie").count() == 1


def test_a_coordinator_shares_no_lesson_for_another_place(coordinator_trefpunt, benring):
    with pytest.raises(NotFound):
        services.add_lesson(practice(benring, new_tag="nieuw"), acting_user=coordinator_trefpunt)
    assert not Lesson.objects.exists() and not Tag.objects.filter(slug="nieuw").exists()


def test_hosts_share_no_lessons(host_benring, benring):
    with pytest.raises(NotFound):
        services.add_lesson(practice(benring), acting_user=host_benring)


@pytest.mark.parametrize(
    "changes", [{"practice": ""}, {"practice": "x" * 1001}, {"title": ""}, {"new_tag": "!!"}]
)
def test_a_bad_lesson_is_refused(viewer, benring, changes):
    with pytest.raises(ValidationError):
        services.add_lesson(practice(benring, **changes), acting_user=viewer)
    assert not Lesson.objects.exists()


def test_who_may_change_a_lesson(coordinator_trefpunt, coordinator_benring, viewer, benring):
    lesson = factories.LessonFactory(place=benring)
    # Bea (De Benring) and the organiser may; Carla (Trefpunt) may not.
    services.change_lesson(
        lesson, practice(benring, title="Bea's"), acting_user=coordinator_benring
    )
    services.change_lesson(lesson, practice(benring, title="Victor's"), acting_user=viewer)
    with pytest.raises(NotFound):
        services.change_lesson(
            lesson, practice(benring, title="Carla's"), acting_user=coordinator_trefpunt
        )
    with pytest.raises(NotFound):
        services.delete_lesson(lesson, acting_user=coordinator_trefpunt)
    lesson.refresh_from_db()
    assert lesson.title == "Victor's"


def test_a_coordinator_may_change_a_lesson_they_wrote_elsewhere(coordinator_trefpunt, benring):
    lesson = factories.LessonFactory(place=benring, created_by=coordinator_trefpunt)
    services.change_lesson(
        lesson, practice(benring, title="Bijgewerkt"), acting_user=coordinator_trefpunt
    )
    services.delete_lesson(lesson, acting_user=coordinator_trefpunt)
    assert not Lesson.objects.exists()


def test_a_coordinator_cannot_move_their_lesson_to_another_place(
    coordinator_trefpunt, trefpunt, benring
):
    lesson = factories.LessonFactory(place=trefpunt)
    with pytest.raises(NotFound):
        services.change_lesson(lesson, practice(benring), acting_user=coordinator_trefpunt)
    lesson.refresh_from_db()
    assert lesson.place == trefpunt


# --- Actions and follow-up -------------------------------------------------------------------


def agreement(**changes):
    fields = {
        "description": "Vervoer regelen",
        "due_date": date(2026, 4, 1),
        "owner_name": "gemeente",
    }
    fields.update(changes)
    return services.Agreement(**fields)


def test_an_organiser_agrees_an_action(viewer, evening, trefpunt):
    action = services.add_action(
        evening, agreement(owner_place=trefpunt, owner_name=""), acting_user=viewer
    )
    assert action.owner == "Trefpunt Duistervoorde" and action.status == "open"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_date": date(2026, 3, 9)}, "niet vóór de avond"),
        ({"owner_name": ""}, "wie"),
        ({"description": ""}, "Wat"),
    ],
)
def test_a_bad_action_is_refused(viewer, evening, changes, message):
    with pytest.raises(ValidationError) as refused:
        services.add_action(evening, agreement(**changes), acting_user=viewer)
    assert message in refused.value.messages[0]
    assert not Action.objects.exists()


def test_a_due_date_on_the_evening_itself_is_fine(viewer, evening):
    assert services.add_action(evening, agreement(due_date=evening.date), acting_user=viewer)


def test_coordinators_agree_no_actions(coordinator_trefpunt, evening):
    with pytest.raises(NotFound):
        services.add_action(evening, agreement(), acting_user=coordinator_trefpunt)


def test_the_follow_up_at_the_next_evening_sets_the_status(
    coordinator_benring, coordinator_trefpunt, evening, next_evening, benring
):
    action = factories.ActionFactory(evening=evening, owner_place=benring)
    with pytest.raises(NotFound):  # not Trefpunt's action
        services.record_follow_up(
            action, next_evening, "?", "gedaan", acting_user=coordinator_trefpunt
        )
    follow_up = services.record_follow_up(
        action, next_evening, "Twee chauffeurs gevonden.", "gedaan", acting_user=coordinator_benring
    )
    action.refresh_from_db()
    assert action.status == "gedaan" and follow_up.evening == next_evening


def test_a_follow_up_belongs_to_a_later_evening(viewer, evening, next_evening):
    action = factories.ActionFactory(evening=next_evening)
    with pytest.raises(ValidationError):
        services.record_follow_up(action, evening, "Te vroeg", "gedaan", acting_user=viewer)
    with pytest.raises(ValidationError):
        services.record_follow_up(
            action, next_evening, "Zelfde avond", "gedaan", acting_user=viewer
        )
    with pytest.raises(ValidationError):
        services.record_follow_up(action, None, "Geen avond", "gedaan", acting_user=viewer)
    action.refresh_from_db()
    assert action.status == "open" and not FollowUp.objects.exists()
