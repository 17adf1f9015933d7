"""Merging two person records: every kind of row moves, collisions resolve, undo for a day."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models

from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.people.matching import likely_duplicate_pairs
from omzien.people.models import Consent, FollowUpContact, Person, Purpose
from omzien.privacy import forgetting, merging, services
from omzien.privacy.merging import row_values
from omzien.privacy.models import PersonMerge
from omzien.signals.models import AnnouncedAbsence, ContactLog, Outcome, Signal
from tests import factories
from tests.attendance.door import ANY_TIME, person

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 20, 11, 0, tzinfo=UTC)


@pytest.fixture
def cora(benring):
    """Cora coordinates De Benring."""
    return factories.MembershipFactory(
        user__username="cora", role=Role.COORDINATOR, place=benring
    ).user


@pytest.fixture
def sessions(benring):
    activity = factories.ActivityFactory(place=benring, title="Koffieochtend")
    return [
        factories.SessionFactory(activity=activity, date=date(2026, 3, day)) for day in (3, 10, 17)
    ]


@pytest.fixture
def jannie(benring, sessions, professional):
    """The record that is kept: two visits, follow-up yes, an open signal with a contact."""
    kept = person("Jannie", "Kamphuis", place=benring, followup=True)
    for session in sessions[:2]:
        factories.VisitFactory(session=session, person=kept)
    signal = factories.SignalFactory(person=kept, place=benring)
    factories.ContactLogFactory(signal=signal, by=professional)
    return kept


@pytest.fixture
def janie(benring, trefpunt, sessions, professional):
    """The duplicate a host made: one visit at a session Jannie came to as well, one of its
    own, an open signal at De Benring too (assigned, with a contact), a closed one at
    Trefpunt, an absence, contact details, a look in the audit log, an admin log entry and
    a reference from an imported list."""
    duplicate = person("Janie", "Kamphuis", place=benring, followup=True)
    duplicate.ref = "lijst-17"
    duplicate.save(update_fields=["ref"])
    for session in sessions[1:]:
        factories.VisitFactory(session=session, person=duplicate)
    factories.ConsentFactory(
        person=duplicate,
        purpose=Purpose.QUESTIONNAIRES,
        given=True,
        recorded_at=ANY_TIME + timedelta(days=1),
    )
    open_signal = factories.SignalFactory(
        person=duplicate, place=benring, assigned_to=professional, snoozed_until=None
    )
    factories.ContactLogFactory(signal=open_signal, by=professional, note="Gebeld")
    factories.SignalFactory(
        person=duplicate, place=trefpunt, status=Signal.Status.CLOSED, outcome=Outcome.ALL_FINE
    )
    factories.AnnouncedAbsenceFactory(person=duplicate)
    factories.FollowUpContactFactory(person=duplicate, phone="0571123456")
    factories.AuditEventFactory(user=professional, person=duplicate)
    LogEntry.objects.create(
        content_type_id=_person_content_type(),
        object_id=str(duplicate.pk),
        object_repr=str(duplicate),
        action_flag=2,
        user=professional,
    )
    return duplicate


def _person_content_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Person).pk


def covered_models():
    return {label for step in merging.registered_steps() for label in step.covers}


def state():
    """Every row of every model a merge step covers, and every person, by model and id."""
    labels = covered_models() | {Person._meta.label, ContactLog._meta.label}
    return {
        label: {obj.pk: row_values(obj) for obj in apps.get_model(label).objects.all()}
        for label in labels
    }


def merge(kept, duplicate, user):
    with time_machine.travel(NOON, tick=False):
        return services.merge_people(kept, duplicate, acting_user=user)


def test_every_model_that_points_at_a_person_has_a_merge_step():
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is Person
    }
    pointing.discard(PersonMerge._meta.label)  # the merge record itself
    assert pointing - covered_models() == set()


def test_merge_moves_every_kind_of_row_to_the_kept_person(jannie, janie, cora, sessions):
    duplicate_id = janie.pk
    merge(jannie, janie, cora)

    assert not Person.objects.filter(pk=duplicate_id).exists()
    # Two visits to the session of 10 March are one; the one of 17 March came along.
    assert sorted(Visit.objects.filter(person=jannie).values_list("session__date", flat=True)) == [
        date(2026, 3, 3),
        date(2026, 3, 10),
        date(2026, 3, 17),
    ]
    assert Visit.objects.count() == 3
    # Consents are a log: all four answers stay, the latest per purpose counts.
    assert Consent.objects.filter(person=jannie).count() == 5
    assert jannie.has_consent(Purpose.QUESTIONNAIRES)
    signals = Signal.objects.filter(person=jannie)
    assert signals.count() == 3
    assert signals.active().count() == 1  # one active signal per person and place
    closed_duplicate = signals.get(assigned_to__isnull=False)
    assert (closed_duplicate.status, closed_duplicate.outcome) == (Signal.Status.CLOSED, "other")
    assert closed_duplicate.contacts.get().note == "Gebeld"
    assert AnnouncedAbsence.objects.get().person == jannie
    assert FollowUpContact.objects.get().person == jannie
    assert AuditEvent.objects.filter(person=jannie, subject="person history").exists()
    assert LogEntry.objects.get().object_id == str(jannie.pk)
    jannie.refresh_from_db()
    assert jannie.ref == "lijst-17"  # the next import finds her


def test_merge_writes_one_audit_row_with_counts_and_no_data_of_the_duplicate(jannie, janie, cora):
    merge(jannie, janie, cora)
    row = AuditEvent.objects.get(subject=services.MERGE_SUBJECT)
    assert (row.user, row.person, row.action) == (cora, jannie, AuditEvent.Action.CHANGE)
    assert "moved: 1 visits, 2 signals, 3 consents" in row.detail
    assert "doubles removed: 1 visits" in row.detail
    for data in ("Janie", "lijst-17", "0571123456"):
        assert data not in row.detail


def test_undo_restores_the_duplicate_exactly(jannie, janie, cora):
    before = state()
    result = merge(jannie, janie, cora)
    with time_machine.travel(NOON + timedelta(hours=23, minutes=59), tick=False):
        services.undo_merge(result.merge, acting_user=cora)
    after = state()
    for label, rows in before.items():
        assert {pk: after[label].get(pk) for pk in rows} == rows, label
    # Nothing of the merge is left but the audit rows and an emptied record.
    assert set(after[AuditEvent._meta.label]) - set(before[AuditEvent._meta.label])
    record = PersonMerge.objects.get()
    assert record.snapshot == {} and record.undone_at is not None
    assert AuditEvent.objects.filter(subject=services.MERGE_SUBJECT).count() == 2


def test_rows_that_came_after_the_merge_stay_with_the_kept_person(jannie, janie, cora, benring):
    result = merge(jannie, janie, cora)
    later = factories.VisitFactory(session__activity__place=benring, person=jannie)
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        services.undo_merge(result.merge, acting_user=cora)
    later.refresh_from_db()
    assert later.person == jannie


def test_undo_is_refused_after_a_day_and_changes_nothing(jannie, janie, cora):
    duplicate_id = janie.pk
    result = merge(jannie, janie, cora)
    later = time_machine.travel(NOON + timedelta(days=1), tick=False)
    with later, pytest.raises(ValidationError) as refused:
        services.undo_merge(result.merge, acting_user=cora)
    assert refused.value.code == "too_late"
    assert not Person.objects.filter(pk=duplicate_id).exists()
    assert Visit.objects.filter(person=jannie).count() == 3


def test_undo_twice_is_refused(jannie, janie, cora):
    result = merge(jannie, janie, cora)
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        services.undo_merge(result.merge, acting_user=cora)
        with pytest.raises(ValidationError) as refused:
            services.undo_merge(PersonMerge.objects.get(), acting_user=cora)
    assert refused.value.code == "undone"


def test_a_coordinator_of_another_place_cannot_merge_or_undo(
    jannie, janie, cora, coordinator_trefpunt
):
    before = state()
    with pytest.raises(NotFound):
        services.merge_people(jannie, janie, acting_user=coordinator_trefpunt)
    assert state() == before
    result = merge(jannie, janie, cora)
    with time_machine.travel(NOON + timedelta(hours=1), tick=False), pytest.raises(NotFound):
        services.undo_merge(result.merge, acting_user=coordinator_trefpunt)


def test_one_person_out_of_reach_is_refused(jannie, cora, trefpunt):
    elsewhere = person("Jannie", "Kamphuis", place=trefpunt)
    with pytest.raises(NotFound):
        services.merge_people(jannie, elsewhere, acting_user=cora)
    assert Person.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.parametrize("role", [Role.HOST, Role.PROFESSIONAL, Role.VIEWER])
def test_roles_that_do_not_manage_the_place_cannot_merge(jannie, janie, benring, role):
    user = factories.MembershipFactory(role=role, place=benring).user
    with pytest.raises(NotFound):
        services.merge_people(jannie, janie, acting_user=user)


def test_a_person_cannot_be_merged_with_themselves(jannie, cora):
    with pytest.raises(ValidationError):
        services.merge_people(jannie, jannie, acting_user=cora)


def test_the_duplicates_contact_details_go_when_the_kept_person_has_no_follow_up_consent(
    jannie, janie, cora
):
    factories.ConsentFactory(
        person=jannie, purpose=Purpose.FOLLOWUP, given=False, recorded_at=ANY_TIME + timedelta(3)
    )
    result = merge(jannie, janie, cora)
    assert not FollowUpContact.objects.exists()
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        restored = services.undo_merge(result.merge, acting_user=cora)
    assert FollowUpContact.objects.get().person == restored


def test_the_kept_persons_own_contact_details_win(jannie, janie, cora):
    factories.FollowUpContactFactory(person=jannie, phone="0612345678")
    merge(jannie, janie, cora)
    assert FollowUpContact.objects.get().phone == "0612345678"


def test_forgetting_the_kept_person_forgets_the_merge_record(jannie, janie, cora):
    merge(jannie, janie, cora)
    forgotten = forgetting.forget_people([jannie.pk], acting_user=SYSTEM, subject="erasure")
    assert forgotten["merge records"] == 1
    assert not PersonMerge.objects.exists()


def test_the_nightly_run_forgets_merges_older_than_a_day(jannie, janie, cora):
    merge(jannie, janie, cora)
    with time_machine.travel(NOON + timedelta(hours=23), tick=False):
        call_command("forget_inactive_people")
    assert PersonMerge.objects.count() == 1
    with time_machine.travel(NOON + timedelta(days=1, minutes=1), tick=False):
        call_command("forget_inactive_people")
    assert not PersonMerge.objects.exists()


def test_likely_pairs_tolerate_typos_and_word_order_within_one_village(benring, twello):
    jannie = person("Jannie", "Kamphuis", place=benring)
    typo = person("Janie", "Kamphuis", place=benring)
    turned = person("Kamphuis", "Jannie", place=benring)
    elsewhere = person("Jannie", "Kamphuis", place=benring, village=twello)
    person("Gerrit", "Bos", place=benring)
    pairs = likely_duplicate_pairs(Person.objects.all())
    found = {frozenset((pair.first.pk, pair.second.pk)) for pair in pairs}
    assert found == {
        frozenset((jannie.pk, typo.pk)),
        frozenset((jannie.pk, turned.pk)),
        frozenset((typo.pk, turned.pk)),
    }
    assert elsewhere.pk not in {pk for pair in found for pk in pair}
    assert pairs[0].score == 100  # the same words in another order first


def test_undo_is_refused_when_the_duplicates_reference_is_in_use_again(jannie, janie, cora):
    jannie.ref = "lijst-3"
    jannie.save(update_fields=["ref"])
    result = merge(jannie, janie, cora)
    factories.PersonFactory(ref="lijst-17")  # an import made the duplicate anew meanwhile
    later = time_machine.travel(NOON + timedelta(hours=1), tick=False)
    with later, pytest.raises(ValidationError) as refused:
        services.undo_merge(result.merge, acting_user=cora)
    assert refused.value.code == "in_use"
    assert Visit.objects.filter(person=jannie).count() == 3
    assert PersonMerge.objects.get().undone_at is None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Mariëtte", "de Vries"), ("Mariette", "Vries")),
        (("Jannie", ""), ("Jannie", "Kamphuis")),
        (("Jannie Kamphuis", ""), ("Jannie", "Kamphuis")),
        (("Gerrit", "van Dijk"), ("Gerit", "van Dijk")),
    ],
)
def test_likely_pairs_across_the_ways_a_name_gets_typed(benring, one, other):
    person(*one, place=benring)
    person(*other, place=benring)
    assert len(likely_duplicate_pairs(Person.objects.all())) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Ina", "Brinkman"), ("Mien", "Brinkman")),
        (("Ans", "Wijnbergen"), ("Lucas", "Wijnbergen")),
        (("Henk", "van Dijk"), ("Herman", "van Dijk")),
        (("Jannie", "Kamphuis"), ("Jannie", "Mulder")),
    ],
)
def test_family_and_namesakes_are_not_a_pair(benring, one, other):
    person(*one, place=benring)
    person(*other, place=benring)
    assert likely_duplicate_pairs(Person.objects.all()) == []
