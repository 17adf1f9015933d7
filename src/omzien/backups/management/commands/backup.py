"""``omzien backup FILE [--keep N]``: a consistent snapshot of the database, while it runs."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from omzien.backups.archive import SUFFIX, BackupError
from omzien.backups.services import create_backup


class Command(BaseCommand):
    help = _(
        "Write a backup of the whole database (SQLite or PostgreSQL) to FILE while the site "
        "runs: the dump and a manifest with the schema version. Restore it with "
        "'omzien restore FILE'."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The backup file to write, e.g. omzien%s") % SUFFIX)
        parser.add_argument(
            "--keep",
            type=int,
            help=_("Afterwards keep only the N newest *%s files in that folder.") % SUFFIX,
        )

    def handle(self, *args, file, keep, **options):
        try:
            result = create_backup(file, keep=keep, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(
                _("The file '%(path)s' cannot be written: %(error)s.")
                % {"path": file, "error": error.strerror or error}
            ) from None
        self.stdout.write(
            _("Backup written: %(path)s (%(size)s bytes in %(seconds).1f s).")
            % {"path": result.path, "size": result.bytes, "seconds": result.seconds}
        )
