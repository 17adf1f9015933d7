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
"""

from __future__ import annotations

import io
import math
import threading

from django.utils.translation import gettext as _

from omzien.reports.labels import axis_label
from omzien.reports.statistics import Grouping, Overview

_lock = threading.Lock()
_ready = False

# Calm colours that keep their order in grey and for colour-blind readers.
NAMED = "#8a3b12"  # the site's accent
ANONYMOUS = "#e3b48f"
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


def _whole_numbers(axes) -> None:
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    axes.set_ylim(bottom=0)


def _visits(overview: Overview, title: str):
    figure, axes, positions = _figure(title, overview)
    named = [_number(figures.named_visits) for figures in overview.periods]
    anonymous = [_number(figures.anonymous_visits) for figures in overview.periods]
    # The period that has not ended yet is hatched: its bar is "so far".
    hatches = ["//" if figures.is_running else "" for figures in overview.periods]
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
    for named_bar, anonymous_bar, hatch in zip(bars, stacked, hatches, strict=True):
        if hatch:
            named_bar.set(hatch=hatch, edgecolor="#ffffff", linewidth=0)
            anonymous_bar.set(hatch=hatch, edgecolor="#ffffff", linewidth=0)
    if any(hatches):
        from matplotlib.patches import Patch

        handles.append(
            Patch(facecolor="#999999", edgecolor="#ffffff", hatch="//", label=_("so far"))
        )
    axes.set_ylabel(_("visits"))
    _whole_numbers(axes)
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    return figure


def _visitors(overview: Overview, title: str):
    figure, axes, positions = _figure(title, overview)
    unique = [_number(figures.unique_visitors) for figures in overview.periods]
    new = [_number(figures.new_visitors) for figures in overview.periods]
    axes.plot(positions, unique, color=UNIQUE, marker="o", markersize=4, label=_("unique"))
    axes.plot(positions, new, color=NEW, marker="s", markersize=4, linestyle="--", label=_("new"))
    axes.set_ylabel(_("visitors"))
    _whole_numbers(axes)
    axes.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    return figure


def _returning(overview: Overview, title: str):
    figure, axes, positions = _figure(title, overview)
    shares = [
        _number(figures.returning_share) * 100 if figures.returning_complete else math.nan
        for figures in overview.periods
    ]
    axes.plot(positions, shares, color=RETURNING, marker="o", markersize=4, label=_("returned"))
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
    axes.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
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
