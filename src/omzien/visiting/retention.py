"""The nightly step of ``omzien forget_inactive_people`` for visits between places: who
came is only needed around the visit, so the first names in the answers go
``NAMES_KEPT_MONTHS`` after the visit's day; the count stays."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.dates import shift_months
from omzien.privacy.retention import SUBJECT, retention_step
from omzien.visiting.models import InvitedPlace

NAMES_KEPT_MONTHS = 3


@retention_step(_("%(count)d answers to invitations forgot who came; their counts stay."))
def forget_who_came(today=None, *, acting_user) -> int:
    cutoff = shift_months(today or timezone.localdate(), -NAMES_KEPT_MONTHS)
    answers = InvitedPlace.objects.filter(invitation__date__lt=cutoff).exclude(names="")
    count = answers.update(names="")
    if count:
        record(
            acting_user,
            AuditEvent.Action.DELETE,
            SUBJECT,
            detail=f"answers to invitations: names of {count} forgotten",
        )
    return count
