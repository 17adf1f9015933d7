"""Small-cell suppression: nothing a viewer sees is about fewer than five people, and no
hidden count can be worked out from the shown ones on the same page.

The property test checks ``suppress_small_cells`` against an oracle of its own: it reads
the suppressed overview the way a reader of the page would (only what is shown), writes
down every sum the page lets them use, and solves that system exactly with fractions.
"""

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omzien.reports.disclosure import Hidden, Table
from omzien.reports.statistics import (
    ActivityFigures,
    Grouping,
    Overview,
    PeriodFigures,
    suppress_small_cells,
)

MIN = 5


def test_a_total_minus_the_other_rows_gives_nothing_away():
    table = Table(MIN)
    for key, value in [("jan", 40), ("feb", 3), ("mar", 35), ("all", 78)]:
        table.cell(key, value)
    table.relation("all", ["jan", "feb", "mar"])
    hidden = table.suppress()
    assert hidden["feb"] is Hidden.SMALL
    # One more is hidden: the smaller other month, and it says "hidden", not "<5".
    assert hidden == {"feb": Hidden.SMALL, "mar": Hidden.PROTECTING}


def test_a_cell_that_is_not_displayed_is_hidden_first():
    """The named visits of the totals are not on the page: hiding them costs nothing."""
    table = Table(MIN)
    table.cell("visits", 30)
    table.cell("named", 28, displayed=False)
    table.cell("anonymous", 2)
    table.relation("visits", ["named", "anonymous"])
    assert table.suppress() == {"named": Hidden.PROTECTING, "anonymous": Hidden.SMALL}


def test_sensitive_cells_are_hidden_whatever_their_number():
    table = Table(MIN)
    table.cell("visits", 12, sensitive=True)  # the visits of 2 people
    table.cell("named", 12, sensitive=True)
    table.cell("anonymous", 0)
    table.relation("visits", ["named", "anonymous"])
    assert table.suppress() == {"visits": Hidden.PROTECTING, "named": Hidden.PROTECTING}


def test_zero_stays():
    table = Table(MIN)
    table.cell("a", 0)
    table.cell("b", 0)
    table.cell("all", 0)
    table.relation("all", ["a", "b"])
    assert table.suppress() == {}


def test_relations_together_are_checked_not_only_one_by_one():
    # x + y, x + z and y + z are shown: every relation has two hidden cells, yet
    # x = ((x + y) + (x + z) - (y + z)) / 2. The check finds it and hides one more.
    table = Table(MIN)
    table.cell("x", 2)
    table.cell("y", 10, sensitive=True)
    table.cell("z", 20, sensitive=True)
    for name, parts, value in [("xy", "xy", 12), ("xz", "xz", 22), ("yz", "yz", 30)]:
        table.cell(name, value)
        table.relation(name, list(parts))
    hidden = table.suppress()
    assert {"x", "y", "z"} < set(hidden)
    assert len(hidden) == 4
    assert not Oracle.from_table(table, hidden).determined() & {"x"}


def test_parts_that_do_not_add_up_are_refused():
    table = Table(MIN)
    table.cell("a", 1)
    table.cell("all", 2)
    with pytest.raises(ValueError, match="add up"):
        table.relation("all", ["a"])


class Oracle:
    """What a reader can work out exactly: linear equations over the unknown cells."""

    def __init__(self):
        self.equations: list[dict] = []  # {cell: coefficient} for the unknown cells
        self.unknown: set = set()

    @classmethod
    def from_table(cls, table: Table, hidden) -> "Oracle":
        oracle = cls()
        for whole, *parts in table.relations:
            oracle.equation(whole, parts, lambda key: key in hidden)
        return oracle

    def equation(self, whole, parts, is_unknown) -> None:
        coefficients = {}
        for sign, key in [(1, whole), *[(-1, part) for part in parts]]:
            if is_unknown(key):
                self.unknown.add(key)
                coefficients[key] = coefficients.get(key, 0) + sign
        if coefficients:
            self.equations.append(coefficients)

    def determined(self) -> set:
        """Unknowns whose unit vector lies in the row space (exact, in fractions)."""
        columns = sorted(self.unknown, key=repr)
        rows = [[Fraction(row.get(key, 0)) for key in columns] for row in self.equations]
        pivots = []
        rank = 0
        for column in range(len(columns)):
            pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
            if pivot is None:
                continue
            rows[rank], rows[pivot] = rows[pivot], rows[rank]
            lead = rows[rank][column]
            rows[rank] = [value / lead for value in rows[rank]]
            for other in range(len(rows)):
                if other != rank and rows[other][column] != 0:
                    factor = rows[other][column]
                    rows[other] = [
                        a - factor * b for a, b in zip(rows[other], rows[rank], strict=True)
                    ]
            pivots.append(column)
            rank += 1
        return {
            columns[column]
            for row, column in zip(rows[:rank], pivots, strict=True)
            if sum(value != 0 for value in row) == 1
        }


FIELDS = {
    "visits": "visits",
    "named": "named_visits",
    "anonymous": "anonymous_visits",
    "unique": "unique_visitors",
    "new": "new_visitors",
    "returning": "returning_visitors",
}


def out_of_sight(shown: Overview, key) -> bool:
    """Whether a reader of the page does not see the cell."""
    kind, index, measure = key
    if measure in {"not_new", "not_returning"}:
        return True  # never on the page
    if measure == "named" and kind != "period":
        return True  # the page shows no named visits for the totals and activities
    figures = {"totals": shown.totals, "period": None, "activity": None}[kind]
    if kind == "period":
        figures = shown.periods[index]
    elif kind == "activity":
        figures = shown.activities[index]
    return isinstance(getattr(figures, FIELDS[measure]), Hidden)


def page_oracle(shown: Overview) -> Oracle:
    """The sums a reader of the overview page can use, over what they cannot see."""
    oracle = Oracle()

    def unknown(key) -> bool:
        return out_of_sight(shown, key)

    rows = [("period", index, figures) for index, figures in enumerate(shown.periods)]
    rows.append(("totals", None, shown.totals))
    for kind, index, figures in rows:
        oracle.equation(
            (kind, index, "visits"), [(kind, index, m) for m in ("named", "anonymous")], unknown
        )
        oracle.equation(
            (kind, index, "unique"), [(kind, index, "new"), (kind, index, "not_new")], unknown
        )
        if figures.returning_complete and kind == "period":
            oracle.equation(
                (kind, index, "unique"),
                [(kind, index, "returning"), (kind, index, "not_returning")],
                unknown,
            )
    for measure in ("visits", "named", "anonymous", "new"):
        oracle.equation(
            ("totals", None, measure),
            [("period", index, measure) for index in range(len(shown.periods))],
            unknown,
        )
    for index in range(len(shown.activities)):
        oracle.equation(
            ("activity", index, "visits"),
            [("activity", index, "named"), ("activity", index, "anonymous")],
            unknown,
        )
    if shown.activities:
        for measure in ("visits", "named", "anonymous"):
            oracle.equation(
                ("totals", None, measure),
                [("activity", index, measure) for index in range(len(shown.activities))],
                unknown,
            )
    return oracle


def sensitive_cells(truth: Overview) -> set:
    """The cells about 1 to 4 people, shown or not, and the visits of 1 to 4 people."""
    cells = set()
    rows = [("period", index, figures) for index, figures in enumerate(truth.periods)]
    rows.append(("totals", None, truth.totals))
    for kind, index, figures in rows:
        values = {
            "visits": figures.visits,
            "named": figures.named_visits,
            "anonymous": figures.anonymous_visits,
            "unique": figures.unique_visitors,
            "new": figures.new_visitors,
            "not_new": figures.unique_visitors - figures.new_visitors,
        }
        if figures.returning_visitors is not None:
            values["returning"] = figures.returning_visitors
            values["not_returning"] = figures.unique_visitors - figures.returning_visitors
        cells |= {(kind, index, measure) for measure, value in values.items() if 0 < value < MIN}
        if 0 < figures.unique_visitors < MIN:
            cells |= {(kind, index, "visits"), (kind, index, "named")}
    for index, figures in enumerate(truth.activities):
        values = {
            "visits": figures.visits,
            "named": figures.named_visits,
            "anonymous": figures.anonymous_visits,
            "unique": figures.unique_visitors,
        }
        cells |= {("activity", index, m) for m, value in values.items() if 0 < value < MIN}
        if 0 < figures.unique_visitors < MIN:
            cells |= {("activity", index, "visits"), ("activity", index, "named")}
    return cells


def shown_counts(shown: Overview) -> list:
    counts = []
    for figures in [*shown.periods, shown.totals]:
        counts += [
            figures.visits,
            figures.named_visits,
            figures.anonymous_visits,
            figures.unique_visitors,
            figures.new_visitors,
            figures.returning_visitors,
        ]
    for figures in shown.activities:
        counts += [figures.visits, figures.anonymous_visits, figures.unique_visitors]
    return [count for count in counts if isinstance(count, int)]


# Small numbers on purpose: most cells are near the threshold.
count = st.integers(0, 12)


@st.composite
def overviews(draw) -> Overview:
    length = draw(st.integers(1, 5))
    start = date(2026, 1, 5)
    periods = []
    for number in range(length):
        named, anonymous = draw(count), draw(st.integers(0, 8))
        unique = draw(st.integers(min(1, named), named))
        new = draw(st.integers(0, unique))
        complete = draw(st.booleans())
        returning = draw(st.integers(0, unique)) if complete else None
        day = start + timedelta(weeks=number)
        periods.append(
            PeriodFigures(
                start=day,
                end=day + timedelta(days=6),
                visits=named + anonymous,
                named_visits=named,
                anonymous_visits=anonymous,
                unique_visitors=unique,
                new_visitors=new,
                returning_visitors=returning,
                returning_share=(returning / unique if unique else None) if complete else None,
                returning_complete=complete,
                is_running=False,
            )
        )
    named = sum(figures.named_visits for figures in periods)
    anonymous = sum(figures.anonymous_visits for figures in periods)
    new = sum(figures.new_visitors for figures in periods)
    # Everyone of a period is in the totals once; a new visitor is new in one period.
    most = max(figures.unique_visitors for figures in periods)
    unique = draw(st.integers(max(most, new), sum(f.unique_visitors for f in periods)))
    totals = replace(
        periods[0],
        end=periods[-1].end,
        visits=named + anonymous,
        named_visits=named,
        anonymous_visits=anonymous,
        unique_visitors=unique,
        new_visitors=new,
        returning_visitors=None,
        returning_share=None,
        returning_complete=False,
    )
    activities = []
    if draw(st.booleans()):
        left_named, left_anonymous = named, anonymous
        number = draw(st.integers(1, 4))
        for index in range(number):
            last = index == number - 1
            part_named = left_named if last else draw(st.integers(0, left_named))
            part_anonymous = left_anonymous if last else draw(st.integers(0, left_anonymous))
            left_named -= part_named
            left_anonymous -= part_anonymous
            activities.append(
                ActivityFigures(
                    activity_id=index,
                    title=f"activiteit {index}",
                    place="plek",
                    visits=part_named + part_anonymous,
                    named_visits=part_named,
                    anonymous_visits=part_anonymous,
                    unique_visitors=draw(st.integers(min(1, part_named), part_named)),
                )
            )
    return Overview(
        grouping=Grouping.WEEK,
        first_day=periods[0].start,
        last_day=periods[-1].end,
        as_of=date(2026, 6, 1),
        periods=periods,
        totals=totals,
        activities=tuple(activities),
    )


@settings(max_examples=300, deadline=None)
@given(truth=overviews())
def test_no_small_count_is_shown_or_can_be_worked_out(truth):
    shown = suppress_small_cells(truth, MIN)
    assert not [value for value in shown_counts(shown) if 0 < value < MIN]
    protected = sensitive_cells(truth)
    oracle = page_oracle(shown)
    # Every protected cell is out of sight, and no sum of what is shown pins it down.
    assert all(out_of_sight(shown, key) for key in protected)
    assert not protected & oracle.determined()
    for figures in shown.periods:
        if figures.returning_complete and (
            isinstance(figures.returning_visitors, Hidden)
            or isinstance(figures.unique_visitors, Hidden)
        ):
            assert figures.returning_share is Hidden.PROTECTING
    # Shown numbers are the true ones.
    for true, seen in zip(
        [*truth.periods, truth.totals], [*shown.periods, shown.totals], strict=True
    ):
        for field in ("visits", "named_visits", "anonymous_visits", "unique_visitors"):
            assert getattr(seen, field) in (getattr(true, field), Hidden.SMALL, Hidden.PROTECTING)


@settings(max_examples=100, deadline=None)
@given(truth=overviews())
def test_large_numbers_stay(truth):
    """Multiplied by 10, no count is small and nothing is hidden."""

    def times_ten(figures):
        changes = {
            field: getattr(figures, field) * 10
            for field in (
                "visits",
                "named_visits",
                "anonymous_visits",
                "unique_visitors",
                "new_visitors",
                "returning_visitors",
            )
            if getattr(figures, field, None) is not None
        }
        return replace(figures, **changes)

    big = replace(
        truth,
        periods=[times_ten(f) for f in truth.periods],
        totals=times_ten(truth.totals),
        activities=tuple(times_ten(f) for f in truth.activities),
    )
    # Zero and visits of fewer than 5 people aside, everything stays.
    shown = suppress_small_cells(big, MIN)
    assert shown_counts(shown) == shown_counts(big)
