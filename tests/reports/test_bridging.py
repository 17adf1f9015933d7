"""The bridging figures on the hand-built region of ``bridging_region`` (its docstring
has the visits): people at more than one place, people from another village, and the
village network, exact and as a viewer (or a coordinator) sees it."""

import numpy as np
import pytest

from omzien.reports.bridging import multi_place_rows, village_pairs
from omzien.reports.figures import build_cube
from omzien.reports.network import village_network
from tests.reports.bridging_region import AS_OF, YEAR, build_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(trefpunt, benring):
    return build_region(trefpunt, benring)


@pytest.fixture
def cube(region):
    return build_cube(YEAR, as_of=AS_OF)


def cells(cube, period: str, name: str) -> dict[str, int]:
    slugs = [
        "region",
        "twello",
        "voorst",
        "wilp",
        "terwolde",
        "klarenbeek",
        "trefpunt-duistervoorde",
        "dorpshuis",
        "de-benring",
        "wilpse-kerk",
        "terwoldse-huis",
    ]
    return {slug: cube.get(slug, period, name) for slug in slugs}


def test_people_at_more_than_one_place_in_the_year(cube):
    assert cells(cube, "2026", "people_multi_place") == {
        "region": 9,  # all but Dina, Evert and Lies
        "twello": 9,
        "voorst": 7,  # De Benring's 8 but Dina
        "wilp": 1,  # Kees
        "terwolde": 0,
        "klarenbeek": 0,
        "trefpunt-duistervoorde": 8,
        "dorpshuis": 2,  # Anna, Gerrit
        "de-benring": 7,
        "wilpse-kerk": 1,
        "terwoldse-huis": 0,
    }


def test_people_at_more_than_one_place_per_month_and_quarter(cube):
    # January: Anna (two places in Twello), Cor and Fenna; Bert came to De Benring in
    # February, so he is multi-place in the quarter and the year, in no month.
    assert cube.get("region", "2026-01", "people_multi_place") == 3
    assert cube.get("trefpunt-duistervoorde", "2026-01", "people_multi_place") == 3
    assert cube.get("trefpunt-duistervoorde", "2026-01", "people") == 4
    assert cube.get("de-benring", "2026-02", "people_multi_place") == 1  # Gerrit
    assert cube.get("trefpunt-duistervoorde", "2026-Q1", "people_multi_place") == 4
    assert cube.get("region", "2026-Q1", "people_multi_place") == 5
    assert cube.get("region", "2026-Q1", "people") == 7


def test_the_complement_is_everyone_else(cube):
    for (group, period, name), value in cube.values.items():
        if name == "people_multi_place":
            assert value + cube.get(group, period, "people_single_place") == cube.get(
                group, period, "people"
            )


def test_people_from_another_village(cube):
    assert cells(cube, "2026", "people_other_village") == {
        "region": 7,  # Bert, Cor, Fenna, Gerrit, Hanna, Ids, Kees (Joop's is unknown)
        "twello": 5,  # Cor, Fenna, Gerrit, Hanna, Kees
        "voorst": 2,  # Bert, Ids
        "wilp": 0,
        "terwolde": 0,
        "klarenbeek": 0,
        "trefpunt-duistervoorde": 4,  # Cor, Fenna, Hanna, Kees
        "dorpshuis": 1,  # Gerrit
        "de-benring": 2,
        "wilpse-kerk": 0,
        "terwoldse-huis": 0,
    }


def test_the_village_pairs(cube):
    assert cube.village_pairs == {("twello", "voorst"): 7, ("twello", "wilp"): 1}


def test_the_exact_network(cube):
    network = village_network(cube, min_cell=None)
    assert network.exact
    assert [(link.first, link.second, link.people) for link in network.links] == [
        ("twello", "voorst", 7),
        ("twello", "wilp", 1),
    ]
    assert network.components == [["twello", "voorst", "wilp"]]
    assert network.isolated == ["terwolde"]
    assert network.without_places == ["klarenbeek"]
    assert [(node.slug, count) for node, count in network.connected_to("twello")] == [
        ("voorst", 7),
        ("wilp", 1),
    ]
    assert network.to_json()["links"][1] == {"villages": ["twello", "wilp"], "people": 1}


def test_the_thresholded_network_shows_no_counts(cube):
    network = village_network(cube, min_cell=5)
    assert not network.exact
    # Kees alone links Twello and Wilp: fewer than 5 people, so no link.
    assert [(link.first, link.second, link.people) for link in network.links] == [
        ("twello", "voorst", None)
    ]
    assert network.components == [["twello", "voorst"]]
    assert network.isolated == ["terwolde", "wilp"]
    assert network.without_places == ["klarenbeek"]
    data = network.to_json()
    assert data["links"] == [{"villages": ["twello", "voorst"]}]
    assert "people" not in str(data)
    # 7 people share Twello-Voorst; at 8 that link is gone as well.
    assert village_network(cube, min_cell=8).links == []


def test_multi_place_rows_by_hand():
    people = np.array([1, 1, 2, 2, 3, -1, 4, 4])
    places = np.array([0, 1, 0, 0, 2, 1, 0, -1])
    units = np.array([0, 0, 0, 1, 0, 0, 0, 0])
    # 1: two places in unit 0; 2: one place per unit; 3: one place; -1 anonymous; 4: the
    # second row has no place of the region.
    assert multi_place_rows(people, places, units).tolist() == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
        False,
    ]


def test_village_pairs_by_hand():
    people = np.array([1, 1, 1, 2, 2, 3, -1, 4])
    villages = np.array([10, 20, 20, 10, 30, 20, 10, -1])
    assert village_pairs(people, villages) == {(10, 20): 1, (10, 30): 1}
    assert village_pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)) == {}
