"""Input at the door: one small form per tap, and the newcomer's registration."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.people.models import FollowUpContact, Purpose
from omzien.people.services import clean_followup_contact
from omzien.places.models import Village

YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]


class PersonTapForm(forms.Form):
    """Check a person in or undo it: the person's id (scoped by the view)."""

    person = forms.IntegerField(min_value=1)
    q = forms.CharField(required=False, max_length=100)


class AnonymousTapForm(forms.Form):
    """+1 or −1 for a visitor without a name; the token makes a retried tap count once."""

    token = forms.UUIDField(required=False)


class SessionHostForm(forms.Form):
    """Add or remove one host of a session; ``user`` among the place's people (the view
    gives the choices)."""

    ADD, REMOVE = "add", "remove"

    action = forms.ChoiceField(choices=[(ADD, _("Add")), (REMOVE, _("Remove"))])
    user = forms.ModelChoiceField(
        label=_("Host"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose someone who works at this meeting place.")},
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class NewVisitorForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        required=False,
        help_text=_("Only if they like."),
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=Village.objects.none(), empty_label=None
    )
    names = forms.ChoiceField(
        label=_("May we write down your name and village, so the hosts know who you are?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please ask this question and tick the answer.")},
    )
    followup = forms.ChoiceField(
        label=_(
            "May someone of the meeting place ask how you are when you have not come for a while?"
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please ask this question and tick the answer.")},
    )
    # How to reach them for follow-up: optional, kept only with the follow-up consent.
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        help_text=_("Optional. Only the people who follow up will see it."),
    )
    how_to_reach = forms.CharField(
        label=_("Or how to reach them"),
        max_length=FollowUpContact._meta.get_field("how_to_reach").max_length,
        required=False,
        help_text=_("Optional, e.g. 'ask my neighbour at number 12'."),
    )
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.filter(region_id=place.village.region_id)
        self.fields["village"].initial = place.village_id
        self.fields["first_name"].widget.attrs.update({"autocomplete": "off", "autofocus": True})
        self.fields["last_name"].widget.attrs.update({"autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})
        self.fields["how_to_reach"].widget.attrs.update({"autocomplete": "off"})
        self.names_refused = False

    def clean_names(self):
        answer = self.cleaned_data["names"]
        if answer == NO:
            self.names_refused = True
            raise forms.ValidationError(
                _("Without permission to note the name, count this visitor anonymously (+1).")
            )
        return answer

    def clean_phone(self):
        phone, _text = clean_followup_contact(self.cleaned_data["phone"], "")
        return phone

    def followup_contact(self) -> dict[str, str]:
        """The phone number and the free text, only with the follow-up consent."""
        if self.cleaned_data["followup"] != YES:
            return {}
        return {
            "phone": self.cleaned_data["phone"],
            "how_to_reach": self.cleaned_data["how_to_reach"],
        }

    def consents(self) -> dict[str, bool]:
        return {
            Purpose.NAMES: self.cleaned_data["names"] == YES,
            Purpose.FOLLOWUP: self.cleaned_data["followup"] == YES,
        }
