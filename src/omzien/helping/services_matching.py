"""Storing the batch proposal: ``omzien match --save``.

Each proposal goes through ``helping.services.propose`` (access, the request's move to
"voorgesteld" with its event, the audit row), as a coordinator's proposal does, with
its score, distance and reasons in words (the site's language: the help pages show
``HelpMatch.reasons`` as they are). ``proposed_by`` stays empty for ``SYSTEM``: the
batch. All proposals in one transaction; a request that is no longer open, or an offer
no longer active, by the time they are saved is skipped.
"""

from dataclasses import dataclass

from django.db import transaction

from omzien.helping import services
from omzien.helping.loading import MatchingInput
from omzien.helping.matching import Proposal, render_reasons
from omzien.helping.models import HelpOffer, HelpRequest


@dataclass
class SaveResult:
    saved: int = 0
    skipped: int = 0


@transaction.atomic
def save_proposals(
    proposals: list[Proposal], matching_input: MatchingInput, *, acting_user
) -> SaveResult:
    request_ids = [matching_input.request_ids[p.need_ref] for p in proposals]
    offer_ids = [matching_input.offer_ids[p.capacity_ref] for p in proposals]
    requests = HelpRequest.objects.open().in_bulk(request_ids)
    offers = HelpOffer.objects.active().in_bulk(offer_ids)
    result = SaveResult()
    for proposal, request_id, offer_id in zip(proposals, request_ids, offer_ids, strict=True):
        help_request, offer = requests.get(request_id), offers.get(offer_id)  # nosec B113  # a dict, not requests
        if help_request is None or offer is None:
            result.skipped += 1
            continue
        services.propose(
            help_request,
            offer,
            acting_user=acting_user,
            score=proposal.score,
            distance_km=proposal.distance_km,
            reasons=render_reasons(proposal.reasons),
        )
        result.saved += 1
    return result
