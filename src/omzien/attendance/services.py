"""Writes at the door: checking people in and out, counting anonymous visitors,
registering a newcomer, and who hosted a session.

Every function takes the acting user, checks with `accounts.permissions` that they may
run the door of the session's place (`NotFound` otherwise, as for a session that does
not exist), runs in one transaction and writes the audit log for visits of a named
person. Every function is safe to repeat: a tablet that retries after a lost answer
neither loses nor doubles a visit, and a registration form sent twice registers once.
"""

import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.models import Membership
from omzien.accounts.permissions import Capability
from omzien.agenda.models import Session
from omzien.attendance.models import SessionHost, Visit
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


def _note_host(acting_user, session: Session) -> None:
    """Whoever records a visit at the session hosted it (the report's volunteers): one
    get_or_create, a no-op from the second tap on. A command (`SYSTEM`) hosts nothing."""
    if getattr(acting_user, "is_authenticated", False):
        SessionHost.objects.get_or_create(
            session=session, user=acting_user, defaults={"added_by": acting_user}
        )


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
    _note_host(acting_user, session)
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
    _note_host(acting_user, session)
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


# --- Hosts of a session (a coordinator's page) -------------------------------------------


def possible_hosts(session: Session):
    """The active users who may run the door at the session's place: those a coordinator
    can add as its hosts."""
    memberships = Membership.objects.filter(
        user__is_active=True, role__in=permissions.DOOR_ROLES
    ).filter(Q(place_id=session.activity.place_id) | Q(place__isnull=True))
    return (
        get_user_model()
        .objects.filter(pk__in=memberships.values("user"))
        .order_by("first_name", "last_name", "username")
    )


def host_choices(session: Session):
    """Who the session's hosts page may name: the possible hosts and its present hosts
    (someone who since left the place can still be taken off)."""
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=possible_hosts(session).values("pk"))
            | Q(pk__in=SessionHost.objects.filter(session=session).values("user"))
        )
        .order_by("first_name", "last_name", "username")
    )


def _require_manage(acting_user, session: Session) -> None:
    permissions.require(acting_user, Capability.MANAGE_PLACE, session.activity.place_id)


@transaction.atomic
def add_host(session: Session, user, *, acting_user) -> tuple[SessionHost, bool]:
    """Add a host to the session (twice: still one); only someone of the place."""
    _require_manage(acting_user, session)
    if not possible_hosts(session).filter(pk=user.pk).exists():
        raise ValidationError(_("Only someone who works at this meeting place can host it."))
    host, created = SessionHost.objects.get_or_create(
        session=session, user=user, defaults={"added_by": permissions.as_recorder(acting_user)}
    )
    if created:
        record(acting_user, AuditEvent.Action.CREATE, "session host", detail=_host_detail(host))
    return host, created


@transaction.atomic
def remove_host(session: Session, user, *, acting_user) -> bool:
    _require_manage(acting_user, session)
    hosts = SessionHost.objects.filter(session=session, user=user)
    host = hosts.first()
    if host is None:
        return False
    hosts.delete()
    record(acting_user, AuditEvent.Action.DELETE, "session host", detail=_host_detail(host))
    return True


def _host_detail(host: SessionHost) -> str:
    return f"session #{host.session_id} user #{host.user_id}"
