"""Help between residents: asked, matched, done, how it went, offered, and both ways.

Requests and offers belong to a village (where help is needed, where the helper lives),
not to a meeting place, so these figures exist for the villages and the region only. Days
are local dates (Europe/Amsterdam) of the moments stored:

help_requests
    Requests made in the period (``created_at``).
help_matched
    Requests that got a helper in the period: the first proposal of the request that was
    confirmed (``HelpMatch`` confirmed, or done since), on the day it was decided. A
    connected request can only be done or cancelled afterwards, so a request is matched
    once.
help_done
    Requests completed in the period (status done, by ``closed_at``).
help_feedback_good, help_feedback_fair, help_feedback_not_good
    "Hoe ging het?": the answers given in the period, one per side (the one who asked,
    the helper), by the request's village.
help_offers
    Offers of help made in the period (``created_at``), by the helper's village.
people_gave_and_received
    Different people with a request made in the period who also offered help (an offer
    made on or before the day the figures were made, in any village): "everyone both
    gives and receives".

Forgetting (erasure, or retention after ``OMZIEN_HELP_RETENTION_MONTHS``) keeps requests,
offers, proposals, their states and dates and the "hoe ging het" answers as anonymous
rows, so all counts but the last keep them; a forgotten request or offer has no person
any more and so no longer counts in ``people_gave_and_received``, nor do requests made
without a known person (on the public site).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.helping.models import HelpFeedback, HelpMatch, HelpOffer, HelpRequest
from omzien.reports.counting import YearCounter, day_numbers, ids
from omzien.reports.cube import Adds, Cube, GroupKind, Unit, measure

SECTION = "help"
LEVELS = (GroupKind.REGION, GroupKind.VILLAGE)

FEEDBACK_MEASURES = {
    HelpFeedback.Answer.GOOD: "help_feedback_good",
    HelpFeedback.Answer.FAIR: "help_feedback_fair",
    HelpFeedback.Answer.NOT_GOOD: "help_feedback_not_good",
}

measure("help_requests", _("Help requests"), SECTION, Unit.PEOPLE, levels=LEVELS)
measure(
    "help_matched",
    _("Requests matched with a helper"),
    SECTION,
    Unit.PEOPLE,
    levels=LEVELS,
)
measure("help_done", _("Requests completed"), SECTION, Unit.PEOPLE, levels=LEVELS)
measure("help_feedback_good", _("How did it go: good"), SECTION, Unit.PEOPLE, levels=LEVELS)
measure("help_feedback_fair", _("How did it go: fair"), SECTION, Unit.PEOPLE, levels=LEVELS)
measure("help_feedback_not_good", _("How did it go: not good"), SECTION, Unit.PEOPLE, levels=LEVELS)
measure("help_offers", _("Offers of help"), SECTION, Unit.PEOPLE, levels=LEVELS)
measure(
    "people_gave_and_received",
    _("People who both asked and offered help"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.UNION,
    over_periods=Adds.UNION,
    levels=LEVELS,
)


def compute(cube: Cube) -> None:
    counter = YearCounter(cube.groups, cube.year)
    start, end = _year_moments(cube.year)
    _requests(cube, counter, start, end)
    _matched(cube, counter, start, end)
    _done(cube, counter, start, end)
    _feedback(cube, counter, start, end)
    _offers(cube, counter, start, end)


def _year_moments(year: int) -> tuple[datetime, datetime]:
    """A day around the year, so that every local day of it is inside."""
    zone = timezone.get_current_timezone()
    return (
        datetime(year, 1, 1, tzinfo=zone) - timedelta(days=1),
        datetime(year + 1, 1, 1, tzinfo=zone) + timedelta(days=1),
    )


def _local_days(moments) -> np.ndarray:
    return day_numbers(timezone.localtime(moment).date() for moment in moments)


def _count(cube, counter, name, rows, **options) -> None:
    """``rows`` are (village id, moment, ...); counted on the moment's local day."""
    levels = counter.village_rows(ids(row[0] for row in rows))
    days = _local_days(row[1] for row in rows)
    cube.values.update(counter.count(name, levels, days, **options))


def _requests(cube, counter, start, end) -> None:
    rows = list(
        HelpRequest.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "village_id", "created_at", "person_id"
        )
    )
    _count(cube, counter, "help_requests", rows)
    givers = set(
        HelpOffer.objects.filter(
            person__isnull=False, created_at__lt=_day_after(cube.as_of)
        ).values_list("person_id", flat=True)
    )
    people = ids(row[2] for row in rows)
    gave = np.array([int(person) in givers for person in people], dtype=bool)
    _count(cube, counter, "people_gave_and_received", rows, people=people, where=gave)


def _day_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time()).replace(
        tzinfo=timezone.get_current_timezone()
    )


def _matched(cube, counter, start, end) -> None:
    accepted = [HelpMatch.Status.CONFIRMED, HelpMatch.Status.DONE]
    first = (
        HelpMatch.objects.filter(status__in=accepted, decided_at__isnull=False)
        .values("request_id", "request__village_id")
        .annotate(first=Min("decided_at"))
        .filter(first__gte=start, first__lt=end)
        .values_list("request__village_id", "first")
    )
    _count(cube, counter, "help_matched", list(first))


def _done(cube, counter, start, end) -> None:
    rows = HelpRequest.objects.filter(
        status=HelpRequest.Status.DONE, closed_at__gte=start, closed_at__lt=end
    ).values_list("village_id", "closed_at")
    _count(cube, counter, "help_done", list(rows))


def _feedback(cube, counter, start, end) -> None:
    rows = list(
        HelpFeedback.objects.filter(at__gte=start, at__lt=end).values_list(
            "request__village_id", "at", "answer"
        )
    )
    answers = np.array([row[2] for row in rows], dtype=object)
    for answer, name in FEEDBACK_MEASURES.items():
        _count(cube, counter, name, rows, where=answers == answer.value)


def _offers(cube, counter, start, end) -> None:
    rows = HelpOffer.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
        "village_id", "created_at"
    )
    _count(cube, counter, "help_offers", list(rows))
