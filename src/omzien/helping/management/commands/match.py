"""``omzien match [--format json|text] [--save]``: the batch proposal for all open requests.

JSON (design.md): a list of objects with ``request_ref``, ``offer_ref``, ``helper_ref``
(the offer's person_ref; null for an offer without a person), ``score`` (0-100),
``distance_km``, ``reasons`` (in Dutch words) and ``reason_codes`` (the codes and
parameters, ``helping.matching``). ``--save`` stores them as proposals
(``helping.services_matching``).
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.accounts.permissions import SYSTEM
from omzien.helping import loading, matching, services_matching


def as_rows(proposals) -> list[dict]:
    return [
        {
            "request_ref": proposal.need_ref,
            "offer_ref": proposal.capacity_ref,
            "helper_ref": proposal.helper_key,
            "score": proposal.score,
            "distance_km": round(proposal.distance_km, 2),
            "reasons": matching.render_reasons(proposal.reasons),
            "reason_codes": [reason.as_json() for reason in proposal.reasons],
        }
        for proposal in proposals
    ]


class Command(BaseCommand):
    help = _(
        "The batch proposal of helpers for all open help requests: the most requests "
        "matched, then the least distance, then the fairest load. --save stores them as "
        "proposals."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--save", action="store_true", help=_("Store the proposals for the coordinators.")
        )

    def handle(self, *args, format="text", save=False, **options):
        with translation.override(settings.LANGUAGE_CODE):
            matching_input = loading.load()
            result = matching.propose_batch(
                matching_input.needs, matching_input.capacities, matching_input.known
            )
            rows = as_rows(result.proposals)
            if format == "json":
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            else:
                self.write_text(rows, len(matching_input.needs), len(matching_input.capacities))
            if save:
                saved = services_matching.save_proposals(
                    result.proposals, matching_input, acting_user=SYSTEM
                )
                self.stderr.write(
                    ngettext("Saved %(saved)d proposal.", "Saved %(saved)d proposals.", saved.saved)
                    % {"saved": saved.saved}
                    + (
                        " " + _("Skipped (no longer open): %(skipped)d.") % vars(saved)
                        if saved.skipped
                        else ""
                    )
                )

    def write_text(self, rows, requests: int, offers: int):
        self.stdout.write(
            _("%(matched)d of %(requests)d open requests matched, %(offers)d offers active.")
            % {"matched": len(rows), "requests": requests, "offers": offers}
        )
        for row in rows:
            self.stdout.write(
                f"{row['request_ref']} ← {row['offer_ref']} ({row['helper_ref'] or '-'}), "
                f"{row['score']:.1f}: " + "; ".join(row["reasons"])
            )
