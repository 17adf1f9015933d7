"""``omzien import_help FILE [--dry-run]``: help requests and offers from a CSV or .xlsx
list (design.md; ``helping.importing``), all or nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.accounts.permissions import SYSTEM
from omzien.helping.importing import HelpImportResult, import_help

MAX_PRINTED_PROBLEMS = 100


def summary(result: HelpImportResult) -> str:
    values = vars(result) | {"rows": result.rows}
    if result.dry_run:
        text = _(
            "Dry run, nothing was written. %(rows)d rows are right; an import would add "
            "%(requests_created)d and change %(requests_updated)d requests, add "
            "%(offers_created)d and change %(offers_updated)d offers, add %(people_created)d "
            "people and %(consents)d consent answers."
        )
    else:
        text = _(
            "Imported %(rows)d rows: %(requests_created)d requests added and "
            "%(requests_updated)d changed, %(offers_created)d offers added and "
            "%(offers_updated)d changed, %(people_created)d new people, %(consents)d consent "
            "answers."
        )
    return text % values


class Command(BaseCommand):
    help = _(
        "Import help requests and offers from a help file (.csv or .xlsx with the columns "
        "kind, ref, person_ref, first_name, last_name, village, categories, days, parts, "
        "max_per_month, max_km, urgency, description, phone, email, consent). All or "
        "nothing: with any problem nothing is written and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The help file, .csv or .xlsx"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Only check the file and say what would be added; write nothing."),
        )

    def handle(self, *args, file, dry_run=False, **options):
        result = import_help(file, dry_run=dry_run, acting_user=SYSTEM)
        if not result.ok:
            for problem in result.problems[:MAX_PRINTED_PROBLEMS]:
                self.stderr.write(str(problem))
            count = len(result.problems)
            if count > MAX_PRINTED_PROBLEMS:
                more = count - MAX_PRINTED_PROBLEMS
                self.stderr.write(
                    ngettext(
                        "... and %(count)d more problem.", "... and %(count)d more problems.", more
                    )
                    % {"count": more}
                )
            raise CommandError(
                ngettext(
                    "%(count)d problem in %(name)s; nothing was imported.",
                    "%(count)d problems in %(name)s; nothing was imported.",
                    count,
                )
                % {"count": count, "name": result.name}
            )
        self.stdout.write(summary(result))
