"""``omzien score INSTRUMENT --answers A,B,... [--format text|json]``: score one set of
answers as the instrument's manual says (design.md). Reads and writes no database."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from omzien.wellbeing.instruments import INSTRUMENTS
from omzien.wellbeing.scoring import InvalidAnswers, parse_answers, score


class Command(BaseCommand):
    help = "Score a questionnaire's answers (total, subscales and category)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("instrument", help=", ".join(INSTRUMENTS))
        parser.add_argument(
            "--answers",
            required=True,
            help="the answers in item order, separated by commas; an empty one is missing",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, instrument, answers, format, **options):
        if instrument not in INSTRUMENTS:
            raise CommandError(
                _("Unknown instrument '%(name)s': choose from %(choices)s.")
                % {"name": instrument, "choices": ", ".join(INSTRUMENTS)}
            )
        try:
            result = score(instrument, parse_answers(answers))
        except InvalidAnswers as error:
            raise CommandError(str(error)) from None
        if format == "json":
            self.stdout.write(json.dumps(result.as_dict()))
            return
        for key, value in result.as_dict().items():
            self.stdout.write(f"{key}: {'-' if value is None else value}")
