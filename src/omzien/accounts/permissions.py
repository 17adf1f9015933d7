"""Who may see and change what: every view, export and admin page asks here.

Hosts and coordinators work at the places of their memberships; professionals and
administrators across the region; viewers see aggregates only, never a place's people.
"""

from django.db.models import QuerySet

from omzien.accounts.models import Membership, Role
from omzien.people.models import Person, Purpose
from omzien.places.models import Place

MANAGING_ROLES = {Role.COORDINATOR, Role.ADMIN}


def _memberships(user) -> list[Membership]:
    if not user.is_authenticated or not user.is_active:
        return []
    if not hasattr(user, "_omzien_memberships"):
        user._omzien_memberships = list(user.memberships.all())
    return user._omzien_memberships


def has_role(user, *roles: str) -> bool:
    return any(membership.role in roles for membership in _memberships(user))


def may_act_as(user, roles) -> bool:
    """Whether the user holds one of the roles anywhere (no query beyond the memberships)."""
    return user.is_active and (user.is_superuser or has_role(user, *roles))


def places_for_user(user, roles) -> QuerySet[Place]:
    """The places where the user holds one of the roles (region-wide roles: all places)."""
    if user.is_active and user.is_superuser:
        return Place.objects.all()
    memberships = [m for m in _memberships(user) if m.role in roles]
    if any(m.place_id is None for m in memberships):
        return Place.objects.all()
    return Place.objects.filter(pk__in={m.place_id for m in memberships})


def manageable_places(user) -> QuerySet[Place]:
    """Places whose details, activities and sessions the user may change."""
    return places_for_user(user, MANAGING_ROLES)


def can_manage_region(user) -> bool:
    """Villages, regions and new places: administrators only."""
    return user.is_active and (user.is_superuser or has_role(user, Role.ADMIN))


# Who may check people in at a place and see its people's names.
HOSTING_ROLES = {Role.HOST, Role.COORDINATOR, Role.PROFESSIONAL, Role.ADMIN}
# Who sees a place's attendance figures (never names).
OVERVIEW_ROLES = {Role.COORDINATOR, Role.PROFESSIONAL, Role.ADMIN}


def hosting_places(user) -> QuerySet[Place]:
    """Places whose sessions the user may run at the door, and whose people they may see."""
    return places_for_user(user, HOSTING_ROLES)


def can_host_place(user, place: Place) -> bool:
    return hosting_places(user).filter(pk=place.pk).exists()


def overview_places(user) -> QuerySet[Place]:
    return places_for_user(user, OVERVIEW_ROLES)


def people_for_user(user):
    """The people whose names the user may see: of the places they host, names agreed to."""
    return Person.objects.of_places(hosting_places(user)).with_consent(Purpose.NAMES)
