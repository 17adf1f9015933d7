from datetime import date

import pytest

from tests.factories import ActivityFactory

# The import's "today" in the service tests; the commands use the real date.
TODAY = date(2026, 7, 1)


@pytest.fixture
def koffie(benring):
    """Koffieochtend at De Benring, every Tuesday from 6 January 2026."""
    return ActivityFactory(
        place=benring,
        title="Koffieochtend",
        slug="koffieochtend",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        first_date=date(2026, 1, 6),
    )


@pytest.fixture
def handwerken(trefpunt):
    """Handwerken at Trefpunt Duistervoorde, Wednesdays 7 January to 24 June 2026, not on
    18 February."""
    return ActivityFactory(
        place=trefpunt,
        title="Handwerken",
        slug="handwerken",
        rrule="FREQ=WEEKLY;BYDAY=WE",
        first_date=date(2026, 1, 7),
        last_date=date(2026, 6, 24),
        exception_dates="2026-02-18",
    )


@pytest.fixture
def network(koffie, handwerken, twello, voorst_village):
    return {"koffie": koffie, "handwerken": handwerken}
