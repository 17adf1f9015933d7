"""Storing the batch proposal: ``omzien match --save``.

Each proposal becomes a ``HelpMatch`` "voorgesteld" (``proposed_by`` empty: the batch)
with its score, distance and reasons (``Reason.as_json``: codes and parameters, said in
the reader's language by ``matching.render_reasons``), and its request moves to
"voorgesteld" with a ``HelpEvent``. Only the server's commands run the batch
(``permissions.SYSTEM``); a coordinator proposes one helper at a time through the help
pages. A request that is no longer open, or an offer no longer active, by the time the
proposals are saved is skipped. One transaction, one audit row per proposal.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from omzien.accounts import permissions
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.helping.loading import MatchingInput
from omzien.helping.matching import Proposal
from omzien.helping.models import HelpEvent, HelpMatch, HelpOffer, HelpRequest

NOTE = "omzien match"


@dataclass
class SaveResult:
    saved: int = 0
    skipped: int = 0


@transaction.atomic
def save_proposals(
    proposals: list[Proposal], matching_input: MatchingInput, *, acting_user
) -> SaveResult:
    if acting_user is not permissions.SYSTEM:
        raise PermissionDenied
    request_ids = [matching_input.request_ids[p.need_ref] for p in proposals]
    offer_ids = [matching_input.offer_ids[p.capacity_ref] for p in proposals]
    requests = HelpRequest.objects.open().select_for_update().in_bulk(request_ids)
    offers = HelpOffer.objects.active().in_bulk(offer_ids)
    result = SaveResult()
    now = timezone.now()
    matches, events = [], []
    for proposal, request_id, offer_id in zip(proposals, request_ids, offer_ids, strict=True):
        help_request, offer = requests.get(request_id), offers.get(offer_id)
        if help_request is None or offer is None:
            result.skipped += 1
            continue
        matches.append(
            HelpMatch(
                request=help_request,
                offer=offer,
                status=HelpMatch.Status.PROPOSED,
                score=proposal.score,
                distance_km=proposal.distance_km,
                reasons=[reason.as_json() for reason in proposal.reasons],
                proposed_by=None,
            )
        )
        events.append(
            HelpEvent(
                request=help_request,
                from_status=help_request.status,
                to_status=HelpRequest.Status.PROPOSED,
                by=None,
                at=now,
                note=NOTE,
            )
        )
        help_request.status = HelpRequest.Status.PROPOSED
        record(
            acting_user,
            AuditEvent.Action.CREATE,
            "help proposal",
            person=help_request.person,
            detail=f"#{help_request.pk} offer #{offer.pk} ({NOTE})",
        )
        result.saved += 1
    HelpMatch.objects.bulk_create(matches, batch_size=1000)
    HelpEvent.objects.bulk_create(events, batch_size=1000)
    HelpRequest.objects.bulk_update(
        [event.request for event in events], ["status"], batch_size=1000
    )
    return result
