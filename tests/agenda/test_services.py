from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from omzien.accounts.permissions import SYSTEM
from omzien.agenda import services
from omzien.agenda.models import Session
from tests.factories import ActivityFactory, VisitFactory

TODAY = date(2026, 11, 24)  # a Tuesday


@pytest.fixture
def activity(db):
    activity = ActivityFactory(first_date=date(2026, 9, 1))
    services.materialise_sessions(date(2026, 11, 1), date(2026, 12, 31), activities=[activity])
    return activity


def test_changed_rule_moves_future_sessions_and_keeps_the_past(activity):
    past = activity.sessions.get(date=date(2026, 11, 17))
    VisitFactory(session=activity.sessions.get(date=date(2026, 12, 1)))
    activity.rrule = "FREQ=WEEKLY;BYDAY=TH"
    activity.start_time = time(14, 0)
    activity.save()

    services.sync_activity_sessions(activity, today=TODAY)

    past.refresh_from_db()
    assert past.starts_at.astimezone().time() == time(10, 0)
    future = activity.sessions.filter(date__gte=TODAY)
    weekdays = {s.date.weekday() for s in future if not s.visits.exists()}
    assert weekdays == {3}
    assert {
        s.starts_at.astimezone().time() for s in future.filter(date__gte=date(2026, 12, 2))
    } == {time(14, 0)}
    # A Tuesday session with a visit is not thrown away.
    assert activity.sessions.filter(date=date(2026, 12, 1)).exists()


def test_cancelled_and_rescheduled_sessions_survive_a_rule_change(activity):
    cancelled = activity.sessions.get(date=date(2026, 12, 8))
    services.cancel_session(cancelled, "Kerstmarkt in de zaal", acting_user=SYSTEM)
    moved = activity.sessions.get(date=date(2026, 12, 15))
    moved.starts_at += timedelta(hours=1)
    moved.ends_at += timedelta(hours=1)
    moved.is_rescheduled = True
    moved.save()
    activity.start_time = time(9, 30)
    activity.save()

    services.sync_activity_sessions(activity, today=TODAY)

    cancelled.refresh_from_db()
    moved.refresh_from_db()
    assert cancelled.is_cancelled
    assert cancelled.starts_at.astimezone().time() == time(10, 0)
    assert moved.starts_at.astimezone().time() == time(11, 0)
    regular = activity.sessions.get(date=date(2026, 12, 22))
    assert regular.starts_at.astimezone().time() == time(9, 30)


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(activity):
    session = activity.sessions.get(date=date(2026, 12, 1))
    with pytest.raises(ValidationError) as raised:
        services.cancel_session(session, "   ", acting_user=SYSTEM)
    assert "cancel_reason" in raised.value.message_dict
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_reinstating_a_cancelled_session(activity):
    session = services.cancel_session(
        activity.sessions.get(date=date(2026, 12, 1)), "Ziekte", acting_user=SYSTEM
    )
    services.reinstate_session(session, acting_user=SYSTEM)
    session.refresh_from_db()
    assert not session.is_cancelled
    assert session.cancel_reason == ""


def test_deactivated_activity_gets_no_new_sessions(activity):
    activity.is_active = False
    activity.save()
    assert services.materialise_sessions(date(2027, 1, 1), date(2027, 2, 1)) == 0


# --- A coordinator's changes: access, audit, and what stays -----------------------------


@pytest.fixture
def managed(activity):
    """The activity's coordinator, and a coordinator of another place."""
    from omzien.accounts.models import Role
    from tests.factories import MembershipFactory, PlaceFactory

    own = MembershipFactory(role=Role.COORDINATOR, place=activity.place).user
    other = MembershipFactory(role=Role.COORDINATOR, place=PlaceFactory()).user
    return own, other


def test_only_a_coordinator_of_the_place_changes_its_sessions(activity, managed):
    from omzien.accounts.permissions import NotFound
    from omzien.audit.models import AuditEvent

    own, other = managed
    session = activity.sessions.get(date=date(2026, 12, 1))
    with pytest.raises(NotFound):
        services.cancel_session(session, "Storm", acting_user=other)
    session.refresh_from_db()
    assert not session.is_cancelled
    services.cancel_session(session, "Storm", acting_user=own)
    assert AuditEvent.objects.filter(user=own, subject="session", action="change").exists()


def test_moving_a_session_marks_it_rescheduled(activity, managed):
    own, _other = managed
    session = activity.sessions.get(date=date(2026, 12, 1))
    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    services.save_session(session, acting_user=own, changed={"starts_at", "ends_at"})
    session.refresh_from_db()
    assert session.is_rescheduled and not session.is_extra


def test_a_session_outside_the_rule_is_an_extra_one(activity, managed):
    own, _other = managed
    start = Session(activity=activity, date=date(2026, 12, 3)).rule_start
    extra = Session(
        activity=activity, date=date(2026, 12, 3), starts_at=start, ends_at=start + timedelta(1)
    )
    services.save_session(extra, acting_user=own)
    assert extra.is_extra


def test_a_session_people_came_to_is_not_deleted(activity, managed):
    own, other = managed
    session = activity.sessions.get(date=date(2026, 12, 1))
    VisitFactory(session=session)
    with pytest.raises(ValidationError, match="Annuleer"):
        services.delete_session(session, acting_user=own)
    empty = activity.sessions.get(date=date(2026, 12, 8))
    from omzien.accounts.permissions import NotFound

    with pytest.raises(NotFound):
        services.delete_session(empty, acting_user=other)
    services.delete_session(empty, acting_user=own)
    assert not Session.objects.filter(pk=empty.pk).exists()
    assert Session.objects.filter(pk=session.pk).exists()
