"""Writes at the door: checking people in and out, counting anonymous visitors, and
registering a newcomer.

Every function takes the acting user, checks with `accounts.permissions` that they may
run the door of the session's place (`NotFound` otherwise, as for a session that does
not exist), runs in one transaction and writes the audit log for visits of a named
person. Every function is safe to repeat: a tablet that retries after a lost answer
neither loses nor doubles a visit, and a registration form sent twice registers once.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.people.models import Person
from omzien.people.services import register_person


def _require_door(acting_user, session: Session) -> None:
    permissions.require(acting_user, Capability.DOOR, session.activity.place_id)


def _require_open(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled; nobody can be checked in."))
    if session.closure is not None:
        raise ValidationError(
            _("The meeting place is closed on this day; nobody can be checked in.")
        )


def _require_findable(acting_user, session: Session, person: Person) -> None:
    """Only people a host of this session may find at the door: of its place, named."""
    if not permissions.door_people(acting_user, session).filter(pk=person.pk).exists():
        raise permissions.NotFound


def _audit_visit(acting_user, action: str, session: Session, person: Person) -> None:
    record(acting_user, action, "visit", person=person, detail=f"session #{session.pk}")


@transaction.atomic
def check_in(session: Session, person: Person, *, acting_user) -> tuple[Visit, bool]:
    """The person's visit to the session, and whether this call created it.

    The database's unique constraint decides between two hosts tapping at once; the one
    who loses gets the visit the other made.
    """
    _require_door(acting_user, session)
    _require_findable(acting_user, session, person)
    _require_open(session)
    visit, created = Visit.objects.get_or_create(
        session=session,
        person=person,
        defaults={"recorded_by": permissions.as_recorder(acting_user)},
    )
    if created:
        _audit_visit(acting_user, AuditEvent.Action.CREATE, session, person)
    return visit, created


@transaction.atomic
def undo_check_in(session: Session, person: Person, *, acting_user) -> bool:
    _require_door(acting_user, session)
    _require_findable(acting_user, session, person)
    deleted, _by_model = Visit.objects.filter(session=session, person=person).delete()
    if deleted:
        _audit_visit(acting_user, AuditEvent.Action.DELETE, session, person)
    return bool(deleted)


@transaction.atomic
def add_anonymous(
    session: Session, *, acting_user, token: uuid.UUID | None = None
) -> tuple[Visit, bool]:
    """One anonymous visitor; the same token twice counts once. Not audit-logged: an
    anonymous count is nobody's personal data."""
    _require_door(acting_user, session)
    _require_open(session)
    if token is None:
        return Visit.objects.create(
            session=session, recorded_by=permissions.as_recorder(acting_user)
        ), True
    visit, created = Visit.objects.get_or_create(
        client_token=token,
        defaults={"session": session, "recorded_by": permissions.as_recorder(acting_user)},
    )
    if visit.session_id != session.pk or visit.person_id is not None:
        raise ValidationError(_("This tap belongs to another session."))
    return visit, created


@transaction.atomic
def remove_anonymous(session: Session, *, acting_user, token: uuid.UUID | None = None) -> bool:
    """Undo one anonymous count: the one with the token, else the most recent one."""
    _require_door(acting_user, session)
    anonymous = Visit.objects.filter(session=session, person__isnull=True)
    if token is not None:
        anonymous = anonymous.filter(client_token=token)
    last = anonymous.order_by("-recorded_at", "-pk").first()
    if last is None:
        return False
    last.delete()
    return True


@transaction.atomic
def register_and_check_in(
    session: Session,
    *,
    first_name: str,
    village,
    consents,
    acting_user,
    last_name: str = "",
    token: uuid.UUID | None = None,
    phone: str = "",
    how_to_reach: str = "",
) -> tuple[Person, Visit]:
    """A newcomer registered at the session's place and checked in, or nothing at all.

    A cancelled session, or one on a day its place is closed, refuses before anyone is
    registered; consent without names is
    refused by `register_person` (count the visitor anonymously instead). The form's
    ``token`` makes a form sent twice (a double tap, a retry) register one person: the
    second time, the person the first made is checked in again, which changes nothing.
    """
    _require_door(acting_user, session)
    _require_open(session)
    person = register_person(
        first_name=first_name,
        last_name=last_name,
        village=village,
        place=session.activity.place,
        consents=consents,
        acting_user=acting_user,
        token=token,
        phone=phone,
        how_to_reach=how_to_reach,
    )
    visit, _created = check_in(session, person, acting_user=acting_user)
    return person, visit
