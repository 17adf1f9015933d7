"""Writes to places: a coordinator closes their place for a period (holidays, a
renovation), or takes a closure back.

Like every write, each takes the acting user, checks that they manage the place
(`accounts.permissions`, `NotFound` otherwise), runs in one transaction and is recorded in
the audit log. The agenda, the feeds, the door and the signals read closures as they are
(``PlaceClosure``): nothing else needs to change when one is added or removed.
"""

from django.db import transaction

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
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
