"""The rollup: each year's cube counted once a day and kept, with the viewer's hidden cells.

A report reads the snapshot of each year it covers (one row, a few milliseconds) instead
of counting a year of visits again. A snapshot is used while it is of today
(``as_of``), of the current measures, groups and disclosure rule (``version``) and of the
current ``OMZIEN_MIN_CELL``; otherwise the first report that needs it makes it again, and
``omzien rollup`` (nightly, from cron) makes them before anyone asks. Figures are
therefore "as of today's first report": visits recorded later today count tomorrow.
Because the viewer's hidden cells are decided here, once for the whole year, every report
a viewer can obtain for that year shows the same cells (see ``reports.protection``).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import astuple, dataclass, fields
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from omzien.reports import protection
from omzien.reports.cube import DIFFERENCES, MEASURES, CellKey, Cube, Groups, region_groups
from omzien.reports.figures import build_cube
from omzien.reports.models import FigureSnapshot


@dataclass(frozen=True)
class YearFigures:
    cube: Cube
    hidden: frozenset[CellKey]  # for viewers
    computed_at: object  # datetime


# A measure's words are read in the reader's language when shown; the rest of it decides
# what is counted and what a viewer may see, so a change there makes a new version.
_WORDS = frozenset({"label", "help_text"})


def _measure_part(measure) -> str:
    return repr(
        [(f.name, getattr(measure, f.name)) for f in fields(measure) if f.name not in _WORDS]
    )


def version(groups: Groups) -> str:
    """What a snapshot depends on besides the data: the measures (and how they add up and
    are hidden), the relations between them, the groups and the rule."""
    parts = [protection.RULE_ID, "village_pairs"]
    parts += [_measure_part(MEASURES[name]) for name in sorted(MEASURES)]
    parts += [repr(astuple(relation)) for relation in DIFFERENCES]
    parts += [f"{group.slug}<{group.parent}" for group in groups]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def year_figures(year: int, *, as_of: date | None = None, refresh: bool = False) -> YearFigures:
    """The year's cube and the viewer's hidden cells, from today's snapshot or made now."""
    as_of = as_of or timezone.localdate()
    groups = region_groups()
    wanted = version(groups)
    min_cell = settings.OMZIEN_MIN_CELL
    stamp = (
        None
        if refresh
        else FigureSnapshot.objects.filter(year=year)
        .values_list("pk", "as_of", "version", "min_cell", "computed_at")
        .first()
    )
    if stamp is not None and stamp[1:4] == (as_of, wanted, min_cell):
        return _read_snapshot(stamp, groups)
    return make_snapshot(year, as_of=as_of, groups=groups)


# The cells of the snapshots this process read last, by row: a snapshot is a few
# megabytes of JSON, and decoding it for every page would cost more than the page.
# Kept while the row is the same (its ``computed_at`` changes with every rollup), and
# forgotten when this process saves or deletes it (tests freeze the clock, and a rolled
# back test's row number comes again).
_decoded: dict[int, tuple[tuple, YearFigures]] = {}


@receiver([post_save, post_delete], sender=FigureSnapshot)
def _forget_decoded(sender, instance, **kwargs):
    _decoded.pop(instance.pk, None)


def _read_snapshot(stamp: tuple, groups: Groups) -> YearFigures:
    pk, as_of, _version, _min_cell, computed_at = stamp
    cached = _decoded.get(pk)
    if cached is None or cached[0] != stamp:
        figures = _from_snapshot(FigureSnapshot.objects.get(pk=pk), groups)
        if figures.computed_at != computed_at:  # made again in between: read it next time
            return figures
        _decoded[pk] = (stamp, figures)
        return figures
    figures = cached[1]
    # Today's groups (names may have changed since; the version says the structure has
    # not); the cells are shared and only read.
    cube = Cube(year=figures.cube.year, groups=groups, as_of=as_of)
    cube.values, cube.extra = figures.cube.values, figures.cube.extra
    cube.village_pairs = figures.cube.village_pairs
    return YearFigures(cube=cube, hidden=figures.hidden, computed_at=figures.computed_at)


def make_snapshot(year: int, *, as_of: date, groups: Groups | None = None) -> YearFigures:
    groups = groups or region_groups()
    started = time.perf_counter()
    cube = build_cube(year, as_of=as_of, groups=groups)
    min_cell = settings.OMZIEN_MIN_CELL
    hidden = protection.protect(cube, min_cell).hidden
    with transaction.atomic():
        snapshot, _created = FigureSnapshot.objects.update_or_create(
            year=year,
            defaults={
                "as_of": as_of,
                "version": version(groups),
                "min_cell": min_cell,
                "cells": [[*key, value] for key, value in cube.values.items()],
                "extra": [[*key, value] for key, value in cube.extra.items()],
                "hidden": sorted(list(key) for key in hidden),
                "village_pairs": [[*pair, count] for pair, count in cube.village_pairs.items()],
                "seconds": round(time.perf_counter() - started, 3),
            },
        )
    return YearFigures(cube=cube, hidden=hidden, computed_at=snapshot.computed_at)


def _from_snapshot(snapshot: FigureSnapshot, groups: Groups) -> YearFigures:
    cube = Cube(year=snapshot.year, groups=groups, as_of=snapshot.as_of)
    cube.values = {(group, period, name): value for group, period, name, value in snapshot.cells}
    cube.extra = {(group, period, name): value for group, period, name, value in snapshot.extra}
    cube.village_pairs = {(first, second): count for first, second, count in snapshot.village_pairs}
    hidden = frozenset(tuple(key) for key in snapshot.hidden)
    return YearFigures(cube=cube, hidden=hidden, computed_at=snapshot.computed_at)
