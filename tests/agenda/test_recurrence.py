from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from omzien.agenda import recurrence
from omzien.agenda.services import materialise_sessions
from tests.factories import ActivityFactory


def tuesdays_at_ten(first: date, last: date, **kwargs):
    return list(
        recurrence.local_occurrences("FREQ=WEEKLY;BYDAY=TU", first, time(10), first, last, **kwargs)
    )


def test_tuesday_ten_stays_ten_local_across_spring_dst_change():
    # Europe/Amsterdam moves to summer time on Sunday 2027-03-28.
    starts = tuesdays_at_ten(date(2027, 3, 16), date(2027, 4, 13))
    assert [s.date() for s in starts] == [
        date(2027, 3, 16),
        date(2027, 3, 23),
        date(2027, 3, 30),
        date(2027, 4, 6),
        date(2027, 4, 13),
    ]
    assert {(s.hour, s.minute) for s in starts} == {(10, 0)}
    in_utc = [s.astimezone(UTC).hour for s in starts]
    assert in_utc == [9, 9, 8, 8, 8]


def test_tuesday_ten_stays_ten_local_across_autumn_dst_change():
    # Back to winter time on Sunday 2026-10-25.
    starts = tuesdays_at_ten(date(2026, 10, 13), date(2026, 11, 3))
    assert [s.astimezone(UTC).hour for s in starts] == [8, 8, 9, 9]
    assert {s.hour for s in starts} == {10}


def test_exception_dates_and_last_date_are_left_out():
    starts = tuesdays_at_ten(
        date(2026, 12, 1),
        date(2027, 1, 31),
        last_date=date(2027, 1, 12),
        exception_dates=[date(2026, 12, 22), date(2026, 12, 29)],
    )
    assert [s.date() for s in starts] == [
        date(2026, 12, 1),
        date(2026, 12, 8),
        date(2026, 12, 15),
        date(2027, 1, 5),
        date(2027, 1, 12),
    ]


def test_monthly_last_friday():
    starts = list(
        recurrence.local_occurrences(
            "FREQ=MONTHLY;BYDAY=-1FR",
            date(2026, 1, 1),
            time(17, 30),
            date(2026, 1, 1),
            date(2026, 4, 30),
        )
    )
    assert [s.date() for s in starts] == [
        date(2026, 1, 30),
        date(2026, 2, 27),
        date(2026, 3, 27),
        date(2026, 4, 24),
    ]


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("", "Vul een herhaalregel in"),
        ("BYDAY=TU", "FREQ=DAILY, WEEKLY"),
        ("FREQ=HOURLY", "FREQ=DAILY, WEEKLY"),
        ("FREQ=WEEKLY;BYDAY=XX", "niet te lezen"),
        ("FREQ=WEEKLY;UNTIL=20270101T000000Z", "laatste datum"),
        ("FREQ=WEEKLY;INTERVAL=zero", "niet te lezen"),
    ],
)
def test_invalid_rules_are_refused_with_a_clear_dutch_message(rule, fragment):
    with pytest.raises(ValidationError) as raised:
        recurrence.parse_rule(rule, datetime(2026, 1, 6, 10))
    assert fragment in " ".join(raised.value.messages)


def test_rule_is_normalised():
    assert recurrence.normalise_rule(" rrule:freq=weekly; byday=tu ") == "FREQ=WEEKLY;BYDAY=TU"


def test_parse_dates_refuses_impossible_dates():
    assert recurrence.parse_dates("2026-12-24, 2026-12-31\n2026-12-24") == [
        date(2026, 12, 24),
        date(2026, 12, 31),
    ]
    with pytest.raises(ValidationError, match="2026-02-30"):
        recurrence.parse_dates("2026-02-30")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_week_bounds_is_monday_to_sunday(day):
    monday, sunday = recurrence.week_bounds(day)
    assert monday.weekday() == 0
    assert sunday - monday == timedelta(days=6)
    assert monday <= day <= sunday


def test_materialised_sessions_keep_local_time_across_dst(db):
    activity = ActivityFactory(first_date=date(2027, 3, 2))
    created = materialise_sessions(date(2027, 3, 16), date(2027, 4, 6), activities=[activity])
    assert created == 4
    sessions = list(activity.sessions.order_by("date"))
    assert [s.starts_at.astimezone(UTC).hour for s in sessions] == [9, 9, 8, 8]
    assert all(s.ends_at - s.starts_at == timedelta(hours=2) for s in sessions)
    assert materialise_sessions(date(2027, 3, 16), date(2027, 4, 6), activities=[activity]) == 0
    assert activity.sessions.count() == 4
