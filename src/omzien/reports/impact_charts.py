"""The impact report's charts: one SVG per section, drawn from its table's rows.

A chart is a horizontal bar chart with a band per row of the table (a group and a
period, in the table's order) and a bar per measure, so it shows exactly the numbers
of the table and no other. Measures of different kinds get a panel each: counts, shares
(as percentages) and means. A hidden cell is never drawn: where its bar would be, the
table's marker (``presentation.HIDDEN``) stands at the axis. A table with more rows than
fit in a chart is drawn for its coarsest groups (the region, the villages) and the chart
says so; every row stays in the table.

Bars and marks carry ids (``bar-<row>-<column>``, ``hidden-<row>-<column>``) so tests can
see what was drawn. Rendering is deterministic, like ``reports.charts``, whose settings
and lock it shares.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from omzien.reports.charts import GRID, INK, RC, _lock, _matplotlib
from omzien.reports.cube import GroupKind, Unit
from omzien.reports.presentation import HIDDEN, ReportTable, Row

# Calm colours that stay apart in grey and for colour-blind readers (Okabe-Ito, darkened).
COLOURS = ("#8a3b12", "#1a5fb4", "#26734d", "#b8860b", "#6a3d9a", "#4d4d4d", "#c0508a", "#3a8fb7")
MAX_ROWS = 40  # bands per chart: more are not readable, and they stay in the table
KIND_ORDER = (GroupKind.REGION, GroupKind.VILLAGE, GroupKind.PLACE)
PANELS = (
    ("count", (Unit.PEOPLE, Unit.EVENTS, Unit.PUBLIC)),
    ("share", (Unit.SHARE,)),
    ("mean", (Unit.MEAN,)),
)


@dataclass(frozen=True)
class ChartRows:
    rows: tuple[tuple[int, Row], ...]  # (index in the table, row)
    complete: bool  # False: only some of the table's rows are drawn


def chart_rows(table: ReportTable) -> ChartRows:
    """The rows a chart draws: all of them, or the coarsest group kinds that fit."""
    indexed = tuple(enumerate(table.rows))
    if len(indexed) <= MAX_ROWS:
        return ChartRows(indexed, True)
    chosen: list[tuple[int, Row]] = []
    for kind in KIND_ORDER:
        of_kind = [(index, row) for index, row in indexed if row.group_kind == kind]
        if chosen and len(chosen) + len(of_kind) > MAX_ROWS:
            break
        chosen += of_kind
    return ChartRows(tuple(chosen[:MAX_ROWS]), False)


def chart_title(table: ReportTable) -> str:
    return table.title


def chart_alt(table: ReportTable, hidden_marker: bool) -> str:
    """The text alternative: what the chart shows and that its numbers are in the table."""
    drawn = chart_rows(table)
    text = _(
        "Bar chart of %(title)s: a bar per figure (%(measures)s) for each row of the "
        "table. The numbers are in the table below the chart."
    ) % {
        "title": table.title.lower(),
        "measures": ", ".join(column.label.lower() for column in table.columns),
    }
    if not drawn.complete:
        text += " " + chart_note(table)
    if hidden_marker:
        text += " " + (
            _("Hidden figures are not drawn: the chart and the table show “%(hidden)s” there.")
            % {"hidden": HIDDEN}
        )
    return text


def chart_note(table: ReportTable) -> str:
    """What the chart leaves out, in words ('' when it draws every row)."""
    drawn = chart_rows(table)
    if drawn.complete:
        return ""
    return _("The chart shows %(drawn)d of the %(rows)d rows; all of them are in the table.") % {
        "drawn": len(drawn.rows),
        "rows": len(table.rows),
    }


def _row_label(row: Row) -> str:
    return f"{row.group_label} · {row.period_label}"


def _panels(table: ReportTable) -> list[tuple[str, list[int]]]:
    """(panel kind, column indexes) for each kind of measure the table has."""
    panels = []
    for name, units in PANELS:
        columns = [
            index for index, column in enumerate(table.columns) if column.measure.unit in units
        ]
        if columns:
            panels.append((name, columns))
    return panels


def _bar_value(panel: str, value) -> float | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return float(value) * 100 if panel == "share" else float(value)


def _draw_panel(axes, table: ReportTable, rows, panel: str, columns: list[int], viewer: bool):
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    band = 0.8 / len(columns)
    for slot, column in enumerate(columns):
        measure = table.columns[column].measure
        colour = COLOURS[column % len(COLOURS)]
        labelled = False
        for position, (index, row) in enumerate(rows):
            entry = row.entries[column]
            y = position - 0.4 + band * (slot + 0.5)
            if entry.value == HIDDEN:
                axes.annotate(
                    HIDDEN,
                    xy=(0, y),
                    xycoords=("axes fraction", "data"),
                    xytext=(3, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontsize=9,
                    color=INK,
                    gid=f"hidden-{index}-{column}",
                )
                continue
            value = _bar_value(panel, entry.value)
            if value is None:
                continue
            (bar,) = axes.barh(
                [y],
                [value],
                height=band * 0.9,
                color=colour,
                label=None if labelled else str(measure.label),
            )
            bar.set_gid(f"bar-{index}-{column}")
            labelled = True
        if not labelled:  # the legend still says which colour is which measure
            axes.barh([], [], color=colour, label=str(measure.label))
    axes.set_yticks(range(len(rows)), [_row_label(row) for _index, row in rows])
    axes.set_ylim(len(rows) - 0.5, -0.5)  # the table's first row on top
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    if panel == "share":
        axes.set_xlim(0, 100)
        axes.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    else:
        # For viewers steps of 5 or more, so that no tick suggests a small count.
        steps = [5, 10] if viewer and panel == "count" else None
        axes.xaxis.set_major_locator(MaxNLocator(integer=panel == "count", nbins=6, steps=steps))
        axes.set_xlim(0, max(axes.get_xlim()[1], 10 if panel == "count" else 1))
        axes.xaxis.set_major_formatter(
            lambda value, _position: (
                number_format(value, force_grouping=True)
                if panel == "count"
                else number_format(value, decimal_pos=1)
            )
        )
    axes.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        frameon=False,
        handles=axes.get_legend_handles_labels()[0],
        labels=[textwrap.fill(label, 28) for label in axes.get_legend_handles_labels()[1]],
    )


def render_table_svg(table: ReportTable, *, viewer: bool) -> bytes:
    """The section's chart as SVG bytes; the same table gives the same bytes."""
    matplotlib = _matplotlib()
    drawn = chart_rows(table)
    rows = list(drawn.rows)
    panels = _panels(table)
    title = chart_title(table)
    with _lock, matplotlib.rc_context(RC):
        from matplotlib.figure import Figure

        # A band per row, thicker with more bars in it, and at least room for the legend.
        heights = [
            max(0.2 * len(columns) + 0.4, len(rows) * min(0.55, 0.1 + 0.05 * len(columns)))
            for _name, columns in panels
        ] or [1.2]
        figure = Figure(figsize=(10, 0.7 + sum(heights)), layout="constrained")
        figure.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
        if panels and rows:
            grid = figure.add_gridspec(len(panels), 1, height_ratios=heights)
            for number, (panel, columns) in enumerate(panels):
                axes = figure.add_subplot(grid[number])
                axes.spines[["top", "right"]].set_visible(False)
                _draw_panel(axes, table, rows, panel, columns, viewer)
        note = chart_note(table)
        if note:
            figure.supxlabel(note, x=0.01, ha="left", fontsize=9)
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Title": title, "Date": None, "Creator": "Omzien"},
        )
    return buffer.getvalue()
