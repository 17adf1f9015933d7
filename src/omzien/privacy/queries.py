"""What the merge pages show of a person: their visits at the user's places and consents."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min
from django.utils.translation import gettext_lazy as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.attendance.models import Visit
from omzien.people.models import Consent, Purpose, latest_answers

# Short words for a narrow column; the consent question itself is on the door's form.
CONSENT_WORDS = {
    Purpose.NAMES.value: _("Name shown at the door"),
    Purpose.FOLLOWUP.value: _("May be asked how they are"),
    Purpose.QUESTIONNAIRES.value: _("Questionnaires"),
}


@dataclass(frozen=True)
class PersonSummary:
    person: object
    visits: int
    first_visit: date | None
    last_visit: date | None
    consents: list[tuple[str, bool | None]]  # (purpose label, latest answer or None)


def summaries(user, people) -> dict[int, PersonSummary]:
    """Per person: visits at the places the user manages, first and last visit there, and
    the latest answer per consent purpose; a few queries whatever the number of people."""
    people = list(people)
    ids = [person.pk for person in people]
    visits = (
        Visit.objects.filter(person_id__in=ids)
        .filter(permissions.in_reach(user, Capability.MANAGE_PLACE, "session__activity__place"))
        .values("person_id")
        .annotate(count=Count("pk"), first=Min("session__date"), last=Max("session__date"))
    )
    by_person = {row["person_id"]: row for row in visits}
    answers = latest_answers(Consent.objects.filter(person_id__in=ids))
    result = {}
    for person in people:
        row = by_person.get(person.pk, {})
        result[person.pk] = PersonSummary(
            person=person,
            visits=row.get("count", 0),
            first_visit=row.get("first"),
            last_visit=row.get("last"),
            consents=[(label, answers.get((person.pk, value))) for value, label in Purpose.choices],
        )
    return result
