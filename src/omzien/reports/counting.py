"""Counting rows per group and period of a year, in numpy: the cube's bulk work.

The measure modules fetch plain rows from the database (a place, a day, usually a
person), and :class:`YearCounter` counts them for every group (place, village, region)
and every period (month, quarter, year) at once: rows with ``count``, different people
with ``people``. A year of a million visits is a few hundred milliseconds here, where a
grouped query per period and level would be seventeen times three queries.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date

import numpy as np
from django.db import connections

from omzien.reports.cube import REGION, CellKey, GroupKind, Groups, Period, periods_of_year

EPOCH = np.datetime64("1970-01-01", "D")


def fetch(queryset) -> list[tuple]:
    """The rows of a ``values_list`` queryset from a plain cursor: Django's per-row
    conversion would double the time for a million rows."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def int_rows(queryset, columns: int) -> np.ndarray:
    """The rows of a ``values_list`` queryset of ``columns`` integers (no NULL) as one
    array of shape (rows, columns), without a Python object per value."""
    rows = fetch(queryset)
    flat = np.fromiter(
        itertools.chain.from_iterable(rows), dtype=np.int64, count=len(rows) * columns
    )
    return flat.reshape(len(rows), columns)


def day_numbers(days: Iterable) -> np.ndarray:
    """Dates (``date`` objects or SQLite's 'YYYY-MM-DD' text) as days since 1970-01-01."""
    values = list(days)
    if not values:
        return np.zeros(0, dtype=np.int64)
    return np.array(values, dtype="datetime64[D]").astype(np.int64)


def day_number(day: date) -> int:
    return int(np.datetime64(day, "D").astype(np.int64))


def ids(values: Iterable, missing: int = -1) -> np.ndarray:
    """Ids, None as ``missing``."""
    return np.fromiter((missing if value is None else value for value in values), dtype=np.int64)


class YearCounter:
    """Counts per (group, period) for one year's groups.

    ``places`` are place ids; a row whose place is not in the groups is ignored, and so is
    a row outside the year. ``level_of`` maps a group kind to the group index of each row.
    """

    def __init__(self, groups: Groups, year: int):
        self.groups = groups
        self.year = year
        self.group_slugs = [group.slug for group in groups]
        self.index = {slug: number for number, slug in enumerate(self.group_slugs)}
        self.periods = periods_of_year(year)
        self._place_index = {}
        for group in groups.of_kind(GroupKind.PLACE):
            (place_id,) = group.place_ids
            self._place_index[place_id] = self.index[group.slug]
        self._village_index = {
            group.village_id: self.index[group.slug] for group in groups.of_kind(GroupKind.VILLAGE)
        }
        self._first = day_number(date(year, 1, 1))
        self._last = day_number(date(year, 12, 31))
        # month number (0-11) of each day of the year
        days = np.arange(self._first, self._last + 1).astype("datetime64[D]")
        self._month_of_day = days.astype("datetime64[M]").astype(np.int64) - days[0].astype(
            "datetime64[M]"
        ).astype(np.int64)

    # -- group indexes per level -------------------------------------------------------

    def place_rows(self, places: np.ndarray) -> dict[GroupKind, np.ndarray]:
        """Per group kind, each row's group index (-1: not counted at that level)."""
        place_index = np.array(
            [self._place_index.get(int(place), -1) for place in range(int(places.max()) + 1)]
            if len(places)
            else [],
            dtype=np.int64,
        )
        place_of_row = place_index[places] if len(places) else places
        village_of_group = np.array(
            [
                self.index[group.parent] if group.kind == GroupKind.PLACE else -1
                for group in self.groups
            ],
            dtype=np.int64,
        )
        village_of_row = np.where(place_of_row >= 0, village_of_group[place_of_row], -1)
        region = np.where(place_of_row >= 0, self.index[REGION], -1)
        return {
            GroupKind.PLACE: place_of_row,
            GroupKind.VILLAGE: village_of_row,
            GroupKind.REGION: region,
        }

    def village_rows(self, villages: np.ndarray) -> dict[GroupKind, np.ndarray]:
        """For rows that belong to a village rather than a place (help): village and region."""
        village_of_row = np.array(
            [self._village_index.get(int(village), -1) for village in villages], dtype=np.int64
        )
        region = np.full(len(villages), self.index[REGION], dtype=np.int64)
        return {GroupKind.VILLAGE: village_of_row, GroupKind.REGION: region}

    # -- periods ----------------------------------------------------------------------

    def in_year(self, days: np.ndarray) -> np.ndarray:
        return (days >= self._first) & (days <= self._last)

    def months(self, days: np.ndarray) -> np.ndarray:
        """Each row's month of the year (0-11), -1 for a row outside the year."""
        month = np.full(len(days), -1, dtype=np.int64)
        inside = self.in_year(days)
        month[inside] = self._month_of_day[days[inside] - self._first]
        return month

    def period_rows(self, days: np.ndarray) -> list[tuple[Period, np.ndarray]]:
        """(period, mask of the rows in it) for all 17 periods of the year."""
        inside = self.in_year(days)
        month = np.full(len(days), -1, dtype=np.int64)
        month[inside] = self._month_of_day[days[inside] - self._first]
        result = []
        for period in self.periods:
            if period.kind.value == "month":
                mask = month == period.number - 1
            elif period.kind.value == "quarter":
                mask = (month // 3 == period.number - 1) & inside
            else:
                mask = inside
            result.append((period, mask))
        return result

    # -- counting ---------------------------------------------------------------------

    def count(
        self,
        name: str,
        levels: dict[GroupKind, np.ndarray],
        days: np.ndarray,
        *,
        people: np.ndarray | None = None,
        weights: np.ndarray | None = None,
        where: np.ndarray | None = None,
    ) -> dict[CellKey, int | float]:
        """Rows per (group, period), or different ``people`` (ids >= 0) when given, or the
        sum of ``weights``; only rows where ``where`` holds. Every group of the given
        levels gets a cell, zero included.

        The rows of the year are selected once; then per level one count per period kind
        (each row's month, quarter, the year as one index) rather than a mask per period.
        """
        cells: dict[CellKey, int | float] = {}
        selected = self.in_year(days)
        if where is not None:
            selected &= where
        if people is not None:
            selected &= people >= 0
        month = self._month_of_day[days[selected] - self._first]
        for kind, group_of_row in levels.items():
            group = group_of_row[selected]
            known = group >= 0
            if people is not None:
                totals = self._different_people(group[known], people[selected][known], month[known])
            else:
                totals = self._sums(
                    group[known],
                    month[known],
                    None if weights is None else weights[selected][known],
                )
            self._add_cells(cells, name, kind, totals, float if weights is not None else int)
        return cells

    def _sums(self, group: np.ndarray, month: np.ndarray, weights) -> np.ndarray:
        """Rows (or weights) per period (12 months, 4 quarters, the year) and group.

        Each kind of period is its own bincount over the rows in their order, so a sum of
        weights is added up exactly as one bincount per period would."""
        size = len(self.group_slugs)
        return np.concatenate(
            [
                np.bincount(month * size + group, weights=weights, minlength=12 * size).reshape(
                    12, size
                ),
                np.bincount(
                    (month // 3) * size + group, weights=weights, minlength=4 * size
                ).reshape(4, size),
                np.bincount(group, weights=weights, minlength=size).reshape(1, size),
            ]
        )

    def _different_people(self, group: np.ndarray, people: np.ndarray, month: np.ndarray):
        """Different people per period and group: sorted by (group, person, month), a row
        counts for a month when it starts its (group, person, month), and so on."""
        size = len(self.group_slugs)
        # One int64 key (group, person, month) sorts faster than three sort keys; ids of
        # people stay below 2**32, group indexes below 2**27.
        key = np.sort((group * (1 << 32) + people) * 16 + month)
        group, people, month = key >> 36, (key >> 4) & 0xFFFFFFFF, key & 15
        quarter = month // 3
        new_pair = np.ones(len(group), dtype=bool)
        new_pair[1:] = (group[1:] != group[:-1]) | (people[1:] != people[:-1])
        new_month = new_pair.copy()
        new_month[1:] |= month[1:] != month[:-1]
        new_quarter = new_pair.copy()
        new_quarter[1:] |= quarter[1:] != quarter[:-1]
        return np.concatenate(
            [
                np.bincount(
                    month[new_month] * size + group[new_month], minlength=12 * size
                ).reshape(12, size),
                np.bincount(
                    quarter[new_quarter] * size + group[new_quarter], minlength=4 * size
                ).reshape(4, size),
                np.bincount(group[new_pair], minlength=size).reshape(1, size),
            ]
        )

    def _add_cells(
        self, cells: dict, name: str, kind: GroupKind, totals: np.ndarray, kind_of_value
    ):
        """``totals[period, group index]`` (periods in ``self.periods``' order) as cells."""
        groups = self.groups.of_kind(kind)
        values = totals[:, [self.index[group.slug] for group in groups]]
        # astype also for float: bincount of no rows gives int zeros even with weights.
        values = values.astype(float if kind_of_value is float else np.int64).tolist()
        for period, row in zip(self.periods, values, strict=True):
            for group, value in zip(groups, row, strict=True):
                cells[(group.slug, period.key, name)] = value
