from datetime import date, timedelta

import pytest

from omzien.agenda.models import Activity, Category
from omzien.agenda.recurrence import parse_dates
from omzien.demo.network import PLACES, VILLAGES
from omzien.places.models import Place, Region, Village
from tests.demo.reading.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_region_is_marked_synthetic(region):
    assert region.slug == "voorst"
    assert region.has_synthetic_data
    assert region.introduction


def test_the_three_named_places_are_in_their_real_villages(region):
    expected = {
        "De Benring": "Voorst",
        "Trefpunt Duistervoorde": "Twello",
        "Mens en Welzijn Voorst": "Twello",
    }
    for name, village in expected.items():
        assert Place.objects.get(name=name).village.name == village
    assert Place.objects.count() == len(PLACES) >= 6


def test_villages_and_places_lie_in_the_netherlands_and_validate(region):
    assert Village.objects.filter(region=region).count() == len(VILLAGES)
    for village in Village.objects.all():
        village.full_clean()
    for place in Place.objects.all():
        place.full_clean()
        # A place lies within a few kilometres of its village's centre.
        assert abs(place.latitude - place.village.latitude) < 0.02
        assert abs(place.longitude - place.village.longitude) < 0.03


def test_every_activity_is_valid_and_happens(region):
    activities = list(Activity.objects.all())
    assert len(activities) >= 20
    for activity in activities:
        activity.full_clean()
        assert list(activity.occurrences(TODAY, TODAY + timedelta(days=62))), activity
    for place in Place.objects.all():
        assert 3 <= place.activities.count() <= 6


def test_programme_has_the_typical_mix(region):
    categories = set(Activity.objects.values_list("category", flat=True))
    for category in [
        Category.COFFEE,
        Category.MEAL,
        Category.CRAFTS,
        Category.GAMES,
        Category.EXERCISE,
        Category.COMPUTER,
        Category.CREATIVE,
    ]:
        assert category in categories
    rules = set(Activity.objects.values_list("rrule", flat=True))
    assert "FREQ=MONTHLY;BYDAY=-1FR" in rules
    assert "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE" in rules
    meal = Activity.objects.get(place__slug="de-benring", slug="samen-eten")
    assert meal.signup_required and meal.capacity and str(meal.cost) == "7.50"
    for activity in Activity.objects.filter(signup_required=True):
        assert activity.capacity


def test_christmas_closure_leaves_out_the_sessions(region):
    coffee = Activity.objects.get(place__slug="de-benring", slug="koffieochtend")
    closed = parse_dates(coffee.exception_dates)
    assert date(2025, 12, 23) in closed  # a Tuesday
    assert all(date(day.year, 12, 22) <= day or day <= date(day.year, 1, 4) for day in closed)
    days = [start.date() for start in coffee.occurrences(date(2025, 12, 1), date(2026, 1, 31))]
    assert date(2025, 12, 16) in days
    assert date(2025, 12, 23) not in days and date(2025, 12, 30) not in days
    assert date(2026, 1, 6) in days


def test_only_one_region(region):
    assert Region.objects.count() == 1
