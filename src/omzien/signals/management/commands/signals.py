"""``omzien signals [--as-of YYYY-MM-DD] [--format text|json] [--save]``.

The signals detection raises on a date, using only visits up to that date. ``--save``
(nightly) stores them: new signals open (first asked at the door), open ones are
refreshed, people seen again close theirs, first contacts nobody at the door answered
in time go to a coordinator, and follow-ups nobody picked up in time escalate: the
professionals get a mail (after the commit, see ``signals.notifications``). Before
detecting, ``--save`` refits the probability's calibration on the closed signals
(``signals.calibrating``) and says per kind of rhythm what it fitted on.
"""

import json
import re
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.agenda.services import ensure_sessions
from omzien.people.models import Person, person_ref
from omzien.signals import calibrating, detection, services
from omzien.signals.models import Rhythm
from omzien.signals.rhythms import Rules

DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_as_of(text: str | None, today: date) -> date:
    if text is None:
        # Yesterday is the last whole day: today's sessions may still be to come.
        return today - timedelta(days=1)
    try:
        if not DATE_FORMAT.match(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("'%(text)s' is not a date: write it as YYYY-MM-DD, e.g. 2026-05-12.") % {"text": text}
        ) from None
    if day > today:
        raise CommandError(
            _("%(day)s lies in the future: signals can only be computed up to today.")
            % {"day": day}
        )
    return day


def as_rows(candidates, as_of: date) -> list[dict]:
    refs = dict(
        Person.objects.filter(pk__in={c.person_id for c in candidates}).values_list("pk", "ref")
    )
    places = detection.place_names(c.place_id for c in candidates)
    return [
        {
            "person_ref": person_ref(c.person_id, refs.get(c.person_id)),
            "place": places.get(c.place_id, ""),
            "last_seen": c.last_seen.isoformat(),
            "days_since": c.days_since,
            "missed": c.missed,
            "reason": c.reason,
            "probability": c.probability,
            "raw_probability": c.raw_probability,
            "p_alive": c.p_alive,
            "occasional": c.occasional,
            "as_of": as_of.isoformat(),
        }
        for c in candidates
    ]


def calibration_line(refit: calibrating.Refit) -> str:
    """One line per kind of rhythm: what the nightly refit did."""
    values = {**vars(refit), "rhythm": Rhythm(refit.rhythm).label}
    if refit.fitted:
        text = ngettext(
            "Calibration, %(rhythm)s: fitted on %(labels)d closed signal, "
            "%(dropouts)d of them real dropouts.",
            "Calibration, %(rhythm)s: fitted on %(labels)d closed signals, "
            "%(dropouts)d of them real dropouts.",
            refit.labels,
        )
    elif refit.labels < refit.min_labels:
        text = ngettext(
            "Calibration, %(rhythm)s: not enough closed signals (%(labels)d of "
            "%(min_labels)d), no new fit.",
            "Calibration, %(rhythm)s: not enough closed signals (%(labels)d of "
            "%(min_labels)d), no new fit.",
            refit.labels,
        )
    else:
        text = ngettext(
            "Calibration, %(rhythm)s: %(labels)d closed signal, all ended alike, no new fit.",
            "Calibration, %(rhythm)s: %(labels)d closed signals, all ended alike, no new fit.",
            refit.labels,
        )
    return text % values


class Command(BaseCommand):
    help = _(
        "The open signals on a date (default yesterday, the last whole day): people whose "
        "absence is unusual for them, using only visits up to that date. --save stores them "
        "(nightly)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help=_("The date, as YYYY-MM-DD"))
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--save",
            action="store_true",
            help=_("Store the signals: open, refresh, close people seen again, escalate."),
        )

    def handle(self, *args, as_of=None, format="text", save=False, **options):
        day = parse_as_of(as_of, timezone.localdate())
        rules = Rules.from_settings()
        # Sessions of the last weeks are made from the rules as when someone looks at them.
        ensure_sessions(day - timedelta(weeks=rules.lookback_weeks), day)
        if save:
            # Tonight's signals already use what the follow-ups closed so far taught.
            refits = calibrating.refit_calibrations(day)
        candidates = detection.find_signals(day, rules=rules)
        rows = as_rows(candidates, day)
        if save:
            result = services.save_detected(candidates, day)
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            self.write_table(rows, day)
        if save:
            self.stderr.write(
                _(
                    "Saved: %(opened)d new, %(updated)d refreshed, %(seen_again)d seen again, "
                    "%(withdrawn)d without consent, %(woken)d woken, %(handed_over)d handed "
                    "over to a coordinator, %(escalated)d escalated."
                )
                % vars(result)
            )
            if result.escalated:
                self.stderr.write(self.escalation_line(result))
            for refit in refits:
                self.stderr.write(calibration_line(refit))

    def escalation_line(self, result):
        line = ngettext(
            "%(escalated)d signal escalated; professionals mailed: %(mailed)d.",
            "%(escalated)d signals escalated; professionals mailed: %(mailed)d.",
            result.escalated,
        ) % vars(result)
        if result.mail_failed:
            line += " " + _("%(mail_failed)d mails could not be sent; see the log.") % vars(result)
        return line

    def write_table(self, rows, day):
        if not rows:
            self.stdout.write(_("No signals on %(day)s.") % {"day": day})
            return
        header = (_("person"), _("place"), _("last seen"), _("probability"), _("reason"))
        self.stdout.write(" | ".join(header))
        for row in rows:
            self.stdout.write(
                " | ".join(
                    [
                        row["person_ref"],
                        row["place"],
                        row["last_seen"],
                        f"{row['probability']:.2f}",
                        row["reason"],
                    ]
                )
            )
