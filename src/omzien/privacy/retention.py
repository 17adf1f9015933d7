"""Retention: people not seen for OMZIEN_RETENTION_YEARS are forgotten (nightly), and a
help request's name, words and contact details OMZIEN_HELP_RETENTION_MONTHS after it
closed (or after it was asked, when nobody was ever found for it).

The consent questions promise it. Forgetting goes through ``privacy.forgetting``, so
their visits stay as anonymous counts and reports do not change.

Rows that hold a resident's words and contact details without being a person (a help
request, a proposed activity and who said "ik doe mee") forget them in place through
`forget_contact_data`: emptied, marked ``contact_forgotten_at``, one audit row with the
count. An app above this one that keeps such rows registers a nightly step with
`@retention_step(message)`; ``omzien forget_inactive_people`` runs every step. The
one-time links to one's own questionnaire answers are a step registered here (wellbeing
is below privacy and cannot register itself).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.dates import shift_months
from omzien.helping.models import HelpOffer, HelpRequest
from omzien.people.models import Person
from omzien.privacy.forgetting import forget_people
from omzien.wellbeing.services import forget_stale_viewings

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


def forget_contact_data(rows, *, acting_user, what: str, along=None) -> int:
    """Empty the personal fields of ``rows`` (a `core.personal_data.ForgettingQuerySet` of
    a model with ``contact_forgotten_at``) not forgotten yet, and mark when. ``along(pks)``
    gives the querysets of rows that belong to them and go too (offers for a request, the
    interest in a proposal). One audit row (``what``: a plural noun) with the count, never
    who; nothing written when there is nothing to forget. Returns how many rows."""
    pks = list(rows.filter(contact_forgotten_at__isnull=True).values_list("pk", flat=True))
    if not pks:
        return 0
    chosen = rows.model._default_manager.filter(pk__in=pks)
    count = chosen.forget_personal_data()
    chosen.update(contact_forgotten_at=timezone.now())
    for belonging in along(pks) if along else ():
        belonging.forget_personal_data()
    record(
        acting_user,
        AuditEvent.Action.DELETE,
        SUBJECT,
        detail=f"{what}: personal data of {count} forgotten",
    )
    return count


def forget_closed_help(today: date | None = None, *, acting_user) -> int:
    """Empty the name, words and contact details of expired help requests (and of the
    notice board's offers for them); the rows stay as anonymous counts. One audit row with
    the count. Returns how many requests."""
    return forget_contact_data(
        expired_help_requests(today),
        acting_user=acting_user,
        what="help requests",
        along=lambda pks: [HelpOffer.objects.filter(for_request__in=pks)],
    )


@dataclass(frozen=True)
class RetentionStep:
    # What the command says afterwards, with %(count)d (a lazy translation).
    message: str
    run: Callable[..., int]  # run(today, *, acting_user) -> how many rows forgot


_retention_steps: list[RetentionStep] = []


def retention_step(message):
    """Register ``function(today, *, acting_user) -> count`` as a nightly retention step."""

    def register(function):
        if all(step.run is not function for step in _retention_steps):
            _retention_steps.append(RetentionStep(message, function))
        return function

    return register


def run_retention_steps(today: date | None = None, *, acting_user) -> list[tuple[str, int]]:
    """Every registered step, in the order they registered: (message, count) each."""
    return [(step.message, step.run(today, acting_user=acting_user)) for step in _retention_steps]


@retention_step(
    gettext_lazy("%(count)d links to one's own questionnaire answers, expired, were deleted.")
)
def forget_old_answer_links(today=None, *, acting_user) -> int:
    """The one-time links to one's own answers past their lifetime (opened or not)."""
    return forget_stale_viewings()
