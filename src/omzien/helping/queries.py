"""Reads about help shared by the pages: the board, the coordinators' lists, a request's
page with its suggestions, the call list, and what a person gave and received."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from omzien.accounts import permissions
from omzien.helping.loading import suggestions_for_request
from omzien.helping.models import HelpMatch, HelpOffer, HelpRequest

Status = HelpRequest.Status
WAITING = [Status.NEW, Status.NO_MATCH]


# --- The public notice board -------------------------------------------------------------------


def _board():
    return HelpRequest.objects.filter(on_board=True, status__in=WAITING, closed_at__isnull=True)


def board_requests():
    """What the board shows of approved waiting requests: category, village, when, and a
    first name only when the asker agreed to keeping their data."""
    return _board().select_related("village").order_by("-created_at", "-pk")


def board_request(help_request_id) -> HelpRequest:
    return permissions.one_of(_board().select_related("village", "place"), help_request_id)


# --- The coordinators' pages ------------------------------------------------------------------


def coordinator_list(user, *, closed: bool = False):
    """The user's requests, open ones (oldest first, escalated first) or closed ones."""
    requests = permissions.help_requests_for_user(
        user, reading="help request list", detail="closed" if closed else "open"
    ).select_related("village", "place")
    requests = requests.annotate(
        open_proposals=Count("matches", filter=Q(matches__status=HelpMatch.Status.PROPOSED)),
        board_offer_count=Count("board_offers", distinct=True),
    )
    if closed:
        return requests.filter(closed_at__isnull=False).order_by("-closed_at", "-pk")[:500]
    return requests.filter(closed_at__isnull=True).order_by("created_at", "pk")


def offer_list(user):
    return (
        permissions.help_offers_for_user(user, reading="help offer list")
        .select_related("village", "place")
        .prefetch_related("villages")
        .order_by("-active", "first_name", "pk")
    )


@dataclass
class Suggestion:
    """A ranked helper for a request, with the reasons in words (from helping.matching)."""

    offer: HelpOffer
    score: float = 0.0
    distance_km: float | None = None
    reasons: list[str] = field(default_factory=list)


def _as_suggestion(found, offers: dict[int, HelpOffer]) -> Suggestion | None:
    """One item of the matching's answer (an object or a dict with ``offer`` or
    ``offer_id``, ``score``, ``distance_km``, ``reasons``) as a Suggestion, if the offer is
    one the user may propose."""

    def get(name, default=None):
        return (
            found.get(name, default) if isinstance(found, dict) else getattr(found, name, default)
        )

    offer = get("offer")
    offer_id = getattr(offer, "pk", offer) if offer is not None else get("offer_id")
    if offer_id not in offers:
        return None
    return Suggestion(
        offer=offers[offer_id],
        score=float(get("score", 0.0) or 0.0),
        distance_km=get("distance_km"),
        reasons=[str(reason) for reason in get("reasons", []) or []],
    )


def suggestions(user, help_request: HelpRequest) -> list[Suggestion]:
    """The matching's ranked suggestions for the request (``helping.loading``
    ``.suggestions_for_request``), among the offers the user may propose."""
    if help_request.status not in WAITING + [Status.PROPOSED]:
        return []
    offers_in_reach = permissions.help_offers(user).active()
    offers = {offer.pk: offer for offer in offers_in_reach.select_related("village")}
    already = set(
        help_request.matches.filter(
            status__in=[HelpMatch.Status.PROPOSED, HelpMatch.Status.CONFIRMED]
        ).values_list("offer_id", flat=True)
    )
    found_offers = suggestions_for_request(help_request, offers=offers_in_reach)
    ranked = (_as_suggestion(found, offers) for found in found_offers)
    return [found for found in ranked if found is not None and found.offer.pk not in already]


def suggestion_for(user, help_request: HelpRequest, help_offer: HelpOffer) -> Suggestion | None:
    return next((s for s in suggestions(user, help_request) if s.offer.pk == help_offer.pk), None)


def offers_to_propose(user, help_request: HelpRequest):
    """Proposing by hand: the user's active offers, those sharing a category first."""
    shared = set(help_request.categories)
    offers = list(
        permissions.help_offers(user)
        .active()
        .select_related("village")
        .order_by("first_name", "pk")
    )
    return sorted(offers, key=lambda offer: not shared.intersection(offer.categories))


def request_page(user, help_request: HelpRequest) -> dict:
    return {
        "request_": help_request,
        "events": help_request.events.select_related("by"),
        "matches": help_request.matches.select_related(
            "offer__village", "proposed_by", "decided_by"
        ),
        "suggestions": suggestions(user, help_request),
        "offers": offers_to_propose(user, help_request),
        "board_offers": help_request.board_offers.select_related("village"),
        "feedback": help_request.feedback.select_related("recorded_by"),
        "waiting": help_request.status in WAITING,
    }


# --- The call list ------------------------------------------------------------------------------


def call_list(user) -> dict:
    """Whom to call: helpers to ask about a proposal (told only what, where and a first
    name), and pairs who agreed, to put in touch. The look is audit-logged."""
    matches = permissions.help_matches_for_user(user, reading="help call list").select_related(
        "request__village", "offer__village", "request__place"
    )
    return {
        "to_propose": matches.filter(status=HelpMatch.Status.PROPOSED).order_by("created_at", "pk"),
        "to_connect": matches.filter(
            status=HelpMatch.Status.CONFIRMED, request__status=Status.CONNECTED
        ).order_by("decided_at", "pk"),
    }


# --- A person's page: everyone gives and receives ------------------------------------------------


def given_and_received(person) -> dict:
    """What a person helped with and was helped with, in words: never a count or a score."""
    received = person.help_requests.filter(status__in=[Status.CONNECTED, Status.DONE]).order_by(
        "-created_at"
    )
    asked = person.help_requests.filter(closed_at__isnull=True).exclude(status=Status.CONNECTED)
    given = (
        HelpMatch.objects.filter(
            offer__person=person, status__in=[HelpMatch.Status.CONFIRMED, HelpMatch.Status.DONE]
        )
        .select_related("request")
        .order_by("-created_at")
    )
    return {
        "received": received,
        "asked": asked.order_by("-created_at"),
        "given": given,
        "offers": person.help_offers.filter(active=True).order_by("-created_at"),
    }
