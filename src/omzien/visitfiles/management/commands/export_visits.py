"""``omzien export_visits FILE``: write every named visit to a CSV or .xlsx visit file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.accounts.permissions import SYSTEM
from omzien.visitfiles.exporting import export_visits
from omzien.visitfiles.formats import VisitFileError


class Command(BaseCommand):
    help = _(
        "Export every visit of a known person to a visit file; .csv or .xlsx by the file "
        "name. Anonymous visits are left out: they are only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The file to write, .csv or .xlsx"))

    def handle(self, *args, file, **options):
        try:
            result = export_visits(file, acting_user=SYSTEM)
        except VisitFileError as error:
            raise CommandError(error.message) from None
        except OSError as error:
            raise CommandError(
                _("The file '%(path)s' cannot be written: %(error)s.")
                % {"path": file, "error": error.strerror or error}
            ) from None
        self.stdout.write(
            ngettext(
                "Wrote %(count)d visit to %(path)s.",
                "Wrote %(count)d visits to %(path)s.",
                result.rows,
            )
            % {"count": result.rows, "path": result.path}
        )
        if result.anonymous:
            self.stdout.write(
                ngettext(
                    "Left out %(count)d anonymous visit: it has no person_ref, it is only a count.",
                    "Left out %(count)d anonymous visits: they have no person_ref, they are "
                    "only counts.",
                    result.anonymous,
                )
                % {"count": result.anonymous}
            )
