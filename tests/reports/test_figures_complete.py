"""The cube of a year has a cell for every registered measure, for every group of the
levels it declares and every period, whatever the data: nothing missing, nothing extra."""

from datetime import UTC, date, datetime

import pytest

from omzien.reports import figures
from omzien.reports.cube import MEASURES
from omzien.reports.figures import build_cube
from omzien.wellbeing.models import Wave
from tests import factories
from tests.reports.cube_checks import assert_adds_up, assert_complete
from tests.reports.visits import add_visit


@pytest.fixture
def a_bit_of_everything(trefpunt, benring):
    person = factories.PersonFactory(village=trefpunt.village)
    session = add_visit(factories.ActivityFactory(place=trefpunt), date(2026, 3, 3), person)
    factories.SessionHostFactory(session=session)
    factories.SignalFactory(person=person, place=benring, raised_on=date(2026, 3, 20))
    request = factories.HelpRequestFactory(person=person, village=trefpunt.village, place=None)
    factories.HelpFeedbackFactory(request=request, at=datetime(2026, 5, 1, tzinfo=UTC))
    pseudonym = factories.PseudonymFactory()
    factories.ResponseFactory(pseudonym=pseudonym, place=trefpunt, taken_on=date(2026, 1, 6))
    factories.ResponseFactory(
        pseudonym=pseudonym, place=trefpunt, taken_on=date(2026, 4, 6), wave=Wave.REPEAT
    )


def test_every_module_is_registered():
    names = {module.__name__.rsplit(".", 1)[1] for module in figures.MODULES}
    assert names == {"reach", "volunteering", "noticing", "helpfigures", "wellbeingfigures"}


def test_the_measures_are_in_the_order_of_the_report():
    sections = list(dict.fromkeys(measure.section for measure in MEASURES.values()))
    assert sections == ["reach", "activity_mix", "volunteers", "noticing", "help", "wellbeing"]


@pytest.mark.django_db
def test_an_empty_year_has_every_cell():
    cube = build_cube(2026, as_of=date(2026, 12, 31))
    assert_complete(cube)


def test_a_year_with_a_bit_of_everything_has_every_cell(a_bit_of_everything):
    cube = build_cube(2026, as_of=date(2027, 2, 1))
    assert_complete(cube)
    assert_adds_up(cube, MEASURES)
    assert cube.get("region", "2026", "visits") == 1
    assert cube.get("region", "2026", "hosts") == 1
    assert cube.get("region", "2026", "signals_raised") == 1
    assert cube.get("region", "2026", "help_feedback_good") == 1
    assert cube.get("region", "2026", "wellbeing_paired") == 1
