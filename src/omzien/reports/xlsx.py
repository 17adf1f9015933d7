"""The impact report as an .xlsx workbook: ``render_xlsx(report) -> bytes``.

Sheets: a cover ("Rapportage": title, region, period, audience, the disclosure rule in
words, the date the figures are of), one sheet per table of
:func:`omzien.reports.presentation.report_tables` (a row per group and period, a column
per measure; numbers as numbers so a spreadsheet can add up what it may, a hidden cell as
the same marker the page prints), "Verbinding tussen de dorpen" (the village network, as
the reader may see it), "Toelichting" (what each measure counts) and, when the
coordinators wrote any, "Verhalen". Built from the same :class:`ImpactReport` as the page
and the PDF, so the viewer's hidden cells have no value to write. Every text goes through
``core.spreadsheets.xlsx_cell``: a place name or a coordinator's text never becomes a
formula.
"""

from __future__ import annotations

import io
import re

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from omzien.core import spreadsheets
from omzien.reports import protection
from omzien.reports.audience import Audience
from omzien.reports.cube import PeriodKind, Unit
from omzien.reports.impact import ImpactReport
from omzien.reports.network_drawing import network_rows, threshold_text
from omzien.reports.presentation import HIDDEN, NOT_YET, period_label, report_tables

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHEET_NAME = 31  # Excel's limit
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS = {Unit.SHARE: "0%", Unit.MEAN: "0.0"}
MIN_WIDTH, MAX_WIDTH = 10, 60


def render_xlsx(report: ImpactReport) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    names: set[str] = set()
    _write_sheet(book, _sheet_name(_("Report"), names), _cover_rows(report), header=False)
    for table in report_tables(report):
        header = [_("Group"), _("Period"), *(column.label for column in table.columns)]
        rows = [header]
        formats = [None, None, *(NUMBER_FORMATS.get(c.measure.unit) for c in table.columns)]
        for row in table.rows:
            values = [entry.text if entry.value is None else entry.value for entry in row.entries]
            rows.append([row.group_label, row.period_label, *values])
        _write_sheet(book, _sheet_name(table.title, names), rows, formats=formats)
    for network in report.networks:
        title = _("Connections between the villages")
        if len(report.networks) > 1:
            title = f"{title} {network.year}"
        _write_sheet(book, _sheet_name(title, names), _network_rows(network))
    _write_sheet(book, _sheet_name(_("Explanation"), names), _explanation_rows(report))
    if report.stories:
        _write_sheet(book, _sheet_name(_("Stories"), names), _story_rows(report))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _network_rows(network) -> list[list]:
    rows = [[_("Village"), _("Connected with")]]
    for row in network_rows(network):
        if not row.has_places:
            rows.append([row.name, _("no place of its own")])
        else:
            rows.append([row.name, row.connected or _("isolated")])
    return [*rows, [], [threshold_text(network)]]


def _sheet_name(title: str, taken: set[str]) -> str:
    name = NOT_IN_SHEET_NAMES.sub(" ", str(title)).strip()[:MAX_SHEET_NAME] or "-"
    base, number = name, 2
    while name.lower() in taken:
        suffix = f" {number}"
        name, number = base[: MAX_SHEET_NAME - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _write_sheet(book, name: str, rows: list[list], *, header: bool = True, formats=None):
    """A sheet with a bold, frozen first row (``header``) and columns as wide as their
    longest text. Write-only: widths and panes are set before the rows."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(name)
    columns = max((len(row) for row in rows), default=0)
    for index in range(columns):
        longest = max(
            (len(_text(row[index])) for row in rows if index < len(row)), default=MIN_WIDTH
        )
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    if header:
        sheet.freeze_panes = "A2" if columns < 3 else "C2"
    bold = Font(bold=True)
    for number, row in enumerate(rows):
        cells = []
        for index, value in enumerate(row):
            cell = spreadsheets.xlsx_cell(sheet, value)
            if (header and number == 0) or (not header and index == 0):
                cell.font = bold
            elif formats and index < len(formats) and formats[index] and _is_number(value):
                cell.number_format = formats[index]
            cells.append(cell)
        sheet.append(cells)
    return sheet


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value) -> str:
    if value is None:
        return ""
    return max(str(value).splitlines() or [""], key=len)


def _period_kind_label(kind: PeriodKind) -> str:
    return {
        PeriodKind.MONTH: _("per month"),
        PeriodKind.QUARTER: _("per quarter"),
        PeriodKind.YEAR: _("per year"),
    }[kind]


def region_name(report: ImpactReport) -> str:
    """The region (or regions) the report's places lie in."""
    from omzien.places.models import Region

    place_ids = set().union(*(group.place_ids for group in report.groups))
    regions = Region.objects.filter(villages__places__in=place_ids).distinct().order_by("name")
    return ", ".join(region.name for region in regions)


def audience_label(report: ImpactReport) -> str:
    if report.request.audience is Audience.VIEWER:
        return _("Municipality and fund: small numbers hidden")
    if report.request.place_ids is not None:
        return _("Coordinator: exact figures of their own places")
    return _("Professional: exact figures")


def rule_words(report: ImpactReport) -> str:
    if report.min_cell is None:
        return _("Exact figures: nothing is hidden. Not for publication.")
    return protection.rule_text(report.min_cell)


def _cover_rows(report: ImpactReport) -> list[list]:
    periods = report.periods
    span = ""
    if periods:
        first, last = periods[0].first_day, periods[-1].last_day
        span = f"{date_format(first, 'j F Y')} – {date_format(last, 'j F Y')}"
    return [
        [_("Impact report of the meeting places")],
        [],
        [_("Region"), region_name(report)],
        [_("Period"), span],
        [_("Figures"), _period_kind_label(report.request.period_kind)],
        [_("For"), audience_label(report)],
        [_("Smallest number shown"), report.min_cell if report.min_cell is not None else "–"],
        [_("Disclosure rule"), rule_words(report)],
        [_("Hidden number"), HIDDEN],
        [_("Not known yet"), NOT_YET],
        [_("Figures as of"), date_format(report.as_of, "j F Y")],
    ]


def _explanation_rows(report: ImpactReport) -> list[list]:
    rows = [[_("Measure"), _("What it counts")]]
    rows += [[str(measure.label), str(measure.help_text)] for measure in report.measures]
    rows += [
        [],
        [HIDDEN, _("Hidden: the number is small, or would let a small number be worked out.")],
        [NOT_YET, _("Not known yet: the 4 weeks after the period have not passed.")],
        [_("Disclosure rule"), rule_words(report)],
    ]
    return rows


def _story_rows(report: ImpactReport) -> list[list]:
    rows = [[_("Meeting place"), _("Period"), _("What went well"), _("What we learned")]]
    rows += [
        [story.place_name, period_label(story.period), story.went_well, story.learned]
        for story in report.stories
    ]
    return rows
