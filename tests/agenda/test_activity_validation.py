from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import ActivityFactory


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rrule": "FREQ=FORTNIGHTLY"}, "rrule"),
        ({"rrule": "elke dinsdag"}, "rrule"),
        ({"last_date": date(2025, 12, 31)}, "last_date"),
        ({"duration": timedelta(0)}, "duration"),
        ({"duration": timedelta(hours=-1)}, "duration"),
        ({"exception_dates": "2026-13-01"}, "exception_dates"),
    ],
)
def test_bad_activity_input_is_refused(trefpunt, changes, field):
    activity = ActivityFactory.build(place=trefpunt, **changes)
    with pytest.raises(ValidationError) as raised:
        activity.full_clean()
    assert field in raised.value.message_dict


def test_database_refuses_an_end_before_the_start_too(trefpunt):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(place=trefpunt, last_date=date(2025, 1, 1))


def test_session_ending_before_it_starts_is_refused(trefpunt):
    from tests.factories import SessionFactory

    session = SessionFactory.build(activity=ActivityFactory(place=trefpunt))
    session.ends_at = session.starts_at - timedelta(minutes=5)
    with pytest.raises(ValidationError) as raised:
        session.full_clean()
    assert "ends_at" in raised.value.message_dict
