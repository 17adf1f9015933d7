"""Attendance figures per period for a set of places, optionally one activity.

Everything is counted on the *session date* (``Session.date``, the local calendar day of
the occurrence), grouped by ISO week (Monday to Sunday) or by calendar month. A period's
figures for a *scope* (the chosen places, narrowed to one activity when one is given):

visits
    Every Visit row at a session of the scope in the period: named and anonymous.
named_visits / anonymous_visits
    Visits with a person / without one (someone counted with the "+1" button).
unique_visitors
    The number of different people among the named visits.
new_visitors
    People whose first named visit *ever* in the scope (all history, not only the
    chosen range) falls in the period. With one place that is "first time at this
    place"; with one activity, "first time at this activity"; with several places, "first
    time at any of them". Every person is new in at most one period, so the new visitors
    of the periods add up to the new visitors of the whole range.
returning_visitors / returning_share ("share returning within 4 weeks")
    Of the period's unique visitors, how many came back: a person counts as returning
    when, after their *last* visit in the period (day ``d``), they have a named visit in
    the same scope on a day in ``d + 1 .. d + 28``. The share is returning / unique.
    Taking the last visit of the period makes the question "did they come back after
    this week/month", so someone who came twice in one month but never after does not
    count. Note that a monthly activity held on the first Thursday is 28 or 35 days
    apart, so its regulars return within 28 days only in some months.

    The 4-week window of a period is complete when ``period end + 28 days`` lies before
    ``as_of`` (default: today; visits of today may still be recorded). Periods whose
    window is not complete have ``returning_complete = False`` and ``None`` for the
    returning figures: "not yet complete", rather than a number that looks low.
is_running
    The period has not ended yet on ``as_of``: its figures are so far.

How the work is split, and the scale it suits (three queries, whatever the range):

1. visits and named visits per period: one grouped query, ``TruncWeek``/``TruncMonth`` on
   the session date (SQLite and PostgreSQL truncate a date identically; it has no time
   zone), so only one row per period leaves the database;
2. new visitors: one grouped query giving each person's first date in the scope (one row
   per person whose first visit falls in the range), bucketed in Python;
3. unique and returning visitors: "did this person come again within 28 days" needs each
   person's next visit, so one query fetches the (person, day) pairs of the named visits
   of the range plus 28 days, and numpy sorts them and counts per period: each person's
   last day in the period, the gap to their next day, and the different people. The
   totals' unique visitors come from the same pairs. Counting distinct people this way
   is cheaper than ``COUNT(DISTINCT)`` per period on SQLite.

The third step holds one pair per named visit in memory (16 bytes each in numpy, plus
the rows from the cursor while they are read): fine for 1e5 visits (tens of ms) and
workable for 1e6 (a second or two on SQLite for a whole region; one place takes
milliseconds). See benchmarks/reports_overview.py and benchmarks/RESULTS.md.

Small cells: ``suppress_below=5`` replaces counts of 1 to 4 people, and the figures that
would reveal them, by a :class:`~omzien.reports.disclosure.Hidden` marker, for reports
seen by viewers (see :func:`suppress_small_cells`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from django.db import connections
from django.db.models import Count, DateField, Min, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from omzien.attendance.models import Visit
from omzien.reports.disclosure import Hidden, Table

RETURN_WINDOW_DAYS = 28

# A cell of a report: a count, or the marker that replaces it for viewers.
Cell = int | Hidden


class Grouping(StrEnum):
    WEEK = "week"
    MONTH = "month"


def period_start(day: date, grouping: Grouping) -> date:
    """The first day of the ISO week (Monday) or month that holds the day."""
    if grouping == Grouping.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period_start(start: date, grouping: Grouping) -> date:
    if grouping == Grouping.WEEK:
        return start + timedelta(weeks=1)
    year, month = divmod(start.year * 12 + start.month, 12)  # month is 0-based here
    return date(year, month + 1, 1)


def period_starts(first_day: date, last_day: date, grouping: Grouping) -> list[date]:
    """The starts of all periods that overlap first_day .. last_day, in order."""
    starts = []
    start = period_start(first_day, grouping)
    while start <= last_day:
        starts.append(start)
        start = next_period_start(start, grouping)
    return starts


@dataclass(frozen=True)
class PeriodFigures:
    """The figures of one period (or of a whole range, for the totals)."""

    start: date
    end: date
    visits: Cell
    named_visits: Cell
    anonymous_visits: Cell
    unique_visitors: Cell
    new_visitors: Cell
    # None while the 4-week window is not complete (and for the totals).
    returning_visitors: Cell | None
    returning_share: float | Hidden | None
    returning_complete: bool
    is_running: bool


@dataclass(frozen=True)
class ActivityFigures:
    activity_id: int
    title: str
    place: str
    visits: Cell
    named_visits: Cell
    anonymous_visits: Cell
    unique_visitors: Cell


@dataclass(frozen=True)
class Overview:
    grouping: Grouping
    first_day: date  # start of the first period
    last_day: date  # end of the last period
    as_of: date
    periods: list[PeriodFigures]
    totals: PeriodFigures
    # Per activity of the places over the whole range, when asked for (``by_activity``).
    activities: tuple[ActivityFigures, ...] = ()
    suppressed_below: int | None = None


def _scope(places, activity) -> Q:
    scope = Q(session__activity__place__in=places)
    if activity is not None:
        scope &= Q(session__activity=activity)
    return scope


def _trunc(grouping: Grouping):
    function = TruncWeek if grouping == Grouping.WEEK else TruncMonth
    return function("session__date", output_field=DateField())


def attendance_overview(
    places,
    *,
    grouping: Grouping | str,
    first_day: date,
    last_day: date,
    activity=None,
    as_of: date | None = None,
    by_activity: bool = False,
    suppress_below: int | None = None,
) -> Overview:
    """Figures per period for the places (and activity) from first_day to last_day.

    The range is widened to whole periods: first_day to the start of its week or month,
    last_day to the end of its own. Periods without visits are included with zeros.
    ``places`` is a queryset or list of places; ``activity`` must be one of theirs.
    ``by_activity`` (only without an activity) adds the figures per activity over the
    whole range, which add up to the totals. See the module docstring for the
    definitions. Three queries, whatever the range (four with ``by_activity``).
    """
    if by_activity and activity is not None:
        raise ValueError("figures per activity are for all activities of the places")
    grouping = Grouping(grouping)
    as_of = as_of or timezone.localdate()
    starts = period_starts(first_day, last_day, grouping)
    first = starts[0]
    last = next_period_start(starts[-1], grouping) - timedelta(days=1)
    scope = _scope(places, activity)

    counted = {
        row["period"]: row
        for row in Visit.objects.filter(scope, session__date__gte=first, session__date__lte=last)
        .annotate(period=_trunc(grouping))
        .values("period")
        .annotate(visits=Count("pk"), named=Count("person"))
        .order_by()
    }
    new = Counter(period_start(day, grouping) for day in first_visit_dates(scope, first, last))
    people = _named_visitors(scope, starts, grouping)

    periods = []
    for index, start in enumerate(starts):
        end = next_period_start(start, grouping) - timedelta(days=1)
        row = counted.get(start, {"visits": 0, "named": 0})
        complete = end + timedelta(days=RETURN_WINDOW_DAYS) < as_of
        unique = people.unique[index]
        came_back = people.returning[index] if complete else None
        periods.append(
            PeriodFigures(
                start=start,
                end=end,
                visits=row["visits"],
                named_visits=row["named"],
                anonymous_visits=row["visits"] - row["named"],
                unique_visitors=unique,
                new_visitors=new.get(start, 0),
                returning_visitors=came_back,
                returning_share=(came_back / unique if unique else None) if complete else None,
                returning_complete=complete,
                is_running=end >= as_of,
            )
        )

    visits = sum(figures.visits for figures in periods)
    named = sum(figures.named_visits for figures in periods)
    totals = PeriodFigures(
        start=first,
        end=last,
        visits=visits,
        named_visits=named,
        anonymous_visits=visits - named,
        unique_visitors=people.unique_total,
        new_visitors=sum(new.values()),
        returning_visitors=None,
        returning_share=None,
        returning_complete=False,
        is_running=last >= as_of,
    )
    overview = Overview(
        grouping=grouping,
        first_day=first,
        last_day=last,
        as_of=as_of,
        periods=periods,
        totals=totals,
        activities=tuple(attendance_by_activity(places, first, last)) if by_activity else (),
    )
    return suppress_small_cells(overview, suppress_below) if suppress_below else overview


def first_visit_dates(scope: Q, first: date, last: date) -> list[date]:
    """Each person's first named visit in the scope, for those whose first is in the range.

    One grouped query (GROUP BY person HAVING MIN(date) BETWEEN first AND last): it looks
    at all history, so someone who came before the range is never new in it.
    """
    return list(
        Visit.objects.filter(scope, person__isnull=False)
        .values("person")
        .annotate(first_date=Min("session__date"))
        .filter(first_date__gte=first, first_date__lte=last)
        .values_list("first_date", flat=True)
        .order_by()
    )


@dataclass(frozen=True)
class _NamedVisitors:
    unique: list[int]  # per period
    returning: list[int]  # per period, whether or not the window is complete
    unique_total: int


def _period_keys(day_numbers, grouping: Grouping):
    """Days since 1970-01-01 to a number per ISO week or month, increasing with the date."""
    import numpy as np

    if grouping == Grouping.WEEK:
        return (day_numbers + 3) // 7  # 1969-12-29, a Monday, starts week 0
    return day_numbers.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _named_visitors(scope: Q, starts: list[date], grouping: Grouping) -> _NamedVisitors:
    """Unique and returning visitors per period, and in all, from (person, day) pairs.

    One query fetches the person and day of every named visit from the first period's
    start to 28 days after the last period's end, on a plain cursor: Django's per-row
    date conversion would double the time for 1e5-1e6 rows, and numpy reads both
    SQLite's 'YYYY-MM-DD' text and PostgreSQL's dates. numpy then sorts the pairs by
    person and day (dropping a person's second visit on one day), and per period finds
    each person's last day and the gap to their next visit.
    """
    import numpy as np

    first = starts[0]
    last = next_period_start(starts[-1], grouping) - timedelta(days=1)
    pairs = (
        Visit.objects.filter(
            scope,
            person__isnull=False,
            session__date__gte=first,
            session__date__lte=last + timedelta(days=RETURN_WINDOW_DAYS),
        )
        .values_list("person_id", "session__date")
        .order_by()
    )
    sql, params = pairs.query.sql_with_params()
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    count = len(starts)
    if not rows:
        return _NamedVisitors(unique=[0] * count, returning=[0] * count, unique_total=0)

    people = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    days = np.array([row[1] for row in rows], dtype="datetime64[D]").astype(np.int64)
    offset = days.min()
    combined = np.unique(people * (1 << 20) + (days - offset))  # sorted, one per day
    people, days = combined >> 20, (combined & ((1 << 20) - 1)) + offset

    start_keys = _period_keys(np.array(starts, dtype="datetime64[D]").astype(np.int64), grouping)
    keys = _period_keys(days, grouping)
    last_number = np.datetime64(last, "D").astype(np.int64)
    in_range = days <= last_number
    period = np.searchsorted(start_keys, keys)  # index into starts, for days in range

    same_person_next = np.zeros(len(days), dtype=bool)
    same_person_next[:-1] = people[1:] == people[:-1]
    same_period_next = same_person_next.copy()
    same_period_next[:-1] &= keys[1:] == keys[:-1]
    # A person's last day in a period: the next pair is someone else's or later.
    last_in_period = in_range & ~same_period_next
    gap = np.full(len(days), RETURN_WINDOW_DAYS + 1, dtype=np.int64)
    gap[:-1][same_person_next[:-1]] = (days[1:] - days[:-1])[same_person_next[:-1]]
    returned = last_in_period & (gap <= RETURN_WINDOW_DAYS)

    unique = np.bincount(period[last_in_period], minlength=count)
    returning = np.bincount(period[returned], minlength=count)
    return _NamedVisitors(
        unique=[int(number) for number in unique],
        returning=[int(number) for number in returning],
        unique_total=int(np.unique(people[in_range]).size),
    )


def suppress_small_cells(overview: Overview, threshold: int = 5) -> Overview:
    """The overview as a viewer (municipality, fund) may see it: aggregates only.

    Every figure about 1 to ``threshold - 1`` people, and every figure from which such a
    figure could be worked out on the same page, becomes a :class:`Hidden` marker (see
    :mod:`omzien.reports.disclosure` for the rule). Zero reveals no one and stays 0. The
    cells, per period, for the totals and per activity:

    - visits, named visits, anonymous visits, unique visitors, new visitors, and the
      returning visitors of complete periods: hidden when 1 to threshold - 1;
    - the named visits and all visits of fewer than threshold people: hidden, whatever
      their number (they say too much about those few);
    - the rest of a part: the visitors who were not new and those who did not come back
      are not shown but follow by subtraction, so they count as cells too;
    - the share returning: hidden with the returning visitors or the unique visitors.

    The relations a reader can use on the page: visits = named + anonymous (each row);
    the periods' visits, named, anonymous and new visitors add up to the totals; the
    activities' visits, named and anonymous add up to the totals too; new + not new =
    unique and returning + not returning = unique (each row). Unique visitors do not add
    up (someone comes in several periods or to several activities).
    """
    table = Table(threshold)
    rows = [("period", index, figures) for index, figures in enumerate(overview.periods)]
    rows.append(("totals", None, overview.totals))
    for kind, index, figures in rows:
        key = (kind, index)
        few = 0 < figures.unique_visitors < threshold
        table.cell((*key, "visits"), figures.visits, sensitive=few)
        table.cell((*key, "named"), figures.named_visits, sensitive=few, displayed=kind != "totals")
        table.cell((*key, "anonymous"), figures.anonymous_visits)
        table.relation((*key, "visits"), [(*key, "named"), (*key, "anonymous")])
        table.cell((*key, "unique"), figures.unique_visitors)
        table.cell((*key, "new"), figures.new_visitors)
        not_new = figures.unique_visitors - figures.new_visitors
        table.cell((*key, "not_new"), not_new, displayed=False)
        table.relation((*key, "unique"), [(*key, "new"), (*key, "not_new")])
        if figures.returning_visitors is not None:
            table.cell((*key, "returning"), figures.returning_visitors)
            stayed_away = figures.unique_visitors - figures.returning_visitors
            table.cell((*key, "not_returning"), stayed_away, displayed=False)
            table.relation((*key, "unique"), [(*key, "returning"), (*key, "not_returning")])
    for measure in ("visits", "named", "anonymous", "new"):
        table.relation(
            ("totals", None, measure),
            [("period", index, measure) for index in range(len(overview.periods))],
        )
    for index, figures in enumerate(overview.activities):
        key = ("activity", index)
        few = 0 < figures.unique_visitors < threshold
        table.cell((*key, "visits"), figures.visits, sensitive=few)
        table.cell((*key, "named"), figures.named_visits, sensitive=few, displayed=False)
        table.cell((*key, "anonymous"), figures.anonymous_visits)
        table.relation((*key, "visits"), [(*key, "named"), (*key, "anonymous")])
        table.cell((*key, "unique"), figures.unique_visitors)
    if overview.activities:
        for measure in ("visits", "named", "anonymous"):
            table.relation(
                ("totals", None, measure),
                [("activity", index, measure) for index in range(len(overview.activities))],
            )
    hidden = table.suppress()

    def period_cells(kind, index, figures: PeriodFigures) -> PeriodFigures:
        def cell(measure, value):
            return hidden.get((kind, index, measure), value)

        changes = {
            "visits": cell("visits", figures.visits),
            "named_visits": cell("named", figures.named_visits),
            "anonymous_visits": cell("anonymous", figures.anonymous_visits),
            "unique_visitors": cell("unique", figures.unique_visitors),
            "new_visitors": cell("new", figures.new_visitors),
        }
        if figures.returning_visitors is not None:
            returning = cell("returning", figures.returning_visitors)
            changes["returning_visitors"] = returning
            if isinstance(returning, Hidden) or isinstance(changes["unique_visitors"], Hidden):
                changes["returning_share"] = Hidden.PROTECTING
        return replace(figures, **changes)

    def activity_cells(index, figures: ActivityFigures) -> ActivityFigures:
        def cell(measure, value):
            return hidden.get(("activity", index, measure), value)

        return replace(
            figures,
            visits=cell("visits", figures.visits),
            named_visits=cell("named", figures.named_visits),
            anonymous_visits=cell("anonymous", figures.anonymous_visits),
            unique_visitors=cell("unique", figures.unique_visitors),
        )

    return replace(
        overview,
        periods=[period_cells(*row) for row in rows[:-1]],
        totals=period_cells(*rows[-1]),
        activities=tuple(
            activity_cells(index, figures) for index, figures in enumerate(overview.activities)
        ),
        suppressed_below=threshold,
    )


def attendance_by_activity(places, first_day: date, last_day: date) -> list[ActivityFigures]:
    """Visits, anonymous visits and unique visitors per activity in one grouped query."""
    rows = (
        Visit.objects.filter(
            session__activity__place__in=places,
            session__date__gte=first_day,
            session__date__lte=last_day,
        )
        .values("session__activity", "session__activity__title", "session__activity__place__name")
        .annotate(visits=Count("pk"), named=Count("person"), unique=Count("person", distinct=True))
        .order_by("session__activity__place__name", "session__activity__title")
    )
    return [
        ActivityFigures(
            activity_id=row["session__activity"],
            title=row["session__activity__title"],
            place=row["session__activity__place__name"],
            visits=row["visits"],
            named_visits=row["named"],
            anonymous_visits=row["visits"] - row["named"],
            unique_visitors=row["unique"],
        )
        for row in rows
    ]
