"""Choices more than one app asks residents about: days of the week and parts of the day
(help requests and offers, proposed activities). Stored as JSON lists of these values (the
help file's words), so SQLite and PostgreSQL store them alike."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Day(models.TextChoices):
    MONDAY = "ma", _("Monday")
    TUESDAY = "di", _("Tuesday")
    WEDNESDAY = "wo", _("Wednesday")
    THURSDAY = "do", _("Thursday")
    FRIDAY = "vr", _("Friday")
    SATURDAY = "za", _("Saturday")
    SUNDAY = "zo", _("Sunday")


class PartOfDay(models.TextChoices):
    MORNING = "ochtend", _("morning")
    AFTERNOON = "middag", _("afternoon")
    EVENING = "avond", _("evening")


def labels(choices, values) -> list[str]:
    """The labels of stored values in the choices' order (unknown values left out)."""
    chosen = set(values or ())
    return [str(label) for value, label in choices.choices if value in chosen]
