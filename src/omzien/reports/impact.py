"""The impact report: the cells of the year cubes one reader asks for, as that reader may
see them. Every output (the page, its charts, the PDF, the .xlsx, ``omzien report``'s
JSON) is made from one :class:`ImpactReport`, so they all show the same figures, and for
the viewer audience hidden cells arrive here already hidden: no output can show them.

A request names a range (widened to whole periods), the kind of period (month, quarter,
year), the grouping (region, village, place), the audience, and for a coordinator the
places they may see. Its groups are the grouping's groups with the groups they add up
into (a place's village and the region), except for a coordinator, who sees only their
own places: a region total beside them would let other places' figures be worked out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from omzien.reports import protection
from omzien.reports.audience import Audience
from omzien.reports.cube import (
    MEASURES,
    Group,
    GroupKind,
    Measure,
    Period,
    PeriodKind,
    periods_of_year,
)
from omzien.reports.network import VillageNetwork, village_network
from omzien.reports.snapshots import YearFigures, year_figures


class By(StrEnum):
    REGION = "region"
    VILLAGE = "village"
    PLACE = "place"


# Sections in the order the report shows them.
SECTIONS = ("reach", "activity_mix", "volunteers", "noticing", "help", "wellbeing")


@dataclass(frozen=True)
class ReportRequest:
    first_day: date
    last_day: date
    by: By
    period_kind: PeriodKind
    audience: Audience
    # A coordinator's places (ids); None: the whole region.
    place_ids: frozenset[int] | None = None

    def describe(self) -> str:
        """The parameters in one line, for the audit log."""
        places = "" if self.place_ids is None else f" places={sorted(self.place_ids)}"
        return (
            f"from={self.first_day} to={self.last_day} by={self.by} "
            f"period={self.period_kind} audience={self.audience}{places}"
        )


@dataclass(frozen=True)
class ReportCell:
    group: str
    parent: str | None
    period: str
    measure: str
    value: int | float | None  # None: hidden, or not known yet (see ``suppressed``)
    suppressed: bool
    extra: dict | None = None  # a mean's confidence interval


@dataclass(frozen=True)
class Story:
    """A coordinator's text for a place and a period inside the report's range."""

    place: str  # slug
    place_name: str
    period: Period
    went_well: str
    learned: str


@dataclass
class ImpactReport:
    request: ReportRequest
    min_cell: int | None  # None: the exact figures (professional audience)
    rule: str
    as_of: date
    groups: list[Group]
    periods: list[Period]
    measures: list[Measure]
    cells: dict[tuple[str, str, str], ReportCell] = field(default_factory=dict)
    stories: list[Story] = field(default_factory=list)
    # One per year of the report: exact only for the whole region's exact audience.
    networks: list[VillageNetwork] = field(default_factory=list)

    def cell(self, group: str, period: str, measure: str) -> ReportCell | None:
        return self.cells.get((group, period, measure))

    def section_measures(self, section: str) -> list[Measure]:
        return [measure for measure in self.measures if measure.section == section]

    def to_json(self) -> dict:
        """The shape ``omzien report --format json`` prints (design.md, "Reports")."""
        return {
            "from": self.periods[0].first_day.isoformat() if self.periods else None,
            "to": self.periods[-1].last_day.isoformat() if self.periods else None,
            "by": self.request.by.value,
            "period": self.request.period_kind.value,
            "audience": self.request.audience.value,
            "min_cell": self.min_cell,
            "rule": self.rule,
            "as_of": self.as_of.isoformat(),
            "cells": [
                {
                    "group": cell.group,
                    "parent": cell.parent,
                    "period": cell.period,
                    "measure": cell.measure,
                    "value": cell.value,
                    "suppressed": cell.suppressed,
                    **({"interval": cell.extra} if cell.extra else {}),
                }
                for cell in self.cells.values()
            ],
            "network": [network.to_json() for network in self.networks],
        }


def report_periods(first_day: date, last_day: date, kind: PeriodKind) -> list[Period]:
    """The periods of one kind that overlap the range: the range widened to whole ones."""
    return [
        period
        for year in range(first_day.year, last_day.year + 1)
        for period in periods_of_year(year, kind)
        if period.last_day >= first_day and period.first_day <= last_day
    ]


def _report_groups(figures: YearFigures, request: ReportRequest) -> list[Group]:
    groups = figures.cube.groups
    if request.place_ids is not None:
        return [
            group
            for group in groups.of_kind(GroupKind.PLACE)
            if group.place_ids & request.place_ids
        ]
    wanted = {By.REGION: {GroupKind.REGION}, By.VILLAGE: {GroupKind.REGION, GroupKind.VILLAGE}}
    kinds = wanted.get(request.by, set(GroupKind))
    return [group for group in groups if group.kind in kinds]


def network_min_cell(request: ReportRequest) -> int | None:
    """The network's threshold: exact (None) for the exact audience of the whole region;
    a coordinator's exact figures are their own places', so they get the viewers' links
    (a link's count is about people of other places too)."""
    if request.audience == Audience.PROFESSIONAL and request.place_ids is None:
        return None
    return settings.OMZIEN_MIN_CELL


def build_report(request: ReportRequest, *, as_of: date | None = None) -> ImpactReport:
    """The report's cells for the audience; the viewer's hidden cells have no value.
    A range without periods (``last_day`` before ``first_day``) is the caller's error.

    Reading the report is not logged here: the callers (page, downloads, the command) log
    it with :func:`omzien.reports.services.record_report`.
    """
    as_of = as_of or timezone.localdate()
    periods = report_periods(request.first_day, request.last_day, request.period_kind)
    viewer = request.audience == Audience.VIEWER
    min_cell = request.audience.min_cell
    measures = [measure for measure in MEASURES.values() if measure.displayed]
    report = ImpactReport(
        request=request,
        min_cell=min_cell,
        rule=protection.RULE_ID if viewer else "exact",
        as_of=as_of,
        groups=[],
        periods=periods,
        measures=measures,
    )
    for year in sorted({period.year for period in periods}):
        figures = year_figures(year, as_of=as_of)
        if not report.groups:
            report.groups = _report_groups(figures, request)
        report.networks.append(village_network(figures.cube, min_cell=network_min_cell(request)))
        for period_key in [period.key for period in periods if period.year == year]:
            for group in report.groups:
                for measure in measures:
                    if group.kind not in measure.levels:
                        continue
                    key = (group.slug, period_key, measure.name)
                    if key not in figures.cube.values:
                        continue
                    hidden = viewer and key in figures.hidden
                    report.cells[key] = ReportCell(
                        group=group.slug,
                        parent=None if request.place_ids is not None else group.parent,
                        period=period_key,
                        measure=measure.name,
                        value=None if hidden else figures.cube.values[key],
                        suppressed=hidden,
                        extra=None if hidden else figures.cube.extra.get(key),
                    )
    report.stories = _stories(report, request)
    return report


def _stories(report: ImpactReport, request: ReportRequest) -> list[Story]:
    """The texts of the places in reach for periods (of any kind) inside the range."""
    from omzien.reports.models import PlaceStory

    first, last = report.periods[0].first_day, report.periods[-1].last_day
    stories = PlaceStory.objects.select_related("place").order_by("place__name", "period")
    if request.place_ids is not None:
        stories = stories.filter(place__in=request.place_ids)
    result = []
    for story in stories:
        try:
            period = Period.from_key(story.period)
        except ValueError:
            continue
        if first <= period.first_day and period.last_day <= last:
            result.append(
                Story(story.place.slug, story.place.name, period, story.went_well, story.learned)
            )
    return result
