import uuid

import pytest
from django.core.exceptions import ValidationError

from omzien.agenda.services import cancel_session
from omzien.attendance import services
from omzien.attendance.models import Visit
from tests.factories import PersonFactory, SessionFactory


@pytest.fixture
def session(trefpunt):
    return SessionFactory(activity__place=trefpunt)


def test_check_in_twice_makes_one_visit(session, coordinator_trefpunt):
    person = PersonFactory()
    first, created = services.check_in(session, person, by=coordinator_trefpunt)
    again, created_again = services.check_in(session, person)
    assert created and not created_again
    assert first == again
    assert first.recorded_by == coordinator_trefpunt
    assert Visit.objects.count() == 1


def test_undo_check_in(session):
    person = PersonFactory()
    services.check_in(session, person)
    assert services.undo_check_in(session, person)
    assert not services.undo_check_in(session, person)
    assert not Visit.objects.exists()


def test_anonymous_tap_retried_counts_once(session):
    token = uuid.uuid4()
    services.add_anonymous(session, token=token)
    services.add_anonymous(session, token=token)
    services.add_anonymous(session, token=uuid.uuid4())
    assert session.visits.filter(person__isnull=True).count() == 2
    assert services.remove_anonymous(session, token=token)
    assert services.remove_anonymous(session)
    assert not services.remove_anonymous(session)


def test_token_of_another_session_is_refused(session, trefpunt):
    token = uuid.uuid4()
    services.add_anonymous(session, token=token)
    other = SessionFactory(activity=session.activity, date=session.date.replace(day=10))
    with pytest.raises(ValidationError):
        services.add_anonymous(other, token=token)


def test_no_check_in_at_a_cancelled_session(session):
    cancel_session(session, "Storm")
    with pytest.raises(ValidationError):
        services.check_in(session, PersonFactory())
    with pytest.raises(ValidationError):
        services.add_anonymous(session)
    assert not Visit.objects.exists()
