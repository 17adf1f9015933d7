"""A snapshot's version changes with whatever decides its cells, not with the words."""

import dataclasses

import pytest

from omzien.reports import cube
from omzien.reports.cube import DIFFERENCES, MEASURES, Difference, GroupKind, region_groups
from omzien.reports.snapshots import version

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(benring):
    return region_groups()


@pytest.fixture
def measures(monkeypatch):
    """MEASURES, to change one entry of for the length of a test."""
    monkeypatch.setattr(cube, "MEASURES", dict(MEASURES))
    monkeypatch.setattr("omzien.reports.snapshots.MEASURES", cube.MEASURES)
    return cube.MEASURES


def test_what_a_viewer_may_see_of_a_measure_makes_a_new_version(groups, measures):
    before = version(groups)
    visits = measures["visits"]
    measures["visits"] = dataclasses.replace(visits, viewer_levels=(GroupKind.REGION,))
    assert version(groups) != before
    measures["visits"] = dataclasses.replace(visits, base=None)
    assert version(groups) != before
    measures["visits"] = visits
    assert version(groups) == before


def test_a_measure_s_words_make_no_new_version(groups, measures):
    before = version(groups)
    measures["visits"] = dataclasses.replace(measures["visits"], label="Bezoeken (nieuw)")
    assert version(groups) == before


def test_a_new_relation_between_measures_makes_a_new_version(groups, monkeypatch):
    before = version(groups)
    monkeypatch.setattr(
        "omzien.reports.snapshots.DIFFERENCES",
        [*DIFFERENCES, Difference("people", "people_multi_place", "people_single_place")],
    )
    assert version(groups) != before
