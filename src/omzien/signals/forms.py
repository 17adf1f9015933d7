from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.people.services import clean_followup_contact
from omzien.signals.models import CONTACT_OUTCOMES, ContactLog, Outcome


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=ContactLog.Method.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CONTACT_OUTCOMES)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class AssignForm(forms.Form):
    """Who picks a signal up; empty takes it back from whoever had it.

    ``users`` (a queryset) is what the form accepts. ``fetched``, the same users already
    fetched, only shows them: the signal list renders a form per row without a query each.
    """

    user = UserChoiceField(
        label=_("Assign to"),
        queryset=None,
        required=False,
        empty_label=_("nobody"),
        error_messages={"invalid_choice": _("Choose someone who works at this place.")},
    )

    def __init__(self, *args, users=None, fetched=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = users
        if fetched is not None:
            field.choices = [
                ("", field.empty_label),
                *((user.pk, field.label_from_instance(user)) for user in fetched),
            ]


class SnoozeForm(forms.Form):
    until = forms.DateField(label=_("Snooze until"), widget=forms.DateInput(attrs={"type": "date"}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)


class LetOpForm(forms.Form):
    """A host's "let op" after a conversation: where, and why in a few words."""

    place = forms.ModelChoiceField(label=_("Meeting place"), queryset=None, empty_label=None)
    reason = forms.CharField(
        label=_("Why? A few words"),
        max_length=500,
        help_text=_("for example: sounded low, her husband is in hospital"),
    )

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class AbsenceForm(forms.Form):
    """An absence someone announced ("op vakantie tot 12 mei")."""

    first_day = forms.DateField(
        label=_("First day away"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(
        label=_("Last day away"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("for example: on holiday"),
        max_length=255,
        required=False,
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day lies before the first day."))
        return data


class ReachForm(forms.Form):
    """How to reach someone for follow-up: a phone number, or a few words, or both."""

    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    how_to_reach = forms.CharField(
        label=_("Or how to reach them"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 300 characters. Leave both empty to remove."),
    )

    def clean_phone(self):
        return clean_followup_contact(self.cleaned_data["phone"], "")[0]

    def clean_how_to_reach(self):
        return clean_followup_contact("", self.cleaned_data["how_to_reach"])[1]
