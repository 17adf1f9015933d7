"""``omzien forget_inactive_people``: keep the promise of the consent question (nightly)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from omzien.accounts.permissions import SYSTEM
from omzien.privacy import retention
from omzien.privacy.merging import forget_expired_merges
from omzien.wellbeing.services import forget_stale_drafts


class Command(BaseCommand):
    help = _(
        "Delete the people not seen for OMZIEN_RETENTION_YEARS years; their visits stay "
        "as anonymous counts. Also forget the merges of person records that can no longer "
        "be undone, the personal data of help requests closed more than "
        "OMZIEN_HELP_RETENTION_MONTHS months ago, and questionnaires begun but never sent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Only say how many would be forgotten.")
        )

    def handle(self, *args, **options):
        cutoff = retention.retention_cutoff()
        if options["dry_run"]:
            count = retention.inactive_people().count()
            self.stdout.write(
                _("%(count)d people were last seen before %(cutoff)s; nothing was deleted.")
                % {"count": count, "cutoff": cutoff.isoformat()}
            )
            return
        people, visits = retention.forget_inactive_people(acting_user=SYSTEM)
        self.stdout.write(
            _(
                "%(people)d people not seen since %(cutoff)s were forgotten; %(visits)d of "
                "their visits remain as anonymous counts (retention: %(years)d years)."
            )
            % {
                "people": people,
                "visits": visits,
                "cutoff": cutoff.isoformat(),
                "years": settings.OMZIEN_RETENTION_YEARS,
            }
        )
        merges = forget_expired_merges()
        self.stdout.write(
            _("%(count)d merges of person records older than a day were forgotten.")
            % {"count": merges}
        )
        help_requests = retention.forget_closed_help(acting_user=SYSTEM)
        self.stdout.write(
            _(
                "%(count)d help requests closed more than %(months)d months ago no longer "
                "hold a name or contact details."
            )
            % {"count": help_requests, "months": settings.OMZIEN_HELP_RETENTION_MONTHS}
        )
        for message, count in retention.run_retention_steps(acting_user=SYSTEM):
            self.stdout.write(str(message) % {"count": count})
        drafts = forget_stale_drafts()
        self.stdout.write(
            _("%(count)d questionnaires begun but never sent were deleted.") % {"count": drafts}
        )
