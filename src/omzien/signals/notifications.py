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
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.accounts import permissions
from omzien.accounts.models import Role
from omzien.accounts.permissions import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.places.models import Place

logger = logging.getLogger(__name__)


@dataclass
class MailResult:
    mailed: int = 0
    failed: int = 0
    without_address: int = 0


def signals_url() -> str:
    """The list's address for a mail, which has no request to build it from."""
    return settings.OMZIEN_SITE_URL + reverse("signals:list")


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
    lines = [not_picked_up_text(total, days), ""]
    lines += [f"- {name}: {count}" for name, count in per_place]
    lines += [
        "",
        _("Who they are about, and who picks them up, is on the signals page:"),
        signals_url(),
        "",
        _("This message names no one on purpose: names are only on the site, after logging in."),
    ]
    return subject, "\n".join(lines) + "\n"


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


def send_quietly(messages) -> tuple[int, int]:
    """Send over one connection; a mail server that is down must not stop the nightly run
    (the signals are saved and on the list): the log says so, without the addresses.
    Returns (sent, failed)."""
    connection = mail.get_connection()
    try:
        connection.open()
    except OSError:  # smtplib's errors are OSErrors too
        logger.exception("No connection to the mail server for %d escalation mails", len(messages))
        return 0, len(messages)
    sent = 0
    try:
        for message in messages:
            message.connection = connection
            try:
                sent += message.send()
            except OSError:
                logger.exception("An escalation mail could not be sent")
    finally:
        connection.close()
    return sent, len(messages) - sent
