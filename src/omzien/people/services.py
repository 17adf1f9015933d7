"""Writes about people: registering a newcomer and recording what they agreed to."""

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.people.models import Consent, Person, Purpose


def record_consent(
    person: Person,
    purpose: str,
    given: bool,
    recorded_by=None,
    source: str = "",
    at: datetime | None = None,
) -> Consent:
    if purpose not in Purpose.values:
        raise ValidationError(_("Unknown consent purpose '%(purpose)s'.") % {"purpose": purpose})
    return Consent.objects.create(
        person=person,
        purpose=purpose,
        given=given,
        recorded_at=at or timezone.now(),
        recorded_by=recorded_by,
        source=source,
    )


@transaction.atomic
def register_person(
    *,
    first_name: str,
    village,
    place,
    consents: Mapping[str, bool],
    recorded_by=None,
    last_name: str = "",
    source: str = "check-in",
) -> Person:
    """A newcomer at a place, with an answer for each consent purpose asked.

    Registering by name needs consent to show the name to hosts; without it the person
    is counted anonymously instead.
    """
    if not consents.get(Purpose.NAMES):
        raise ValidationError(
            _("Without permission to note the name, count this visitor anonymously (+1).")
        )
    person = Person(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        village=village,
        registered_place=place,
    )
    person.full_clean()
    person.save()
    now = timezone.now()
    for purpose, given in consents.items():
        record_consent(person, purpose, given, recorded_by, source, at=now)
    return person
