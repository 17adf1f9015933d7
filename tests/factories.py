"""factory_boy factories for every model, shared by all test modules.

Deterministic: no Faker dates, so a test means the same thing on every day it runs.
Most factories write rows as the database holds them, history that is already there
(no audit rows, so tests see only the audit of what they do). Where a test means the
write itself, a factory calls the service: ``RegisteredPersonFactory`` registers a
newcomer with consents through ``people.services.register_person`` (audit included).
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp_webauthn.models import WebAuthnCredential

from omzien.accounts.models import Membership, Role
from omzien.accounts.permissions import SYSTEM
from omzien.agenda.models import Activity, Category, Session
from omzien.attendance.models import SessionHost, Visit
from omzien.audit.models import AuditEvent
from omzien.helping.models import (
    HelpEvent,
    HelpFeedback,
    HelpMatch,
    HelpOffer,
    HelpRequest,
)
from omzien.people import services as people_services
from omzien.people.models import Consent, FollowUpContact, Person, Purpose
from omzien.places.models import Place, PlaceClosure, Region, Village
from omzien.privacy.models import PersonMerge
from omzien.proposals.models import Interest, Proposal
from omzien.signals.models import AnnouncedAbsence, ContactLog, Signal
from omzien.villageplatform.models import Action, Evening, EveningAttendance, Lesson
from omzien.wellbeing.models import Mode, Pseudonym, Response, Wave

# Consent answers are recorded before anything the tests look at happens (the tests'
# history starts in December 2025): a fixed moment, ties broken by the row's id.
CONSENT_RECORDED_AT = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = "Voorst"
    slug = "voorst"


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ["slug"]

    region = factory.SubFactory(RegionFactory)
    name = "Twello"
    slug = factory.LazyAttribute(lambda village: village.name.lower())
    latitude = Decimal("52.236700")
    longitude = Decimal("6.102800")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"Ontmoetingsplek {n}")
    slug = factory.Sequence(lambda n: f"plek-{n}")
    street = "Dorpsstraat 1"
    postcode = "7391 AA"
    town = factory.LazyAttribute(lambda place: place.village.name)
    latitude = factory.LazyAttribute(lambda place: place.village.latitude)
    longitude = factory.LazyAttribute(lambda place: place.village.longitude)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    place = factory.SubFactory(PlaceFactory)
    title = "Koffieochtend"
    slug = factory.Sequence(lambda n: f"activiteit-{n}")
    category = Category.COFFEE
    rrule = "FREQ=WEEKLY;BYDAY=TU"
    first_date = date(2026, 1, 6)
    start_time = time(10, 0)
    duration = timedelta(hours=2)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    date = date(2026, 3, 3)
    starts_at = factory.LazyAttribute(lambda session: session.activity_rule_start)
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + session.activity.duration)

    class Params:
        activity_rule_start = factory.LazyAttribute(
            lambda session: Session(activity=session.activity, date=session.date).rule_start
        )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Persoon{n}")
    last_name = "Jansen"
    village = factory.SubFactory(VillageFactory)


class ConsentFactory(factory.django.DjangoModelFactory):
    """An answer recorded in the past, at a fixed moment (ties: the later row wins).

    (``people.services.record_consent`` would write an audit row too; tests that mean
    recording an answer call the service themselves.)
    """

    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = Purpose.NAMES
    given = True
    recorded_at = CONSENT_RECORDED_AT
    recorded_by = None
    source = ""


class RegisteredPersonFactory(factory.django.DjangoModelFactory):
    """A newcomer registered at a place the way the door does it, with consent answers.

    ``consents`` maps purposes to answers (names must be yes: the service insists).
    """

    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Nieuw{n}")
    last_name = "de Vries"
    village = factory.SubFactory(VillageFactory)
    place = factory.SubFactory(PlaceFactory, village=factory.SelfAttribute("..village"))
    consents = factory.LazyFunction(lambda: {Purpose.NAMES: True})
    acting_user = SYSTEM

    @classmethod
    def _create(cls, model_class, **kwargs):
        return people_services.register_person(**kwargs)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("omzien-test")
    is_staff = True


class WebAuthnCredentialFactory(factory.django.DjangoModelFactory):
    """A stored passkey (made up bytes: no browser could sign with it)."""

    class Meta:
        model = WebAuthnCredential

    user = factory.SubFactory(UserFactory)
    credential_id = factory.Sequence(lambda n: f"credential-{n}".encode())
    public_key = b"not a real COSE key"
    aaguid = "00000000-0000-0000-0000-000000000000"
    confirmed = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.COORDINATOR
    place = factory.SubFactory(PlaceFactory)


class SignalFactory(factory.django.DjangoModelFactory):
    """An open automatic signal a coordinator follows up (production:
    ``signals.services.save_detected``); ``follow_up_since=None`` makes it a first
    contact at the door."""

    class Meta:
        model = Signal

    person = factory.SubFactory(PersonFactory)
    place = factory.SubFactory(PlaceFactory)
    kind = Signal.Kind.AUTO
    status = Signal.Status.OPEN
    raised_on = date(2026, 4, 3)
    last_seen = date(2026, 3, 10)
    reason = "Komt meestal naar de koffieochtend; al 3 weken niet gezien."
    probability = 0.6
    missed = 3
    follow_up_since = factory.SelfAttribute("raised_on")


class ContactLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactLog

    signal = factory.SubFactory(SignalFactory)
    by = factory.SubFactory(UserFactory)
    method = ContactLog.Method.CALLED
    outcome = "all_fine"
    note = ""


class AnnouncedAbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnouncedAbsence

    person = factory.SubFactory(PersonFactory)
    first_day = date(2026, 3, 16)
    last_day = factory.LazyAttribute(lambda absence: absence.first_day + timedelta(days=13))
    note = "op vakantie"


class PlaceClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaceClosure

    place = factory.SubFactory(PlaceFactory)
    first_day = date(2026, 7, 20)
    last_day = factory.LazyAttribute(lambda closure: closure.first_day + timedelta(days=20))
    reason = "zomerstop"


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    user = factory.SubFactory(UserFactory)
    action = AuditEvent.Action.VIEW
    subject = "person history"
    person = factory.SubFactory(PersonFactory)
    detail = ""


class FollowUpContactFactory(factory.django.DjangoModelFactory):
    """How to reach someone (production: ``people.services.set_followup_contact``, which
    needs the follow-up consent; this factory writes the row as it is)."""

    class Meta:
        model = FollowUpContact

    person = factory.SubFactory(PersonFactory)
    phone = "0612345678"
    how_to_reach = ""


class PersonMergeFactory(factory.django.DjangoModelFactory):
    """A merge record as the database holds it (production: ``privacy.services.merge_people``,
    which moves the rows; this one moves nothing)."""

    class Meta:
        model = PersonMerge

    kept = factory.SubFactory(PersonFactory)
    duplicate_id = factory.Sequence(lambda n: 900_000 + n)
    snapshot = factory.LazyFunction(lambda: {"person": {}, "steps": {}, "took_ref": False})
    merged_at = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


# The moment a help request's asker agreed to keeping their contact details.
HELP_CONSENT_AT = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


class HelpRequestFactory(factory.django.DjangoModelFactory):
    """A new request from the public site, as the database holds it (production:
    ``helping.services.ask``, which writes the event and the audit row too)."""

    class Meta:
        model = HelpRequest

    first_name = factory.Sequence(lambda n: f"Vrager{n}")
    village = factory.SubFactory(VillageFactory)
    place = factory.SubFactory(PlaceFactory, village=factory.SelfAttribute("..village"))
    categories = factory.LazyFunction(lambda: ["boodschappen"])
    description = "Wie kan er op donderdag boodschappen voor mij doen?"
    urgency = "week"
    days = factory.LazyFunction(lambda: ["do"])
    parts = factory.LazyFunction(lambda: ["ochtend"])
    phone = "0612345678"
    consent_at = HELP_CONSENT_AT
    source = HelpRequest.Source.WEB


class HelpOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpOffer

    first_name = factory.Sequence(lambda n: f"Helper{n}")
    village = factory.SubFactory(VillageFactory)
    place = factory.SubFactory(PlaceFactory, village=factory.SelfAttribute("..village"))
    categories = factory.LazyFunction(lambda: ["boodschappen"])
    description = "Ik rijd elke week naar de supermarkt."
    days = factory.LazyFunction(lambda: ["do"])
    parts = factory.LazyFunction(lambda: ["ochtend"])
    max_km = 10
    max_per_month = 4
    has_car = True
    phone = "0687654321"
    consent_at = HELP_CONSENT_AT
    source = HelpRequest.Source.WEB


class HelpMatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpMatch

    request = factory.SubFactory(HelpRequestFactory)
    offer = factory.SubFactory(HelpOfferFactory)
    status = HelpMatch.Status.PROPOSED
    score = 0.8
    distance_km = 0.0
    reasons = factory.LazyFunction(lambda: ["Kan helpen met boodschappen"])


class HelpEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpEvent

    request = factory.SubFactory(HelpRequestFactory)
    from_status = ""
    to_status = HelpRequest.Status.NEW
    at = HELP_CONSENT_AT


class HelpFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpFeedback

    request = factory.SubFactory(HelpRequestFactory, status=HelpRequest.Status.DONE)
    side = HelpFeedback.Side.ASKER
    answer = HelpFeedback.Answer.GOOD
    at = HELP_CONSENT_AT


class SessionHostFactory(factory.django.DjangoModelFactory):
    """A host of a session (production: ``attendance.services``: a check-in, or a
    coordinator's ``add_host``)."""

    class Meta:
        model = SessionHost

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)


class PseudonymFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pseudonym


class ResponseFactory(factory.django.DjangoModelFactory):
    """A scored six-item De Jong Gierveld response as the database holds it (production:
    ``wellbeing.services``, which scores the answers); give ``total`` and ``category``."""

    class Meta:
        model = Response

    pseudonym = factory.SubFactory(PseudonymFactory)
    instrument = "djg6"
    wave = Wave.BASELINE
    taken_on = date(2026, 1, 6)
    place = factory.SubFactory(PlaceFactory)
    mode = Mode.TABLET
    total = 1
    category = "not"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A resident's proposal waiting for approval, as the database holds it (production:
    ``proposals.services.propose``, which picks the nearest places and writes the audit
    row). ``places``: the deciding places (default: none)."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    title = "Wandelgroep op zaterdagochtend"
    description = "Een uurtje lopen langs de IJssel, daarna koffie."
    village = factory.SubFactory(VillageFactory)
    when = "zaterdagochtend, om de week"
    bring = "Ik ken de routes."
    first_name = factory.Sequence(lambda n: f"Voorsteller{n}")
    phone = "0612345678"
    consent_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def places(self, create, extracted, **kwargs):
        if create and extracted:
            self.places.set(extracted)


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    proposal = factory.SubFactory(ProposalFactory)
    first_name = factory.Sequence(lambda n: f"Deelnemer{n}")
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.org")
    consent_at = factory.LazyFunction(timezone.now)


class EveningFactory(factory.django.DjangoModelFactory):
    """A village platform evening at a fixed date (production:
    ``villageplatform.services.save_evening``, which checks and writes the audit row)."""

    class Meta:
        model = Evening

    region = factory.SubFactory(RegionFactory)
    title = "Dorpenplatform"
    date = date(2026, 3, 10)
    start_time = time(19, 30)
    end_time = time(21, 30)
    location = factory.LazyAttribute(lambda evening: "" if evening.host_place else "Gemeentehuis")
    host_place = None
    agenda = "Welkom\nWat werkt bij u?\nAfspraken"


class EveningAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EveningAttendance

    evening = factory.SubFactory(EveningFactory)
    place = factory.SubFactory(PlaceFactory)
    count = 3


class LessonFactory(factory.django.DjangoModelFactory):
    """A lesson ("wat werkt"); ``tags``: a list of Tags (default: none)."""

    class Meta:
        model = Lesson
        skip_postgeneration_save = True

    title = "Koffie met de buren"
    practice = "Elke dinsdag staat de koffie klaar; nieuwe mensen worden opgehaald."
    place = factory.SubFactory(PlaceFactory)
    evening = None

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    evening = factory.SubFactory(EveningFactory)
    description = "Vervoer regelen voor de volgende avond"
    owner_name = ""
    owner_place = None
    due_date = factory.LazyAttribute(lambda action: action.evening.date + timedelta(days=30))
