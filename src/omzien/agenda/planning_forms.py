"""Forms of the coordinators' planning pages: an activity without RFC 5545 typing, a
session moved or added, a closure of a place.

The activity form asks how it repeats in words (``recurrence.RuleChoices``) and builds
the RRULE from the answers; an existing rule fills the answers in again
(``recurrence.parse_choices``). A rule the answers cannot express is kept as it is,
shown in words, unless the coordinator chooses another repetition.
"""

import re
from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from omzien.agenda import recurrence
from omzien.agenda.models import Activity
from omzien.agenda.recurrence import MONTH_POSITIONS, Repeat, RuleChoices
from omzien.places.models import PlaceClosure

# Hours and minutes as people write them: 2:00, 02:00, 1.30 (not minutes and seconds).
_HOURS_MINUTES = re.compile(r"\s*(\d{1,2})[:.](\d{2})\s*", re.ASCII)
# Dutch dates as people type them where the browser has no date picker.
_DUTCH_DATE = re.compile(r"\s*(\d{1,2})-(\d{1,2})-(\d{4})\s*", re.ASCII)

KEEP_RULE = "keep"  # the repetition choice for a rule the form cannot express


class HoursMinutesDurationField(forms.DurationField):
    """A duration where "02:00" means two hours (Django's own reads it as two minutes)."""

    default_error_messages = {
        "invalid": _("Write the duration as hours:minutes, e.g. 02:00 for two hours."),
    }

    def to_python(self, value):
        if isinstance(value, str) and (match := _HOURS_MINUTES.fullmatch(value)):
            hours, minutes = int(match[1]), int(match[2])
            if minutes >= 60:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return timedelta(hours=hours, minutes=minutes)
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, timedelta) and not value.seconds % 60 and value.days == 0:
            hours, minutes = divmod(value.seconds // 60, 60)
            return f"{hours:02d}:{minutes:02d}"
        return super().prepare_value(value)


def parse_date_text(value: str) -> date:
    """A date as a date picker sends it (2027-03-12) or as typed in Dutch (12-3-2027)."""
    if match := _DUTCH_DATE.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    else:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(
        _("'%(value)s' is not a date; choose one, or write it as 12-03-2027."),
        params={"value": value},
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateListWidget(forms.Widget):
    """One date input per date, all with the same name, and a few empty ones to add."""

    template_name = "agenda/planning/_date_list.html"
    empty_inputs = 3

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = [v.isoformat() if isinstance(v, date) else v for v in (value or []) if v]
        context["widget"]["dates"] = values + [""] * self.empty_inputs
        return context


class DateListField(forms.Field):
    """A set of dates (holidays, exceptions), each picked in its own date input."""

    widget = DateListWidget

    def to_python(self, value):
        if isinstance(value, str):
            value = recurrence.parse_dates(value) if value else []
        dates = []
        for item in value or []:
            if isinstance(item, date):
                dates.append(item)
            elif item and item.strip():
                dates.append(parse_date_text(item))
        return sorted(set(dates))


def weekday_choices():
    return [(str(day), WEEKDAYS[day]) for day in range(7)]


POSITION_CHOICES = [
    ("1", pgettext_lazy("in the month", "first")),
    ("2", pgettext_lazy("in the month", "second")),
    ("3", pgettext_lazy("in the month", "third")),
    ("4", pgettext_lazy("in the month", "fourth")),
    ("-1", pgettext_lazy("in the month", "last")),
]
REPEAT_CHOICES = [
    (Repeat.WEEKLY.value, _("every week")),
    (Repeat.FORTNIGHTLY.value, _("every other week")),
    (Repeat.MONTHLY.value, _("every month on the first, second, ... or last weekday")),
    (Repeat.ONCE.value, _("only once, on the first date")),
]


class ActivityPlanForm(forms.ModelForm):
    """An activity as a coordinator plans it: times, repetition in words, dates."""

    end_time = forms.TimeField(
        label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    repeat = forms.ChoiceField(label=_("How often"), widget=forms.RadioSelect)
    weekdays = forms.MultipleChoiceField(
        label=_("On which day"),
        choices=weekday_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    position = forms.TypedChoiceField(
        label=_("Which one of the month"),
        choices=POSITION_CHOICES,
        coerce=int,
        required=False,
        help_text=_("Only for every month: e.g. the first Wednesday of the month."),
    )
    exception_dates = DateListField(
        label=_("Holidays and other days without this activity"),
        required=False,
        help_text=_("Pick a date; empty a box to take a date away."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "place",
            "category",
            "description",
            "start_time",
            "first_date",
            "last_date",
            "signup_required",
            "capacity",
            "cost",
            "accessibility_notes",
            "is_active",
        ]
        labels = {
            "title": _("Name"),
            "start_time": _("Start time"),
            "first_date": _("First date"),
            "last_date": _("Last date"),
            "is_active": _("Show in the agenda"),
        }
        help_texts = {"last_date": _("Optional: leave empty if it goes on.")}
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "first_date": DateInput(),
            "last_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["place"].empty_label = None
        activity = self.instance
        self.kept_rule = None
        choices = list(REPEAT_CHOICES)
        if activity.pk:
            parsed = recurrence.parse_choices(activity.rrule, activity.first_date)
            self.fields["end_time"].initial = activity.end_time
            self.fields["exception_dates"].initial = activity.exception_date_list
            if parsed is None:
                self.kept_rule = activity.rrule
                words = recurrence.describe_rule(activity.rrule, activity.first_date)
                choices.insert(0, (KEEP_RULE, _("as now: %(rule)s") % {"rule": words}))
                self.fields["repeat"].initial = KEEP_RULE
            else:
                self.fields["repeat"].initial = parsed.repeat.value
                self.fields["weekdays"].initial = [str(day) for day in parsed.weekdays]
                self.fields["position"].initial = parsed.position
        else:
            self.fields["repeat"].initial = Repeat.WEEKLY.value
        self.fields["repeat"].choices = choices

    def clean(self):
        cleaned = super().clean()
        repeat = cleaned.get("repeat")
        if repeat == KEEP_RULE:
            rule = self.kept_rule
        elif repeat:
            rule = self._rule_from_choices(repeat, cleaned)
        else:
            rule = None
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time lies before the start time."))
        if repeat == Repeat.ONCE:
            cleaned["last_date"] = None
        if rule and cleaned.get("first_date") and start:
            try:
                recurrence.parse_rule(rule, datetime.combine(cleaned["first_date"], start))
            except ValidationError as error:
                self.add_error("repeat", error)
        self.rule = rule
        if rule and start and end and end > start:
            self.instance.rrule = rule
            self.instance.duration = datetime.combine(date.min, end) - datetime.combine(
                date.min, start
            )
            self.instance.exception_dates = "\n".join(
                day.isoformat() for day in cleaned.get("exception_dates") or []
            )
        return cleaned

    def _rule_from_choices(self, repeat: str, cleaned) -> str | None:
        weekdays = tuple(int(day) for day in cleaned.get("weekdays") or [])
        position = cleaned.get("position")
        if repeat != Repeat.ONCE and not weekdays:
            self.add_error("weekdays", _("Choose the day (or days) of the week."))
            return None
        if repeat == Repeat.MONTHLY and position not in MONTH_POSITIONS:
            self.add_error(
                "position", _("Choose which one of the month: first, second, ... or last.")
            )
            return None
        if repeat == Repeat.MONTHLY and len(weekdays) > 1:
            self.add_error("weekdays", _("Every month: choose one day of the week."))
            return None
        choices = RuleChoices(
            Repeat(repeat), weekdays, position if repeat == Repeat.MONTHLY else None
        )
        return recurrence.build_rule(choices)

    def save(self, commit=True):
        activity = super().save(commit=False)
        if not activity.slug:
            activity.slug = unique_slug(activity)
        return activity

    def preview(self, today: date, count: int = 8) -> list[datetime]:
        """The next dates the (unsaved) answers give, from today."""
        activity = self.instance
        return recurrence.next_dates(
            activity.rrule,
            activity.first_date,
            activity.start_time,
            today,
            last_date=activity.last_date,
            exception_dates=activity.exception_date_list,
            count=count,
        )

    def rule_description(self) -> str:
        activity = self.instance
        return activity.rule_description


def unique_slug(activity: Activity) -> str:
    """A slug from the title, unique at the activity's place."""
    base = slugify(activity.title)[:40] or "activiteit"
    taken = set(Activity.objects.filter(place=activity.place_id).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


class SessionTimeForm(forms.Form):
    """A date with a start and end time: a session moved, or an extra one."""

    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < self.today:
            raise ValidationError(_("Choose today or a later date."))
        if day > self.today + timedelta(weeks=104):
            raise ValidationError(_("Choose a date within two years from now."))
        return day

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time lies before the start time."))
        return cleaned

    def times(self) -> tuple[datetime, datetime]:
        zone = recurrence.local_zone()
        day = self.cleaned_data["day"]
        return (
            datetime.combine(day, self.cleaned_data["start_time"], tzinfo=zone),
            datetime.combine(day, self.cleaned_data["end_time"], tzinfo=zone),
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=255,
        help_text=_("Visitors see this, e.g. 'the hall is being painted'."),
        error_messages={"required": _("Say why this session is cancelled.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why this session is cancelled."))
        return reason


class ClosureForm(forms.ModelForm):
    class Meta:
        model = PlaceClosure
        fields = ["place", "first_day", "last_day", "reason"]
        widgets = {"first_day": DateInput(), "last_day": DateInput()}
        help_texts = {"reason": _("Visitors see this, e.g. 'summer holidays'.")}

    def __init__(self, *args, places, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["place"].empty_label = None
        self.today = today or timezone.localdate()

    def clean_last_day(self):
        last_day = self.cleaned_data["last_day"]
        if last_day < self.today:
            raise ValidationError(_("This period lies in the past."))
        return last_day
