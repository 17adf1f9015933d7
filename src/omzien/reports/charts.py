"""Attendance charts as SVG from matplotlib: deterministic, titled, without a date.

The same figures give byte-identical SVG: ``svg.hashsalt`` is fixed (the ids of clip
paths derive from it), the metadata carries no date and no library version, and text is
written as ``<text>`` (``svg.fonttype = none``) so the title and labels can be found and
read by assistive technology. The SVG starts with a ``<title>``.

The SVGs are served as images of their own (``<img src=...svg>`` with an ``alt`` text and
the numbers in a table beside them), not inlined in the page: matplotlib writes a
``<style>`` element and ``style`` attributes, which the site's strict Content-Security-
Policy (``style-src 'self'``) would block inside an HTML page.

matplotlib is imported on first use (it takes a moment), with the Agg backend and
without pyplot: figures are plain ``Figure`` objects, so no global figure state is shared
between threads; a lock serialises rendering anyway, as matplotlib's text layout is not
guaranteed thread-safe.

For viewers some figures are hidden (:mod:`omzien.reports.disclosure`): a hidden figure
is never drawn as a height. Its bar or point is left out and the gap is marked at the
foot of the chart with the same words as the table ("<5", or "hidden"); a period whose
visits are shown but whose split into named and anonymous is hidden gets one grey bar
("together"). Bars, lines and marks carry ids (``named-3``, ``unique``, ``hidden-3``) so
tests can see what was drawn.
"""

from __future__ import annotations

import io
import math
import textwrap
import threading

from django.utils.translation import gettext as _

from omzien.reports.disclosure import Hidden
from omzien.reports.labels import axis_label, hidden
from omzien.reports.statistics import Grouping, Overview

_lock = threading.Lock()
_ready = False

# Calm colours that keep their order in grey and for colour-blind readers.
NAMED = "#8a3b12"  # the site's accent
ANONYMOUS = "#e3b48f"
TOGETHER = "#8c8579"  # visits shown, their split hidden
UNIQUE = "#1a5fb4"
NEW = "#8a3b12"
RETURNING = "#26734d"
INCOMPLETE = "#ece7dc"
INK = "#1d1d1b"
GRID = "#d9d3c7"

RC = {
    "svg.hashsalt": "omzien-reports",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _matplotlib():
    """Import matplotlib once per process, with the Agg backend (no display needed)."""
    global _ready
    import matplotlib

    if not _ready:
        matplotlib.use("Agg")
        _ready = True
    return matplotlib


def _number(value) -> float:
    """Counts as numbers for plotting; suppressed or missing cells leave a gap."""
    return float(value) if isinstance(value, int | float) else math.nan


def _figure(title: str, overview: Overview):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 3.4), layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold")
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    positions = list(range(len(overview.periods)))
    step = max(1, math.ceil(len(positions) / 13))
    shown = positions[::step]
    labels, year = [], None
    for position in shown:  # the year under the first label and where it changes
        start = overview.periods[position].start
        labels.append(axis_label(start, overview.grouping, with_year=start.year != year))
        year = start.year
    axes.set_xticks(shown, labels)
    axes.set_xlim(-0.6, len(positions) - 0.4)
    if overview.grouping == Grouping.WEEK:
        axes.set_xlabel(_("Week starting on"))
    return figure, axes, positions


def _mark_hidden(axes, overview: Overview, cells_per_period) -> set[Hidden]:
    """Mark the periods with a hidden figure at the foot of the chart; the marks used."""
    marked = set()
    count = len(cells_per_period)
    for position, cells in enumerate(cells_per_period):
        markers = [cell for cell in cells if isinstance(cell, Hidden)]
        if not markers:
            continue
        marker = Hidden.SMALL if Hidden.SMALL in markers else Hidden.PROTECTING
        text = hidden(marker, overview.suppressed_below)
        upright = count <= 26 if len(text) <= 3 else count <= 8
        axes.annotate(
            text,
            xy=(position, 0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            rotation=0 if upright else 90,
            fontsize=8 if count <= 26 else 7,
            color=INK,
            gid=f"hidden-{position}",
        )
        marked.add(marker)
    return marked


def _hidden_legend(overview: Overview, marks: set[Hidden]) -> list:
    """Legend lines that explain the marks: text only."""
    from matplotlib.patches import Patch

    threshold = overview.suppressed_below
    labels = []
    if Hidden.SMALL in marks:
        labels.append(
            _("%(small)s: fewer than %(min_cell)d, not drawn")
            % {"small": hidden(Hidden.SMALL, threshold), "min_cell": threshold}
        )
    if Hidden.PROTECTING in marks:
        labels.append(
            _("%(hidden)s: left out, so that no number smaller than %(min_cell)d can be worked out")
            % {"hidden": hidden(Hidden.PROTECTING, threshold), "min_cell": threshold}
        )
    return [
        Patch(facecolor="none", edgecolor="none", label=textwrap.fill(label, 36))
        for label in labels
    ]


def _whole_numbers(axes, overview: Overview) -> None:
    from matplotlib.ticker import MaxNLocator

    # At least 0 to 5, so a chart with nothing drawn (all hidden or zero) has whole steps;
    # for viewers steps of 5 or more, so that no tick suggests a small count.
    steps, least = ([5, 10], 10) if overview.suppressed_below else (None, 5)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6, steps=steps))
    axes.set_ylim(0, max(axes.get_ylim()[1], least))


def _visits(overview: Overview, title: str):
    figure, axes, positions = _figure(title, overview)
    periods = overview.periods
    # Named and anonymous stacked where both are shown; else the visits in one grey bar,
    # or nothing when the visits are hidden too.
    named, anonymous, together = [], [], []
    for figures in periods:
        split = isinstance(figures.named_visits, int) and isinstance(figures.anonymous_visits, int)
        named.append(_number(figures.named_visits) if split else math.nan)
        anonymous.append(_number(figures.anonymous_visits) if split else math.nan)
        together.append(math.nan if split else _number(figures.visits))
    # The period that has not ended yet is hatched: its bar is "so far".
    hatches = ["//" if figures.is_running else "" for figures in periods]
    bars = axes.bar(positions, named, color=NAMED, label=_("named"), width=0.75)
    stacked = axes.bar(
        positions,
        anonymous,
        bottom=[0 if math.isnan(value) else value for value in named],
        color=ANONYMOUS,
        label=_("anonymous"),
        width=0.75,
    )
    handles = [bars, stacked]
    groups = [("named", bars), ("anonymous", stacked)]
    if not all(math.isnan(value) for value in together):
        joint = axes.bar(
            positions,
            together,
            color=TOGETHER,
            label=_("named and anonymous together"),
            width=0.75,
        )
        handles.append(joint)
        groups.append(("together", joint))
    for name, group in groups:
        for position, (bar, hatch) in enumerate(zip(group, hatches, strict=True)):
            if math.isnan(bar.get_height()):
                bar.remove()  # a gap: nothing in the SVG at all
                continue
            bar.set_gid(f"{name}-{position}")
            if hatch:
                bar.set(hatch=hatch, edgecolor="#ffffff", linewidth=0)
    if any(hatches):
        from matplotlib.patches import Patch

        handles.append(
            Patch(facecolor="#999999", edgecolor="#ffffff", hatch="//", label=_("so far"))
        )
    marks = _mark_hidden(axes, overview, [(figures.visits,) for figures in periods])
    handles += _hidden_legend(overview, marks)
    axes.set_ylabel(_("visits"))
    _whole_numbers(axes, overview)
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    return figure


def _visitors(overview: Overview, title: str):
    figure, axes, positions = _figure(title, overview)
    unique = [_number(figures.unique_visitors) for figures in overview.periods]
    new = [_number(figures.new_visitors) for figures in overview.periods]
    axes.plot(
        positions, unique, color=UNIQUE, marker="o", markersize=4, label=_("unique"), gid="unique"
    )
    axes.plot(
        positions,
        new,
        color=NEW,
        marker="s",
        markersize=4,
        linestyle="--",
        label=_("new"),
        gid="new",
    )
    handles, _labels = axes.get_legend_handles_labels()
    cells = [(figures.unique_visitors, figures.new_visitors) for figures in overview.periods]
    handles += _hidden_legend(overview, _mark_hidden(axes, overview, cells))
    axes.set_ylabel(_("visitors"))
    _whole_numbers(axes, overview)
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    return figure


def _returning(overview: Overview, title: str):
    figure, axes, positions = _figure(title, overview)
    shares = [
        _number(figures.returning_share) * 100 if figures.returning_complete else math.nan
        for figures in overview.periods
    ]
    axes.plot(
        positions,
        shares,
        color=RETURNING,
        marker="o",
        markersize=4,
        label=_("returned"),
        gid="returned",
    )
    incomplete = [
        position
        for position, figures in zip(positions, overview.periods, strict=True)
        if not figures.returning_complete
    ]
    if incomplete:
        axes.axvspan(
            incomplete[0] - 0.5,
            incomplete[-1] + 0.5,
            color=INCOMPLETE,
            label=_("not yet complete"),
            zorder=0,
        )
        # Said in words too, not by colour alone.
        axes.text(
            (incomplete[0] + incomplete[-1]) / 2,
            50,
            _("not yet complete"),
            rotation=90,
            ha="center",
            va="center",
            color=INK,
            fontsize=9,
        )
    axes.set_ylim(0, 100)
    axes.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    axes.set_ylabel(_("share of visitors"))
    handles, _labels = axes.get_legend_handles_labels()
    cells = [
        (figures.returning_share,) if figures.returning_complete else ()
        for figures in overview.periods
    ]
    handles += _hidden_legend(overview, _mark_hidden(axes, overview, cells))
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    return figure


DRAW = {"bezoeken": _visits, "bezoekers": _visitors, "terugkomst": _returning}
KINDS = tuple(DRAW)


def render_svg(kind: str, overview: Overview, title: str) -> bytes:
    """One chart of the overview as SVG bytes; the same input gives the same bytes."""
    matplotlib = _matplotlib()
    with _lock, matplotlib.rc_context(RC):
        figure = DRAW[kind](overview, title)
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Title": title, "Date": None, "Creator": "Omzien"},
        )
    return buffer.getvalue()
