"""The nightly step of ``omzien forget_inactive_people`` for proposed activities: open
proposals older than ``OMZIEN_PROPOSAL_STALE_MONTHS`` expire and forget their contact
details (closed ones forgot them when they closed)."""

from django.utils.translation import gettext_lazy as _

from omzien.privacy.retention import retention_step
from omzien.proposals.services import expire_stale


@retention_step(
    _("%(count)d proposed activities open too long expired; they hold no contact details now.")
)
def expire_stale_proposals(today=None, *, acting_user) -> int:
    return expire_stale(today, acting_user=acting_user)
