"""Writes at the door: checking people in and out, and counting anonymous visitors.

Every function is safe to repeat: a tablet that retries after a lost answer neither
loses nor doubles a visit.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.people.models import Person
from omzien.people.services import register_person


def _ensure_open(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled; nobody can be checked in."))


def check_in(session: Session, person: Person, by=None) -> tuple[Visit, bool]:
    """The person's visit to the session, and whether this call created it.

    The database's unique constraint decides between two hosts tapping at once; the one
    who loses gets the visit the other made.
    """
    _ensure_open(session)
    return Visit.objects.get_or_create(session=session, person=person, defaults={"recorded_by": by})


def undo_check_in(session: Session, person: Person) -> bool:
    deleted, _by_model = Visit.objects.filter(session=session, person=person).delete()
    return bool(deleted)


def add_anonymous(session: Session, by=None, token: uuid.UUID | None = None) -> tuple[Visit, bool]:
    """One anonymous visitor; the same token twice counts once."""
    _ensure_open(session)
    if token is None:
        return Visit.objects.create(session=session, recorded_by=by), True
    visit, created = Visit.objects.get_or_create(
        client_token=token, defaults={"session": session, "recorded_by": by}
    )
    if visit.session_id != session.pk or visit.person_id is not None:
        raise ValidationError(_("This tap belongs to another session."))
    return visit, created


@transaction.atomic
def remove_anonymous(session: Session, token: uuid.UUID | None = None) -> bool:
    """Undo one anonymous count: the one with the token, else the most recent one."""
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
    by=None,
    last_name: str = "",
) -> tuple[Person, Visit]:
    """A newcomer registered at the session's place and checked in, or nothing at all.

    A cancelled session refuses before anyone is registered; consent without names is
    refused by `register_person` (count the visitor anonymously instead).
    """
    _ensure_open(session)
    person = register_person(
        first_name=first_name,
        last_name=last_name,
        village=village,
        place=session.activity.place,
        consents=consents,
        recorded_by=by,
    )
    visit, _created = check_in(session, person, by=by)
    return person, visit
