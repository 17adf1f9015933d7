"""Words for periods and charts, in the active language (Dutch unless chosen otherwise)."""

from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from omzien.reports.disclosure import Hidden
from omzien.reports.statistics import Grouping


def hidden(marker: Hidden, threshold: int | None) -> str:
    """A hidden cell in words, the same in the tables, the charts and their alt texts."""
    if marker is Hidden.SMALL:
        return f"<{threshold}"
    return _("hidden")


def count(value, threshold: int | None = None) -> str:
    """A cell of a table: a count with thousands separated, or the words for hidden."""
    if isinstance(value, Hidden):
        return hidden(value, threshold)
    return number_format(value, force_grouping=True)


def axis_label(start: date, grouping: Grouping, with_year: bool = False) -> str:
    """A short label under a chart's bar: '26' over 'jan' for a week, 'jan' for a month."""
    label = date_format(start, "j\nM" if grouping == Grouping.WEEK else "M")
    return f"{label}\n{start.year}" if with_year else label


def period_label(start: date, grouping: Grouping) -> str:
    """A period as a table row header: 'week 5, 2026' or 'januari 2026'."""
    if grouping == Grouping.WEEK:
        year, week, _weekday = start.isocalendar()
        return _("week %(week)d, %(year)d") % {"week": week, "year": year}
    return date_format(start, "F Y")


def period_dates(start: date, end: date) -> str:
    """The days of a week, e.g. '26 jan – 1 feb'."""
    return f"{date_format(start, 'j M')} – {date_format(end, 'j M')}"


def range_label(first: date, last: date) -> str:
    return f"{date_format(first, 'j F Y')} – {date_format(last, 'j F Y')}"


def chart_titles(grouping: Grouping) -> dict[str, str]:
    if grouping == Grouping.WEEK:
        return {
            "bezoeken": _("Visits per week"),
            "bezoekers": _("Unique and new visitors per week"),
            "terugkomst": _("Share returning within 4 weeks, per week"),
        }
    return {
        "bezoeken": _("Visits per month"),
        "bezoekers": _("Unique and new visitors per month"),
        "terugkomst": _("Share returning within 4 weeks, per month"),
    }


def chart_alternatives(
    grouping: Grouping, first: date, last: date, threshold: int | None = None
) -> dict[str, str]:
    """The text alternative of each chart: what it shows, where its numbers are, and for
    viewers (``threshold``) how it marks the numbers it leaves out."""
    period = range_label(first, last)
    if grouping == Grouping.WEEK:
        texts = {
            "bezoeken": _(
                "Bar chart of the visits per week from %(period)s, named and anonymous "
                "stacked. The numbers are in the table below the chart."
            ),
            "bezoekers": _(
                "Line chart of the unique and the new visitors per week from %(period)s. "
                "The numbers are in the table below the chart."
            ),
            "terugkomst": _(
                "Line chart of the share of visitors who came back within 4 weeks, per "
                "week from %(period)s; the last weeks are not yet complete. The numbers "
                "are in the table below the chart."
            ),
        }
    else:
        texts = {
            "bezoeken": _(
                "Bar chart of the visits per month from %(period)s, named and anonymous "
                "stacked. The numbers are in the table below the chart."
            ),
            "bezoekers": _(
                "Line chart of the unique and the new visitors per month from %(period)s. "
                "The numbers are in the table below the chart."
            ),
            "terugkomst": _(
                "Line chart of the share of visitors who came back within 4 weeks, per "
                "month from %(period)s; the last months are not yet complete. The "
                "numbers are in the table below the chart."
            ),
        }
    texts = {kind: text % {"period": period} for kind, text in texts.items()}
    if threshold is not None:
        note = _(
            "Numbers smaller than %(min_cell)d are not drawn: the chart and the table say "
            "“%(small)s” there, and “%(hidden)s” where a larger number is left out too."
        ) % {"min_cell": threshold, "small": f"<{threshold}", "hidden": _("hidden")}
        texts = {kind: f"{text} {note}" for kind, text in texts.items()}
    return texts
