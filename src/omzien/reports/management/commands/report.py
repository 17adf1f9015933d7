"""``omzien report --from YYYY-MM-DD --to YYYY-MM-DD --by region|village|place --audience
viewer|professional [--period month|quarter|year] [--format json|pdf|xlsx] [--output FILE]``.

The impact report (design.md, "Reports") made from the same figures as the page:

- The range is widened to whole periods; ``--period`` defaults to ``year``; at most 10
  calendar years, from 2000 up to the end of this year.
- ``--format json`` (the default) prints to standard output, or writes ``--output``;
  ``pdf`` and ``xlsx`` are files and need ``--output``.
- A file is written to a temporary file next to it and renamed when complete, so a bad
  run leaves nothing behind and an existing file is replaced whole or not at all. Every
  argument, the output path included, is checked before anything is counted.
- The command acts as the system (``accounts.permissions.SYSTEM``); every report made is
  audit-logged with its parameters (``reports.services.record_report``).
- Which years are being counted goes to standard error, so the JSON stays clean.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts.permissions import SYSTEM
from omzien.reports import services
from omzien.reports.audience import Audience
from omzien.reports.cube import PeriodKind
from omzien.reports.impact import By, ReportRequest, build_report
from omzien.reports.snapshots import year_figures

DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST = date(2000, 1, 1)
MAX_YEARS = 10
FORMATS = ("json", "pdf", "xlsx")


def parse_day(text: str, option: str) -> date:
    try:
        if not DATE_FORMAT.match(text or ""):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(option)s '%(text)s' is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31.")
            % {"option": option, "text": text}
        ) from None


def _choice(value: str, enum, option: str):
    try:
        return enum(value)
    except ValueError:
        choices = "|".join(member.value for member in enum)
        raise CommandError(
            _("%(option)s '%(value)s' is not one of %(choices)s.")
            % {"option": option, "value": value, "choices": choices}
        ) from None


def check_range(first: date, last: date, today: date) -> None:
    if last < first:
        raise CommandError(
            _("--to %(to)s lies before --from %(from)s.") % {"to": last, "from": first}
        )
    if first < EARLIEST:
        raise CommandError(_("Choose dates from %(earliest)s on.") % {"earliest": EARLIEST})
    if last.year > today.year:
        raise CommandError(
            _("--to %(to)s lies after this year: there are no figures yet.") % {"to": last}
        )
    if last.year - first.year + 1 > MAX_YEARS:
        raise CommandError(
            _("Choose at most %(count)d calendar years at once.") % {"count": MAX_YEARS}
        )


def check_output(path: str) -> Path:
    """The output file's path, if a file can be written there (nothing is written yet)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise CommandError(_("--output '%(path)s' is a folder, not a file.") % {"path": path})
    if not folder.is_dir():
        raise CommandError(
            _("--output '%(path)s': the folder '%(folder)s' does not exist.")
            % {"path": path, "folder": folder}
        )
    if not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise CommandError(_("--output '%(path)s' cannot be written.") % {"path": path})
    return target


def write_whole(target: Path, content: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it: all or nothing."""
    handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def pdf_renderer():
    """``reports.pdf.render_pdf``, imported only when a PDF is asked for."""
    try:
        from omzien.reports.pdf import render_pdf
    except ImportError as error:
        if getattr(error, "name", "") not in ("omzien.reports.pdf", "weasyprint"):
            raise
        raise CommandError(
            _("This installation cannot make PDF reports yet (%(missing)s is missing).")
            % {"missing": error.name}
        ) from None
    return render_pdf


class Command(BaseCommand):
    help = _(
        "The impact report for a range of dates, widened to whole periods: as JSON (default, "
        "to standard output), PDF or .xlsx. --audience viewer hides small numbers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--by", required=True, metavar="region|village|place")
        parser.add_argument("--audience", required=True, metavar="viewer|professional")
        parser.add_argument(
            "--period",
            default=PeriodKind.YEAR.value,
            metavar="month|quarter|year",
            help=_("The figures per month, quarter or year (default: year)."),
        )
        parser.add_argument(
            "--format",
            dest="output_format",
            default="json",
            metavar="|".join(FORMATS),
            help=_("Default json, to standard output; pdf and xlsx need --output."),
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help=_("The file to write; it is replaced whole, or left as it was."),
        )

    def handle(self, *args, first, last, by, audience, period, output_format, output, **options):
        today = timezone.localdate()
        request = self.report_request(first, last, by, audience, period, today)
        if output_format not in FORMATS:
            raise CommandError(
                _("--format '%(value)s' is not one of %(choices)s.")
                % {"value": output_format, "choices": "|".join(FORMATS)}
            )
        if output_format != "json" and not output:
            raise CommandError(
                _("A %(format)s report is a file: give --output FILE.") % {"format": output_format}
            )
        target = check_output(output) if output else None
        render_pdf = pdf_renderer() if output_format == "pdf" else None
        self.count_years(request, today)
        report = build_report(request, as_of=today)
        if output_format == "json":
            content = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
            if target is None:
                self.stdout.write(content)
            else:
                write_whole(target, (content + "\n").encode())
        elif output_format == "pdf":
            write_whole(target, render_pdf(report))
        else:
            from omzien.reports.xlsx import render_xlsx

            write_whole(target, render_xlsx(report))
        services.record_report(SYSTEM, request, output=f"command {output_format}")
        if target is not None:
            self.stderr.write(_("Wrote the report to %(path)s.") % {"path": target})

    def report_request(self, first, last, by, audience, period, today) -> ReportRequest:
        first_day, last_day = parse_day(first, "--from"), parse_day(last, "--to")
        request = ReportRequest(
            first_day=first_day,
            last_day=last_day,
            by=_choice(by, By, "--by"),
            period_kind=_choice(period, PeriodKind, "--period"),
            audience=_choice(audience, Audience, "--audience"),
        )
        check_range(first_day, last_day, today)
        return request

    def count_years(self, request: ReportRequest, today: date) -> None:
        """Each year's figures, from today's rollup or counted now, said on stderr (a
        year of a large region takes seconds); the report then reads them."""
        for year in range(request.first_day.year, request.last_day.year + 1):
            self.stderr.write(_("Figures of %(year)d…") % {"year": year}, ending="")
            self.stderr.flush()
            started = time.perf_counter()
            year_figures(year, as_of=today)
            self.stderr.write(
                " " + _("ready (%(seconds).1f s).") % {"seconds": time.perf_counter() - started}
            )
