"""Inzage: everything Omzien keeps about one person, as a PDF and as JSON, audit-logged,
for who follows the person's places up; questionnaire answers never in it."""

import json
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.audit.models import AuditEvent
from omzien.people.models import Person
from omzien.privacy import services
from omzien.privacy.access_request import EXCLUDED, INCLUDED, gather
from omzien.wellbeing import services as wellbeing
from tests import factories
from tests.attendance import door

pytestmark = pytest.mark.django_db


def test_every_model_that_points_at_a_person_is_included_or_excluded_with_a_reason():
    pointing = {
        model._meta.label
        for model in apps.get_models()
        for model_field in model._meta.get_fields()
        if model_field.is_relation
        and not model_field.auto_created
        and model_field.related_model is Person
    }
    assert pointing, "the walk found nothing: it would pass for nothing"
    unaccounted = sorted(pointing - set(INCLUDED) - set(EXCLUDED))
    assert not unaccounted, f"models with a person not in the inzage nor excluded: {unaccounted}"
    assert not set(INCLUDED) & set(EXCLUDED)
    assert all(str(reason).strip() for reason in EXCLUDED.values())
    assert "wellbeing.PseudonymLink" in EXCLUDED


@pytest.fixture
def riet(benring):
    """Riet came twice, has a signal with a contact, asked for and offered help, and
    answered a questionnaire."""
    person = door.person("Riet", "Bos", place=benring, followup=True)
    for day in (1, 8):
        session = factories.SessionFactory(
            activity__place=benring, activity__title="Koffieochtend", date=date(2026, 3, day)
        )
        factories.VisitFactory(session=session, person=person)
    signal = factories.SignalFactory(person=person, place=benring, reason="Drie keer gemist")
    factories.ContactLogFactory(signal=signal, note="Gebeld, gaat goed")
    help_request = factories.HelpRequestFactory(
        person=person, place=benring, village=benring.village, description="Boodschappen"
    )
    offer = factories.HelpOfferFactory(place=benring, village=benring.village)
    factories.HelpMatchFactory(request=help_request, offer=offer)
    factories.HelpOfferFactory(person=person, place=benring, village=benring.village)
    draft = wellbeing.start(person, benring, consent=True, acting_user=SYSTEM)
    wellbeing.save_answer(draft, "djg6", 1, "ja", acting_user=SYSTEM)
    return person


@pytest.fixture
def coordinator(benring):
    return factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user


def test_gather_has_every_section_with_the_rows(riet):
    with translation.override("en"):
        found = gather(riet).as_json()
    sections = found["sections"]
    assert sections["person"][0]["first_name"] == "Riet"
    assert {row["purpose"] for row in sections["consents"]} >= {"names", "followup"}
    assert len(sections["visits"]) == 2
    [signal] = sections["signals"]
    assert signal["reason"] == "Drie keer gemist"
    assert signal["contacts"][0]["note"] == "Gebeld, gaat goed"
    [help_request] = sections["help_requests"]
    assert help_request["description"] == "Boodschappen" and len(help_request["matches"]) == 1
    assert len(sections["help_offers"]) == 1
    assert "search_name" not in sections["person"][0]
    # The questionnaire: named as left out, with why; no answer anywhere.
    assert any("pseudonym" in row["why"] for row in found["not_included"])
    assert "djg6" not in json.dumps(found)


def test_the_json_download_is_audit_logged_as_an_export_of_that_person(client, riet, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("privacy_rights:access_json", args=[riet.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["person_id"] == riet.pk and len(data["sections"]["visits"]) == 2
    event = AuditEvent.objects.get(subject="access request")
    assert (event.user, event.person, event.action, event.detail) == (
        coordinator,
        riet,
        AuditEvent.Action.EXPORT,
        "json",
    )


def test_the_pdf_is_a_pdf_and_audit_logged(client, riet, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("privacy_rights:access_pdf", args=[riet.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(subject="access request", person=riet, detail="pdf").exists()


def test_the_pdf_html_reads_in_dutch_with_the_data(riet):
    from omzien.privacy.access_pdf import render_html

    with translation.override("nl"):
        html = render_html(gather(riet))
    assert "Wat Omzien over u bewaart" in html
    assert "Gebeld, gaat goed" in html and "Boodschappen" in html


def test_a_coordinator_of_another_place_and_a_host_get_nothing(client, riet, trefpunt, benring):
    elsewhere = factories.MembershipFactory(role=Role.COORDINATOR, place=trefpunt).user
    host = factories.MembershipFactory(role=Role.HOST, place=benring).user
    for user in (elsewhere, host):
        with pytest.raises(NotFound):
            services.produce_access_request(riet, acting_user=user, output="json")
        client.force_login(user)
        assert client.get(reverse("privacy_rights:access_json", args=[riet.pk])).status_code == 404
    assert not AuditEvent.objects.filter(subject="access request").exists()
