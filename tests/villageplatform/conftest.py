"""The dorpenplatform's people: Victor of the municipality organises (the viewer), Bea
coordinates De Benring, Carla Trefpunt Duistervoorde (tests/conftest.py), Henk is a host."""

import importlib

import pytest
from django.apps import apps

from omzien.accounts.models import Role
from tests import factories


def add_starting_tags():
    """The data migration's tags. A test with a transactional database (the browser
    tests) empties every table after it, migrations' rows too: so tests add them again."""
    migration = importlib.import_module("omzien.villageplatform.migrations.0002_starting_tags")
    migration.add_tags(apps, None)


@pytest.fixture(autouse=True)
def _starting_tags(db):
    add_starting_tags()


@pytest.fixture
def coordinator_benring(benring):
    """Bea coordinates De Benring."""
    return factories.MembershipFactory(
        user__username="bea", role=Role.COORDINATOR, place=benring
    ).user


@pytest.fixture
def evening(benring, trefpunt):
    """The March evening at the town hall (10 March 2026)."""
    return factories.EveningFactory(title="Dorpenplatform maart", location="Gemeentehuis")


@pytest.fixture
def next_evening(evening):
    """The June evening at De Benring, where March's actions are followed up."""
    from datetime import date

    return factories.EveningFactory(
        title="Dorpenplatform juni",
        date=date(2026, 6, 9),
        host_place=evening.region.villages.get(slug="voorst").places.get(),
    )
