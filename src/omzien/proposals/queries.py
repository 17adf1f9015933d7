"""Reading proposed activities for the pages."""

from django.db.models import Count, Q

from omzien.accounts import permissions
from omzien.proposals.models import Proposal
from omzien.proposals.services import activity_places, interest_counts


def board():
    """The public board: approved and open, newest first, with how many joined."""
    return (
        Proposal.objects.on_board()
        .select_related("village")
        .annotate(joined=Count("interests"))
        .order_by("-decided_at", "-pk")
    )


def staff_list(user, *, closed: bool = False):
    """The proposals the user handles: waiting first, then on the board (or the closed
    ones), audit-logged (the list shows first names)."""
    proposals = permissions.proposals_for_user(user, reading="proposals")
    proposals = proposals.filter(closed_at__isnull=not closed)
    return (
        proposals.select_related("village")
        .annotate(
            joined=Count("interests"),
            waiting=Count("pk", filter=Q(status=Proposal.Status.WAITING)),
        )
        .order_by("-waiting", "-created_at", "-pk")
    )


def staff_page(user, proposal: Proposal) -> dict:
    return {
        "proposal": proposal,
        "places": proposal.places.order_by("name"),
        "interests": proposal.interests.all(),
        "counts": interest_counts(proposal),
        "threshold": proposal.village.region.proposal_threshold,
        "may_start": activity_places(user).exists(),
    }
