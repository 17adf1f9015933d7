"""The planning form: answers in words become a rule, an existing rule fills the answers
in again, and bad input gets a Dutch error and saves nothing."""

from datetime import date, time, timedelta

import pytest
from django.http import QueryDict
from django.utils import translation

from omzien.agenda.models import Activity
from omzien.agenda.planning_forms import (
    KEEP_RULE,
    ActivityPlanForm,
    HoursMinutesDurationField,
    SessionTimeForm,
)
from omzien.places.models import Place
from tests.factories import ActivityFactory

TODAY = date(2026, 12, 2)


def answers(place, **changes):
    data = {
        "title": "Soep en praat",
        "place": str(place.pk),
        "category": "eten",
        "start_time": "17:30",
        "end_time": "19:30",
        "repeat": "monthly",
        "weekdays": ["2"],
        "position": "1",
        "first_date": "2026-12-01",
        "last_date": "",
        "exception_dates": ["2027-01-06", ""],
        "cost": "0",
        "is_active": "on",
    }
    data.update(changes)
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        elif value is not None:
            query[key] = value
    return query


def form_for(place, activity=None, **changes):
    return ActivityPlanForm(
        answers(place, **changes),
        instance=activity or Activity(),
        places=Place.objects.filter(pk=place.pk),
    )


def test_answers_become_a_rule_duration_and_exception_dates(benring):
    form = form_for(benring)
    assert form.is_valid(), form.errors
    activity = form.save(commit=False)
    assert activity.rrule == "FREQ=MONTHLY;BYDAY=1WE"
    assert activity.start_time == time(17, 30)
    assert activity.duration == timedelta(hours=2)
    assert activity.exception_date_list == [date(2027, 1, 6)]
    assert activity.slug == "soep-en-praat"
    # The preview: the first Wednesdays, without 6 January.
    assert [start.date() for start in form.preview(TODAY, 4)] == [
        date(2026, 12, 2),
        date(2027, 2, 3),
        date(2027, 3, 3),
        date(2027, 4, 7),
    ]
    assert not Activity.objects.exists()


def test_only_once_is_one_date_and_needs_no_weekday(benring):
    form = form_for(
        benring, repeat="once", weekdays=[], first_date="2027-03-12", last_date="2027-05-01"
    )
    assert form.is_valid(), form.errors
    activity = form.save(commit=False)
    assert activity.last_date is None
    assert [start.date() for start in form.preview(TODAY)] == [date(2027, 3, 12)]
    with translation.override("nl"):
        assert activity.rule_description == "alleen op 12 maart 2027, 17:30–19:30"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_time": "17:00"}, "end_time", "De eindtijd ligt vóór de begintijd."),
        ({"end_time": "17:30"}, "end_time", "De eindtijd ligt vóór de begintijd."),
        ({"repeat": "weekly", "weekdays": []}, "weekdays", "Kies de dag (of dagen) van de week."),
        ({"position": ""}, "position", "Kies welke van de maand: eerste, tweede, ... of laatste."),
        ({"weekdays": ["1", "2"]}, "weekdays", "Bij elke maand kiest u één dag van de week."),
        ({"last_date": "2026-11-01"}, "last_date", "De laatste datum ligt vóór de eerste datum."),
        (
            {"exception_dates": ["morgen"]},
            "exception_dates",
            "'morgen' is geen datum. Kies een datum, of schrijf hem als 12-03-2027.",
        ),
        ({"repeat": "yearly"}, "repeat", None),
        ({"repeat": KEEP_RULE}, "repeat", None),  # nothing to keep for a new activity
        ({"title": ""}, "title", "Dit veld is verplicht."),
        ({"start_time": "25:00"}, "start_time", None),
    ],
)
def test_bad_answers_get_a_dutch_error_on_their_field(benring, changes, field, message):
    with translation.override("nl"):
        form = form_for(benring, **changes)
        assert not form.is_valid()
        assert field in form.errors, form.errors
        if message:
            assert message in form.errors[field]


def test_a_dutch_typed_exception_date_is_read(benring):
    form = form_for(benring, exception_dates=["6-1-2027", "2027-01-06", "13-01-2027"])
    assert form.is_valid(), form.errors
    assert form.save(commit=False).exception_date_list == [date(2027, 1, 6), date(2027, 1, 13)]


def test_a_place_the_user_does_not_manage_cannot_be_chosen(benring, trefpunt):
    form = ActivityPlanForm(
        answers(trefpunt), instance=Activity(), places=Place.objects.filter(pk=benring.pk)
    )
    assert not form.is_valid()
    assert "place" in form.errors


@pytest.mark.parametrize(
    ("rule", "repeat", "weekdays", "position"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "weekly", ["1"], None),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "fortnightly", ["2"], None),
        ("FREQ=MONTHLY;BYDAY=-1FR", "monthly", ["4"], -1),
        ("FREQ=DAILY;COUNT=1", "once", [], None),
    ],
)
def test_editing_fills_the_answers_from_the_rule(benring, rule, repeat, weekdays, position):
    activity = ActivityFactory(
        place=benring, rrule=rule, duration=timedelta(hours=1, minutes=30), exception_dates=""
    )
    form = ActivityPlanForm(instance=activity, places=Place.objects.all())
    assert form["repeat"].initial == repeat
    assert form["weekdays"].initial == weekdays
    assert form["position"].initial == position
    assert form["end_time"].initial == time(11, 30)
    assert KEEP_RULE not in dict(form.fields["repeat"].choices)


def test_a_rule_the_form_cannot_express_is_shown_in_words_and_kept(benring):
    activity = ActivityFactory(place=benring, rrule="FREQ=MONTHLY;BYDAY=1WE,3WE")
    with translation.override("nl"):
        form = ActivityPlanForm(instance=activity, places=Place.objects.all())
        choices = dict(form.fields["repeat"].choices)
    assert form["repeat"].initial == KEEP_RULE
    assert choices[KEEP_RULE] == "zoals nu: elke eerste en derde woensdag van de maand"

    kept = form_for(benring, activity, repeat=KEEP_RULE, weekdays=[], position="")
    assert kept.is_valid(), kept.errors
    assert kept.save(commit=False).rrule == "FREQ=MONTHLY;BYDAY=1WE,3WE"

    changed = form_for(benring, activity, repeat="weekly", weekdays=["0"])
    assert changed.is_valid(), changed.errors
    assert changed.save(commit=False).rrule == "FREQ=WEEKLY;BYDAY=MO"


def test_editing_keeps_the_slug(benring):
    activity = ActivityFactory(place=benring, slug="koffie")
    form = form_for(benring, activity, title="Koffie en krant")
    assert form.is_valid(), form.errors
    assert form.save(commit=False).slug == "koffie"


def test_a_new_slug_is_unique_at_the_place(benring):
    ActivityFactory(place=benring, slug="soep-en-praat")
    form = form_for(benring)
    assert form.is_valid(), form.errors
    assert form.save(commit=False).slug == "soep-en-praat-2"


@pytest.mark.parametrize(
    ("typed", "duration"),
    [
        ("02:00", timedelta(hours=2)),
        ("2:00", timedelta(hours=2)),
        ("1.30", timedelta(hours=1, minutes=30)),
        ("01:30:00", timedelta(hours=1, minutes=30)),
    ],
)
def test_hours_and_minutes_mean_hours_and_minutes(typed, duration):
    field = HoursMinutesDurationField()
    assert field.clean(typed) == duration
    assert (
        field.prepare_value(duration)
        == f"{duration.seconds // 3600:02d}:{duration.seconds // 60 % 60:02d}"
    )


def test_minutes_beyond_sixty_are_refused():
    field = HoursMinutesDurationField()
    with translation.override("nl"), pytest.raises(Exception, match="uren:minuten"):
        field.clean("02:75")


def test_a_session_time_in_the_past_or_backwards_is_refused():
    with translation.override("nl"):
        past = SessionTimeForm(
            {"day": "2026-12-01", "start_time": "10:00", "end_time": "12:00"}, today=TODAY
        )
        assert past.errors["day"] == ["Kies vandaag of een latere datum."]
        backwards = SessionTimeForm(
            {"day": "2026-12-03", "start_time": "12:00", "end_time": "10:00"}, today=TODAY
        )
        assert backwards.errors["end_time"] == ["De eindtijd ligt vóór de begintijd."]
