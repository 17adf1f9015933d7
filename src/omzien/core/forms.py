"""What the public forms have in common (asking for help, proposing an activity, saying
"ik doe mee"): a honeypot robots fill in, a phone number or an e-mail address to be
reached at, and yes/no questions such as the consent question.

Templates show a field with ``core/_field.html``; the honeypot sits in an element of the
class ``help-trap`` (out of sight: ``omzien/forms.css``).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.core.personal_data import EMAIL_MAX_LENGTH
from omzien.core.validators import normalise_phone_nl

YES, NO = "yes", "no"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]
INVALID_CHOICE = _("Choose one of the answers shown.")
REQUIRED_ANSWER = {"required": _("Please tick an answer."), "invalid_choice": INVALID_CHOICE}


def checkboxes(label, choices, required=False, **kwargs):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        error_messages={"required": _("Tick at least one."), "invalid_choice": INVALID_CHOICE},
        **kwargs,
    )


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by screen readers and the tab key);
    form-filling robots fill it in."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self):
        # Said above the form, not at the field nobody sees.
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This form could not be sent. Please try again."))
        return super().clean()


class ContactMixin(forms.Form):
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=EMAIL_MAX_LENGTH,
        error_messages={"invalid": _("This e-mail address is not complete.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone_nl(phone) if phone else ""

    def require_a_way_to_reach(self, cleaned) -> None:
        """A phone number or an e-mail address (unless one of them is wrong already)."""
        if cleaned.get("phone") or cleaned.get("email") or "phone" in self.errors:
            return
        if "email" not in self.errors:
            raise forms.ValidationError(
                _("Give a phone number or an e-mail address, so we can reach you.")
            )


def yes_no(label, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=REQUIRED_ANSWER,
        **kwargs,
    )


class ConsentQuestionMixin(forms.Form):
    """The consent question (its label the form's own): nothing is kept with a no."""

    consent = yes_no(_("May we keep what you filled in?"))

    @property
    def consent_refused(self) -> bool:
        return self.is_bound and self.data.get("consent") == NO
