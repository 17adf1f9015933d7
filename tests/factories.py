"""factory_boy factories for the whole domain, shared by all test modules."""

from datetime import date, time, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from omzien.accounts.models import Membership, Role
from omzien.agenda.models import Activity, Category, Session
from omzien.attendance.models import Visit
from omzien.people.models import Consent, Person
from omzien.places.models import Place, Region, Village


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
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = "names"
    given = True
    recorded_at = factory.Faker("date_time", tzinfo=__import__("datetime").UTC)


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


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.COORDINATOR
    place = factory.SubFactory(PlaceFactory)
