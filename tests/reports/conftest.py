"""A small hand-made attendance history whose figures are worked out in the tests.

Trefpunt Duistervoorde has Koffieochtend (koffie) and Handwerken (handwerken); De
Benring has Biljarten (biljart). People: Anna, Bert, Cor, Dina, Evert, Fenna.

    2025-12-02 Tue  koffie      Anna            (history: Anna is not new in 2026)
    2025-12-30 Tue  koffie      Fenna           (ISO week 1 of 2026, but December)
    2026-01-06 Tue  koffie      Anna, 2 anonymous
    2026-01-06 Tue  biljart     Evert
    2026-01-11 Sun  koffie      1 anonymous     (last day of ISO week 2)
    2026-01-13 Tue  koffie      Anna, Bert
    2026-01-15 Thu  handwerken  Anna
    2026-01-29 Thu  handwerken  Cor
    2026-02-03 Tue  koffie      Dina
    2026-02-05 Thu  handwerken  Cor, 1 anonymous
    2026-02-24 Tue  koffie      Anna, Bert
    2026-03-02 Mon  biljart     Dina            (27 days after her Trefpunt visit)
    2026-03-03 Tue  koffie      Cor             (26 days after his last February visit)
"""

from datetime import date, timedelta

import pytest
from django.core.cache import cache

from tests import factories
from tests.reports.visits import add_visit


@pytest.fixture(autouse=True)
def _empty_cache():
    """The overview page keeps its figures for its charts; no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def history(trefpunt, benring):
    koffie = factories.ActivityFactory(place=trefpunt, title="Koffieochtend", slug="koffie")
    handwerken = factories.ActivityFactory(
        place=trefpunt, title="Handwerken", slug="handwerken", rrule="FREQ=WEEKLY;BYDAY=TH"
    )
    biljart = factories.ActivityFactory(place=benring, title="Biljarten", slug="biljart")
    people = {
        name: factories.PersonFactory(first_name=name)
        for name in ["Anna", "Bert", "Cor", "Dina", "Evert", "Fenna"]
    }
    anna, bert, cor, dina, evert, fenna = people.values()
    add_visit(koffie, date(2025, 12, 2), anna)
    add_visit(koffie, date(2025, 12, 30), fenna)
    add_visit(koffie, date(2026, 1, 6), anna, anonymous=2)
    add_visit(biljart, date(2026, 1, 6), evert)
    add_visit(koffie, date(2026, 1, 11), anonymous=1)
    add_visit(koffie, date(2026, 1, 13), anna)
    add_visit(koffie, date(2026, 1, 13), bert)
    add_visit(handwerken, date(2026, 1, 15), anna)
    add_visit(handwerken, date(2026, 1, 29), cor)
    add_visit(koffie, date(2026, 2, 3), dina)
    add_visit(handwerken, date(2026, 2, 5), cor, anonymous=1)
    add_visit(koffie, date(2026, 2, 24), anna)
    add_visit(koffie, date(2026, 2, 24), bert)
    add_visit(biljart, date(2026, 3, 2), dina)
    add_visit(koffie, date(2026, 3, 3), cor)
    return {
        "trefpunt": trefpunt,
        "benring": benring,
        "koffie": koffie,
        "handwerken": handwerken,
        "biljart": biljart,
        **people,
    }


@pytest.fixture
def town(trefpunt, benring):
    """A history with enough people for some figures to be shown to viewers.

    Koffieochtend at Trefpunt: 8 regulars every Tuesday of January and February 2026
    (they came in December too, so they are not new), 3 newcomers on 24 February, 2
    anonymous visitors on 6 January and 1 on 3 February. Handwerken at Trefpunt: 6
    newcomers on 15 January and again on 12 February (28 days later: they came back).
    Biljarten at De Benring: 2 newcomers on 6 January, never again.

    Per month, both places, seen on 15 April:

        month     visits  named  anonymous  people  new  came back
        January       42     40          2      16    8   14 (2 did not)
        February      42     41          1      17    3    0
        in all        84     81          3      19   11

    Per activity: Koffieochtend 70 visits (3 anonymous, 11 people), Handwerken 12 (0, 6),
    Biljarten 2 (0, 2).
    """
    koffie = factories.ActivityFactory(place=trefpunt, title="Koffieochtend", slug="koffie")
    handwerken = factories.ActivityFactory(
        place=trefpunt, title="Handwerken", slug="handwerken", rrule="FREQ=WEEKLY;BYDAY=TH"
    )
    biljart = factories.ActivityFactory(place=benring, title="Biljarten", slug="biljart")
    regulars = [factories.PersonFactory() for _number in range(8)]
    for person in regulars:
        add_visit(koffie, date(2025, 12, 30), person)
        for week in range(8):  # Tuesdays 6 January to 24 February
            add_visit(koffie, date(2026, 1, 6) + timedelta(weeks=week), person)
    for _number in range(3):
        add_visit(koffie, date(2026, 2, 24), factories.PersonFactory())
    add_visit(koffie, date(2026, 1, 6), anonymous=2)
    add_visit(koffie, date(2026, 2, 3), anonymous=1)
    for _number in range(6):
        person = factories.PersonFactory()
        add_visit(handwerken, date(2026, 1, 15), person)
        add_visit(handwerken, date(2026, 2, 12), person)
    for _number in range(2):
        add_visit(biljart, date(2026, 1, 6), factories.PersonFactory())
    return {"trefpunt": trefpunt, "benring": benring, "koffie": koffie, "biljart": biljart}
