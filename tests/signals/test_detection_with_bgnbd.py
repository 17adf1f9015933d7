"""Detection with the region's BG/NBD fit (test_detection.py passes the rhythm alone)."""

from datetime import timedelta

import numpy as np
import pytest

from omzien.signals import detection, loading
from omzien.signals.rhythms import Rules
from tests import factories
from tests.signals.conftest import AS_OF, FIRST_TUESDAY, with_followup

TUESDAYS_UNTIL_AS_OF = [FIRST_TUESDAY + timedelta(weeks=w) for w in range(13)]


@pytest.fixture
def coffee_morning(regular, coffee):
    """Riet stopped after 10 March; fifteen others kept coming every Tuesday."""
    _activity, sessions = coffee
    others = []
    for number in range(15):
        person = with_followup(factories.PersonFactory(first_name=f"Vaste{number}"))
        for day in TUESDAYS_UNTIL_AS_OF[number % 3 :]:
            factories.VisitFactory(person=person, session=sessions[day])
        others.append(person)
    return regular, others


@pytest.mark.django_db
def test_region_fit_gives_the_dropout_a_lower_p_alive(coffee_morning):
    riet, others = coffee_morning
    ids = np.array([riet.pk, *(p.pk for p in others), 10**9], np.int64)
    alive = loading.region_p_alive(AS_OF, ids)
    assert alive is not None and alive.shape == ids.shape
    assert np.all((alive >= 0) & (alive <= 1))
    assert alive[0] < alive[1:-1].min()
    assert alive[-1] == 1.0  # someone without visits is not judged by the model


@pytest.mark.django_db
def test_with_bgnbd_only_the_dropout_is_signalled(coffee_morning):
    riet, _others = coffee_morning
    [signal] = detection.find_signals(AS_OF)  # p_alive: loading.region_p_alive
    assert signal.person_id == riet.pk
    # Nobody else dropped out, so the fit finds Riet all but surely active; the cap on
    # P(alive) keeps her own rhythm (3 Tuesdays missed after 9 of 10) decisive.
    assert signal.p_alive is not None and signal.p_alive > 0.99
    assert signal.probability >= Rules.from_settings().threshold


@pytest.mark.django_db
def test_too_few_people_fall_back_to_the_prior(regular):
    assert loading.region_p_alive(AS_OF, np.array([regular.pk], np.int64)) is None
