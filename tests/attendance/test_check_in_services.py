"""The door's services decide access themselves: the acting user, the session's place and
the person; every visit of a named person is in the audit log."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from omzien.accounts.permissions import NotFound
from omzien.agenda.services import cancel_session
from omzien.attendance import services
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from tests.attendance import door
from tests.factories import SessionFactory


@pytest.fixture
def session(trefpunt):
    return SessionFactory(activity__place=trefpunt)


@pytest.fixture
def riet(trefpunt):
    return door.person("Riet", "Bos", place=trefpunt)


def test_check_in_twice_makes_one_visit(session, riet, coordinator_trefpunt):
    first, created = services.check_in(session, riet, acting_user=coordinator_trefpunt)
    again, created_again = services.check_in(session, riet, acting_user=coordinator_trefpunt)
    assert created and not created_again
    assert first == again
    assert first.recorded_by == coordinator_trefpunt
    assert Visit.objects.count() == 1
    assert AuditEvent.objects.filter(action="create", subject="visit", person=riet).count() == 1


def test_undo_check_in(session, riet, coordinator_trefpunt):
    services.check_in(session, riet, acting_user=coordinator_trefpunt)
    assert services.undo_check_in(session, riet, acting_user=coordinator_trefpunt)
    assert not services.undo_check_in(session, riet, acting_user=coordinator_trefpunt)
    assert not Visit.objects.exists()
    assert AuditEvent.objects.filter(action="delete", subject="visit", person=riet).count() == 1


def test_a_host_of_another_place_cannot_check_in_here(session, riet, host_benring):
    with pytest.raises(NotFound):
        services.check_in(session, riet, acting_user=host_benring)
    with pytest.raises(NotFound):
        services.add_anonymous(session, acting_user=host_benring)
    with pytest.raises(NotFound):
        services.remove_anonymous(session, acting_user=host_benring)
    assert not Visit.objects.exists()


def test_nobody_without_a_role_checks_in(session, riet, viewer):
    with pytest.raises(NotFound):
        services.check_in(session, riet, acting_user=viewer)
    with pytest.raises(NotFound):
        services.undo_check_in(session, riet, acting_user=viewer)
    assert not Visit.objects.exists()


def test_a_person_the_host_may_not_find_is_not_checked_in(session, coordinator_trefpunt, benring):
    elsewhere = door.person("Bep", "Elders", place=benring)
    unnamed = door.person("Zonder", "Naam", place=session.activity.place, names=False)
    for person in (elsewhere, unnamed):
        with pytest.raises(NotFound):
            services.check_in(session, person, acting_user=coordinator_trefpunt)
    assert not Visit.objects.exists()


def test_anonymous_tap_retried_counts_once(session, coordinator_trefpunt):
    token = uuid.uuid4()
    services.add_anonymous(session, token=token, acting_user=coordinator_trefpunt)
    services.add_anonymous(session, token=token, acting_user=coordinator_trefpunt)
    services.add_anonymous(session, token=uuid.uuid4(), acting_user=coordinator_trefpunt)
    assert session.visits.filter(person__isnull=True).count() == 2
    assert services.remove_anonymous(session, token=token, acting_user=coordinator_trefpunt)
    assert services.remove_anonymous(session, acting_user=coordinator_trefpunt)
    assert not services.remove_anonymous(session, acting_user=coordinator_trefpunt)


def test_token_of_another_session_is_refused(session, coordinator_trefpunt):
    token = uuid.uuid4()
    services.add_anonymous(session, token=token, acting_user=coordinator_trefpunt)
    other = SessionFactory(activity=session.activity, date=session.date.replace(day=10))
    with pytest.raises(ValidationError):
        services.add_anonymous(other, token=token, acting_user=coordinator_trefpunt)


def test_no_check_in_at_a_cancelled_session(session, riet, coordinator_trefpunt):
    cancel_session(session, "Storm", acting_user=coordinator_trefpunt)
    with pytest.raises(ValidationError):
        services.check_in(session, riet, acting_user=coordinator_trefpunt)
    with pytest.raises(ValidationError):
        services.add_anonymous(session, acting_user=coordinator_trefpunt)
    assert not Visit.objects.exists()


def test_a_registration_sent_twice_registers_one_person(session, coordinator_trefpunt):
    token = uuid.uuid4()
    answers = {"names": True, "followup": False}

    def register():
        return services.register_and_check_in(
            session,
            first_name="Nel",
            village=session.activity.place.village,
            consents=answers,
            token=token,
            acting_user=coordinator_trefpunt,
        )

    first, first_visit = register()
    second, second_visit = register()
    assert first == second and first_visit == second_visit
    assert first.consents.count() == 2
    assert Visit.objects.count() == 1
