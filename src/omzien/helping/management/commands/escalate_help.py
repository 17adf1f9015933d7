"""``omzien escalate_help``: help requests without a helper after 48 hours go to the
professionals (run it hourly or nightly, beside ``omzien signals --save``)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from omzien.accounts.permissions import SYSTEM
from omzien.helping.services import escalate_waiting


class Command(BaseCommand):
    help = _(
        "Mark the help requests that found no helper within OMZIEN_HELP_ESCALATE_HOURS "
        "hours and mail the professionals how many wait where (never who)."
    )

    def handle(self, *args, **options):
        escalated = escalate_waiting(acting_user=SYSTEM)
        self.stdout.write(
            _("%(count)d help requests waited longer than %(hours)d hours and were escalated.")
            % {"count": sum(escalated.values()), "hours": settings.OMZIEN_HELP_ESCALATE_HOURS}
        )
