"""Erasure: an administrator removes a person from Omzien (the right to be forgotten).

The same forgetting as retention (``privacy.forgetting``): the person's visits stay as
anonymous counts, everything else about them goes, and the audit log records who
erased how many people, never whom.
"""

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.privacy.forgetting import Forgotten, forget_people

SUBJECT = "erasure"


def erase_people(people, *, acting_user) -> Forgotten:
    """Forget these people (Person objects, a queryset, or ids) at an administrator's request.

    Raises ``permissions.NotFound``, and changes nothing, for anyone but an
    administrator of the region (``Capability.MANAGE_REGION``).
    """
    permissions.require(acting_user, Capability.MANAGE_REGION)
    ids = [getattr(person, "pk", person) for person in people]
    return forget_people(ids, acting_user=acting_user, subject=SUBJECT)


def erase_person(person, *, acting_user) -> Forgotten:
    return erase_people([person], acting_user=acting_user)
