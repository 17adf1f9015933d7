"""Writes about people: registering a newcomer and recording what they agreed to."""

import uuid
from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.people.models import Consent, Person, Purpose


def record_consent(
    person: Person,
    purpose: str,
    given: bool,
    *,
    acting_user,
    source: str = "",
    at: datetime | None = None,
) -> Consent:
    """One answer of the person about one purpose, recorded by the acting user."""
    if purpose not in Purpose.values:
        raise ValidationError(_("Unknown consent purpose '%(purpose)s'.") % {"purpose": purpose})
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        given=given,
        recorded_at=at or timezone.now(),
        recorded_by=permissions.as_recorder(acting_user),
        source=source,
    )
    record(
        acting_user,
        AuditEvent.Action.CREATE,
        "consent",
        person=person,
        detail=f"{purpose}: {'yes' if given else 'no'}",
    )
    return consent


@transaction.atomic
def register_person(
    *,
    first_name: str,
    village,
    place,
    consents: Mapping[str, bool],
    acting_user,
    last_name: str = "",
    source: str = "check-in",
    token: uuid.UUID | None = None,
) -> Person:
    """A newcomer at a place, with an answer for each consent purpose asked.

    Registering by name needs consent to show the name to hosts; without it the person
    is counted anonymously instead. Only someone who runs the door of the place may
    register there. The same ``token`` twice registers one person: the second call
    returns the first one's person (the database's unique constraint decides).
    """
    permissions.require(acting_user, Capability.DOOR, place)
    if not consents.get(Purpose.NAMES):
        raise ValidationError(
            _("Without permission to note the name, count this visitor anonymously (+1).")
        )
    if token is not None and (earlier := Person.objects.filter(registration_token=token).first()):
        return earlier
    person = Person(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        village=village,
        registered_place=place,
        registration_token=token,
    )
    person.full_clean(exclude=["registration_token"])  # the constraint decides, below
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Another request with the same form registered the person a moment ago.
        return Person.objects.get(registration_token=token)
    record(acting_user, AuditEvent.Action.CREATE, "person", person=person, detail=source)
    now = timezone.now()
    for purpose, given in consents.items():
        record_consent(person, purpose, given, acting_user=acting_user, source=source, at=now)
    return person
