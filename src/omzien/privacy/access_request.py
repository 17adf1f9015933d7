"""Inzage (AVG art. 15): everything Omzien keeps about one person, gathered once.

``gather(person)`` reads it in a few queries and returns an `AccessRequest`; the PDF
(``privacy.access_pdf``) and the JSON (``AccessRequest.as_json``) both render that one
object, so the two never differ. Whether the user may produce it, and the audit row,
are ``privacy.services.produce_access_request``'s.

Exhaustive by construction, and kept so by a test: every model with a foreign key to
``people.Person`` is in `INCLUDED` (a section here) or in `EXCLUDED` with the reason.
Questionnaire answers are excluded on purpose: they hang on a pseudonym and the staff
who produce this never see them. The person sees their own with a one-time link for
their own phone, which the same staff make and hand over unopened
(``wellbeing.services.make_own_answers_link``; see docs/privacy.md, "Inzage").
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.helping.models import HelpOffer, HelpRequest
from omzien.people.models import Consent, FollowUpContact, Person
from omzien.privacy.models import PersonMerge
from omzien.signals.models import AnnouncedAbsence, ContactLog, Signal

# model label -> the section that shows its rows
INCLUDED = {
    "people.Person": "person",
    "people.Consent": "consents",
    "people.FollowUpContact": "contact",
    "attendance.Visit": "visits",
    "signals.Signal": "signals",
    "signals.ContactLog": "signals",
    "signals.AnnouncedAbsence": "absences",
    "helping.HelpRequest": "help_requests",
    "helping.HelpEvent": "help_requests",
    "helping.HelpFeedback": "help_requests",
    "helping.HelpMatch": "help_requests",
    "helping.HelpOffer": "help_offers",
    "audit.AuditEvent": "audit",
    "privacy.PersonMerge": "merges",
}

# model label -> why its rows are not in the staff's export (said in the export too)
EXCLUDED = {
    "wellbeing.PseudonymLink": gettext_lazy(
        "Questionnaire answers are kept under a pseudonym (a code), apart from the name, so "
        "staff never see them, also not here. You see your own answers with a one-time link "
        "for your own phone, which whoever gave you this overview can make for you: it opens "
        "them once, for you alone."
    ),
}

# Fields that are the machinery, not data about the person (tokens, search keys).
INTERNAL_FIELDS = {
    "people.Person": {"search_name", "registration_token"},
    "attendance.Visit": {"client_token"},
    "privacy.PersonMerge": {"snapshot"},
}

SECTION_TITLES = {
    "person": gettext_lazy("Person"),
    "consents": gettext_lazy("Consents (every answer, latest counts)"),
    "contact": gettext_lazy("How to reach them for follow-up"),
    "visits": gettext_lazy("Visits"),
    "signals": gettext_lazy("Signals (we had not seen them) and contacts"),
    "absences": gettext_lazy("Announced absences"),
    "help_requests": gettext_lazy("Help asked"),
    "help_offers": gettext_lazy("Help offered"),
    "audit": gettext_lazy("Who looked at or changed their data"),
    "merges": gettext_lazy("Merged records"),
}


@dataclass
class Value:
    name: str
    label: str
    data: object  # for JSON
    text: str  # for the PDF


@dataclass
class Record:
    values: list[Value]
    children: list["Section"] = field(default_factory=list)

    def as_json(self) -> dict:
        result = {value.name: value.data for value in self.values}
        for child in self.children:
            result[child.key] = [record.as_json() for record in child.records]
        return result


@dataclass
class Section:
    key: str
    title: str
    records: list[Record]


@dataclass
class AccessRequest:
    person: Person
    produced_at: datetime
    sections: list[Section]
    not_included: list[tuple[str, str]]  # (model's verbose name, why)

    def as_json(self) -> dict:
        return {
            "produced_at": self.produced_at.isoformat(),
            "person_id": self.person.pk,
            "sections": {
                section.key: [record.as_json() for record in section.records]
                for section in self.sections
            },
            "not_included": [{"what": what, "why": why} for what, why in self.not_included],
        }


def _json_value(value):
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _text(value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def record_of(obj) -> Record:
    """Every stored field of the row but its id, its link to the person and the machinery."""
    skip = INTERNAL_FIELDS.get(obj._meta.label, set())
    values = []
    for model_field in obj._meta.concrete_fields:
        if model_field.primary_key or model_field.name in skip:
            continue
        if model_field.is_relation and model_field.related_model is Person:
            continue
        if model_field.is_relation:
            raw = getattr(obj, model_field.name)
            data = str(raw) if raw is not None else None
            text = _text(data)
        elif model_field.choices:
            data = getattr(obj, model_field.attname)
            text = _text(getattr(obj, f"get_{model_field.name}_display")() if data else None)
        else:
            raw = getattr(obj, model_field.attname)
            data, text = _json_value(raw), _text(raw)
        values.append(Value(model_field.name, str(model_field.verbose_name), data, text))
    return Record(values)


def _section(key, rows, children=None) -> Section:
    records = []
    for row in rows:
        record = record_of(row)
        if children:
            record.children = children(row)
        records.append(record)
    return Section(key, str(SECTION_TITLES.get(key, key)), records)


def _help_request_children(help_request) -> list[Section]:
    return [
        _section("events", help_request.events.all()),
        _section("matches", help_request.matches.select_related("offer")),
        _section("feedback", help_request.feedback.all()),
    ]


def _help_offer_children(offer) -> list[Section]:
    return [_section("matches", offer.matches.select_related("request"))]


def gather(person: Person) -> AccessRequest:
    """Everything Omzien keeps about the person, by section (see `INCLUDED`)."""
    person = Person.objects.select_related("village", "registered_place").get(pk=person.pk)
    sections = [
        _section("person", [person]),
        _section("consents", Consent.objects.filter(person=person).order_by("recorded_at", "pk")),
        _section("contact", FollowUpContact.objects.filter(person=person)),
        _section(
            "visits",
            Visit.objects.filter(person=person)
            .select_related("session__activity__place")
            .order_by("session__date", "pk"),
        ),
        _section(
            "signals",
            Signal.objects.filter(person=person).select_related("place").order_by("raised_on"),
            children=lambda signal: [
                _section("contacts", ContactLog.objects.filter(signal=signal).order_by("at"))
            ],
        ),
        _section("absences", AnnouncedAbsence.objects.filter(person=person)),
        _section(
            "help_requests",
            HelpRequest.objects.filter(person=person).select_related("village", "place"),
            children=_help_request_children,
        ),
        _section(
            "help_offers",
            HelpOffer.objects.filter(person=person).select_related("village", "place"),
            children=_help_offer_children,
        ),
        _section("audit", AuditEvent.objects.filter(person=person).select_related("user")),
        _section("merges", PersonMerge.objects.filter(kept=person)),
    ]
    not_included = [(str(_model_name(label)), str(reason)) for label, reason in EXCLUDED.items()]
    not_included.append((_("proposals and sign-ups"), proposals_note()))
    return AccessRequest(person, timezone.now(), sections, not_included)


def _model_name(label: str):
    return apps.get_model(label)._meta.verbose_name_plural


def proposals_note() -> str:
    """Why proposals and "ik doe mee" are not in it: they hold a first name typed in, and
    no link to a person record, so they cannot be found by person."""
    return _(
        "Proposals for activities and 'I'll join' sign-ups hold only a first name and contact "
        "details as typed in, not linked to this record; they are not in this overview."
    )
