import pytest

from omzien.accounts.models import Role
from tests import factories


@pytest.fixture(autouse=True)
def _one_deciding_place(settings):
    """Voorst and Twello lie 8 km apart: with one deciding place a proposal in Voorst is De
    Benring's and not Trefpunt's, so the tests can tell other places' coordinators apart."""
    settings.OMZIEN_PROPOSAL_NEAREST_PLACES = 1


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
def waiting(benring):
    """Gerda's idea for Voorst, waiting for De Benring's coordinator."""
    return factories.ProposalFactory(
        village=benring.village, places=[benring], first_name="Gerda", email="gerda@example.org"
    )


@pytest.fixture
def approved(benring):
    return factories.ProposalFactory(
        village=benring.village,
        places=[benring],
        first_name="Gerda",
        email="gerda@example.org",
        status="goedgekeurd",
    )
