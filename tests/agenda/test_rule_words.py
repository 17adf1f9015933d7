"""The planning form's repetition choices and rules in words (`agenda.recurrence`)."""

from datetime import date, time, timedelta

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from omzien.agenda import recurrence
from omzien.agenda.recurrence import MONTH_POSITIONS, Repeat, RuleChoices

FIRST = date(2027, 1, 4)  # a Monday

weekday_sets = st.frozensets(st.integers(0, 6), min_size=1).map(lambda days: tuple(sorted(days)))
repeating = st.builds(
    RuleChoices, st.sampled_from([Repeat.WEEKLY, Repeat.FORTNIGHTLY]), weekday_sets
)
monthly = st.builds(
    RuleChoices,
    st.just(Repeat.MONTHLY),
    st.integers(0, 6).map(lambda day: (day,)),
    st.sampled_from(MONTH_POSITIONS),
)
every_choice = repeating | monthly | st.just(RuleChoices(Repeat.ONCE))


@given(every_choice, st.dates(date(2020, 1, 1), date(2035, 12, 31)))
def test_choices_built_into_a_rule_read_back_as_the_same_choices(choices, first_date):
    rule = recurrence.build_rule(choices)
    assert recurrence.parse_choices(rule, first_date) == choices


@given(every_choice)
def test_every_built_rule_is_valid_rfc_5545_and_gives_dates(choices):
    rule = recurrence.build_rule(choices)
    starts = recurrence.next_dates(rule, FIRST, time(10), FIRST, count=3)
    assert starts
    if choices.repeat != Repeat.ONCE:
        assert {start.weekday() for start in starts} <= set(choices.weekdays)


@given(monthly)
def test_a_monthly_rule_falls_on_that_weekday_of_the_month(choices):
    rule = recurrence.build_rule(choices)
    for start in recurrence.next_dates(rule, FIRST, time(10), FIRST, count=6):
        day = start.date()
        if choices.position == -1:
            assert (day + timedelta(weeks=1)).month != day.month
        else:
            assert (day.day - 1) // 7 + 1 == choices.position


def test_the_rules_as_stored():
    assert recurrence.build_rule(RuleChoices(Repeat.WEEKLY, (1,))) == "FREQ=WEEKLY;BYDAY=TU"
    assert (
        recurrence.build_rule(RuleChoices(Repeat.FORTNIGHTLY, (2,)))
        == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
    )
    assert recurrence.build_rule(RuleChoices(Repeat.MONTHLY, (2,), 1)) == "FREQ=MONTHLY;BYDAY=1WE"
    assert recurrence.build_rule(RuleChoices(Repeat.MONTHLY, (4,), -1)) == "FREQ=MONTHLY;BYDAY=-1FR"
    assert recurrence.build_rule(RuleChoices(Repeat.ONCE)) == "FREQ=DAILY;COUNT=1"


@pytest.mark.parametrize(
    ("rule", "choices"),
    [
        # Without BYDAY a weekly rule repeats on the first date's weekday (a Monday).
        ("FREQ=WEEKLY", RuleChoices(Repeat.WEEKLY, (0,))),
        ("rrule:freq=weekly;byday=tu,th", RuleChoices(Repeat.WEEKLY, (1, 3))),
        ("FREQ=MONTHLY;BYDAY=WE;BYSETPOS=-1", RuleChoices(Repeat.MONTHLY, (2,), -1)),
    ],
)
def test_equivalent_spellings_read_as_choices(rule, choices):
    assert recurrence.parse_choices(rule, FIRST) == choices


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=1WE,3WE",  # two positions
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU",
        "FREQ=WEEKLY;COUNT=5",
        "FREQ=DAILY",
        "FREQ=YEARLY",
        "FREQ=MONTHLY;BYDAY=1WE,1FR",
        "nonsense",
    ],
)
def test_rules_the_form_cannot_express(rule):
    assert recurrence.parse_choices(rule, FIRST) is None


DUTCH = [
    ("FREQ=WEEKLY;BYDAY=TU", "elke dinsdag"),
    ("FREQ=WEEKLY;BYDAY=TU,TH", "elke dinsdag en donderdag"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "om de week op woensdag"),
    ("FREQ=MONTHLY;BYDAY=1WE", "elke eerste woensdag van de maand"),
    ("FREQ=MONTHLY;BYDAY=2TU", "elke tweede dinsdag van de maand"),
    ("FREQ=MONTHLY;BYDAY=3TH", "elke derde donderdag van de maand"),
    ("FREQ=MONTHLY;BYDAY=4SA", "elke vierde zaterdag van de maand"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "elke laatste vrijdag van de maand"),
    ("FREQ=DAILY;COUNT=1", "alleen op 12 maart 2027"),
    # Rules the form cannot express are said in words too.
    ("FREQ=MONTHLY;BYDAY=1WE,3WE", "elke eerste en derde woensdag van de maand"),
    ("FREQ=WEEKLY", "elke vrijdag"),  # the first date's weekday
    ("FREQ=MONTHLY;BYMONTHDAY=15", "elke maand op dag 15"),
    ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "om de 3 weken op maandag"),
    ("FREQ=DAILY", "elke dag"),
    ("FREQ=YEARLY", "elk jaar op 12 maart"),
    ("FREQ=WEEKLY;BYDAY=MO;COUNT=4", "elke maandag, 4 keer"),
    ("FREQ=HOURLY;BYMINUTE=5", "volgens de regel FREQ=HOURLY;BYMINUTE=5"),
]


@pytest.mark.parametrize(("rule", "words"), DUTCH)
def test_each_kind_of_rule_in_dutch(rule, words):
    with translation.override("nl"):
        assert recurrence.describe_rule(rule, date(2027, 3, 12)) == words


def test_with_the_time_and_the_last_date():
    with translation.override("nl"):
        text = recurrence.describe_rule(
            "FREQ=WEEKLY;BYDAY=TU",
            date(2027, 1, 5),
            last_date=date(2027, 6, 29),
            start_time=time(10),
            duration=timedelta(hours=2),
        )
    assert text == "elke dinsdag tot en met 29 juni 2027, 10:00–12:00"


def test_a_single_date_has_no_last_date_in_words():
    with translation.override("nl"):
        text = recurrence.describe_rule(
            "FREQ=DAILY;COUNT=1", date(2027, 3, 12), last_date=date(2027, 3, 12)
        )
    assert text == "alleen op 12 maart 2027"


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "every Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "every other week on Wednesday"),
        ("FREQ=MONTHLY;BYDAY=1WE", "every first Wednesday of the month"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "every last Friday of the month"),
        ("FREQ=DAILY;COUNT=1", "only on 12 March 2027"),
    ],
)
def test_in_english(rule, words):
    with translation.override("en"):
        assert recurrence.describe_rule(rule, date(2027, 3, 12)) == words


def test_times_in_words():
    assert recurrence.describe_times(time(17, 30), timedelta(hours=2)) == "17:30–19:30"
    assert recurrence.describe_times(time(9, 30), None) == "09:30"
