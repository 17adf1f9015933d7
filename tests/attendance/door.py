"""Helpers for the door's tests (views, concurrency, browser): today's sessions, people."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from omzien.agenda.models import Session
from omzien.people.models import Purpose
from tests import factories

ANY_TIME = datetime(2026, 1, 1, 9, tzinfo=UTC)


def daily_activity(place, title="Koffieochtend", start=time(10, 0), **fields):
    """An activity on every day, from some weeks back: today always has a session."""
    return factories.ActivityFactory(
        place=place,
        title=title,
        rrule="FREQ=DAILY",
        first_date=timezone.localdate() - timedelta(weeks=10),
        start_time=start,
        **fields,
    )


def session_on(activity, day):
    """The activity's session on a day (as materialising the rule would make it)."""
    start = Session(activity=activity, date=day).rule_start
    session, _created = activity.sessions.get_or_create(
        date=day, defaults={"starts_at": start, "ends_at": start + activity.duration}
    )
    return session


def today_session(place, **activity_fields):
    return session_on(daily_activity(place, **activity_fields), timezone.localdate())


def person(first_name, last_name="", *, place, village=None, names=True, followup=None):
    """A person registered at the place; `names` None means never asked."""
    someone = factories.PersonFactory(
        first_name=first_name,
        last_name=last_name,
        village=village or place.village,
        registered_place=place,
    )
    if names is not None:
        factories.ConsentFactory(
            person=someone, purpose=Purpose.NAMES, given=names, recorded_at=ANY_TIME
        )
    if followup is not None:
        factories.ConsentFactory(
            person=someone, purpose=Purpose.FOLLOWUP, given=followup, recorded_at=ANY_TIME
        )
    return someone
