"""Who may do what on the dorpenplatform, asked of the access layer itself."""

import pytest

from omzien.accounts import permissions
from omzien.accounts.models import Role
from omzien.accounts.permissions import NotFound
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_region_wide_roles_organise(viewer, professional, coordinator_trefpunt, host_benring):
    admin = factories.MembershipFactory(role=Role.ADMIN, place=None).user
    for user in (viewer, professional, admin):
        assert permissions.may_organise_evenings(user), user
    for user in (coordinator_trefpunt, host_benring):
        assert not permissions.may_organise_evenings(user), user


def test_everyone_with_the_capability_reads_everything_hosts_nothing(
    viewer, coordinator_trefpunt, host_benring, evening, benring
):
    lesson = factories.LessonFactory(place=benring)
    for user in (viewer, coordinator_trefpunt):
        assert permissions.access_evening_for_user(user, evening.pk) == evening
        assert permissions.access_lesson_for_user(user, lesson.pk) == lesson
    with pytest.raises(NotFound):
        permissions.access_evening_for_user(host_benring, evening.pk)
    with pytest.raises(NotFound):
        permissions.access_lesson_for_user(host_benring, lesson.pk)


def test_may_edit_lesson(viewer, coordinator_trefpunt, coordinator_benring, host_benring, benring):
    theirs = factories.LessonFactory(place=benring)
    written_by_carla = factories.LessonFactory(place=benring, created_by=coordinator_trefpunt)
    assert permissions.may_edit_lesson(viewer, theirs)
    assert permissions.may_edit_lesson(coordinator_benring, theirs)
    assert not permissions.may_edit_lesson(coordinator_trefpunt, theirs)
    assert permissions.may_edit_lesson(coordinator_trefpunt, written_by_carla)
    assert not permissions.may_edit_lesson(host_benring, theirs)
    with pytest.raises(NotFound):
        permissions.access_lesson_for_user(coordinator_trefpunt, theirs.pk, write=True)


def test_a_lesson_they_wrote_is_no_longer_theirs_without_the_capability(benring):
    membership = factories.MembershipFactory(role=Role.COORDINATOR, place=benring)
    lesson = factories.LessonFactory(place=benring, created_by=membership.user)
    membership.role = Role.HOST
    membership.save()
    permissions.forget_cached_memberships(membership.user)
    assert not permissions.may_edit_lesson(membership.user, lesson)


def test_who_follows_up_an_action(
    viewer, coordinator_trefpunt, coordinator_benring, evening, benring
):
    action = factories.ActionFactory(evening=evening, owner_place=benring)
    assert permissions.may_follow_up_action(viewer, action)
    assert permissions.may_follow_up_action(coordinator_benring, action)
    assert not permissions.may_follow_up_action(coordinator_trefpunt, action)
    with pytest.raises(NotFound):  # changing an action is for organisers
        permissions.access_action_for_user(coordinator_benring, action.pk, write=True)
