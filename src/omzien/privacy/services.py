"""Erasure: an administrator removes a person from Omzien (the right to be forgotten).

The same forgetting as retention (``privacy.forgetting``): the person's visits stay as
anonymous counts, everything else about them goes, and the audit log records who
erased how many people, never whom.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from omzien.accounts.permissions import can_manage_region
from omzien.privacy.forgetting import Forgotten, forget_people

SUBJECT = "erasure"


def erase_people(people, *, acting_user) -> Forgotten:
    """Forget these people (Person objects, a queryset, or ids) at an administrator's request.

    Raises PermissionDenied, and changes nothing, for anyone but an administrator.
    """
    if acting_user is None or not can_manage_region(acting_user):
        raise PermissionDenied(_("Only administrators may erase a person."))
    ids = [getattr(person, "pk", person) for person in people]
    return forget_people(ids, acting_user=acting_user, subject=SUBJECT)


def erase_person(person, *, acting_user) -> Forgotten:
    return erase_people([person], acting_user=acting_user)
