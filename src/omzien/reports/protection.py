"""PLACEHOLDER, replaced in this issue by the complete rule (complementary suppression with
a bounds audit): primary suppression only, so the report layer can be built against the
interface ``protect(cube, min_cell) -> Protection``."""

from __future__ import annotations

from dataclasses import dataclass

from omzien.reports.cube import MEASURES, Cube, Unit

RULE = "primary-only-placeholder"


@dataclass(frozen=True)
class Protection:
    hidden: frozenset
    primary: frozenset


def protect(cube: Cube, min_cell: int) -> Protection:
    primary = set()
    for key, value in cube.values.items():
        if value is None:
            continue
        group, period, name = key
        measure = MEASURES[name]
        if measure.unit == Unit.PEOPLE and 0 < value < min_cell:
            primary.add(key)
        elif measure.base:
            base = cube.values.get((group, period, measure.base))
            if base is not None and 0 < base < min_cell:
                primary.add(key)
    return Protection(hidden=frozenset(primary), primary=frozenset(primary))


def rule_text(min_cell: int) -> str:
    return f"Counts of 1 to {min_cell - 1} people are hidden."
