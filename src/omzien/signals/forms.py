from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.signals.models import CONTACT_OUTCOMES, ContactLog, Outcome


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=ContactLog.Method.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CONTACT_OUTCOMES)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Assign to"), queryset=None, required=False)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class SnoozeForm(forms.Form):
    until = forms.DateField(label=_("Snooze until"), widget=forms.DateInput(attrs={"type": "date"}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
