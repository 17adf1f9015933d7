"""``omzien import_help``: help requests and offers from a CSV or .xlsx list (design.md).

Coordinators keep their helpers in Excel; this reads such a list. The columns:
``kind`` (``vraag`` or ``aanbod``), ``ref`` (the caller's stable id of the request or
offer), ``person_ref``, ``first_name``, ``last_name``, ``village`` (name or slug),
``categories``, ``days``, ``parts`` (values separated by ``;``), ``max_per_month`` and
``max_km`` (offers), ``urgency`` (requests), ``description``, ``phone``, ``email`` and
``consent`` (``help`` when the person agreed to keeping the contact details). The Dutch
names in ``DUTCH_COLUMNS`` are read too; names without regard to case and spaces.

All or nothing: every row is checked first and every problem is listed with its row and
column (``Problem``, as ``import_visits`` says them); with any problem nothing is
written. Then, in one transaction: people are created by ``person_ref`` (or an existing
person's empty last name and village filled in), requests and offers created or updated
by ``ref`` (only what differs is written), and a ``help`` consent answer recorded where
the list says so and the person's latest answer is not already yes. Importing the same
list twice changes nothing the second time. Phone and e-mail need the ``help`` consent:
without it the row is refused rather than the details silently dropped. Text cells are
read through ``core.tables`` (formula quotes undone, .xlsx checked before opening).
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.tables import TableFileError, normalise_header, open_table
from omzien.helping.models import (
    DESCRIPTION_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    Category,
    Day,
    HelpEvent,
    HelpOffer,
    HelpRequest,
    PartOfDay,
    Urgency,
)
from omzien.helping.services import handling_place
from omzien.people import services as people_services
from omzien.people.models import Consent, Person, Purpose, generated_pk, latest_answers
from omzien.places.models import Village

REQUEST, OFFER = "vraag", "aanbod"
COLUMNS = (
    "kind",
    "ref",
    "person_ref",
    "first_name",
    "last_name",
    "village",
    "categories",
    "days",
    "parts",
    "max_per_month",
    "max_km",
    "urgency",
    "description",
    "phone",
    "email",
    "consent",
)
REQUIRED = ("kind", "ref", "village", "categories")
DUTCH_COLUMNS = {
    "soort": "kind",
    "kenmerk": "ref",
    "persoon": "person_ref",
    "voornaam": "first_name",
    "achternaam": "last_name",
    "dorp": "village",
    "categorieen": "categories",
    "categorieën": "categories",
    "dagen": "days",
    "dagdelen": "parts",
    "max_per_maand": "max_per_month",
    "urgentie": "urgency",
    "omschrijving": "description",
    "telefoon": "phone",
    "toestemming": "consent",
}
REF_MAX_LENGTH = 64
NAME_MAX_LENGTH = 100
PHONE_MAX_LENGTH = 20
MAX_PER_MONTH_LIMIT = 100
MAX_KM_LIMIT = 100
SOURCE = "import_help"


@dataclass(frozen=True)
class Problem:
    """One thing wrong: the row as Excel shows it (0: the file), the column (empty: the
    whole row) and the message."""

    row: int
    column: str
    message: str

    def __str__(self):
        if self.row and self.column:
            return _("Row %(row)d, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class Entry:
    """One checked row."""

    row: int
    kind: str
    ref: str
    person_ref: str
    first_name: str
    last_name: str
    village: Village
    categories: list[str]
    days: list[str]
    parts: list[str]
    max_per_month: int | None
    max_km: int | None
    urgency: str
    description: str
    phone: str
    email: str
    consent: bool


@dataclass
class HelpImportResult:
    name: str
    dry_run: bool = False
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    people_created: int = 0
    people_completed: int = 0
    requests_created: int = 0
    requests_updated: int = 0
    offers_created: int = 0
    offers_updated: int = 0
    consents: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class _DryRun(Exception):
    pass


def import_help(path, *, dry_run: bool = False, acting_user) -> HelpImportResult:
    """Check the list and, without a problem and unless ``dry_run``, write it."""
    if acting_user is not permissions.SYSTEM:
        raise PermissionDenied
    result = HelpImportResult(name=Path(path).name, dry_run=dry_run)
    try:
        entries = _read(path, result)
    except TableFileError as error:
        result.problems.append(Problem(error.row or 0, "", error.message))
        return result
    if result.problems:
        return result
    try:
        with transaction.atomic():
            _write(entries, result, acting_user)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


# -- reading and checking -----------------------------------------------------------


def _columns(header: list[str], result: HelpImportResult) -> dict[str, int] | None:
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        normalised = normalise_header(name)
        column = DUTCH_COLUMNS.get(normalised, normalised)
        if column not in COLUMNS:
            result.problems.append(
                Problem(
                    0,
                    "",
                    _(
                        "The column '%(name)s' is not part of the help file. The columns "
                        "are: %(columns)s."
                    )
                    % {"name": name, "columns": ", ".join(COLUMNS)},
                )
            )
        elif column in positions:
            result.problems.append(
                Problem(0, "", _("The column '%(name)s' appears twice.") % {"name": name})
            )
        else:
            positions[column] = index
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        result.problems.append(
            Problem(
                0,
                "",
                _("The help file has no column %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
    return None if result.problems else positions


def _read(path, result: HelpImportResult) -> list[Entry]:
    villages = _villages()
    entries, seen = [], {}
    with open_table(path) as source:
        positions = _columns(source.header, result)
        if positions is None:
            return []
        for row, values in source:
            if not any(values):
                continue
            result.rows += 1
            cells = {
                column: values[index] if index < len(values) else ""
                for column, index in positions.items()
            }
            entry = _check(row, cells, villages, result)
            if entry is None:
                continue
            earlier = seen.get((entry.kind, entry.ref))
            if earlier is not None:
                result.problems.append(
                    Problem(
                        row,
                        "ref",
                        _("'%(ref)s' is in row %(row)d already.")
                        % {"ref": entry.ref, "row": earlier},
                    )
                )
                continue
            seen[entry.kind, entry.ref] = row
            entries.append(entry)
    if not result.rows:
        result.problems.append(
            Problem(0, "", _("The help file has no rows below the column names."))
        )
    return entries


def _villages() -> dict[str, Village]:
    found: dict[str, Village] = {}
    for village in Village.objects.all():
        found.setdefault(village.slug.lower(), village)
        found.setdefault(village.name.strip().lower(), village)
    return found


def _check(row: int, cells: dict, villages: dict, result: HelpImportResult) -> Entry | None:
    before = len(result.problems)

    def problem(column: str, message: str) -> None:
        result.problems.append(Problem(row, column, message))

    def get(column: str) -> str:
        return cells.get(column, "").strip()

    kind = get("kind").lower()
    if kind not in (REQUEST, OFFER):
        problem(
            "kind",
            _("write 'vraag' (a request) or 'aanbod' (an offer), not '%(value)s'.")
            % {"value": get("kind")},
        )
    ref = get("ref")
    if not ref:
        problem("ref", _("every row needs a ref: the id of the request or offer in your list."))
    elif len(ref) > REF_MAX_LENGTH:
        problem("ref", _("at most %(count)d characters.") % {"count": REF_MAX_LENGTH})
    person_ref = get("person_ref")
    first_name, last_name = get("first_name"), get("last_name")
    if len(person_ref) > REF_MAX_LENGTH:
        problem("person_ref", _("at most %(count)d characters.") % {"count": REF_MAX_LENGTH})
    if person_ref and generated_pk(person_ref) is not None and not _person_exists(person_ref):
        problem("person_ref", _("Omzien knows no person '%(value)s'.") % {"value": person_ref})
    elif person_ref and not first_name and not _person_exists(person_ref):
        problem("first_name", _("a new person needs a first name."))
    for column, value in (("first_name", first_name), ("last_name", last_name)):
        if len(value) > NAME_MAX_LENGTH:
            problem(column, _("at most %(count)d characters.") % {"count": NAME_MAX_LENGTH})
    village = villages.get(get("village").lower())
    if village is None:
        problem(
            "village", _("'%(value)s' is not a village Omzien knows.") % {"value": get("village")}
        )
    categories = _values(get("categories"), Category, "categories", problem)
    if not categories and not get("categories"):
        problem(
            "categories",
            _("name at least one: %(values)s.") % {"values": ", ".join(Category.values)},
        )
    days = _values(get("days"), Day, "days", problem)
    parts = _values(get("parts"), PartOfDay, "parts", problem)
    max_per_month = _whole(get("max_per_month"), "max_per_month", MAX_PER_MONTH_LIMIT, problem)
    max_km = _whole(get("max_km"), "max_km", MAX_KM_LIMIT, problem)
    urgency = get("urgency").lower().replace(" ", "-")
    if kind == REQUEST:
        for column in ("max_per_month", "max_km"):
            if get(column):
                problem(column, _("only for an offer (aanbod); leave it empty for a request."))
        if urgency and urgency not in Urgency.values:
            problem(
                "urgency",
                _("'%(value)s' is not one of %(values)s.")
                % {"value": get("urgency"), "values": ", ".join(Urgency.values)},
            )
    elif kind == OFFER and urgency:
        problem("urgency", _("only for a request (vraag); leave it empty for an offer."))
    description = get("description")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        problem(
            "description", _("at most %(count)d characters.") % {"count": DESCRIPTION_MAX_LENGTH}
        )
    phone, email = get("phone"), get("email")
    if len(phone) > PHONE_MAX_LENGTH:
        problem("phone", _("at most %(count)d characters.") % {"count": PHONE_MAX_LENGTH})
    if len(email) > EMAIL_MAX_LENGTH:
        problem("email", _("at most %(count)d characters.") % {"count": EMAIL_MAX_LENGTH})
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            problem("email", _("'%(value)s' is not an e-mail address.") % {"value": email})
    consent_values = [value.strip().lower() for value in get("consent").split(";") if value.strip()]
    if any(value != Purpose.HELP for value in consent_values):
        problem("consent", _("write 'help' when the person agreed, or leave it empty."))
    consent = Purpose.HELP in consent_values
    if (phone or email) and not consent:
        problem(
            "consent",
            _(
                "phone and e-mail are kept only when the person agreed: write 'help' here, "
                "or leave them out."
            ),
        )
    if len(result.problems) > before:
        return None
    return Entry(
        row=row,
        kind=kind,
        ref=ref,
        person_ref=person_ref,
        first_name=first_name,
        last_name=last_name,
        village=village,
        categories=categories,
        days=days,
        parts=parts,
        max_per_month=max_per_month,
        max_km=max_km,
        urgency=urgency or Urgency.NO_HURRY,
        description=description,
        phone=phone,
        email=email,
        consent=consent,
    )


def _values(text: str, choices, column: str, problem) -> list[str]:
    """The values of a ``;`` list, in the choices' order; a problem for an unknown one."""
    given = [value.strip().lower() for value in text.replace(",", ";").split(";") if value.strip()]
    unknown = [value for value in given if value not in choices.values]
    if unknown:
        problem(
            column,
            _("'%(value)s' is not one of %(values)s.")
            % {"value": unknown[0], "values": ", ".join(choices.values)},
        )
        return []
    return [value for value in choices.values if value in given]


def _whole(text: str, column: str, limit: int, problem) -> int | None:
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        number = None
    if number is None or not 0 <= number <= limit:
        problem(
            column,
            _("write a whole number from 0 to %(limit)d, not '%(value)s'.")
            % {"limit": limit, "value": text},
        )
        return None
    return number


def _person_exists(person_ref: str) -> bool:
    pk = generated_pk(person_ref)
    if pk is not None:
        return Person.objects.filter(pk=pk).exists()
    return Person.objects.filter(ref=person_ref).exists()


# -- writing ------------------------------------------------------------------------


def _write(entries: list[Entry], result: HelpImportResult, acting_user) -> None:
    now = timezone.now()
    people = _people(entries, result)
    places: dict = {}

    def place_for(village):
        if village.pk not in places:
            places[village.pk] = handling_place(village)
        return places[village.pk]

    consenting = [people[e.person_ref] for e in entries if e.consent and e.person_ref]
    latest = latest_answers(
        Consent.objects.filter(person__in=[p.pk for p in consenting], purpose=Purpose.HELP)
    )
    for person in {person.pk: person for person in consenting}.values():
        if not latest.get((person.pk, Purpose.HELP)):
            people_services.record_consent(
                person, Purpose.HELP, True, acting_user=acting_user, source=SOURCE, at=now
            )
            result.consents += 1

    requests = HelpRequest.objects.in_bulk(
        [e.ref for e in entries if e.kind == REQUEST], field_name="ref"
    )
    offers = HelpOffer.objects.in_bulk(
        [e.ref for e in entries if e.kind == OFFER], field_name="ref"
    )
    for entry in entries:
        person = people.get(entry.person_ref) if entry.person_ref else None
        values = {
            "person": person,
            "first_name": entry.first_name or (person.first_name if person else ""),
            "village": entry.village,
            "categories": entry.categories,
            "days": entry.days,
            "parts": entry.parts,
            "description": entry.description,
            "phone": entry.phone,
            "email": entry.email,
        }
        if entry.kind == REQUEST:
            values["urgency"] = entry.urgency
            existing = requests.get(entry.ref)  # nosec B113  # a dict, not the requests library
            created = _save(HelpRequest, existing, entry, values, now, place_for, result)
            if created is not None:
                HelpEvent.objects.create(
                    request=created,
                    from_status="",
                    to_status=created.status,
                    by=None,
                    at=now,
                    note=SOURCE,
                )
        else:
            values["max_per_month"] = entry.max_per_month
            values["max_km"] = entry.max_km
            _save(HelpOffer, offers.get(entry.ref), entry, values, now, place_for, result)
    record(
        acting_user,
        AuditEvent.Action.IMPORT,
        "help file",
        detail=(
            f"{result.name}: {result.requests_created}+{result.requests_updated} requests, "
            f"{result.offers_created}+{result.offers_updated} offers, "
            f"{result.people_created} people"
        ),
    )


def _save(model, existing, entry: Entry, values: dict, now, place_for, result):
    """Create, or update what differs; the new object when one was created."""
    counter = "requests" if model is HelpRequest else "offers"
    if entry.consent:
        values["consent_at"] = existing.consent_at if existing and existing.consent_at else now
    if existing is None:
        obj = model.objects.create(
            ref=entry.ref,
            source=HelpRequest.Source.IMPORT,
            place=place_for(entry.village),
            **values,
        )
        setattr(result, f"{counter}_created", getattr(result, f"{counter}_created") + 1)
        return obj
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if changed:
        for name in changed:
            setattr(existing, name, values[name])
        existing.save(update_fields=changed)
        setattr(result, f"{counter}_updated", getattr(result, f"{counter}_updated") + 1)
    return None


def _people(entries: list[Entry], result: HelpImportResult) -> dict[str, Person]:
    """person_ref -> Person: found, completed (empty last name or village) or created."""
    people: dict[str, Person] = {}
    for entry in entries:
        if not entry.person_ref or entry.person_ref in people:
            continue
        pk = generated_pk(entry.person_ref)
        found = (
            Person.objects.filter(pk=pk).first()
            if pk is not None
            else Person.objects.filter(ref=entry.person_ref).first()
        )
        if found is None:
            found = Person.objects.create(
                ref=entry.person_ref,
                first_name=entry.first_name,
                last_name=entry.last_name,
                village=entry.village,
            )
            result.people_created += 1
        else:
            completed = []
            if not found.last_name and entry.last_name:
                found.last_name = entry.last_name
                completed.append("last_name")
            if found.village_id is None:
                found.village = entry.village
                completed.append("village")
            if completed:
                found.save(update_fields=completed)
                result.people_completed += 1
        people[entry.person_ref] = found
    return people
