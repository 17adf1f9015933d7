"""``omzien materialise_sessions``: keep the rolling window of sessions filled (nightly cron)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.agenda import services

MAX_WEEKS = 104


class Command(BaseCommand):
    help = _(
        "Create the missing sessions of all active activities in the rolling window "
        "(a few weeks back to some months ahead). Meant to run every night."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--weeks",
            help=_(
                "How many weeks ahead to create sessions for (default: the "
                "OMZIEN_SESSION_WINDOW_WEEKS setting)."
            ),
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        first_day, last_day = services.session_window(today)
        if options["weeks"] is not None:
            last_day = today + timedelta(weeks=self.parse_weeks(options["weeks"]))
        created = services.materialise_sessions(first_day, last_day)
        self.stdout.write(
            ngettext(
                "%(count)d new session from %(first)s to %(last)s.",
                "%(count)d new sessions from %(first)s to %(last)s.",
                created,
            )
            % {"count": created, "first": first_day.isoformat(), "last": last_day.isoformat()}
        )

    def parse_weeks(self, value) -> int:
        try:
            weeks = int(str(value).strip())
        except ValueError:
            weeks = None
        if weeks is None or not 1 <= weeks <= MAX_WEEKS:
            raise CommandError(
                _("--weeks must be a whole number from 1 to %(max)d, not %(value)r.")
                % {"max": MAX_WEEKS, "value": value}
            )
        return weeks
