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
from omzien.core.validators import normalise_phone_nl
from omzien.people.models import Consent, FollowUpContact, Person, Purpose


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
    if purpose == Purpose.FOLLOWUP and not given:
        _clear_followup_contact(person, acting_user=acting_user)
    return consent


def _clear_followup_contact(person: Person, *, acting_user) -> None:
    """Without the follow-up consent nobody may keep how to reach the person."""
    deleted, _per_model = FollowUpContact.objects.filter(person=person).delete()
    if deleted:
        record(
            acting_user,
            AuditEvent.Action.DELETE,
            "contact details",
            person=person,
            detail="follow-up consent withdrawn",
        )


def clean_followup_contact(phone: str, how_to_reach: str) -> tuple[str, str]:
    """The phone number as digits and the free text trimmed, or a Dutch ValidationError."""
    phone = (phone or "").strip()
    how_to_reach = " ".join((how_to_reach or "").split())
    if phone:
        phone = normalise_phone_nl(phone)
    if len(how_to_reach) > FollowUpContact._meta.get_field("how_to_reach").max_length:
        raise ValidationError(
            _("Keep it short: at most %(max)d characters.")
            % {"max": FollowUpContact._meta.get_field("how_to_reach").max_length}
        )
    return phone, how_to_reach


def _store_followup_contact(person, phone, how_to_reach, *, acting_user) -> FollowUpContact | None:
    if not (phone or how_to_reach):
        deleted, _per_model = FollowUpContact.objects.filter(person=person).delete()
        if deleted:
            record(acting_user, AuditEvent.Action.DELETE, "contact details", person=person)
        return None
    contact, created = FollowUpContact.objects.update_or_create(
        person=person,
        defaults={
            "phone": phone,
            "how_to_reach": how_to_reach,
            "updated_by": permissions.as_recorder(acting_user),
        },
    )
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE
    record(acting_user, action, "contact details", person=person)
    return contact


@transaction.atomic
def set_followup_contact(
    person: Person, *, phone: str = "", how_to_reach: str = "", acting_user
) -> FollowUpContact | None:
    """Record (or, both empty, remove) how to reach the person for follow-up.

    For those who follow the person up (``permissions.may_reach_person``), else
    `NotFound`; the person needs the follow-up consent.
    """
    if not permissions.may_reach_person(acting_user, person):
        raise permissions.NotFound
    phone, how_to_reach = clean_followup_contact(phone, how_to_reach)
    return _store_followup_contact(person, phone, how_to_reach, acting_user=acting_user)


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
    phone: str = "",
    how_to_reach: str = "",
) -> Person:
    """A newcomer at a place, with an answer for each consent purpose asked.

    Registering by name needs consent to show the name to hosts; without it the person
    is counted anonymously instead. Only someone who runs the door of the place may
    register there. ``phone`` and ``how_to_reach`` (optional) are kept only with the
    follow-up consent; the host who notes them does not see them again. The same
    ``token`` twice registers one person: the second call returns the first one's
    person (the database's unique constraint decides).
    """
    permissions.require(acting_user, Capability.DOOR, place)
    phone, how_to_reach = clean_followup_contact(phone, how_to_reach)
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
    if consents.get(Purpose.FOLLOWUP) and (phone or how_to_reach):
        _store_followup_contact(person, phone, how_to_reach, acting_user=acting_user)
    return person
