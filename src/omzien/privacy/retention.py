"""Retention: people not seen for OMZIEN_RETENTION_YEARS are forgotten (nightly).

The consent question promises it. Forgetting goes through ``privacy.forgetting``, so
their visits stay as anonymous counts and reports do not change.
"""

from datetime import date

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from omzien.people.models import Person
from omzien.privacy.forgetting import forget_people

SUBJECT = "retention"


def retention_cutoff(today: date | None = None) -> date:
    """People not seen since before this date are forgotten (the promise at registration)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - settings.OMZIEN_RETENTION_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - settings.OMZIEN_RETENTION_YEARS, day=28)


def inactive_people(today: date | None = None):
    """People whose last visit, or else their registration, lies before the cutoff."""
    cutoff = retention_cutoff(today)
    last_visit = Max("visits__session__date")
    return (
        Person.objects.annotate(last_visit=last_visit)
        .filter(Q(last_visit__lt=cutoff) | Q(last_visit__isnull=True, created_at__date__lt=cutoff))
        .order_by("pk")
    )


def forget_inactive_people(today: date | None = None, *, acting_user) -> tuple[int, int]:
    """Forget the people past the retention period; their visits stay as anonymous counts.

    Returns (people forgotten, visits made anonymous). The audit log keeps that it
    happened and how many, never who it was. ``acting_user``: ``permissions.SYSTEM`` for
    the nightly command.
    """
    people = list(inactive_people(today).values_list("pk", flat=True))
    forgotten = forget_people(people, acting_user=acting_user, subject=SUBJECT)
    return forgotten.people, forgotten["visits"]
