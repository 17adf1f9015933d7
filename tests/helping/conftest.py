import pytest

from omzien.accounts.models import Role
from tests import factories


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
def benring_request(benring):
    """Riet asked for help with shopping in Voorst; De Benring handles it."""
    return factories.HelpRequestFactory(
        first_name="Riet", village=benring.village, place=benring, email="riet@example.org"
    )


@pytest.fixture
def benring_offer(benring):
    """Jan helps with shopping, he has a car."""
    return factories.HelpOfferFactory(
        first_name="Jan", village=benring.village, place=benring, email="jan@example.org"
    )
