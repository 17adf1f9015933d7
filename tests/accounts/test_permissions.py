"""The role table and the scopes read off it (accounts.permissions)."""

import pytest

from omzien.accounts import permissions
from omzien.accounts.models import Role
from omzien.accounts.permissions import EVERYWHERE, SYSTEM, Capability, NotFound
from tests import factories

C = Capability


def test_role_sets_are_read_off_the_table():
    assert {Role.HOST, Role.COORDINATOR, Role.PROFESSIONAL, Role.ADMIN} == permissions.DOOR_ROLES
    assert {Role.COORDINATOR, Role.PROFESSIONAL, Role.ADMIN} == permissions.FOLLOW_UP_ROLES
    assert {Role.VIEWER, Role.ADMIN} == permissions.AGGREGATES_ROLES
    assert {Role.COORDINATOR, Role.ADMIN} == permissions.MANAGE_PLACE_ROLES
    assert {Role.ADMIN} == permissions.MANAGE_REGION_ROLES
    # A viewer sees aggregates only: never names, never a signal, never exact figures; and
    # organises the village platform evenings, which hold no personal data.
    assert permissions.ROLE_TABLE[Role.VIEWER] == {
        C.AGGREGATES: permissions.REGION,
        C.VILLAGE_PLATFORM: permissions.REGION,
    }


def test_every_role_has_a_row():
    assert set(permissions.ROLE_TABLE) == set(Role)


def test_host_runs_the_door_of_their_own_place_only(host_benring, benring, trefpunt):
    assert list(permissions.places_for_user(host_benring, C.DOOR)) == [benring]
    assert permissions.can(host_benring, C.DOOR, benring)
    assert not permissions.can(host_benring, C.DOOR, trefpunt)
    for capability in (C.FOLLOW_UP, C.FIGURES, C.AGGREGATES, C.MANAGE_PLACE, C.MANAGE_REGION):
        assert not permissions.can(host_benring, capability), capability


def test_a_region_wide_professional_works_everywhere(professional, benring, trefpunt):
    for capability in (C.DOOR, C.FOLLOW_UP, C.FIGURES):
        assert permissions.reach(professional, capability) is EVERYWHERE
        assert set(permissions.places_for_user(professional, capability)) == {benring, trefpunt}
    assert not permissions.can(professional, C.MANAGE_PLACE)


def test_a_professional_of_one_place_works_there_only(benring, trefpunt):
    user = factories.MembershipFactory(role=Role.PROFESSIONAL, place=benring).user
    assert permissions.reach(user, C.FOLLOW_UP) == {benring.pk}
    assert not permissions.can(user, C.FOLLOW_UP, trefpunt)


def test_viewer_sees_no_people_anywhere(viewer, benring, trefpunt):
    assert not permissions.places_for_user(viewer, C.DOOR).exists()
    assert not permissions.places_for_user(viewer, C.FIGURES).exists()
    assert permissions.reach(viewer, C.AGGREGATES) is EVERYWHERE


def test_coordinator_works_at_own_place(coordinator_trefpunt, benring, trefpunt):
    for capability in (C.DOOR, C.FOLLOW_UP, C.FIGURES, C.MANAGE_PLACE):
        assert list(permissions.places_for_user(coordinator_trefpunt, capability)) == [trefpunt]
    assert not permissions.can(coordinator_trefpunt, C.MANAGE_REGION)


def test_an_inactive_user_or_one_without_memberships_may_do_nothing(coordinator_trefpunt, trefpunt):
    coordinator_trefpunt.is_active = False
    assert not any(permissions.can(coordinator_trefpunt, c) for c in Capability)
    nobody = factories.UserFactory()
    assert not any(permissions.can(nobody, c) for c in Capability)


def test_a_superuser_and_the_system_may_do_everything(trefpunt):
    superuser = factories.UserFactory(is_superuser=True)
    for user in (superuser, SYSTEM):
        assert all(permissions.reach(user, c) is EVERYWHERE for c in Capability)


@pytest.mark.parametrize("pk", ["x", None, 0, -1, 2**63, "9" * 40])
def test_keys_that_no_database_holds_are_not_found(pk, coordinator_trefpunt):
    with pytest.raises(NotFound):
        permissions.access_session_for_user(coordinator_trefpunt, pk)


def test_a_session_of_another_place_is_not_found(coordinator_trefpunt, benring):
    session = factories.SessionFactory(activity__place=benring)
    with pytest.raises(NotFound):
        permissions.access_session_for_user(coordinator_trefpunt, session.pk)
    with pytest.raises(NotFound):
        permissions.access_session_for_user(coordinator_trefpunt, session.pk + 1000)


def test_running_the_door_is_not_changing_the_session(host_benring, benring):
    session = factories.SessionFactory(activity__place=benring)
    assert permissions.access_session_for_user(host_benring, session.pk) == session
    with pytest.raises(NotFound):
        permissions.access_session_for_user(host_benring, session.pk, write=True)


def test_the_people_a_host_sees_are_registered_or_came_at_their_place_with_names(
    host_benring, benring, trefpunt
):
    def named(person):
        factories.ConsentFactory(person=person, purpose="names", given=True)
        return person

    registered = named(factories.PersonFactory(registered_place=benring))
    visitor = named(factories.VisitFactory(session__activity__place=benring).person)
    elsewhere = named(factories.VisitFactory(session__activity__place=trefpunt).person)
    unnamed = factories.PersonFactory(registered_place=benring)
    assert set(permissions.visible_people(host_benring)) == {registered, visitor}
    assert elsewhere not in permissions.visible_people(host_benring)
    assert unnamed not in permissions.visible_people(host_benring)


def test_the_architecture_map_shows_the_role_table_as_it_is():
    from pathlib import Path

    architecture = Path(__file__).parents[2] / "docs" / "ARCHITECTURE.md"
    assert permissions.role_table_markdown() in architecture.read_text()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 7 ", 7), (5, 5), ("²", None), ("-1", None), ("0", None), ("", None)]
    + [(None, None), ("1e3", None), ("9" * 30, None), (str(2**63), None)],
)
def test_primary_key_takes_only_what_a_database_holds(value, expected):
    assert permissions.primary_key(value) == expected
