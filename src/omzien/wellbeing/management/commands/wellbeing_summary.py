"""``omzien wellbeing_summary [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--instrument djg6]
[--format text|json]``: paired change from baseline to repeat per place, village and the
region (repeats taken in the period), never for fewer people than ``OMZIEN_MIN_CELL``.
The read is audit-logged."""

import json
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import SYSTEM
from omzien.audit.models import AuditEvent
from omzien.audit.services import record
from omzien.wellbeing.analysis import wellbeing_summary
from omzien.wellbeing.instruments import INSTRUMENTS


def parse_day(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("--%(name)s '%(text)s' is not a date: write it as YYYY-MM-DD.")
            % {"name": name, "text": text}
        ) from None


class Command(BaseCommand):
    help = "Paired change in loneliness from baseline to repeat, in aggregate."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start")
        parser.add_argument("--to", dest="end")
        parser.add_argument("--instrument", default="djg6")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, start, end, instrument, format, **options):
        start, end = parse_day(start, "from"), parse_day(end, "to")
        if start and end and start > end:
            raise CommandError(_("--from lies after --to."))
        loneliness = [code for code, data in INSTRUMENTS.items() if data.loneliness]
        if instrument not in loneliness:
            raise CommandError(
                _("Unknown instrument '%(name)s': choose from %(choices)s.")
                % {"name": instrument, "choices": ", ".join(loneliness)}
            )
        places = permissions.wellbeing_places_for_user(SYSTEM)
        summaries = wellbeing_summary(places, instrument=instrument, start=start, end=end)
        record(
            SYSTEM,
            AuditEvent.Action.EXPORT,
            "wellbeing summary",
            detail=f"{instrument} {start or '-'}..{end or '-'}",
        )
        if format == "json":
            payload = {
                "from": start and start.isoformat(),
                "to": end and end.isoformat(),
                "instrument": instrument,
                "min_cell": settings.OMZIEN_MIN_CELL,
                "groups": [summary.as_dict() for summary in summaries],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        for summary in summaries:
            self.stdout.write(f"{summary.level} {summary.group}: {summary.sentence}")
