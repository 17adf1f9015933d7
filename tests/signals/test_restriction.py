"""A person whose processing is restricted (AVG art. 18) gets no signal."""

import pytest
from django.utils import timezone

from omzien.accounts.permissions import SYSTEM
from omzien.privacy import services
from omzien.signals import detection, loading
from tests.signals.conftest import AS_OF

pytestmark = pytest.mark.django_db


def signals_on(day):
    return detection.find_signals(day, p_alive=detection.rhythm_only)


def test_a_restricted_regular_gets_no_signal_and_gets_one_again_once_lifted(regular):
    assert [signal.person_id for signal in signals_on(AS_OF)] == [regular.pk]
    services.restrict_person(regular, acting_user=SYSTEM)
    assert signals_on(AS_OF) == []
    assert regular.pk not in loading.followup_person_ids(AS_OF).tolist()
    assert not loading.followup_people(AS_OF).filter(pk=regular.pk).exists()
    services.lift_restriction(regular, acting_user=SYSTEM)
    assert [signal.person_id for signal in signals_on(AS_OF)] == [regular.pk]


def test_restriction_keeps_the_persons_data(regular):
    services.restrict_person(regular, acting_user=SYSTEM)
    regular.refresh_from_db()
    assert regular.restricted_at is not None and regular.restricted_at <= timezone.now()
    assert regular.visits.count() == 9


def test_an_open_signal_of_a_restricted_person_stays_but_does_not_escalate(
    regular, settings, professional
):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command

    from omzien.signals.models import Signal

    settings.OMZIEN_SIGNAL_ESCALATE_DAYS = 7
    call_command("signals", "--as-of", AS_OF.isoformat(), "--save", stdout=StringIO())
    services.restrict_person(regular, acting_user=SYSTEM)
    later = (AS_OF + timedelta(days=8)).isoformat()
    call_command("signals", "--as-of", later, "--save", stdout=StringIO())
    signal = Signal.objects.get()
    assert signal.status == Signal.Status.OPEN and signal.escalated_at is None
