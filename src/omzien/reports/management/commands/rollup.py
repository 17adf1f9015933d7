"""``omzien rollup [--year YYYY ...]``: count the report's figures for the years now, so the
first report of the day does not have to (run it nightly from cron, see the README)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.reports.snapshots import make_snapshot


class Command(BaseCommand):
    help = _("Count the impact report's figures of this year and last year (or the given years).")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", metavar="YYYY")

    def handle(self, *args, years=None, **options):
        today = timezone.localdate()
        years = years or [today.year - 1, today.year]
        for year in years:
            if not 2000 <= year <= today.year:
                raise CommandError(_("Choose a year from 2000 to %(year)s.") % {"year": today.year})
        for year in years:
            figures = make_snapshot(year, as_of=today)
            self.stdout.write(
                _("%(year)s: %(cells)s figures, %(hidden)s hidden for viewers.")
                % {"year": year, "cells": len(figures.cube.values), "hidden": len(figures.hidden)}
            )
