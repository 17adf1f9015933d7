"""The cube of one year, from every module that contributes measures.

Each module registers its measures with :func:`omzien.reports.cube.measure` when it is
imported and fills its cells in ``compute(cube)``; this is the one list of them, in the
order the report shows their sections.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

# isort: off
# In the report's order: each module registers its measures when it is imported, and
# MEASURES keeps that order.
from omzien.reports import reach
from omzien.reports import volunteering
from omzien.reports import noticing
from omzien.reports import helpfigures
from omzien.reports import wellbeingfigures

# isort: on
from omzien.reports.cube import Cube, Groups, region_groups

MODULES = (reach, volunteering, noticing, helpfigures, wellbeingfigures)


def build_cube(year: int, *, as_of: date | None = None, groups: Groups | None = None) -> Cube:
    """The exact figures of the year, as known on ``as_of`` (default today)."""
    cube = Cube(year=year, groups=groups or region_groups(), as_of=as_of or timezone.localdate())
    for module in MODULES:
        module.compute(cube)
    return cube
