"""Writes to places: a coordinator closes their place for a period (holidays, a
renovation), or takes a closure back; and the coordinates of a place's address, looked up
when a coordinator enters it (``locate_address``).

Like every write, each takes the acting user, checks that they manage the place
(`accounts.permissions`, `NotFound` otherwise), runs in one transaction and is recorded in
the audit log. The agenda, the feeds, the door and the signals read closures as they are
(``PlaceClosure``): nothing else needs to change when one is added or removed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.validators import validate_latitude_nl, validate_longitude_nl
from omzien.places import geocoding
from omzien.places.models import PlaceClosure


def _detail(closure: PlaceClosure) -> str:
    return f"#{closure.pk} {closure.place} {closure.first_day} – {closure.last_day}"


@transaction.atomic
def save_closure(closure: PlaceClosure, *, acting_user) -> PlaceClosure:
    """A new or changed closure of a place the acting user manages."""
    permissions.require(acting_user, Capability.MANAGE_PLACE, closure.place_id)
    if closure.pk is not None:
        # Moving a closure to another place needs the old place too.
        old_place = PlaceClosure.objects.filter(pk=closure.pk).values_list("place", flat=True)
        for place_id in old_place:
            permissions.require(acting_user, Capability.MANAGE_PLACE, place_id)
    closure.reason = closure.reason.strip()
    closure.full_clean()
    created = closure.pk is None
    closure.save()
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE
    record(acting_user, action, "closure", detail=_detail(closure))
    return closure


@transaction.atomic
def delete_closure(closure: PlaceClosure, *, acting_user) -> None:
    """The place is open on those days after all."""
    permissions.require(acting_user, Capability.MANAGE_PLACE, closure.place_id)
    detail = _detail(closure)
    closure.delete()
    record(acting_user, AuditEvent.Action.DELETE, "closure", detail=detail)


def locate_address(
    *, street: str, postcode: str, town: str, acting_user, place=None, fetch=None
) -> geocoding.Location:
    """The coordinates of a place's address at PDOK's Locatieserver, for whoever may
    change the place (a new place: who may add places).

    Only from a coordinator's form, never a public request. ``GeocodingError`` (its
    ``message`` in Dutch) when the server cannot be reached in time, knows no such
    address, or puts it outside the Netherlands: the coordinator then enters the
    coordinates by hand. ``fetch``: the HTTP GET, for tests (``geocoding.fetch_url``).
    """
    if place is not None and place.pk is not None:
        permissions.require(acting_user, Capability.MANAGE_PLACE, place.pk)
    else:
        permissions.require(acting_user, Capability.MANAGE_REGION)
    address = f"{street.strip()}, {postcode.strip()} {town.strip()}"
    location = geocoding.geocode(address, fetch=fetch)
    try:
        validate_latitude_nl(location.latitude)
        validate_longitude_nl(location.longitude)
    except ValidationError as error:
        raise geocoding.GeocodingError(
            _(
                "PDOK's address search puts %(address)s at %(latitude)s, %(longitude)s: "
                "outside the Netherlands."
            )
            % {
                "address": location.label,
                "latitude": location.latitude,
                "longitude": location.longitude,
            }
        ) from error
    return location
