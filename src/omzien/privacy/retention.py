"""Retention: people not seen for OMZIEN_RETENTION_YEARS are forgotten (nightly), and a
help request's name, words and contact details OMZIEN_HELP_RETENTION_MONTHS after it
closed (or after it was asked, when nobody was ever found for it).

The consent questions promise it. Forgetting goes through ``privacy.forgetting``, so
their visits stay as anonymous counts and reports do not change.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.dates import shift_months
from omzien.helping.models import HelpOffer, HelpRequest
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


def help_cutoff(today: date | None = None) -> datetime:
    """Help requests closed before this moment are forgotten (the help consent's promise)."""
    today = today or timezone.localdate()
    day = shift_months(today, -settings.OMZIEN_HELP_RETENTION_MONTHS)
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def expired_help_requests(today: date | None = None):
    """Requests closed before the cutoff, or left without a helper (no match) since before
    it, whose personal data is still there."""
    cutoff = help_cutoff(today)
    return HelpRequest.objects.filter(contact_forgotten_at__isnull=True).filter(
        Q(closed_at__lt=cutoff)
        | Q(closed_at__isnull=True, status=HelpRequest.Status.NO_MATCH, created_at__lt=cutoff)
    )


def forget_closed_help(today: date | None = None, *, acting_user) -> int:
    """Empty the name, words and contact details of expired help requests (and of the
    notice board's offers for them); the rows stay as anonymous counts. One audit row with
    the count. Returns how many requests."""
    expired = list(expired_help_requests(today).values_list("pk", flat=True))
    if not expired:
        return 0
    requests = HelpRequest.objects.filter(pk__in=expired)
    count = requests.forget_personal_data()
    requests.update(contact_forgotten_at=timezone.now())
    HelpOffer.objects.filter(for_request__in=expired).forget_personal_data()
    record(
        acting_user,
        AuditEvent.Action.DELETE,
        SUBJECT,
        detail=f"help requests: personal data of {count} forgotten",
    )
    return count
