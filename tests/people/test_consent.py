from datetime import UTC, datetime

import pytest

from omzien.people.models import Person, Purpose
from tests.factories import ConsentFactory, PersonFactory


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 10, tzinfo=UTC)


@pytest.fixture
def mariette(db):
    return PersonFactory(first_name="Mariëtte", last_name="de Vries")


def test_no_answer_means_no_consent(mariette):
    assert not mariette.has_consent(Purpose.NAMES)
    assert not Person.objects.with_consent(Purpose.NAMES).exists()


def test_the_latest_answer_per_purpose_counts(mariette):
    ConsentFactory(person=mariette, purpose=Purpose.NAMES, given=True, recorded_at=at(1))
    ConsentFactory(person=mariette, purpose=Purpose.FOLLOWUP, given=True, recorded_at=at(1))
    ConsentFactory(person=mariette, purpose=Purpose.FOLLOWUP, given=False, recorded_at=at(9))

    assert mariette.has_consent(Purpose.NAMES)
    assert not mariette.has_consent(Purpose.FOLLOWUP)
    assert list(Person.objects.with_consent(Purpose.NAMES)) == [mariette]
    assert not Person.objects.with_consent(Purpose.FOLLOWUP).exists()


def test_consent_given_again_after_withdrawal(mariette):
    ConsentFactory(person=mariette, purpose=Purpose.FOLLOWUP, given=False, recorded_at=at(1))
    ConsentFactory(person=mariette, purpose=Purpose.FOLLOWUP, given=True, recorded_at=at(5))
    assert mariette.has_consent(Purpose.FOLLOWUP)
    assert list(Person.objects.with_consent(Purpose.FOLLOWUP)) == [mariette]


def test_purposes_use_the_visit_and_help_file_words():
    assert {p.value for p in Purpose} == {"names", "followup", "questionnaires", "help"}
