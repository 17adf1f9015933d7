from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.agenda.models import Category
from omzien.places.models import Place, Village

# Filters have Dutch names in shared links; the English names work too.
PARAMETER_ALIASES = {"village": "dorp", "place": "plek", "category": "soort"}


def parse_iso_week(value: str) -> date:
    """The Monday of an ISO week written as 2026-W48."""
    year, _sep, week = value.upper().partition("-W")
    try:
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise forms.ValidationError(
            _("'%(value)s' is not a week; write it as year-W-week number, e.g. 2026-W48."),
            params={"value": value},
        ) from None


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

    def __init__(self, query, *args, **kwargs):
        data = query.copy()
        for alias, name in PARAMETER_ALIASES.items():
            if alias in data and name not in data:
                data[name] = data[alias]
        super().__init__(data, *args, **kwargs)

    def clean_week(self):
        value = self.cleaned_data["week"].strip()
        return parse_iso_week(value) if value else None

    def filters(self) -> dict:
        return {
            "village": self.cleaned_data["dorp"],
            "place": self.cleaned_data["plek"],
            "category": self.cleaned_data["soort"],
        }
