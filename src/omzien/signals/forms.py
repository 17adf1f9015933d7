from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.people.services import clean_followup_contact
from omzien.signals.first_contact import DoorAnswer
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


EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
DATE_MESSAGE = _("Write the date as year-month-day, e.g. 2026-01-31.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ClosedSignalsForm(forms.Form):
    """The filter of the closed signals, as query parameters: ``plek`` (a place slug among
    the user's), ``van`` and ``tot`` (the days the signals were closed, both included,
    from 2000-01-01 to 2099-12-31; empty: no bound)."""

    plek = forms.ModelChoiceField(
        label=_("Meeting place"),
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label=_("All your meeting places"),
        error_messages={
            "invalid_choice": _("There is no meeting place '%(value)s' among your places.")
        },
    )
    van = forms.DateField(
        label=_("Closed from"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_MESSAGE},
    )
    tot = forms.DateField(
        label=_("Closed up to and including"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_MESSAGE},
    )

    def __init__(self, data, places):
        super().__init__(data)
        self.fields["plek"].queryset = places

    def _check_range(self, name, day):
        if day is not None and not EARLIEST <= day <= LATEST:
            self.add_error(
                name,
                _("Choose a date from %(first)s to %(last)s.")
                % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
            )

    def clean(self):
        cleaned = super().clean()
        self._check_range("van", cleaned.get("van"))
        self._check_range("tot", cleaned.get("tot"))
        first, last = cleaned.get("van"), cleaned.get("tot")
        if not self.errors and first and last and last < first:
            self.add_error("tot", _("The end date lies before the start date."))
        return cleaned


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


class DoorAnswerForm(forms.Form):
    """One tap at the door: what a host knows of someone missed; "on holiday" also asks
    until when (``services.answer_at_door`` checks the day)."""

    answer = forms.ChoiceField(choices=DoorAnswer.choices, widget=forms.HiddenInput)
    until = forms.DateField(
        label=_("On holiday until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day they are away."),
    )
