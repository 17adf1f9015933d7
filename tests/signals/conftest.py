"""A weekly coffee morning with a regular who stops, and the helpers to vary the story."""

from datetime import UTC, date, datetime, timedelta

import pytest

from omzien.agenda.models import Session
from tests import factories

FIRST_TUESDAY = date(2026, 1, 6)
# Ten Tuesdays from 6 January, a missed one (3 February) among them; last seen 10 March.
REGULAR_DAYS = [FIRST_TUESDAY + timedelta(weeks=w) for w in range(10) if w != 4]
LAST_SEEN = date(2026, 3, 10)
AS_OF = date(2026, 4, 3)  # 24 days later, three Tuesdays missed


def weekly_sessions(activity, first=FIRST_TUESDAY, weeks=20):
    return {
        first + timedelta(weeks=w): factories.SessionFactory(
            activity=activity, date=first + timedelta(weeks=w)
        )
        for w in range(weeks)
    }


def with_followup(person, given=True, at=datetime(2025, 12, 1, tzinfo=UTC)):
    factories.ConsentFactory(person=person, purpose="followup", given=given, recorded_at=at)
    return person


def visit(person, sessions, days):
    for day in days:
        factories.VisitFactory(person=person, session=sessions[day])


@pytest.fixture
def coffee(trefpunt):
    activity = factories.ActivityFactory(
        place=trefpunt, title="koffieochtend", rrule="FREQ=WEEKLY;BYDAY=TU"
    )
    return activity, weekly_sessions(activity)


@pytest.fixture
def regular(coffee):
    """Riet came to the coffee morning nine of ten Tuesdays, then stopped."""
    activity, sessions = coffee
    person = with_followup(factories.PersonFactory(first_name="Riet", ref="riet-1"))
    visit(person, sessions, REGULAR_DAYS)
    return person


def cancel(sessions, days):
    Session.objects.filter(pk__in=[sessions[day].pk for day in days]).update(
        status=Session.Status.CANCELLED, cancel_reason="ziek"
    )
