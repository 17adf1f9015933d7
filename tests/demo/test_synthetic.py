from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import transaction

from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.demo.network import create_network
from omzien.demo.synthetic import GenerationResult, generate_visits
from omzien.people.models import Person

TODAY = date(2026, 3, 4)
START = TODAY - timedelta(days=365)
END = TODAY - timedelta(days=1)

pytestmark = pytest.mark.django_db


def snapshot():
    """All visits by natural keys, independent of database ids."""
    return sorted(
        Counter(
            Visit.objects.values_list(
                "person__ref",
                "session__activity__place__slug",
                "session__activity__slug",
                "session__date",
            )
        ).items(),
        key=repr,
    )


def generate(seed=2026, people=220) -> GenerationResult:
    region = create_network(TODAY)
    return generate_visits(region, START, END, seed=seed, people=people)


def run_and_roll_back(seed):
    with transaction.atomic():
        result = generate(seed=seed, people=120)
        visits = snapshot()
        cancelled = sorted(
            Session.objects.filter(status=Session.Status.CANCELLED).values_list(
                "activity__slug", "date", "cancel_reason"
            )
        )
        transaction.set_rollback(True)
    return result, visits, cancelled


def test_same_seed_same_people_and_visits(db):
    first = run_and_roll_back(seed=11)
    assert Person.objects.count() == 0  # really rolled back
    second = run_and_roll_back(seed=11)
    assert first[0].people == second[0].people
    assert first[0].summary() == second[0].summary()
    assert first[1] == second[1]
    assert first[2] == second[2]
    other = run_and_roll_back(seed=12)
    assert other[1] != first[1]
