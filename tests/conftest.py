"""Named people and places shared by the tests (see docs/ARCHITECTURE.md, 'Testing')."""

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, override_settings

from omzien.accounts import two_factor
from omzien.accounts.models import Role
from tests import factories
from tests.two_factor import verified_force_login


def pytest_configure(config):
    # Tests keep the cache in memory (the live server's threads share it), never in the
    # data folder; the public page cache stays on, so tests meet it as visitors do.
    memory = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "omzien-tests",
    }
    override_settings(CACHES={**django_settings.CACHES, "default": memory}).enable()


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_login_attempts(monkeypatch):
    """django-axes counts failed log-ins in memory for the tests, from zero in each test
    (the site's file cache in OMZIEN_DATA_DIR is left alone)."""
    cache = LocMemCache("omzien-tests-login-attempts", {})
    cache.clear()
    monkeypatch.setattr(AxesProxyHandler.get_implementation(), "cache", cache)
    # The wrong codes of the second step are counted in the same cache.
    monkeypatch.setattr(two_factor, "attempts_cache", lambda: cache)
    return cache


@pytest.fixture(autouse=True)
def _verified_force_login(monkeypatch):
    """force_login gives professionals and administrators a session that passed the
    second step (tests/two_factor.py), as if they had entered their code."""
    monkeypatch.setattr(Client, "force_login", verified_force_login)


@pytest.fixture
def twello(db):
    return factories.VillageFactory(name="Twello", slug="twello")


@pytest.fixture
def voorst_village(db):
    return factories.VillageFactory(
        name="Voorst", slug="voorst", latitude="52.171400", longitude="6.146400"
    )


@pytest.fixture
def trefpunt(twello):
    return factories.PlaceFactory(
        name="Trefpunt Duistervoorde", slug="trefpunt-duistervoorde", village=twello
    )


@pytest.fixture
def benring(voorst_village):
    return factories.PlaceFactory(name="De Benring", slug="de-benring", village=voorst_village)


@pytest.fixture
def coordinator_trefpunt(trefpunt):
    """Carla coordinates Trefpunt Duistervoorde and nothing else."""
    return factories.MembershipFactory(
        user__username="carla", role=Role.COORDINATOR, place=trefpunt
    ).user


@pytest.fixture
def host_benring(benring):
    """Henk is a host at De Benring."""
    return factories.MembershipFactory(user__username="henk", role=Role.HOST, place=benring).user


@pytest.fixture
def host_trefpunt(trefpunt):
    """Truus hosts the coffee morning at Trefpunt Duistervoorde."""
    return factories.MembershipFactory(
        user__username="truus", user__first_name="Truus", role=Role.HOST, place=trefpunt
    ).user


@pytest.fixture
def professional(db):
    """Pauline, buurtmaker, works across all places."""
    return factories.MembershipFactory(
        user__username="pauline", role=Role.PROFESSIONAL, place=None
    ).user


@pytest.fixture
def viewer(db):
    """Victor of the municipality sees aggregates only."""
    return factories.MembershipFactory(user__username="victor", role=Role.VIEWER, place=None).user
