"""The staff menu offers a page exactly when the user's roles can use it, for every role."""

import re

import pytest

from omzien.accounts.models import Role
from tests import factories

# The menu's pages, as the footer and header link them.
MENU_PAGES = [
    "/deur/",
    "/overzicht/",
    "/signalen/",
    "/bestanden/importeren/",
    "/bezoeken/",
    "/dorpenplatform/",
    "/persoonsgegevens/",
    "/persoonsgegevens/auditlog/",
    "/beheer/",
]


def linked(html: str) -> set[str]:
    return {page for page in MENU_PAGES if re.search(rf'href="{re.escape(page)}"', html)}


def usable(client, page: str) -> bool:
    response = client.get(page)
    if response.status_code != 200:
        return False
    if page == "/beheer/":  # the admin's index answers any staff user: is anything on it?
        return bool(response.context["app_list"])
    return True


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("at_a_place", [True, False])
def test_each_menu_item_is_linked_exactly_when_the_role_can_use_it(
    client, benring, role, at_a_place
):
    # Staff status, as the demo gives every log-in: it must not be enough for "Beheer".
    user = factories.MembershipFactory(
        role=role, place=benring if at_a_place else None, user__is_staff=True
    ).user
    client.force_login(user)
    menu = linked(client.get("/").content.decode())
    assert menu == {page for page in MENU_PAGES if usable(client, page)}, role


def test_management_is_linked_for_coordinators_and_administrators_only(
    client, host_benring, coordinator_trefpunt, professional, viewer
):
    administrator = factories.MembershipFactory(role=Role.ADMIN, place=None).user
    for user, sees in [
        (host_benring, False),
        (professional, False),
        (viewer, False),
        (coordinator_trefpunt, True),
        (administrator, True),
    ]:
        client.force_login(user)
        assert ('href="/beheer/"' in client.get("/").content.decode()) is sees, user


def test_a_host_is_offered_to_record_a_plan_and_a_viewer_is_not(
    client, host_benring, coordinator_trefpunt, viewer
):
    record = 'href="/plannen/beheer/noteren/"'
    client.force_login(host_benring)
    assert record in client.get("/").content.decode()
    door = client.get("/deur/").content.decode()
    assert 'id="door-record-proposal"' in door and "Nieuw plan noteren" in door
    assert client.get("/plannen/beheer/noteren/").status_code == 200
    client.force_login(viewer)
    assert record not in client.get("/").content.decode()
    assert client.get("/plannen/beheer/noteren/").status_code == 403
    # A coordinator writes one down from the proposals' own pages, not from the menu.
    client.force_login(coordinator_trefpunt)
    assert 'id="menu-record-proposal"' not in client.get("/").content.decode()
    assert record in client.get("/plannen/beheer/").content.decode()
