"""Answers kept apart from names: consent first, no FK to a person, withdrawal and
forgetting delete, merging keeps one pseudonym, every read and write in the audit log,
and no admin page and no URL for the link."""

import io
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.audit.models import AuditEvent
from omzien.people.models import Person, Purpose
from omzien.people.services import record_consent
from omzien.privacy import services as privacy_services
from omzien.privacy.forgetting import forget_people
from omzien.wellbeing import services
from omzien.wellbeing.models import Draft, Pseudonym, PseudonymLink, Response, Wave
from tests import factories
from tests.attendance.door import person
from tests.wellbeing.helpers import LONELY, answered

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


@pytest.fixture
def jannie(benring):
    return person("Jannie", "Kamphuis", place=benring)


def test_only_the_link_points_at_a_person():
    for model in apps.get_app_config("wellbeing").get_models():
        for field in model._meta.get_fields():
            points_at_person = getattr(field, "related_model", None) is Person
            if isinstance(field, models.ForeignKey) and points_at_person:
                assert model is PseudonymLink, model


def test_no_questionnaire_without_consent(jannie, benring):
    assert services.start(jannie, benring, consent=False, acting_user=SYSTEM, today=DAY) is None
    assert not Draft.objects.exists()
    assert not PseudonymLink.objects.exists()
    assert not jannie.has_consent(Purpose.QUESTIONNAIRES)


def test_a_yes_opens_a_draft_against_a_pseudonym(jannie, benring):
    draft = services.start(jannie, benring, consent=True, acting_user=SYSTEM, today=DAY)
    assert draft.wave == Wave.BASELINE
    assert jannie.has_consent(Purpose.QUESTIONNAIRES)
    assert PseudonymLink.objects.get().pseudonym == draft.pseudonym


def test_answers_are_scored_and_kept_without_the_person(jannie, benring):
    responses = answered(jannie, benring, DAY, LONELY)
    djg6 = next(r for r in responses if r.instrument == "djg6")
    assert (djg6.total, djg6.category, djg6.emotional, djg6.social) == (6, "severe", 3, 3)
    assert Response.objects.count() == 2  # the GP question left out is not kept
    assert not Draft.objects.exists()


def test_a_repeat_only_after_the_period(jannie, benring, settings):
    settings.OMZIEN_QUESTIONNAIRE_REPEAT_MONTHS = 6
    answered(jannie, benring, DAY)
    with pytest.raises(services.Refused):
        services.start(jannie, benring, consent=True, acting_user=SYSTEM, today=date(2026, 9, 9))
    draft = services.start(
        jannie, benring, consent=True, acting_user=SYSTEM, today=date(2026, 9, 10)
    )
    assert draft.wave == Wave.REPEAT


def test_withdrawing_consent_deletes_the_link_and_the_answers(jannie, benring):
    answered(jannie, benring, DAY)
    other = person("Gerrit", place=benring)
    answered(other, benring, DAY)
    record_consent(jannie, Purpose.QUESTIONNAIRES, False, acting_user=SYSTEM)
    assert not PseudonymLink.objects.filter(person=jannie).exists()
    assert Pseudonym.objects.count() == 1
    assert Response.objects.count() == 2  # Gerrit's stay
    assert AuditEvent.objects.filter(subject="questionnaire answers", person=jannie).exists()


def test_forgetting_deletes_the_link_and_the_answers(jannie, benring):
    answered(jannie, benring, DAY)
    forgotten = forget_people([jannie.pk], acting_user=SYSTEM, subject="test")
    assert forgotten["questionnaire answers"] == 2
    assert not Pseudonym.objects.exists()
    assert not Response.objects.exists()


def test_merging_pairs_answers_under_one_pseudonym_and_undo_restores(benring):
    coordinator = factories.MembershipFactory(role="coordinator", place=benring).user
    kept = person("Jannie", "Kamphuis", place=benring)
    duplicate = person("Janie", "Kamphuis", place=benring)
    answered(kept, benring, DAY)
    answered(duplicate, benring, date(2026, 10, 1))
    duplicate_pseudonym = PseudonymLink.objects.get(person=duplicate).pseudonym_id
    result = privacy_services.merge_people(kept, duplicate, acting_user=coordinator)
    link = PseudonymLink.objects.get(person=kept)
    assert set(Response.objects.values_list("pseudonym_id", flat=True)) == {link.pseudonym_id}
    assert PseudonymLink.objects.count() == 1
    privacy_services.undo_merge(result.merge, acting_user=coordinator)
    restored = PseudonymLink.objects.get(person_id=duplicate.pk)
    assert restored.pseudonym_id == duplicate_pseudonym
    assert Response.objects.filter(pseudonym_id=duplicate_pseudonym).count() == 2


def test_merging_moves_the_only_link(benring):
    coordinator = factories.MembershipFactory(role="coordinator", place=benring).user
    kept = person("Jannie", "Kamphuis", place=benring)
    duplicate = person("Janie", "Kamphuis", place=benring)
    answered(duplicate, benring, DAY)
    privacy_services.merge_people(kept, duplicate, acting_user=coordinator)
    assert PseudonymLink.objects.get().person_id == kept.pk


def test_the_admin_shows_none_of_the_tables():
    registered = set(admin.site._registry)
    assert not registered & set(apps.get_app_config("wellbeing").get_models())


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_no_view_lists_the_link():
    """No view's module reads PseudonymLink: only `wellbeing.services` and the privacy
    steps do (and the services return no link or pseudonym to a view)."""
    import inspect

    for route, pattern in _patterns(get_resolver()):
        module = inspect.getmodule(pattern.callback)
        if module is None or not module.__name__.startswith("omzien"):
            continue
        source = inspect.getsource(module)
        assert "PseudonymLink" not in source, route
        assert "Pseudonym" not in source, route


def test_starting_needs_the_door_at_the_place(jannie, benring, trefpunt, coordinator_trefpunt):
    with pytest.raises(NotFound):
        services.start(jannie, benring, consent=True, acting_user=coordinator_trefpunt, today=DAY)
    assert not jannie.consents.filter(purpose=Purpose.QUESTIONNAIRES).exists()


def test_every_write_is_audit_logged_without_a_score(jannie, benring):
    answered(jannie, benring, DAY, LONELY)
    subjects = list(AuditEvent.objects.values_list("subject", flat=True))
    assert "questionnaire" in subjects
    assert subjects.count("questionnaire answer") == 7
    assert "questionnaire responses" in subjects
    for event in AuditEvent.objects.all():
        assert "severe" not in event.detail


def test_the_nightly_run_deletes_questionnaires_never_sent(jannie, benring, settings):
    settings.OMZIEN_QUESTIONNAIRE_LINK_DAYS = 14
    with time_machine.travel("2026-03-01 10:00 +01:00", tick=False):
        services.start(jannie, benring, consent=True, acting_user=SYSTEM, today=DAY)
    with time_machine.travel("2026-03-14 10:00 +01:00", tick=False):
        call_command("forget_inactive_people", stdout=io.StringIO())
        assert Draft.objects.count() == 1
    with time_machine.travel("2026-03-16 10:00 +01:00", tick=False):
        out = io.StringIO()
        call_command("forget_inactive_people", stdout=out)
        assert not Draft.objects.exists()
        assert "1 vragenlijsten" in out.getvalue() or "1 questionnaires" in out.getvalue()
