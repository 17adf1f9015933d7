"""Erasure by an administrator, and merging duplicate person records by a coordinator.

Erasure: an administrator removes a person from Omzien (the right to be forgotten).

The same forgetting as retention (``privacy.forgetting``): the person's visits stay as
anonymous counts, everything else about them goes, and the audit log records who
erased how many people, never whom.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.audit import services as audit
from omzien.audit.models import AuditEvent
from omzien.people.models import Person
from omzien.privacy import merging
from omzien.privacy.access_request import gather
from omzien.privacy.forgetting import Forgotten, forget_people
from omzien.privacy.merging import MergeResult

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


# --- Merging duplicate person records -------------------------------------------------------

MERGE_SUBJECT = "merge of person records"


@transaction.atomic
def merge_people(kept, duplicate, *, acting_user) -> MergeResult:
    """Merge ``duplicate`` into ``kept`` for a coordinator (or an administrator).

    Both must be people of places the acting user manages (``permissions.mergeable_people``),
    else `NotFound` and nothing changes. One audit row on the kept person, with counts only:
    the duplicate's data never goes into the log.
    """
    if kept.pk == duplicate.pk:
        raise ValidationError(_("Choose two different people to merge."))
    ids = [kept.pk, duplicate.pk]
    if permissions.mergeable_people(acting_user).filter(pk__in=ids).count() != 2:
        raise permissions.NotFound
    # Two coordinators merging the same pair at once: the second waits, then finds it gone.
    if len(Person.objects.select_for_update().filter(pk__in=ids)) != 2:
        raise permissions.NotFound
    result = merging.merge_people(kept, duplicate, acting_user=acting_user)
    audit.record(
        acting_user, AuditEvent.Action.CHANGE, MERGE_SUBJECT, person=kept, detail=result.detail()
    )
    return result


@transaction.atomic
def undo_merge(merge, *, acting_user):
    """The duplicate back, with its rows, within `merging.UNDO_PERIOD` of the merge.

    `NotFound` for a merge out of the acting user's reach; a Dutch ValidationError once the
    day is over or the merge was undone already. One audit row on the kept person.
    """
    merge = permissions.access_merge_for_user(acting_user, merge.pk, write=True)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge has been undone already."), code="undone")
    if not merging.can_still_undo(merge):
        raise ValidationError(
            _("A merge can be undone for one day only; this one is older than that."),
            code="too_late",
        )
    try:
        with transaction.atomic():
            duplicate = merging.undo_merge(merge)
    except IntegrityError:
        # Meanwhile someone else got the duplicate's reference (an import) or form token.
        raise ValidationError(
            _("This merge cannot be undone any more: the other record's data is in use again."),
            code="in_use",
        ) from None
    audit.record(
        acting_user,
        AuditEvent.Action.CHANGE,
        MERGE_SUBJECT,
        person=merge.kept,
        detail=f"merge undone: the duplicate record #{duplicate.pk} is back",
    )
    return duplicate


# --- Privacy rights on a resident's request (AVG art. 15-18) ----------------------------
#
# For those who follow up the people of a place (`permissions.privacy_rights_people`),
# else `NotFound` and nothing changes or is produced. Each writes one audit row: what kind
# of request was handled for whom, never the data itself.

ACCESS_SUBJECT = "access request"
RECTIFICATION_SUBJECT = "rectification"
RESTRICTION_SUBJECT = "restriction"
ERASURE_ON_REQUEST_SUBJECT = "erasure on request"


def _in_scope(person, acting_user) -> Person:
    found = permissions.privacy_rights_people(acting_user).filter(pk=person.pk).first()
    if found is None:
        raise permissions.NotFound
    return found


def produce_access_request(person, *, acting_user, output: str):
    """Everything Omzien keeps about the person (``privacy.access_request.gather``), for
    ``output`` "pdf" or "json"; audit-logged as an export of that person's data."""
    person = _in_scope(person, acting_user)
    audit.record(
        acting_user, AuditEvent.Action.EXPORT, ACCESS_SUBJECT, person=person, detail=output
    )
    return gather(person)


@transaction.atomic
def rectify_person(person, *, first_name: str, last_name: str, village, acting_user) -> Person:
    """Correct the person's name and village; the audit row names the fields changed, not
    their old or new values. A Dutch ValidationError for an empty first name."""
    person = _in_scope(person, acting_user)
    changes = {
        "first_name": " ".join((first_name or "").split()),
        "last_name": " ".join((last_name or "").split()),
        "village": village,
    }
    if not changes["first_name"]:
        raise ValidationError({"first_name": _("A first name is needed.")})
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    if not changed:
        return person
    for name in changed:
        setattr(person, name, changes[name])
    person.full_clean(exclude=["registration_token", "ref"])
    person.save(update_fields=changed)
    audit.record(
        acting_user,
        AuditEvent.Action.CHANGE,
        RECTIFICATION_SUBJECT,
        person=person,
        detail="changed: " + ", ".join(changed),
    )
    return person


def restrict_person(person, *, acting_user) -> Person:
    """Freeze the person's data (AVG art. 18): kept and shown, but no signals and no help
    matching until the restriction is lifted. Restricting twice changes nothing."""
    return _set_restriction(person, restricted=True, acting_user=acting_user)


def lift_restriction(person, *, acting_user) -> Person:
    return _set_restriction(person, restricted=False, acting_user=acting_user)


@transaction.atomic
def _set_restriction(person, *, restricted: bool, acting_user) -> Person:
    person = _in_scope(person, acting_user)
    if (person.restricted_at is not None) != restricted:
        person.restricted_at = timezone.now() if restricted else None
        person.save(update_fields=["restricted_at"])
        audit.record(
            acting_user,
            AuditEvent.Action.CHANGE,
            RESTRICTION_SUBJECT,
            person=person,
            detail="restricted" if restricted else "lifted",
        )
    return person


def erase_person_on_request(person, *, acting_user) -> Forgotten:
    """Forget the person at their request, for someone who follows them up: the same
    forgetting as the administrator's (visits stay as anonymous counts); the audit row
    says that it happened and how many rows, never whom."""
    person = _in_scope(person, acting_user)
    check_may_erase_on_request(person, acting_user)
    return forget_people([person.pk], acting_user=acting_user, subject=ERASURE_ON_REQUEST_SUBJECT)


def check_may_erase_on_request(person, acting_user) -> None:
    """Someone who also comes to a place outside the user's reach is erased there too,
    so that takes the region's administrator (``PermissionDenied`` with the words)."""
    if not permissions.reaches_all_places_of(acting_user, person):
        raise permissions.PermissionDenied(
            _(
                "This person also comes to a meeting place outside yours. Erasing them "
                "erases them there too, so ask the region's administrator to do it."
            )
        )
