"""Making visits for report tests: one session per activity and day, made on demand."""

from datetime import date

from omzien.agenda.models import Session
from tests import factories


def add_visit(activity, day: date, person=None, anonymous: int = 0):
    session = Session.objects.filter(activity=activity, date=day).first()
    if session is None:
        session = factories.SessionFactory(activity=activity, date=day)
    if person is not None:
        factories.VisitFactory(session=session, person=person)
    for _number in range(anonymous):
        factories.VisitFactory(session=session, person=None)
    return session
