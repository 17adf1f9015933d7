"""Who came to a visit is forgotten three months after it; how many came stays."""

from datetime import date

import time_machine
from django.utils import translation

from omzien.accounts.permissions import SYSTEM
from omzien.audit.models import AuditEvent
from omzien.privacy.retention import run_retention_steps
from omzien.visiting.models import InvitedPlace
from omzien.visiting.retention import forget_who_came


def answered(invitation, trefpunt):
    InvitedPlace.objects.filter(invitation=invitation, place=trefpunt).update(
        count=3, names="Ans, Gerrit en Wim"
    )


def test_names_stay_for_three_months_after_the_visit(invitation, trefpunt):
    answered(invitation, trefpunt)  # the visit is on 15 May 2030
    assert forget_who_came(date(2030, 8, 15), acting_user=SYSTEM) == 0
    assert InvitedPlace.objects.get().names == "Ans, Gerrit en Wim"
    assert not AuditEvent.objects.filter(subject="retention").exists()


def test_then_the_names_go_and_the_count_stays(invitation, trefpunt):
    answered(invitation, trefpunt)
    with time_machine.travel("2030-08-16 03:00 +02:00", tick=False), translation.override("en"):
        results = {
            str(message): count for message, count in run_retention_steps(acting_user=SYSTEM)
        }
    assert results["%(count)d answers to invitations forgot who came; their counts stay."] == 1
    guest = InvitedPlace.objects.get()
    assert (guest.count, guest.names) == (3, "")
    event = AuditEvent.objects.get(subject="retention", detail__startswith="answers")
    assert "Ans" not in event.detail
