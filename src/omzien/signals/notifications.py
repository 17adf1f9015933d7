"""Telling the professionals that signals wait: one mail per professional per nightly run.

The mail names nobody and says nothing about why: only how many signals wait at which
places, and the link to the list. Names and reasons stay behind the log-in, where every
view is audit-logged; a mailbox is not.
"""

import logging
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.accounts import permissions
from omzien.accounts.models import Role
from omzien.accounts.permissions import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.core.mail import counts_and_link, send_quietly, site_url
from omzien.places.models import Place

logger = logging.getLogger(__name__)


@dataclass
class MailResult:
    mailed: int = 0
    failed: int = 0
    without_address: int = 0


def signals_url() -> str:
    """The list's address for a mail, which has no request to build it from."""
    return site_url("signals:list")


def not_picked_up_text(count: int, days: int) -> str:
    """The one sentence of the mail and of the notice on the list page."""
    return ngettext(
        "%(count)d signal was not picked up within %(days)d days.",
        "%(count)d signals were not picked up within %(days)d days.",
        count,
    ) % {"count": count, "days": days}


def professionals():
    """The active users with a professional membership (helping's escalation mails them too)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=Role.PROFESSIONAL)
        .distinct()
        .order_by("pk")
    )


def escalation_message(per_place: list[tuple[str, int]], days: int) -> tuple[str, str]:
    """Subject and body: counts per place and the link, never a person."""
    total = sum(count for _name, count in per_place)
    subject = ngettext(
        "Omzien: %(count)d signal waits for someone to pick it up",
        "Omzien: %(count)d signals wait for someone to pick them up",
        total,
    ) % {"count": total}
    body = counts_and_link(
        not_picked_up_text(total, days),
        per_place,
        _("Who they are about, and who picks them up, is on the signals page:"),
        signals_url(),
    )
    return subject, body


def send_escalation_mails(escalated: Counter, days: int) -> MailResult:
    """Mail each professional with an address how many of ``escalated`` (signals per
    place id) are at the places they follow up, in the site's language; log the sending."""
    result = MailResult()
    names = dict(Place.objects.filter(pk__in=escalated).values_list("pk", "name"))
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in professionals():
            places = permissions.places_for_user(user, Capability.FOLLOW_UP).filter(
                pk__in=escalated
            )
            per_place = sorted(
                (names[place_id], escalated[place_id])
                for place_id in places.values_list("pk", flat=True)
            )
            if not per_place:
                continue
            if not user.email.strip():
                result.without_address += 1
                continue
            subject, body = escalation_message(per_place, days)
            messages.append(mail.EmailMessage(subject, body, to=[user.email.strip()]))
    if messages:
        result.mailed, result.failed = send_quietly(messages)
    record(
        None,
        AuditEvent.Action.CREATE,
        "signals (escalation mail)",
        detail=(
            f"{sum(escalated.values())} escalated signals at {len(escalated)} places: "
            f"{result.mailed} professionals mailed, {result.failed} failed, "
            f"{result.without_address} without an e-mail address"
        ),
    )
    return result
