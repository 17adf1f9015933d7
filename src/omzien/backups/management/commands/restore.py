"""``omzien restore FILE [--no-input]``: replace all data with a backup's, then migrate."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from omzien.backups.archive import BackupError
from omzien.backups.services import restore_backup

YES = {"y", "yes", "j", "ja"}


class Command(BaseCommand):
    help = _(
        "Replace ALL data in the database with a backup made by 'omzien backup'. A backup "
        "of an older Omzien is migrated afterwards; one of a newer Omzien is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The backup file to restore"))
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=_("Do not ask for confirmation."),
        )

    def handle(self, *args, file, interactive, **options):
        try:
            restored = restore_backup(
                file,
                confirm=self._confirm if interactive else lambda manifest: True,
                progress=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not restored:
            raise CommandError(_("Restore cancelled: nothing was changed."))
        self.stdout.write(_("Bringing the schema up to date (migrate) ..."))
        call_command("migrate", interactive=False, verbosity=0, stdout=self.stdout)
        self.stdout.write(_("Restored %(path)s.") % {"path": file})

    def _confirm(self, manifest) -> bool:
        self.stdout.write(
            _("Backup of %(created)s (Omzien %(version)s, %(vendor)s).")
            % {
                "created": manifest.created_at,
                "version": manifest.omzien_version,
                "vendor": manifest.vendor,
            }
        )
        answer = input(
            _("This replaces ALL data in the database with the backup's. Type 'yes' to go on: ")
        )
        return answer.strip().lower() in YES
