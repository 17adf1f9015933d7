"""The forms of visits between places: inviting, answering, and afterwards."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from omzien.agenda.models import Activity
from omzien.places.models import Place, Village
from omzien.visiting.models import (
    MAX_VISITORS,
    NAMES_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Invitation,
)
from omzien.visiting.services import InvitationDetails

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class InvitationForm(forms.Form):
    host = forms.ModelChoiceField(
        queryset=None,
        label=_("Which meeting place invites?"),
        error_messages={"required": _("Choose the meeting place that invites.")},
    )
    kind = forms.ChoiceField(
        label=_("What kind of invitation?"),
        choices=Invitation.Kind.choices,
        initial=Invitation.Kind.OPEN_DAY,
        widget=forms.RadioSelect,
    )
    activity = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Which activity may they join?"),
        help_text=_("Only for “join one of our activities”."),
        empty_label=_("(none)"),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text=_("For example “Open afternoon”; empty: the activity's title."),
    )
    date = forms.DateField(
        label=_("Date"),
        widget=DATE,
        error_messages={"required": _("Choose the date of the visit.")},
    )
    start_time = forms.TimeField(
        label=_("From"), widget=TIME, required=False, help_text=_("Empty: the activity's time.")
    )
    end_time = forms.TimeField(label=_("Until"), widget=TIME, required=False)
    message = forms.CharField(
        label=_("Message for the invited places"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("This is public: write no names."),
    )
    places = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Which meeting places do you invite?"),
        widget=forms.CheckboxSelectMultiple,
    )
    villages = forms.ModelMultipleChoiceField(
        queryset=Village.objects.order_by("name"),
        required=False,
        label=_("Or all meeting places of a village"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts.order_by("name")
        if hosts.count() == 1:
            self.fields["host"].initial = hosts.first()
        self.fields["activity"].queryset = (
            Activity.objects.active().filter(place__in=hosts).select_related("place")
        ).order_by("place__name", "title")
        self.fields["activity"].label_from_instance = lambda a: f"{a.title} ({a.place.name})"
        self.fields["places"].queryset = (
            Place.objects.active().select_related("village").order_by("name")
        )
        self.fields["places"].label_from_instance = lambda p: f"{p.name} ({p.village.name})"

    def details(self) -> InvitationDetails:
        data = self.cleaned_data
        return InvitationDetails(
            host=data["host"],
            kind=data["kind"],
            activity=data["activity"],
            title=data["title"],
            date=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            message=data["message"],
            places=list(data["places"]),
            villages=list(data["villages"]),
        )


class _GuestPlaceMixin:
    """The invited place the user acts for: a choice only when they manage several."""

    def _place_field(self, places):
        self.fields["place"] = forms.ModelChoiceField(
            queryset=places,
            label=_("For which meeting place?"),
            error_messages={"required": _("Choose your meeting place.")},
        )
        if places.count() == 1:
            self.fields["place"].initial = places.first()
            self.fields["place"].widget = forms.HiddenInput()
        self.order_fields(["place"])


class AnswerForm(_GuestPlaceMixin, forms.Form):
    count = forms.IntegerField(
        label=_("How many of you come?"),
        min_value=0,
        max_value=MAX_VISITORS,
        help_text=_("0: nobody can come this time."),
    )
    names = forms.CharField(
        label=_("Who comes? (first names)"),
        required=False,
        max_length=NAMES_MAX_LENGTH,
        help_text=_("For example “Ans, Gerrit and Wim”. Only the coordinators see this."),
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self._place_field(places)
        out_of_range = gettext("Say how many of you come: a number from 0 to %(max)d.") % {
            "max": MAX_VISITORS
        }
        self.fields["count"].error_messages.update(
            required=out_of_range,
            invalid=out_of_range,
            min_value=out_of_range,
            max_value=out_of_range,
        )


class WishForm(_GuestPlaceMixin, forms.Form):
    want_to_try = forms.CharField(
        label=_("What do we want to try ourselves?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write what you would like to try at your own place.")},
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self._place_field(places)


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("How did it go?"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write a few words about how it went.")},
    )
