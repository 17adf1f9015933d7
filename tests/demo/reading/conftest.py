"""The synthetic Voorst demo, built once for all the tests in this folder, which only read it.

Like ``TestCase.setUpTestData``: the demo is made inside a transaction that stays open
while this folder's tests run (each test in a savepoint of its own, rolled back as
usual) and is rolled back after the last of them, so no other test ever sees it. Tests
that write to the demo belong outside this folder, with a demo of their own.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import transaction

from omzien.demo.network import create_network
from omzien.demo.synthetic import GenerationResult, generate_visits
from omzien.places.models import Region

TODAY = date(2026, 3, 4)
START = TODAY - timedelta(days=365)
END = TODAY - timedelta(days=1)
SEED = 2026
PEOPLE = 220


@dataclass(frozen=True)
class Demo:
    region: Region
    result: GenerationResult


@pytest.fixture(scope="package")
def synthetic_demo(django_db_setup, django_db_blocker) -> Demo:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            region = create_network(TODAY)
            demo = Demo(region, generate_visits(region, START, END, seed=SEED, people=PEOPLE))
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield demo
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def region(synthetic_demo, db) -> Region:
    return synthetic_demo.region


@pytest.fixture
def result(synthetic_demo, db) -> GenerationResult:
    return synthetic_demo.result
