import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.agenda.models import Category
from omzien.agenda.queries import agenda_range
from omzien.agenda.recurrence import iso_week
from omzien.places.models import Place, Village

# Filters have Dutch names in shared links; the English names work too.
PARAMETER_ALIASES = {"village": "dorp", "place": "plek", "category": "soort"}
# The query parameters the agenda and the network feed read, in their canonical order.
PARAMETERS = ("week", "dorp", "plek", "soort")

# ISO 8601 week: 2026-W48 (also 2026W48); four ASCII digits for the year, no signs.
_ISO_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.ASCII)


def parseiso_week(value: str, today: date | None = None) -> date:
    """The Monday of an ISO week written as 2026-W48, within the agenda's range."""
    match = _ISO_WEEK.fullmatch(value.strip().upper())
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1) if match else None
    except ValueError:
        monday = None
    if monday is None:
        raise forms.ValidationError(
            _("'%(value)s' is not a week; write it as year-W-week number, e.g. 2026-W48."),
            params={"value": value},
        )
    first_monday, last_sunday = agenda_range(today)
    if not first_monday <= monday <= last_sunday:
        raise forms.ValidationError(
            _(
                "The agenda does not reach week %(value)s; choose a week from %(first)s "
                "to %(last)s."
            ),
            params={"value": value, "first": iso_week(first_monday), "last": iso_week(last_sunday)},
        )
    return monday


class AgendaFilterForm(forms.Form):
    week = forms.CharField(label=_("Week"), required=False)
    dorp = forms.ModelChoiceField(
        label=_("Village"),
        queryset=Village.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All villages"),
        error_messages={"invalid_choice": _("There is no village '%(value)s' in this region.")},
    )
    plek = forms.ModelChoiceField(
        label=_("Meeting place"),
        queryset=Place.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label=_("All places"),
        error_messages={"invalid_choice": _("There is no meeting place '%(value)s'.")},
    )
    soort = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", _("All kinds"))] + Category.choices,
        required=False,
        error_messages={"invalid_choice": _("There is no kind of activity '%(value)s'.")},
    )

    def __init__(self, query, *args, today: date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        data = query.copy()
        for alias, name in PARAMETER_ALIASES.items():
            if alias in data and name not in data:
                data[name] = data[alias]
        super().__init__(data, *args, **kwargs)

    def clean_week(self):
        value = self.cleaned_data["week"].strip()
        return parseiso_week(value, self.today) if value else None

    def filters(self) -> dict:
        return {
            "village": self.cleaned_data["dorp"],
            "place": self.cleaned_data["plek"],
            "category": self.cleaned_data["soort"],
        }
