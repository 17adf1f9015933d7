"""Charts: deterministic SVG bytes, a title, no date, gaps where figures are missing."""

import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import translation

from omzien.reports.charts import KINDS, render_svg
from omzien.reports.disclosure import Hidden
from omzien.reports.statistics import Grouping, Overview, PeriodFigures


def figures(start, end, visits, unique, new, returning, complete=True, running=False):
    return PeriodFigures(
        start=start,
        end=end,
        visits=visits,
        named_visits=visits - 2 if isinstance(visits, int) else visits,
        anonymous_visits=2,
        unique_visitors=unique,
        new_visitors=new,
        returning_visitors=returning if complete else None,
        returning_share=(returning / unique) if complete else None,
        returning_complete=complete,
        is_running=running,
    )


def example(**changes) -> Overview:
    periods = [
        figures(date(2026, 1, 1), date(2026, 1, 31), 40, 12, 3, 9),
        figures(date(2026, 2, 1), date(2026, 2, 28), 35, 11, 1, 8),
        figures(date(2026, 3, 1), date(2026, 3, 31), 44, 14, 2, 0, complete=False),
        figures(date(2026, 4, 1), date(2026, 4, 30), 10, 6, 0, 0, complete=False, running=True),
    ]
    return Overview(
        grouping=changes.get("grouping", Grouping.MONTH),
        first_day=date(2026, 1, 1),
        last_day=date(2026, 4, 30),
        as_of=date(2026, 4, 12),
        periods=changes.get("periods", periods),
        totals=periods[0],
        suppressed_below=changes.get("suppressed_below"),
    )


@pytest.mark.parametrize("kind", KINDS)
def test_same_figures_give_identical_bytes(kind):
    first = render_svg(kind, example(), "Bezoeken per maand")
    second = render_svg(kind, example(), "Bezoeken per maand")
    assert first == second
    assert first.startswith(b"<?xml")


def test_identical_in_a_fresh_process():
    """Clip-path ids come from svg.hashsalt, not from a random salt per process."""
    script = (
        "import django, os, sys;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'omzien.config.settings');"
        "django.setup();"
        "from tests.reports.test_charts import example;"
        "from omzien.reports.charts import render_svg;"
        "sys.stdout.buffer.write(render_svg('bezoeken', example(), 'Bezoeken per maand'))"
    )
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True).stdout
    assert fresh == render_svg("bezoeken", example(), "Bezoeken per maand")


@pytest.mark.parametrize("kind", KINDS)
def test_svg_has_the_title_and_no_date(kind):
    svg = render_svg(kind, example(), "Bezoeken per maand").decode()
    assert "<title>Bezoeken per maand</title>" in svg
    assert svg.count("Bezoeken per maand") >= 2  # the <title> and the drawn title
    assert "<dc:date>" not in svg
    assert "Matplotlib v" not in svg
    assert "<text" in svg  # text stays text, for search and assistive technology


def test_different_figures_give_different_bytes():
    other = example(periods=example().periods[:3])
    assert render_svg("bezoeken", other, "t") != render_svg("bezoeken", example(), "t")


def test_not_yet_complete_is_said_in_words():
    with translation.override("en"):
        svg = render_svg("terugkomst", example(), "Terugkomst").decode()
    assert svg.count("not yet complete") == 2  # the legend and the shaded band


def test_labels_follow_the_language():
    with translation.override("nl"):
        dutch = render_svg("bezoeken", example(), "t").decode()
    with translation.override("en"):
        english = render_svg("bezoeken", example(), "t").decode()
    assert "Mrt" in dutch
    assert "Mar" in english


def test_suppressed_cells_leave_marked_gaps():
    periods = example().periods
    periods[1] = replace(
        periods[1],
        visits=Hidden.PROTECTING,
        named_visits=Hidden.PROTECTING,
        anonymous_visits=Hidden.SMALL,
        unique_visitors=Hidden.SMALL,
        new_visitors=Hidden.SMALL,
        returning_visitors=Hidden.SMALL,
        returning_share=Hidden.PROTECTING,
    )
    overview = example(periods=periods, suppressed_below=5)
    with translation.override("nl"):
        visits = render_svg("bezoeken", overview, "t").decode()
        visitors = render_svg("bezoekers", overview, "t").decode()
        returning = render_svg("terugkomst", overview, "t").decode()
    assert 'id="named-0"' in visits and 'id="named-1"' not in visits
    assert 'id="anonymous-1"' not in visits and 'id="together-1"' not in visits

    def mark(svg):
        return svg.partition('id="hidden-1"')[2].partition("</g>")[0]

    # The table's words: the visits are hidden to protect the small numbers in them.
    assert "verborgen</text>" in mark(visits)
    assert "&lt;5</text>" in mark(visitors)
    assert "verborgen</text>" in mark(returning)
    assert "minder dan 5, niet getekend" in visitors
    assert 'id="hidden-0"' not in visits + visitors + returning


def test_visits_whose_split_is_hidden_are_one_bar():
    periods = example().periods
    periods[0] = replace(periods[0], named_visits=Hidden.PROTECTING, anonymous_visits=Hidden.SMALL)
    svg = render_svg("bezoeken", example(periods=periods, suppressed_below=5), "t").decode()
    assert 'id="together-0"' in svg and 'id="named-0"' not in svg
    assert 'id="named-1"' in svg and 'id="together-1"' not in svg
    assert 'id="hidden-0"' not in svg  # the visits are there


def test_weeks_over_three_years_render():
    monday = date(2024, 1, 1)
    periods = [
        figures(monday + timedelta(weeks=n), monday + timedelta(weeks=n, days=6), 30, 10, 1, 5)
        for n in range(157)
    ]
    svg = render_svg("bezoeken", example(periods=periods, grouping=Grouping.WEEK), "t")
    assert b"2025" in svg
