"""The matching's input from the database: open requests, active offers, how busy each
offer is this month and who meets whom, as ``helping.matching`` dataclasses.

Five queries, whatever the numbers: the open requests (with village and person), the
active offers (likewise), the offers' own villages (the M2M table), the proposals that
count against each offer's monthly maximum (one grouped query) and the visits of the
people involved to the same activities in the last ``KNOWN_WEEKS`` (one grouped query).

**This month** is the calendar month in Europe/Amsterdam (``TIME_ZONE``). An offer's
``used_this_month`` counts its proposals still open (whenever made: they hold a place)
and those confirmed or done that were decided this month; declined ones do not count.

An offer made on the notice board for one request ("Ik help graag", ``for_request``) is
a candidate for that request only (``Capacity.only_for``).

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
from omzien.helping import matching
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
    return _inputs(HelpRequest.objects.open(), HelpOffer.objects.active(), now or timezone.now())


def _unrestricted(rows):
    """Requests or offers not of a person whose processing is restricted (AVG art. 18):
    such a person is kept, but never matched."""
    return rows.filter(Q(person__isnull=True) | Q(person__restricted_at__isnull=True))


def _inputs(requests, offers, now: datetime) -> MatchingInput:
    """The matching's input from these requests and offers, in a few queries; requests and
    offers of restricted people are left out."""
    requests, offers = _unrestricted(requests), _unrestricted(offers)
    needs, request_ids, request_people = _needs(requests)
    capacities, offer_ids, helper_people = _capacities(offers, now)
    known = _who_meets_whom(request_people, helper_people, now, _people_of(requests, offers))
    return MatchingInput(needs, capacities, known, request_ids, offer_ids)


def suggestions_for_request(
    help_request: HelpRequest, *, offers=None, limit: int | None = 10, now=None
) -> list[dict]:
    """The ranked helpers for one request (``matching.suggestions_for``) among the active
    offers (or those of ``offers``, a queryset), as dicts with ``offer_id``, ``score``,
    ``distance_km``, ``reasons`` (in words, the active language) and ``reason_codes``."""
    offers = HelpOffer.objects.active() if offers is None else offers.filter(active=True)
    found = _inputs(HelpRequest.objects.filter(pk=help_request.pk), offers, now or timezone.now())
    if not found.needs:
        return []
    ranked = matching.suggestions_for(found.needs[0], found.capacities, found.known, limit=limit)
    return [
        {
            "offer_id": found.offer_ids[proposal.capacity_ref],
            "score": proposal.score,
            "distance_km": proposal.distance_km,
            "reasons": matching.render_reasons(proposal.reasons),
            "reason_codes": [reason.as_json() for reason in proposal.reasons],
        }
        for proposal in ranked
    ]


def _capacities(offers, now: datetime):
    rows = _offer_rows(offers)
    offer_pks = offers.values("pk")  # a subquery: no list of ids to send
    used = _used_this_month(month_start(now), offer_pks)
    villages = _offer_villages(offer_pks)
    capacities, offer_ids, helper_people = [], {}, {}
    for row in rows:
        ref = offer_ref(row["pk"], row["ref"])
        key = _person_key(row)
        offer_ids[ref] = row["pk"]
        if key is not None:
            helper_people[row["person_id"]] = key
        capacities.append(
            Capacity(
                **_where_what_when(row, ref, key),
                max_km=row["max_km"],
                villages=frozenset(villages.get(row["pk"], ())),
                max_per_month=row["max_per_month"],
                used_this_month=used.get(row["pk"], 0),
                has_car=row["has_car"],
                only_for=(
                    None
                    if row["for_request_id"] is None
                    else request_ref(row["for_request_id"], row["for_request__ref"])
                ),
            )
        )
    return capacities, offer_ids, helper_people


PERSON_FIELDS = ("person_id", "person__ref")
VILLAGE_FIELDS = ("village__slug", "village__name", "village__latitude", "village__longitude")


def _where_what_when(row, ref: str, person_key: str | None) -> dict:
    """What a `Need` and a `Capacity` both hold, from a request's or an offer's row."""
    return {
        "ref": ref,
        "person_key": person_key,
        "village": row["village__slug"],
        "village_name": row["village__name"],
        "lat": float(row["village__latitude"]),
        "lon": float(row["village__longitude"]),
        "categories": frozenset(row["categories"] or ()),
        "days": frozenset(row["days"] or ()),
        "parts": frozenset(row["parts"] or ()),
    }


def _person_key(row) -> str | None:
    if row["person_id"] is None:
        return None
    return person_ref(row["person_id"], row["person__ref"])


def _needs(requests):
    rows = requests.order_by("created_at", "pk").values(
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
    needs, ids, people = [], {}, {}
    for row in rows:
        ref = request_ref(row["pk"], row["ref"])
        key = _person_key(row)
        ids[ref] = row["pk"]
        if key is not None:
            people[row["person_id"]] = key
        needs.append(
            Need(
                **_where_what_when(row, ref, key),
                urgency=row["urgency"],
                created=row["created_at"],
            )
        )
    return needs, ids, people


def _offer_rows(offers):
    return list(
        offers.order_by("pk").values(
            "pk",
            "ref",
            "categories",
            "days",
            "parts",
            "max_km",
            "max_per_month",
            "has_car",
            "for_request_id",
            "for_request__ref",
            *PERSON_FIELDS,
            *VILLAGE_FIELDS,
        )
    )


def _offer_villages(offer_pks) -> dict:
    villages: dict = {}
    through = HelpOffer.villages.through.objects.filter(helpoffer__in=offer_pks)
    for offer_id, slug in through.values_list("helpoffer_id", "village__slug"):
        villages.setdefault(offer_id, []).append(slug)
    return villages


def _used_this_month(since: datetime, offer_pks) -> dict:
    """offer pk -> proposals that hold a place this month (see the module's text)."""
    Status = HelpMatch.Status
    counted = Q(status=Status.PROPOSED) | Q(
        status__in=[Status.CONFIRMED, Status.DONE], decided_at__gte=since
    )
    rows = (
        HelpMatch.objects.filter(counted, offer__in=offer_pks)
        .values("offer_id")
        .annotate(count=Count("pk"))
        .values_list("offer_id", "count")
    )
    return dict(rows)


def _people_of(requests, offers) -> Q:
    """The visits of the people of these requests and offers (subqueries, no id lists)."""
    return Q(person_id__in=requests.values("person_id")) | Q(
        person_id__in=offers.values("person_id")
    )


def _who_meets_whom(request_people: dict, helper_people: dict, now: datetime, people: Q) -> dict:
    """(need person_ref, helper person_ref) -> the activity both came to most often."""
    if not request_people or not helper_people:
        return {}
    since = timezone.localdate(now) - timedelta(weeks=KNOWN_WEEKS)
    rows = (
        Visit.objects.filter(people, session__date__gte=since)
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
