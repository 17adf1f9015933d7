"""The forms of the privacy-rights pages: correcting a person, filtering the audit log."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from omzien.audit.models import AuditEvent
from omzien.places.models import Village


class RectifyForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=Village.objects.order_by("name"), required=False
    )


class FindPersonForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=100, required=False)


class AuditFilterForm(forms.Form):
    """The audit log's filters: all optional; bad values are a Dutch error, not a 500."""

    user = forms.ModelChoiceField(
        label=_("User"),
        queryset=get_user_model().objects.order_by("username"),
        required=False,
    )
    person = forms.IntegerField(
        label=_("Person (number)"), min_value=1, max_value=2**62, required=False
    )
    action = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("all"))] + list(AuditEvent.Action.choices), required=False
    )
    subject = forms.CharField(label=_("What (contains)"), max_length=100, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date lies before the start date."))
        return cleaned

    def filter(self, events):
        data = self.cleaned_data
        if data.get("user"):
            events = events.filter(user=data["user"])
        if data.get("person"):
            events = events.filter(person_id=data["person"])
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("subject"):
            events = events.filter(subject__icontains=data["subject"])
        if data.get("date_from"):
            events = events.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(at__date__lte=data["date_to"])
        return events
