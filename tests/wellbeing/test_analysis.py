"""The paired change per place, village and region; small groups get no figures."""

import json
import math
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from omzien.audit.models import AuditEvent
from omzien.places.models import Place
from omzien.wellbeing.analysis import t_interval, wellbeing_summary
from tests.attendance.door import person
from tests.wellbeing.helpers import LONELY, NOT_LONELY, answered

pytestmark = pytest.mark.django_db

BASELINE, REPEAT = date(2025, 1, 6), date(2025, 7, 7)
# Total 2 ("moderate"): lonely on items 1 and 4 only.
MODERATE = ["ja", "ja", "ja", "ja", "ja", "nee"]


def pair(place, name, before, after):
    someone = person(name, "Test", place=place)
    answered(someone, place, BASELINE, before)
    answered(someone, place, REPEAT, after)
    return someone


@pytest.fixture
def network(benring, trefpunt):
    # De Benring: six people, five less lonely (6 -> 0), one the same (6 -> 6).
    for index in range(5):
        pair(benring, f"Benring{index}", LONELY, NOT_LONELY)
    pair(benring, "Benring5", LONELY, LONELY)
    # Trefpunt: four people, too few for figures of their own.
    for index in range(4):
        pair(trefpunt, f"Trefpunt{index}", MODERATE, LONELY)
    return benring, trefpunt


def by_group(summaries):
    return {summary.group: summary for summary in summaries}


def test_the_paired_change_per_place_village_and_region(network):
    groups = by_group(wellbeing_summary(Place.objects.all()))
    benring = groups["de-benring"]
    assert benring.people == 6
    assert benring.mean_change == pytest.approx(-5.0)
    changes = [-6] * 5 + [0]
    sd = math.sqrt(sum((c + 5) ** 2 for c in changes) / 5)
    half = 2.5705818366147395 * sd / math.sqrt(6)  # t(0.975, 5)
    assert (benring.ci_low, benring.ci_high) == pytest.approx((-5 - half, -5 + half), abs=1e-3)
    assert benring.lonely_share_baseline == 1.0
    assert benring.lonely_share_repeat == pytest.approx(1 / 6, abs=1e-3)
    assert benring.left_lonely_share == pytest.approx(5 / 6, abs=1e-3)
    assert 0 < benring.wilcoxon_p < 0.1
    assert "daalde de eenzaamheidsscore gemiddeld met 5,0 punten" in benring.sentence
    assert "geen bewezen effect" in benring.sentence
    assert benring.parent == "voorst"


def test_groups_smaller_than_the_minimum_cell_get_no_figures(network):
    groups = by_group(wellbeing_summary(Place.objects.all()))
    trefpunt = groups["trefpunt-duistervoorde"]
    assert trefpunt.suppressed
    assert trefpunt.people is None and trefpunt.mean_change is None
    region = groups["region"]
    assert region.people == 10
    assert not region.suppressed


def test_the_share_leaving_loneliness_needs_enough_lonely_people(network, settings):
    groups = by_group(wellbeing_summary(Place.objects.all(), min_cell=6))
    assert groups["de-benring"].left_lonely_share is not None  # six lonely at baseline
    groups = by_group(wellbeing_summary(Place.objects.all(), min_cell=7))
    assert groups["de-benring"].suppressed


def test_repeats_outside_the_period_do_not_count(network):
    summaries = wellbeing_summary(Place.objects.all(), start=date(2025, 8, 1))
    assert by_group(summaries)["region"].suppressed


def test_t_interval_without_spread_is_the_mean():
    assert t_interval([-2, -2, -2]) == (-2, -2)


def test_the_command_json_and_audit(network, capsys):
    call_command("wellbeing_summary", "--from", "2025-01-01", "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["min_cell"] == 5
    groups = {group["group"]: group for group in payload["groups"]}
    assert groups["de-benring"]["people"] == 6
    assert groups["trefpunt-duistervoorde"]["suppressed"] is True
    assert AuditEvent.objects.filter(subject="wellbeing summary").exists()


@pytest.mark.parametrize(
    "arguments",
    [
        ["--from", "2025-13-01"],
        ["--from", "2025-02-01", "--to", "2025-01-01"],
        ["--instrument", "health"],
    ],
)
def test_the_command_refuses_bad_input(arguments, db):
    with pytest.raises(CommandError):
        call_command("wellbeing_summary", *arguments)
