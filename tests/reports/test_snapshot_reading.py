"""A report reads today's snapshot once per process and again when it was made again."""

from datetime import date, timedelta

import pytest
import time_machine

from omzien.reports.models import FigureSnapshot
from omzien.reports.snapshots import make_snapshot, year_figures
from tests.reports.visits import add_visit

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 15)


@time_machine.travel("2026-04-15 12:00 +02:00", tick=False)
def test_the_figures_of_a_new_rollup_are_read_at_the_same_moment(history):
    first = year_figures(2026, as_of=TODAY)
    assert year_figures(2026, as_of=TODAY).cube.get("region", "2026", "visits") == 16
    assert first.cube.get("region", "2026", "visits") == 16
    add_visit(history["koffie"], date(2026, 4, 7), anonymous=3)
    make_snapshot(2026, as_of=TODAY)  # the clock stands still: the same computed_at
    assert year_figures(2026, as_of=TODAY).cube.get("region", "2026", "visits") == 19


@time_machine.travel("2026-04-15 12:00 +02:00", tick=False)
def test_a_snapshot_row_changed_elsewhere_is_read_again(history):
    year_figures(2026, as_of=TODAY)
    snapshot = FigureSnapshot.objects.get(year=2026)
    cells = [
        [*cell[:3], 99] if cell[:3] == ["region", "2026", "visits"] else cell
        for cell in snapshot.cells
    ]
    # As another process's rollup would (no signal in this process), a minute later.
    FigureSnapshot.objects.filter(pk=snapshot.pk).update(
        cells=cells, computed_at=snapshot.computed_at + timedelta(minutes=1)
    )
    assert year_figures(2026, as_of=TODAY).cube.get("region", "2026", "visits") == 99
