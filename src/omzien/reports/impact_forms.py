"""The impact report's choices as query parameters, shared by its page and its downloads.

``jaar``: the year (2000 up to this year; default this year). ``per``: ``maand``,
``kwartaal`` (default) or ``jaar``. ``indeling``: ``regio``, ``dorp`` (default) or
``plek``. Fixed choices only, never a free range: a viewer cannot ask for 15 March to
14 April and subtract one report from another (see ``reports.cube``).

:func:`report_request_for` turns the choices and the user's access into the
:class:`~omzien.reports.impact.ReportRequest` every output is made from: viewers read the
whole region with small cells hidden; professionals the whole region exactly;
coordinators exactly, and only their own places (no region or village totals beside
them, which would let another place's figures be worked out).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from omzien.reports.audience import Audience, overview_access
from omzien.reports.cube import PeriodKind
from omzien.reports.impact import By, ReportRequest

EARLIEST_YEAR = 2000
PERIOD_VALUES = {"maand": PeriodKind.MONTH, "kwartaal": PeriodKind.QUARTER, "jaar": PeriodKind.YEAR}
BY_VALUES = {"regio": By.REGION, "dorp": By.VILLAGE, "plek": By.PLACE}
DEFAULTS = {"per": "kwartaal", "indeling": "dorp"}


class ImpactForm(forms.Form):
    jaar = forms.IntegerField(
        label=_("Year"),
        required=False,
        error_messages={"invalid": _("Write the year as four digits, e.g. 2026.")},
    )
    per = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[("maand", _("month")), ("kwartaal", _("quarter")), ("jaar", _("year"))],
        error_messages={"invalid_choice": _("Choose per month, quarter or year, not '%(value)s'.")},
    )
    indeling = forms.ChoiceField(
        label=_("Grouped by"),
        required=False,
        choices=[("regio", _("the whole region")), ("dorp", _("village")), ("plek", _("place"))],
        error_messages={
            "invalid_choice": _("Choose the region, villages or places, not '%(value)s'.")
        },
    )

    def __init__(self, query, today: date):
        data = query.copy()
        for name, default in DEFAULTS.items():
            if not data.get(name):
                data[name] = default
        if not data.get("jaar"):
            data["jaar"] = str(today.year)
        super().__init__(data)
        self.today = today

    def clean_jaar(self):
        year = self.cleaned_data["jaar"]
        if year is None:
            return self.today.year
        if not EARLIEST_YEAR <= year <= self.today.year:
            raise forms.ValidationError(
                _("Choose a year from %(first)d to %(last)d.")
                % {"first": EARLIEST_YEAR, "last": self.today.year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        year = cleaned["jaar"]
        cleaned["first_day"] = date(year, 1, 1)
        # This year: up to today, so periods that have not started are not shown.
        cleaned["last_day"] = min(date(year, 12, 31), self.today)
        cleaned["period_kind"] = PERIOD_VALUES[cleaned["per"]]
        cleaned["by"] = BY_VALUES[cleaned["indeling"]]
        return cleaned

    def query_string(self) -> str:
        """The choices in their canonical form, for links to the downloads."""
        return urlencode({name: self.cleaned_data[name] for name in ("jaar", "per", "indeling")})


def report_request_for(user, form: ImpactForm) -> ReportRequest:
    """The report the user may read for the form's (valid) choices; PermissionDenied for
    users who may see no figures."""
    access = overview_access(user)
    if access is None:
        raise PermissionDenied
    data = form.cleaned_data
    place_ids = None
    if access.audience is Audience.PROFESSIONAL:
        from omzien.places.models import Place

        own = frozenset(access.places.values_list("pk", flat=True))
        # Who may see every place exactly reads the region; everyone else their places.
        if own != frozenset(Place.objects.values_list("pk", flat=True)):
            place_ids = own
    return ReportRequest(
        first_day=data["first_day"],
        last_day=data["last_day"],
        by=data["by"],
        period_kind=data["period_kind"],
        audience=access.audience,
        place_ids=place_ids,
    )
