"""The impact report as tables of words: what the page, the PDF and the .xlsx show.

One :class:`ReportTable` per section (reach, activity mix, volunteers, noticing, help,
wellbeing) with a row per group and period and a column per measure of the section. The
page and the PDF print ``text``; the .xlsx writes ``value`` (a number, or the hidden
marker as text) so a spreadsheet can add up what it may. Charts are drawn from the same
rows, so a chart never shows a number its table does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.reports.cube import GroupKind, Measure, Period, PeriodKind, Unit
from omzien.reports.impact import SECTIONS, ImpactReport, ReportCell

# The one marker of a hidden cell: it does not say whether the number was small or was
# hidden to protect a small one, because that difference could itself give one away.
HIDDEN = "•"
NOT_YET = "…"  # not known yet: the 4 weeks after the period have not passed

SECTION_TITLES = {
    "reach": gettext_lazy("Reach"),
    "activity_mix": gettext_lazy("What was on offer"),
    "volunteers": gettext_lazy("Volunteers"),
    "noticing": gettext_lazy("Noticing and following up"),
    "help": gettext_lazy("Helping each other"),
    "wellbeing": gettext_lazy("Wellbeing"),
}


@dataclass(frozen=True)
class Column:
    measure: Measure

    @property
    def label(self) -> str:
        return str(self.measure.label)


@dataclass(frozen=True)
class Entry:
    text: str  # as printed
    value: int | float | str | None  # for a spreadsheet: a number, HIDDEN, or None
    cell: ReportCell | None


@dataclass(frozen=True)
class Row:
    group: str
    group_label: str
    group_kind: GroupKind
    period: Period
    period_label: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ReportTable:
    section: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


def period_label(period: Period) -> str:
    if period.kind == PeriodKind.MONTH:
        return date_format(period.first_day, "F Y")
    if period.kind == PeriodKind.QUARTER:
        return _("Q%(quarter)d %(year)d") % {"quarter": period.number, "year": period.year}
    return str(period.year)


def group_label(report: ImpactReport, slug: str) -> str:
    for group in report.groups:
        if group.slug == slug:
            if group.kind == GroupKind.REGION:
                return _("Whole region")
            return group.name
    return slug


class Numbers:
    """Numbers in the active language's notation (1.234 and 3,5 in Dutch).

    The separators are looked up once: ``number_format`` per cell looks them up again
    each time, which for a report by place per month (tens of thousands of cells) was
    most of the time the tables took.
    """

    def __init__(self):
        self.thousands = get_format("THOUSAND_SEPARATOR")
        self.decimal = get_format("DECIMAL_SEPARATOR")

    def whole(self, value: int) -> str:
        return f"{value:,}".replace(",", self.thousands)

    def one_decimal(self, value: float) -> str:
        return (
            f"{value:,.1f}".replace(",", "\0")
            .replace(".", self.decimal)
            .replace("\0", self.thousands)
        )


def format_value(
    measure: Measure, cell: ReportCell | None, numbers: Numbers | None = None
) -> Entry:
    numbers = numbers or Numbers()
    if cell is None:
        return Entry("", None, None)
    if cell.suppressed:
        return Entry(HIDDEN, HIDDEN, cell)
    value = cell.value
    if value is None:
        return Entry(NOT_YET if measure.unit != Unit.MEAN else "–", None, cell)
    if measure.unit == Unit.SHARE:
        return Entry(f"{numbers.whole(round(value * 100))}%", round(value, 4), cell)
    if measure.unit == Unit.MEAN:
        text = numbers.one_decimal(value)
        if cell.extra and cell.extra.get("low") is not None:
            low = numbers.one_decimal(cell.extra["low"])
            high = numbers.one_decimal(cell.extra["high"])
            text += f" ({low} – {high})"
        return Entry(text, round(value, 2), cell)
    if isinstance(value, float):
        return Entry(numbers.one_decimal(value), value, cell)
    return Entry(numbers.whole(value), value, cell)


def report_tables(report: ImpactReport) -> list[ReportTable]:
    """A table per section that has measures, rows by group (in report order) then period."""
    tables = []
    numbers = Numbers()
    periods = [(period, period.key, period_label(period)) for period in report.periods]
    for section in SECTIONS:
        measures = report.section_measures(section)
        if not measures:
            continue
        rows = []
        for group in report.groups:
            present = [measure for measure in measures if group.kind in measure.levels]
            if not present:
                continue
            label = group_label(report, group.slug)
            for period, key, period_text in periods:
                entries = tuple(
                    format_value(measure, report.cell(group.slug, key, measure.name), numbers)
                    for measure in measures
                )
                rows.append(
                    Row(
                        group=group.slug,
                        group_label=label,
                        group_kind=group.kind,
                        period=period,
                        period_label=period_text,
                        entries=entries,
                    )
                )
        tables.append(
            ReportTable(
                section=section,
                title=str(SECTION_TITLES.get(section, section)),
                columns=tuple(Column(measure) for measure in measures),
                rows=tuple(rows),
            )
        )
    return tables
