from django.conf import settings
from django.db import models

from omzien.core.validators import normalise_postcode


class PostcodeField(models.CharField):
    """A Dutch postcode, stored as '1234 AB' whichever way it was typed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 7)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalise_postcode(value)


def recorded_by(label):
    """Who wrote a row down: kept when the account goes (the row stays, the name empties),
    and no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )
