"""The place admin's form: the coordinates come from the address.

When the coordinates are empty, or the address changes while the coordinates stay as
they were, the form asks PDOK's Locatieserver (``services.locate_address``). When that
cannot answer, the coordinator sees why and enters the coordinates by hand ("I enter
the coordinates myself"); they must lie inside the Netherlands either way.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.places import geocoding, services
from omzien.places.models import Place

ADDRESS = ("street", "postcode", "town")
COORDINATES = ("latitude", "longitude")


def _form_field(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class PlaceAdminForm(forms.ModelForm):
    manual_coordinates = forms.BooleanField(
        label=gettext_lazy("I enter the coordinates myself"),
        required=False,
        help_text=gettext_lazy(
            "Leave this off and the coordinates are looked up from the address (PDOK "
            "Locatieserver) when they are empty or the address changes."
        ),
    )

    # Set per request by PlaceAdmin.get_form: the looking up asks the access layer.
    acting_user = None

    class Meta:
        model = Place
        formfield_callback = _form_field
        fields = [
            "name",
            "slug",
            "village",
            "description",
            "is_active",
            *ADDRESS,
            *COORDINATES,
            "opening_hours",
            "wheelchair_accessible",
            "hearing_loop",
            "accessibility_notes",
            "phone",
            "email",
            "website",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.located: geocoding.Location | None = None
        for name in COORDINATES:
            self.fields[name].required = False
            self.fields[name].help_text = _(
                "Filled in from the address when left empty. In a map app: hold your finger "
                "on the spot to read its coordinates."
            )

    def clean(self):
        cleaned = super().clean()
        if not any(name in self.errors for name in ADDRESS) and self._look_up_needed(cleaned):
            self._look_up(cleaned)
        for name in COORDINATES:
            if cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, _("Enter the coordinates of the place."))
        return cleaned

    def _look_up_needed(self, cleaned) -> bool:
        if cleaned.get("manual_coordinates") or any(name in self.errors for name in COORDINATES):
            return False
        if any(cleaned.get(name) is None for name in COORDINATES):
            return True
        address_changed = any(name in self.changed_data for name in ADDRESS)
        coordinates_typed = any(name in self.changed_data for name in COORDINATES)
        return address_changed and not coordinates_typed

    def _look_up(self, cleaned) -> None:
        try:
            location = services.locate_address(
                street=cleaned["street"],
                postcode=cleaned["postcode"],
                town=cleaned["town"],
                acting_user=self.acting_user,
                place=self.instance,
            )
        except geocoding.GeocodingError as error:
            self.add_error(
                None,
                f"{error.message} "
                + _(
                    "Tick “I enter the coordinates myself” and fill in the latitude and longitude."
                ),
            )
            return
        self.located = location
        cleaned["latitude"], cleaned["longitude"] = location.latitude, location.longitude
