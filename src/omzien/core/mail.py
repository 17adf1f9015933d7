"""Mail: sending without stopping a run, the notices that count and link but never name,
and the demo's backend.

Notices to staff (signals and help requests that wait, a proposed activity many people
want) say only how many, where, and the link: names stay behind the log-in, where every
view is audit-logged; a mailbox is not (`counts_and_link`). `send_quietly` sends them
over one connection; a mail server that is down is logged, never raised.

The demo's backend prints mails to standard error: Django's console backend prints to
standard output, where ``omzien signals --format json`` writes its JSON.
"""

import logging
import sys

from django.conf import settings
from django.core import mail
from django.core.mail.backends import console
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def site_url(name: str, *args) -> str:
    """A page's full address for a mail, which has no request to build it from."""
    return settings.OMZIEN_SITE_URL + reverse(name, args=args)


def counts_and_link(lead: str, counts: list[tuple[str, int]], link_intro: str, url: str) -> str:
    """A notice's body: one sentence, the counts (``- label: n``), the link, and the
    sentence that says why nobody is named."""
    lines = [lead, ""]
    lines += [f"- {label}: {count}" for label, count in counts]
    lines += ["", link_intro, url, ""]
    lines.append(
        _("This message names no one on purpose: names are only on the site, after logging in.")
    )
    return "\n".join(lines) + "\n"


def send_quietly(messages) -> tuple[int, int]:
    """Send over one connection; a mail server that is down must not stop a nightly run or
    a form (what the mail is about is saved and on the site): the log says so, without the
    addresses. Returns (sent, failed)."""
    messages = list(messages)
    if not messages:
        return 0, 0
    connection = mail.get_connection()
    try:
        connection.open()
    except OSError:  # smtplib's errors are OSErrors too
        logger.exception("No connection to the mail server for %d notices", len(messages))
        return 0, len(messages)
    sent = 0
    try:
        for message in messages:
            message.connection = connection
            try:
                sent += message.send()
            except OSError:
                logger.exception("A notice could not be sent")
    finally:
        connection.close()
    return sent, len(messages) - sent


class StderrEmailBackend(console.EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(*args, **kwargs)
