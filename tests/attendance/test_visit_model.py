from datetime import date

import pytest
from django.db import IntegrityError, transaction

from omzien.attendance.models import Visit
from tests.factories import PersonFactory, SessionFactory, VisitFactory


def test_a_person_visits_a_session_once(db):
    visit = VisitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(session=visit.session, person=visit.person)
    assert Visit.objects.count() == 1


def test_anonymous_visits_can_repeat(db):
    session = SessionFactory()
    Visit.objects.bulk_create([Visit(session=session) for _ in range(3)])
    assert session.visits.filter(person__isnull=True).count() == 3
    assert all(v.is_anonymous for v in session.visits.all())


def test_the_same_person_at_two_sessions(db):
    person = PersonFactory()
    VisitFactory(person=person)
    VisitFactory(person=person, session__date=date(2026, 3, 10))
    assert person.visits.count() == 2
