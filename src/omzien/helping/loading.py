"""The matching's input from the database: open requests, active offers, how busy each
offer is this month and who meets whom, as ``helping.matching`` dataclasses.

Five queries, whatever the numbers: the open requests (with village and person), the
active offers (likewise), the offers' own villages (the M2M table), the proposals that
count against each offer's monthly maximum (one grouped query) and the visits of the
people involved to the same activities in the last ``KNOWN_WEEKS`` (one grouped query).

**This month** is the calendar month in Europe/Amsterdam (``TIME_ZONE``). An offer's
``used_this_month`` counts its proposals still open (whenever made: they hold a place)
and those confirmed or done that were decided this month; declined ones do not count.

**Who meets whom**: a requester and a helper who each came at least ``KNOWN_VISITS``
times to the same activity in the last ``KNOWN_WEEKS`` weeks know each other from it
(the activity both came to most often is named in the reason).

References: a request or offer is known outside Omzien by its ``ref``, else as
``omzien-vraag-<pk>`` / ``omzien-aanbod-<pk>``; a person by their person_ref
(``people.models.person_ref``). ``MatchingInput`` maps them back to primary keys.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from omzien.attendance.models import Visit
from omzien.helping.matching import Capacity, Need
from omzien.helping.models import HelpMatch, HelpOffer, HelpRequest
from omzien.people.models import person_ref

KNOWN_WEEKS = 13
KNOWN_VISITS = 2
REQUEST_PREFIX = "omzien-vraag-"
OFFER_PREFIX = "omzien-aanbod-"


def request_ref(pk: int, ref: str | None) -> str:
    return ref or f"{REQUEST_PREFIX}{pk}"


def offer_ref(pk: int, ref: str | None) -> str:
    return ref or f"{OFFER_PREFIX}{pk}"


@dataclass
class MatchingInput:
    needs: list[Need]
    capacities: list[Capacity]
    known: dict  # (need person_ref, helper person_ref) -> activity title
    request_ids: dict  # need ref -> HelpRequest pk
    offer_ids: dict  # capacity ref -> HelpOffer pk


def month_start(now: datetime | None = None) -> datetime:
    """The first moment of this calendar month in the site's time zone."""
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def load(*, now: datetime | None = None) -> MatchingInput:
    now = now or timezone.now()
    needs, request_ids, request_people = _needs()
    capacities_rows = _offer_rows()
    used = _used_this_month(month_start(now))
    villages = _offer_villages()
    capacities, offer_ids, helper_people = [], {}, {}
    for row in capacities_rows:
        ref = offer_ref(row["pk"], row["ref"])
        key = _person_key(row)
        offer_ids[ref] = row["pk"]
        if key is not None:
            helper_people[row["person_id"]] = key
        capacities.append(
            Capacity(
                ref=ref,
                person_key=key,
                village=row["village__slug"],
                lat=float(row["village__latitude"]),
                lon=float(row["village__longitude"]),
                categories=frozenset(row["categories"] or ()),
                days=frozenset(row["days"] or ()),
                parts=frozenset(row["parts"] or ()),
                max_km=row["max_km"],
                villages=frozenset(villages.get(row["pk"], ())),
                max_per_month=row["max_per_month"],
                used_this_month=used.get(row["pk"], 0),
                has_car=row["has_car"],
                village_name=row["village__name"],
            )
        )
    known = _who_meets_whom(request_people, helper_people, now)
    return MatchingInput(needs, capacities, known, request_ids, offer_ids)


PERSON_FIELDS = ("person_id", "person__ref")
VILLAGE_FIELDS = ("village__slug", "village__name", "village__latitude", "village__longitude")


def _person_key(row) -> str | None:
    if row["person_id"] is None:
        return None
    return person_ref(row["person_id"], row["person__ref"])


def _needs():
    rows = (
        HelpRequest.objects.open()
        .order_by("created_at", "pk")
        .values(
            "pk",
            "ref",
            "categories",
            "days",
            "parts",
            "urgency",
            "created_at",
            *PERSON_FIELDS,
            *VILLAGE_FIELDS,
        )
    )
    needs, ids, people = [], {}, {}
    for row in rows:
        ref = request_ref(row["pk"], row["ref"])
        key = _person_key(row)
        ids[ref] = row["pk"]
        if key is not None:
            people[row["person_id"]] = key
        needs.append(
            Need(
                ref=ref,
                person_key=key,
                village=row["village__slug"],
                lat=float(row["village__latitude"]),
                lon=float(row["village__longitude"]),
                categories=frozenset(row["categories"] or ()),
                days=frozenset(row["days"] or ()),
                parts=frozenset(row["parts"] or ()),
                urgency=row["urgency"],
                created=row["created_at"],
                village_name=row["village__name"],
            )
        )
    return needs, ids, people


def _offer_rows():
    return list(
        HelpOffer.objects.active()
        .order_by("pk")
        .values(
            "pk",
            "ref",
            "categories",
            "days",
            "parts",
            "max_km",
            "max_per_month",
            "has_car",
            *PERSON_FIELDS,
            *VILLAGE_FIELDS,
        )
    )


def _offer_villages() -> dict:
    villages: dict = {}
    through = HelpOffer.villages.through.objects.filter(helpoffer__active=True)
    for offer_id, slug in through.values_list("helpoffer_id", "village__slug"):
        villages.setdefault(offer_id, []).append(slug)
    return villages


def _used_this_month(since: datetime) -> dict:
    """offer pk -> proposals that hold a place this month (see the module's text)."""
    Status = HelpMatch.Status
    counted = Q(status=Status.PROPOSED) | Q(
        status__in=[Status.CONFIRMED, Status.DONE], decided_at__gte=since
    )
    rows = (
        HelpMatch.objects.filter(counted, offer__active=True)
        .values("offer_id")
        .annotate(count=Count("pk"))
        .values_list("offer_id", "count")
    )
    return dict(rows)


def _who_meets_whom(request_people: dict, helper_people: dict, now: datetime) -> dict:
    """(need person_ref, helper person_ref) -> the activity both came to most often."""
    if not request_people or not helper_people:
        return {}
    since = timezone.localdate(now) - timedelta(weeks=KNOWN_WEEKS)
    rows = (
        Visit.objects.filter(
            person_id__in=set(request_people) | set(helper_people), session__date__gte=since
        )
        .values("person_id", "session__activity_id", "session__activity__title")
        .annotate(visits=Count("pk"))
        .filter(visits__gte=KNOWN_VISITS)
        .values_list("person_id", "session__activity_id", "session__activity__title", "visits")
    )
    by_activity: dict = {}
    titles: dict = {}
    for person_id, activity_id, title, visits in rows:
        by_activity.setdefault(activity_id, []).append((person_id, visits))
        titles[activity_id] = title
    best: dict = {}
    for activity_id, visitors in by_activity.items():
        askers = [(p, v) for p, v in visitors if p in request_people]
        helpers = [(p, v) for p, v in visitors if p in helper_people]
        for asker, asker_visits in askers:
            for helper, helper_visits in helpers:
                if asker == helper:
                    continue
                key = (request_people[asker], helper_people[helper])
                together = min(asker_visits, helper_visits)
                if key not in best or together > best[key][0]:
                    best[key] = (together, titles[activity_id])
    return {key: title for key, (_together, title) in best.items()}
