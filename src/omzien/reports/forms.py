"""The overview's choices as query parameters, so an overview can be bookmarked.

``plek``: a place slug, or ``place-slug/activity-slug`` for one activity; empty means all
places the user may see. ``per``: ``maand`` (default) or ``week``. ``van`` and ``tot``:
dates as YYYY-MM-DD from 2000-01-01 to 2099-12-31, widened to whole periods; by default
the last 12 months or 26 weeks up to today. The English names ``place``, ``group``
(``month``/``week``), ``from`` and ``to`` work too. Every date is checked against that
range before anything is computed with it, so no date can overflow (a 400, never a 500).

The choice of places is built from the places the user may see (``reports.audience``):
a place or activity outside them gives the same error as one that does not exist, so the
form reveals nothing about other places.
"""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from omzien.agenda.models import Activity, Session
from omzien.reports.audience import OverviewAccess, overview_access
from omzien.reports.cube import PeriodKind
from omzien.reports.impact import By, ReportRequest
from omzien.reports.models import STORY_MAX_LENGTH
from omzien.reports.statistics import (
    Grouping,
    attendance_overview,
    next_period_start,
    period_start,
    period_starts,
)

PARAMETER_ALIASES = {"place": "plek", "group": "per", "from": "van", "to": "tot"}
GROUPING_VALUES = {"maand": Grouping.MONTH, "month": Grouping.MONTH, "week": Grouping.WEEK}
DEFAULT_PERIODS = {Grouping.MONTH: 12, Grouping.WEEK: 26}
MAX_PERIODS = {Grouping.MONTH: 60, Grouping.WEEK: 157}  # five years, three years
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class OverviewForm(forms.Form):
    plek = forms.ChoiceField(
        label=_("Meeting place or activity"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "There is no meeting place or activity '%(value)s' in your overview."
            )
        },
    )
    per = forms.ChoiceField(
        label=_("Per"),
        choices=[("maand", _("month")), ("week", _("week"))],
        required=False,
        error_messages={
            "invalid_choice": _("Choose per week or per month, not '%(value)s'."),
        },
    )
    van = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Write the date as year-month-day, e.g. 2026-01-31.")},
    )
    tot = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Write the date as year-month-day, e.g. 2026-01-31.")},
    )

    def __init__(self, query, places, today: date):
        data = query.copy()
        for alias, name in PARAMETER_ALIASES.items():
            if alias in data and name not in data:
                data[name] = data[alias]
        if data.get("per") == "month":
            data["per"] = "maand"
        super().__init__(data)
        self.today = today
        self.places = list(places.order_by("name"))
        activities = Activity.objects.filter(place__in=self.places).order_by("title", "pk")
        by_place = {place.pk: [] for place in self.places}
        for activity in activities:
            by_place[activity.place_id].append(activity)
        # Option value -> (places, activity).
        self.targets: dict[str, tuple[list, Activity | None]] = {"": (self.places, None)}
        choices = [] if len(self.places) == 1 else [("", _("All meeting places"))]
        for place in self.places:
            group = [(place.slug, _("%(place)s: all activities") % {"place": place.name})]
            self.targets[place.slug] = ([place], None)
            for activity in by_place[place.pk]:
                value = f"{place.slug}/{activity.slug}"
                activity.place = place
                group.append((value, activity.title))
                self.targets[value] = ([place], activity)
            choices.append((place.name, group))
        self.fields["plek"].choices = choices
        if len(self.places) == 1 and not self.data.get("plek"):
            self.data["plek"] = self.places[0].slug

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        grouping = GROUPING_VALUES[cleaned.get("per") or "maand"]
        last = cleaned.get("tot") or self.today
        self._check_range("tot", last)
        if cleaned.get("van") is not None:
            self._check_range("van", cleaned["van"])
        if self.errors:
            return cleaned
        first = cleaned.get("van")
        if first is None:
            first = period_start(last, grouping)
            for _step in range(DEFAULT_PERIODS[grouping] - 1):
                first = period_start(first - timedelta(days=1), grouping)
            first = max(first, EARLIEST)
        if last < first:
            self.add_error("tot", _("The end date lies before the start date."))
            return cleaned
        count = len(period_starts(first, last, grouping))
        if count > MAX_PERIODS[grouping]:
            message = (
                _("Choose at most %(count)d weeks at once.")
                if grouping == Grouping.WEEK
                else _("Choose at most %(count)d months at once.")
            )
            self.add_error("van", message % {"count": MAX_PERIODS[grouping]})
            return cleaned
        places, activity = self.targets[cleaned.get("plek") or ""]
        first = period_start(first, grouping)
        last = next_period_start(period_start(last, grouping), grouping) - timedelta(days=1)
        cleaned.update(
            grouping=grouping, first_day=first, last_day=last, places=places, activity=activity
        )
        # Show the periods as they are counted: whole weeks or months.
        self.data["per"] = "week" if grouping == Grouping.WEEK else "maand"
        self.data["van"] = first.isoformat()
        self.data["tot"] = last.isoformat()
        return cleaned

    def _check_range(self, name: str, day: date) -> None:
        if not EARLIEST <= day <= LATEST:
            self.add_error(
                name,
                _("Choose a date from %(earliest)s to %(latest)s.")
                % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            )

    @property
    def scope_name(self) -> str:
        places, activity = self.cleaned_data["places"], self.cleaned_data["activity"]
        if activity is not None:
            return f"{activity.title}, {places[0].name}"
        if len(places) == 1:
            return places[0].name
        return str(_("All meeting places"))

    def overview(self, *, suppress_below: int | None, as_of: date, by_activity: bool = False):
        """The attendance figures of the valid form's choices (the page and the API)."""
        data = self.cleaned_data
        return attendance_overview(
            data["places"],
            activity=data["activity"],
            grouping=data["grouping"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            as_of=as_of,
            by_activity=by_activity,
            suppress_below=suppress_below,
        )

    def query_string(self) -> str:
        """The choices in their canonical form, for links to the charts."""
        return urlencode(
            {
                "plek": self.cleaned_data.get("plek", ""),
                "per": self.data["per"],
                "van": self.data["van"],
                "tot": self.data["tot"],
            }
        )


class StoryForm(forms.Form):
    """A coordinator's two texts for a place and a period (``reports.services.save_story``
    checks them: who writes, the period, the length). The length is left to the service:
    a browser counts a line break as one character and posts it as two."""

    period = forms.CharField(widget=forms.HiddenInput, max_length=7)
    went_well = forms.CharField(
        label=_("What went well"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": STORY_MAX_LENGTH}),
        help_text=_("For example an activity that caught on, or a new group of visitors."),
    )
    learned = forms.CharField(
        label=_("What we learned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": STORY_MAX_LENGTH}),
        help_text=_("For example what you would do differently, or what you need."),
    )


# The impact report's choices: fixed, never free dates (see reports.impact). Dutch
# values in the address, the report's own words behind them.
PER_VALUES = {"maand": PeriodKind.MONTH, "kwartaal": PeriodKind.QUARTER, "jaar": PeriodKind.YEAR}
BY_VALUES = {"regio": By.REGION, "dorp": By.VILLAGE, "plek": By.PLACE}


def report_years(places, today: date) -> list[int]:
    """The years a report can be about, newest first: from the first year with a session
    at one of the places up to this year (never a year still to come)."""
    first = Session.objects.filter(activity__place__in=places, date__lte=today).aggregate(
        first=Min("date")
    )["first"]
    start = min(first.year, today.year) if first else today.year
    return list(range(today.year, start - 1, -1))


class ImpactForm(forms.Form):
    """``jaar`` (default this year), ``per`` (maand, kwartaal (default) or jaar) and
    ``indeling`` (regio (default), dorp or plek). A reader who sees only their own places
    (a coordinator) gets them by place: ``plek`` is their only choice."""

    jaar = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("There is no report for the year '%(value)s'.")},
    )
    per = forms.ChoiceField(
        label=_("Per"),
        choices=[("maand", _("month")), ("kwartaal", _("quarter")), ("jaar", _("year"))],
        required=False,
        error_messages={
            "invalid_choice": _("Choose per month, per quarter or per year, not '%(value)s'.")
        },
    )
    indeling = forms.ChoiceField(
        label=_("Figures for"),
        required=False,
        error_messages={"invalid_choice": _("Choose from the list, not '%(value)s'.")},
    )

    def __init__(self, query, *, places, region_wide: bool, today: date):
        super().__init__(query.copy())
        self.today = today
        self.region_wide = region_wide
        self.years = report_years(places, today)
        self.fields["jaar"].choices = [(year, str(year)) for year in self.years]
        self.fields["indeling"].choices = (
            [
                ("regio", _("the whole region")),
                ("dorp", _("per village")),
                ("plek", _("per meeting place")),
            ]
            if region_wide
            else [("plek", _("per meeting place"))]
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        year = cleaned.get("jaar") or self.years[0]
        per = cleaned.get("per") or "kwartaal"
        by = cleaned.get("indeling") or ("regio" if self.region_wide else "plek")
        cleaned.update(
            jaar=year,
            per=per,
            indeling=by,
            period_kind=PER_VALUES[per],
            by=BY_VALUES[by],
            first_day=date(year, 1, 1),
            # This year's report goes up to today: no months that have not begun.
            last_day=min(date(year, 12, 31), self.today),
        )
        # The form shows what the report is of, defaults included.
        for name, value in (("jaar", str(year)), ("per", per), ("indeling", by)):
            self.data[name] = value
        return cleaned

    def query_string(self) -> str:
        data = self.cleaned_data
        return urlencode({"jaar": data["jaar"], "per": data["per"], "indeling": data["indeling"]})


def impact_form(request) -> tuple[ImpactForm, OverviewAccess]:
    """The report's choices for the user (the page, its charts and its downloads);
    PermissionDenied for users who may see no figures."""
    access = overview_access(request.user)
    if access is None:
        raise PermissionDenied
    form = ImpactForm(
        request.GET,
        places=access.places,
        region_wide=access.region_wide,
        today=timezone.localdate(),
    )
    return form, access


def impact_request(form: ImpactForm, access: OverviewAccess) -> ReportRequest:
    """The report the user may read for the form's (valid) choices: viewers the region
    with small cells hidden, professionals the region exactly, coordinators exactly and
    only their own places."""
    data = form.cleaned_data
    return ReportRequest(
        first_day=data["first_day"],
        last_day=data["last_day"],
        by=data["by"],
        period_kind=data["period_kind"],
        audience=access.audience,
        place_ids=access.place_ids,
    )
