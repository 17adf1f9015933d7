"""A person whose processing is restricted (AVG art. 18) is never matched: not as the one
who asks, not as the helper."""

from datetime import UTC, datetime

import pytest
import time_machine

from omzien.accounts.permissions import SYSTEM
from omzien.helping import loading
from omzien.privacy import services
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, tzinfo=UTC)


@pytest.fixture
def riet_and_jan(benring_request, benring_offer, benring):
    riet = factories.PersonFactory(first_name="Riet", registered_place=benring)
    jan = factories.PersonFactory(first_name="Jan", registered_place=benring)
    benring_request.person = riet
    benring_request.save(update_fields=["person"])
    benring_offer.person = jan
    benring_offer.save(update_fields=["person"])
    return riet, jan


def offer_ids(help_request):
    return [row["offer_id"] for row in loading.suggestions_for_request(help_request)]


@time_machine.travel(NOW, tick=False)
def test_a_restricted_helper_is_not_suggested(riet_and_jan, benring_request, benring_offer):
    _riet, jan = riet_and_jan
    assert offer_ids(benring_request) == [benring_offer.pk]
    services.restrict_person(jan, acting_user=SYSTEM)
    assert offer_ids(benring_request) == []
    assert loading.load().capacities == []
    services.lift_restriction(jan, acting_user=SYSTEM)
    assert offer_ids(benring_request) == [benring_offer.pk]


@time_machine.travel(NOW, tick=False)
def test_a_restricted_asker_gets_no_suggestions_and_is_left_out_of_the_batch(
    riet_and_jan, benring_request
):
    riet, _jan = riet_and_jan
    assert len(loading.load().needs) == 1
    services.restrict_person(riet, acting_user=SYSTEM)
    assert offer_ids(benring_request) == []
    assert loading.load().needs == []


@time_machine.travel(NOW, tick=False)
def test_requests_without_a_person_are_still_matched(benring_request, benring_offer):
    assert benring_request.person_id is None
    assert offer_ids(benring_request) == [benring_offer.pk]
