"""``omzien import_visits FILE [--dry-run]``: add the visits of a CSV or .xlsx visit file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.accounts.permissions import SYSTEM
from omzien.visitfiles.formats import VisitFileError, file_kind
from omzien.visitfiles.importing import ImportResult, import_visits

MAX_PRINTED_PROBLEMS = 100
PROGRESS_FROM_BYTES = 1 << 20  # a progress bar for files from 1 MB (some 15,000 rows)


class ProgressBar:
    """tqdm bars on stderr, one per stage of the import (checking, then writing)."""

    def __init__(self, stream):
        self.stream = stream
        self.stage = None
        self.bar = None

    def __call__(self, stage: str, position: int, total: int | None) -> None:
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(
                total=total,
                desc=_("Checking") if stage == "check" else _("Writing"),
                file=self.stream,
                bar_format="{desc}: {percentage:3.0f}% |{bar}| {elapsed} < {remaining}",
                mininterval=0.5,
            )
        self.bar.update(position - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def summary(result: ImportResult) -> str:
    values = {
        "rows": result.rows,
        "people": result.people,
        "sessions": result.sessions,
        "visits": result.visits,
        "consents": result.consents,
        "known": result.visits_known,
    }
    if result.dry_run:
        text = _(
            "Dry run, nothing was written. %(rows)d rows are right; an import would add "
            "%(people)d people, %(sessions)d past sessions, %(visits)d visits and "
            "%(consents)d consent answers (%(known)d visits were already known)."
        )
    else:
        text = _(
            "Imported %(rows)d rows: %(people)d new people, %(sessions)d past sessions, "
            "%(visits)d visits and %(consents)d consent answers added (%(known)d visits were "
            "already known)."
        )
    text %= values
    if result.people_completed:
        text += " " + ngettext(
            "The last name or village of %(count)d person was filled in.",
            "The last name or village of %(count)d people was filled in.",
            result.people_completed,
        ) % {"count": result.people_completed}
    return text


class Command(BaseCommand):
    # Files from this size get a progress bar on standard error (a subclass may differ).
    progress_from_bytes = PROGRESS_FROM_BYTES

    help = _(
        "Import visits from a visit file (.csv or .xlsx with the columns person_ref, "
        "first_name, last_name, village, place, activity, date and optionally consent and "
        "consent_date, or their Dutch names persoon, voornaam, achternaam, dorp, plek, "
        "activiteit, datum, toestemming, toestemming_datum; dates as 24-11-2026 or "
        "2026-11-24). "
        "All or nothing: with any problem nothing is written and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The visit file, .csv or .xlsx"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Only check the file and say what would be added; write nothing."),
        )

    def handle(self, *args, file, dry_run=False, verbosity=1, **options):
        path = Path(file)
        try:
            file_kind(path)
        except VisitFileError as error:
            raise CommandError(error.message) from None
        if not path.is_file():
            raise CommandError(_("The file '%(path)s' does not exist.") % {"path": path})
        bar = None
        if verbosity > 0 and path.stat().st_size >= self.progress_from_bytes:
            bar = ProgressBar(self.stderr._out)
        try:
            result = import_visits(path, dry_run=dry_run, progress=bar, acting_user=SYSTEM)
        finally:
            if bar is not None:
                bar.close()
        for notice in result.notices:
            self.stdout.write(str(notice))
        if not result.ok:
            for problem in result.errors[:MAX_PRINTED_PROBLEMS]:
                self.stderr.write(str(problem))
            if result.error_count > MAX_PRINTED_PROBLEMS:
                more = result.error_count - MAX_PRINTED_PROBLEMS
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
                    result.error_count,
                )
                % {"count": result.error_count, "name": result.name}
            )
        self.stdout.write(summary(result))
