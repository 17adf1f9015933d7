"""A village without a meeting place of its own: its agenda says which places are
nearest, by distance from the village, in km with a Dutch decimal comma."""

from types import SimpleNamespace

import pytest

from omzien.places.geo import distance_km
from omzien.places.queries import nearest_places
from tests.factories import PlaceFactory, VillageFactory


def point(latitude, longitude):
    return SimpleNamespace(latitude=latitude, longitude=longitude)


def test_a_degree_of_latitude_is_111_km():
    assert distance_km(point(52, 6), point(53, 6)) == pytest.approx(111.19, abs=0.01)


def test_a_degree_of_longitude_is_shorter_in_the_north():
    assert distance_km(point(52, 6), point(52, 7)) == pytest.approx(68.46, abs=0.05)
    assert distance_km(point(52.2, 6.1), point(52.2, 6.1)) == 0


@pytest.fixture
def empe(db):
    return VillageFactory(name="Empe", slug="empe", latitude="52.218600", longitude="6.151900")


def test_the_nearest_places_come_first(empe, trefpunt, benring):
    nearby = nearest_places(empe)
    assert [near.place for near in nearby] == [trefpunt, benring]
    assert nearby[0].distance_km == pytest.approx(3.9, abs=0.05)
    assert nearby[1].distance_km == pytest.approx(5.3, abs=0.05)


def test_inactive_places_are_not_offered(empe, trefpunt, benring):
    trefpunt.is_active = False
    trefpunt.save()
    assert [near.place for near in nearest_places(empe)] == [benring]


def test_the_agenda_of_a_village_without_a_place_names_the_nearest(client, empe, trefpunt, benring):
    response = client.get("/agenda/", {"dorp": "empe"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Empe heeft geen eigen ontmoetingsplek" in page
    nearby = page.split('id="nearby-title"')[1]  # the filter's menu names every place
    assert nearby.index("Trefpunt Duistervoorde") < nearby.index("De Benring")
    assert "3,9 km" in nearby and "5,3 km" in nearby
    assert 'href="?dorp=twello"' in nearby


def test_a_village_with_a_place_gets_no_list(client, trefpunt, benring):
    page = client.get("/agenda/", {"dorp": "twello"}).content.decode()
    assert "geen eigen ontmoetingsplek" not in page


def test_a_village_whose_place_closed_for_good_gets_the_list(client, empe, benring):
    PlaceFactory(village=empe, name="Oud dorpshuis", is_active=False)
    page = client.get("/agenda/", {"village": "empe"}).content.decode()
    assert "Empe heeft geen eigen ontmoetingsplek" in page and "De Benring" in page
