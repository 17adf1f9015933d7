"""The report object every output is made from: groups, periods, audiences, the rollup."""

from datetime import date

import pytest
import time_machine
from django.test import override_settings

from omzien.reports.audience import Audience
from omzien.reports.cube import Period, PeriodKind
from omzien.reports.impact import By, ReportRequest, build_report, report_periods
from omzien.reports.models import FigureSnapshot, PlaceStory
from omzien.reports.presentation import HIDDEN, report_tables
from omzien.reports.snapshots import year_figures
from tests import factories
from tests.reports.visits import add_visit

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 4, 15)


def request(by=By.VILLAGE, kind=PeriodKind.MONTH, audience=Audience.PROFESSIONAL, **extra):
    return ReportRequest(date(2026, 1, 1), date(2026, 3, 31), by, kind, audience, **extra)


def test_the_range_is_widened_to_whole_periods():
    periods = report_periods(date(2026, 2, 14), date(2026, 5, 2), PeriodKind.QUARTER)
    assert [period.key for period in periods] == ["2026-Q1", "2026-Q2"]
    months = report_periods(date(2025, 12, 31), date(2026, 1, 1), PeriodKind.MONTH)
    assert [period.key for period in months] == ["2025-12", "2026-01"]
    assert [p.key for p in report_periods(date(2026, 3, 1), date(2026, 3, 1), PeriodKind.YEAR)] == [
        "2026"
    ]


def test_period_keys_parse_back_and_refuse_nonsense():
    for key in ["2026", "2026-Q4", "2026-02", "2024-12"]:
        assert Period.from_key(key).key == key
    for key in ["26", "2026-Q5", "2026-13", "2026-00", "2026-1", "abcd", "2026-Q"]:
        with pytest.raises(ValueError):
            Period.from_key(key)
    assert Period.from_key("2024-02").last_day == date(2024, 2, 29)
    assert Period.from_key("2026-Q4").last_day == date(2026, 12, 31)


def test_groups_follow_the_grouping_with_their_parents(town):
    by_place = build_report(request(By.PLACE), as_of=AS_OF)
    assert [group.slug for group in by_place.groups] == [
        "region",
        "twello",
        "voorst",
        "trefpunt-duistervoorde",
        "de-benring",
    ]
    cell = by_place.cell("trefpunt-duistervoorde", "2026-01", "people")
    assert (cell.value, cell.parent) == (14, "twello")
    assert by_place.cell("twello", "2026-01", "people").parent == "region"
    assert by_place.cell("region", "2026-01", "people").parent is None
    assert by_place.cell("region", "2026-01", "visits").value == 42
    by_region = build_report(request(By.REGION), as_of=AS_OF)
    assert {cell.group for cell in by_region.cells.values()} == {"region"}


def test_a_coordinator_sees_only_own_places_and_no_totals(town):
    report = build_report(request(By.PLACE, place_ids=frozenset([town["benring"].pk])), as_of=AS_OF)
    assert {cell.group for cell in report.cells.values()} == {"de-benring"}
    assert all(cell.parent is None for cell in report.cells.values())
    assert report.cell("de-benring", "2026-01", "people").value == 2


def test_viewers_get_hidden_cells_without_their_value(town):
    report = build_report(request(By.PLACE, audience=Audience.VIEWER), as_of=AS_OF)
    benring = report.cell("de-benring", "2026-01", "people")
    assert benring.suppressed and benring.value is None
    assert report.min_cell == 5
    exact = build_report(request(By.PLACE), as_of=AS_OF)
    assert exact.cell("de-benring", "2026-01", "people").value == 2
    assert exact.min_cell is None and exact.rule == "exact"
    data = report.to_json()
    assert set(data) >= {"from", "to", "by", "audience", "min_cell", "rule", "cells"}
    shown = [cell for cell in data["cells"] if cell["suppressed"]]
    assert shown and all(cell["value"] is None for cell in shown)


def test_tables_print_the_one_hidden_marker(town):
    report = build_report(request(By.PLACE, audience=Audience.VIEWER), as_of=AS_OF)
    reach = next(table for table in report_tables(report) if table.section == "reach")
    columns = [column.measure.name for column in reach.columns]
    row = next(
        row for row in reach.rows if row.group == "de-benring" and row.period.key == "2026-01"
    )
    assert row.entries[columns.index("people")].text == HIDDEN
    region = next(
        row for row in reach.rows if row.group == "region" and row.period.key == "2026-01"
    )
    assert region.entries[columns.index("visits")].text == "42"


def test_the_rollup_is_made_once_a_day(town):
    year_figures(2026, as_of=AS_OF)
    first = FigureSnapshot.objects.get(year=2026)
    add_visit(town["biljart"], date(2026, 1, 6), factories.PersonFactory())
    same_day = year_figures(2026, as_of=AS_OF)
    assert same_day.cube.get("de-benring", "2026-01", "people") == 2  # kept until tomorrow
    assert FigureSnapshot.objects.get(year=2026).computed_at == first.computed_at
    next_day = year_figures(2026, as_of=date(2026, 4, 16))
    assert next_day.cube.get("de-benring", "2026-01", "people") == 3
    with override_settings(OMZIEN_MIN_CELL=3):
        assert year_figures(2026, as_of=date(2026, 4, 16)).hidden != next_day.hidden


@time_machine.travel("2026-04-15 23:30 +02:00", tick=False)
def test_a_new_place_makes_the_rollup_again(town, twello):
    year_figures(2026)
    new = factories.PlaceFactory(name="Nieuw", slug="nieuw", village=twello)
    figures = year_figures(2026)
    assert figures.cube.get(new.slug, "2026-01", "people") == 0


def test_stories_inside_the_range_are_in_the_report(town):
    PlaceStory.objects.create(place=town["benring"], period="2026-Q1", went_well="Biljart!")
    PlaceStory.objects.create(place=town["benring"], period="2026-Q2", went_well="Later")
    PlaceStory.objects.create(place=town["trefpunt"], period="2026-02", learned="Koffie")
    report = build_report(request(By.PLACE), as_of=AS_OF)
    assert [(story.place, story.period.key) for story in report.stories] == [
        ("de-benring", "2026-Q1"),
        ("trefpunt-duistervoorde", "2026-02"),
    ]
    own = build_report(request(By.PLACE, place_ids=frozenset([town["trefpunt"].pk])), as_of=AS_OF)
    assert [story.place for story in own.stories] == ["trefpunt-duistervoorde"]
