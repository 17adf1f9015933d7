from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.api.models import AccessToken
from omzien.api.services import EXPIRY_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “tablet at the door”."),
    )
    scope = forms.ChoiceField(
        label=_("What it may do"), choices=AccessToken.Scope.choices, initial=AccessToken.Scope.READ
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(days, _("%(days)d days") % {"days": days}) for days in EXPIRY_DAYS],
        initial=EXPIRY_DAYS[1],
    )
