"""A viewer never learns a small count of people by subtracting one shown count from
another it is part of: the people not lonely (paired minus lonely), those still lonely
(lonely the first time minus no longer lonely) and the signals not picked up in time
(raised minus picked up) and the people from their own village (everyone minus those from
another village, and those who came to one place only: everyone minus those at more than
one place) are counts of people too.

Six people answered twice at Trefpunt in January and March 2026; five were lonely the
first time, one was not; all five stayed lonely except one who left loneliness. Six
signals were raised at Trefpunt in January; five were picked up, one escalated. Six
people came to Trefpunt (Twello) on 13 January: five from Voorst, one from Twello; the
five from Voorst also came to De Benring the next day.
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
    ("signals_raised", "signals_picked_up"),
    ("people", "people_other_village"),
    ("people", "people_multi_place"),
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


@pytest.fixture
def six_signals(trefpunt):
    from datetime import UTC, datetime

    for number in range(6):
        escalated = number == 0
        factories.SignalFactory(
            place=trefpunt,
            raised_on=date(2026, 1, 5 + number),
            assigned_to=None if escalated else factories.UserFactory(),
            escalated_at=datetime(2026, 1, 20, tzinfo=UTC) if escalated else None,
        )


@pytest.fixture
def six_visitors(trefpunt, benring):
    from tests.reports.visits import add_visit

    koffie = factories.ActivityFactory(place=trefpunt, title="Koffieochtend", slug="koffie")
    biljart = factories.ActivityFactory(place=benring, title="Biljarten", slug="biljart")
    for village in [benring.village] * 5 + [trefpunt.village]:
        person = factories.PersonFactory(village=village)
        add_visit(koffie, date(2026, 1, 13), person)
        if village == benring.village:
            add_visit(biljart, date(2026, 1, 14), person)


def report(kind: PeriodKind, audience: Audience):
    return build_report(
        ReportRequest(date(2026, 1, 1), AS_OF, By.PLACE, kind, audience), as_of=AS_OF
    )


def test_no_small_complement_can_be_subtracted(six_pairs, six_signals, six_visitors):
    year = report(PeriodKind.YEAR, Audience.PROFESSIONAL)
    assert year.cell("region", "2026", "wellbeing_paired").value == 6
    assert year.cell("region", "2026", "lonely_baseline").value == 5
    quarters = report(PeriodKind.QUARTER, Audience.PROFESSIONAL)
    assert quarters.cell("region", "2026-Q1", "signals_raised").value == 6
    assert quarters.cell("region", "2026-Q1", "signals_picked_up").value == 5
    assert quarters.cell("region", "2026-Q1", "people").value == 6
    assert quarters.cell("region", "2026-Q1", "people_other_village").value == 5
    assert quarters.cell("region", "2026-Q1", "people_multi_place").value == 5
    for kind in PeriodKind:
        viewer = report(kind, Audience.VIEWER)
        for (group, period, measure), cell in viewer.cells.items():
            for whole, part in SUBSETS:
                if measure != whole:
                    continue
                other = viewer.cell(group, period, part)
                if other is None or None in (cell.value, other.value):  # hidden, not yet known
                    continue
                difference = cell.value - other.value
                assert difference == 0 or difference >= 5, (group, period, whole, part)
