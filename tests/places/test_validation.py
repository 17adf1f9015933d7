"""Bad input on places and villages: a clear message, nothing saved."""

import pytest
from django.core.exceptions import ValidationError

from omzien.core.validators import normalise_postcode
from omzien.places.models import Place, Village
from tests.factories import PlaceFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("7391AA", "7391 AA"), ("7391 aa", "7391 AA"), (" 7383  bc ", "7383 BC")],
)
def test_postcodes_are_normalised(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize(
    "bad", ["", "739 AA", "07391 AA", "0391 AA", "7391 A1", "7391 SS", "AB 1234"]
)
def test_bad_postcodes_are_refused(bad):
    with pytest.raises(ValidationError, match="1234 AB"):
        normalise_postcode(bad)


def test_place_with_bad_postcode_is_not_saved(db, twello):
    place = PlaceFactory.build(village=twello, postcode="12345")
    with pytest.raises(ValidationError) as raised:
        place.full_clean()
    assert "postcode" in raised.value.message_dict
    assert not Place.objects.exists()


def test_typed_postcode_is_stored_normalised(db, twello):
    place = PlaceFactory.build(village=twello, postcode="7391aa")
    place.full_clean()
    assert place.postcode == "7391 AA"


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("48.856600", "2.352200", "latitude"),
        ("52.370000", "13.400000", "longitude"),
        ("-52.000000", "6.100000", "latitude"),
    ],
)
def test_coordinates_outside_the_netherlands_are_refused(db, twello, latitude, longitude, field):
    village = Village(
        region=twello.region, name="Parijs", slug="parijs", latitude=latitude, longitude=longitude
    )
    with pytest.raises(ValidationError) as raised:
        village.full_clean()
    assert field in raised.value.message_dict
    assert "Netherlands" in " ".join(raised.value.messages) or "Nederland" in " ".join(
        raised.value.messages
    )
