from datetime import date, time

import pytest
import time_machine

from omzien.accounts.models import Role
from omzien.visiting.models import Invitation, InvitedPlace
from tests import factories

# Tests meet these dates on a Wednesday morning in Amsterdam; the invitation is a week on.
TODAY = "2030-05-08 10:00 +02:00"
VISIT_DAY = date(2030, 5, 15)


@pytest.fixture
def on_today():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def coordinator_benring(benring):
    """Bea coordinates De Benring."""
    return factories.MembershipFactory(
        user__username="bea",
        user__email="bea@benring.example",
        role=Role.COORDINATOR,
        place=benring,
    ).user


@pytest.fixture
def coordinator_trefpunt(trefpunt):
    """Carla coordinates Trefpunt Duistervoorde (with an address for the notice)."""
    return factories.MembershipFactory(
        user__username="carla",
        user__email="carla@trefpunt.example",
        role=Role.COORDINATOR,
        place=trefpunt,
    ).user


@pytest.fixture
def professional_trefpunt(trefpunt):
    """Pieter, social worker at Trefpunt: reads its invitations, answers none."""
    return factories.MembershipFactory(
        user__username="pieter", role=Role.PROFESSIONAL, place=trefpunt
    ).user


@pytest.fixture
def mens_en_welzijn(twello):
    return factories.PlaceFactory(
        name="Mens en Welzijn Voorst", slug="mens-en-welzijn-voorst", village=twello
    )


@pytest.fixture
def invitation(benring, trefpunt):
    """De Benring's open afternoon for Trefpunt, on the visit day."""
    invitation = Invitation.objects.create(
        host=benring,
        title="Open middag",
        date=VISIT_DAY,
        start_time=time(14, 0),
        end_time=time(16, 0),
        message="Kom een kijkje nemen!",
    )
    InvitedPlace.objects.create(invitation=invitation, place=trefpunt)
    return invitation
