"""The staff log-in form: Django's own, with fields that suit a tablet at the door."""

from django.contrib.auth.forms import AuthenticationForm


class DoorAuthenticationForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No capitals or corrections forced on a user name by a tablet keyboard.
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
