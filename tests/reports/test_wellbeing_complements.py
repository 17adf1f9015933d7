"""A viewer never learns a small count of people by subtracting one shown wellbeing count
from another: the people not lonely (paired minus lonely) and those still lonely (lonely
the first time minus no longer lonely) are counts of people too.

Six people answered twice at Trefpunt in January and March 2026; five were lonely the
first time, one was not; all five stayed lonely except one who left loneliness.
"""

from datetime import date

import pytest

from omzien.reports.audience import Audience
from omzien.reports.cube import PeriodKind
from omzien.reports.impact import By, ReportRequest, build_report
from omzien.wellbeing.models import Wave
from tests import factories

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 1)
# (whole, part): whole - part is a count of different people.
SUBSETS = [
    ("wellbeing_paired", "lonely_baseline"),
    ("wellbeing_paired", "lonely_repeat"),
    ("lonely_baseline", "left_lonely"),
]


@pytest.fixture
def six_pairs(trefpunt):
    totals = [(3, 3), (4, 4), (5, 5), (2, 2), (3, 1), (0, 0)]  # (first, repeat)
    category = {0: "not", 1: "not", 2: "moderate", 3: "moderate", 4: "moderate", 5: "severe"}
    for first, repeat in totals:
        pseudonym = factories.PseudonymFactory()
        for wave, day, total in ((Wave.BASELINE, 10, first), (Wave.REPEAT, 20, repeat)):
            factories.ResponseFactory(
                pseudonym=pseudonym,
                wave=wave,
                taken_on=date(2026, 1 if wave == Wave.BASELINE else 3, day),
                place=trefpunt,
                total=total,
                category=category[total],
                instrument="djg6",
            )


def test_no_small_complement_can_be_subtracted(six_pairs):
    exact = build_report(
        ReportRequest(date(2026, 1, 1), AS_OF, By.PLACE, PeriodKind.YEAR, Audience.PROFESSIONAL),
        as_of=AS_OF,
    )
    assert exact.cell("region", "2026", "wellbeing_paired").value == 6
    assert exact.cell("region", "2026", "lonely_baseline").value == 5
    for kind in PeriodKind:
        report = build_report(
            ReportRequest(date(2026, 1, 1), AS_OF, By.PLACE, kind, Audience.VIEWER),
            as_of=AS_OF,
        )
        for (group, period, measure), cell in report.cells.items():
            for whole, part in SUBSETS:
                if measure != whole:
                    continue
                other = report.cell(group, period, part)
                if cell.suppressed or other is None or other.suppressed:
                    continue
                difference = cell.value - other.value
                assert difference == 0 or difference >= 5, (group, period, whole, part)
