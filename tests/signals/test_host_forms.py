"""The host's forms at the door: "let op" and an announced absence."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from omzien.signals.models import AnnouncedAbsence, Signal
from tests import factories
from tests.attendance import door


@pytest.fixture
def jan(trefpunt):
    """Jan, registered at Trefpunt, agreed to names and to follow-up."""
    return door.person("Jan", "Smit", place=trefpunt, followup=True)


@pytest.fixture
def gerda(trefpunt):
    """Gerda, registered at Trefpunt, said no to follow-up."""
    return door.person("Gerda", "Bos", place=trefpunt, followup=False)


def let_op_url(person, place=None):
    url = reverse("signals:let_op", args=[person.pk])
    return f"{url}?plek={place.slug}" if place else url


def absence_url(person):
    return reverse("signals:absence", args=[person.pk])


# --- Let op ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_host_raises_let_op(client, host_trefpunt, trefpunt, jan):
    client.force_login(host_trefpunt)
    response = client.get(let_op_url(jan, trefpunt))
    assert response.status_code == 200
    assert b'id="let-op-form"' in response.content
    assert AuditEvent.objects.filter(
        user=host_trefpunt, person=jan, action="view", subject="let op form"
    ).exists()

    response = client.post(
        let_op_url(jan, trefpunt),
        {"place": trefpunt.pk, "reason": "Klonk somber, vrouw ligt in het ziekenhuis"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("attendance:person", args=[jan.pk])
    assert "Jan Smit" in response.content.decode()
    assert b'id="door-messages"' in response.content  # the confirmation
    signal = Signal.objects.get(person=jan)
    assert (signal.place, signal.kind, signal.status) == (trefpunt, "manual", "open")
    assert signal.reason == "Klonk somber, vrouw ligt in het ziekenhuis"
    assert signal.created_by == host_trefpunt
    assert AuditEvent.objects.filter(
        user=host_trefpunt, person=jan, action="create", subject="signal"
    ).exists()


@pytest.mark.django_db
def test_place_by_id_and_the_person_page_links(client, host_trefpunt, trefpunt, jan):
    client.force_login(host_trefpunt)
    url = reverse("signals:let_op", args=[jan.pk])
    assert client.get(f"{url}?plek={trefpunt.pk}").status_code == 200
    page = client.get(reverse("attendance:person", args=[jan.pk])).content.decode()
    assert url in page
    assert absence_url(jan) in page


@pytest.mark.django_db
def test_let_op_without_a_reason_is_a_form_error(client, host_trefpunt, trefpunt, jan):
    client.force_login(host_trefpunt)
    response = client.post(let_op_url(jan), {"place": trefpunt.pk, "reason": "   "})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_let_op_refused_without_followup_consent(client, host_trefpunt, trefpunt, gerda):
    client.force_login(host_trefpunt)
    response = client.get(let_op_url(gerda, trefpunt))
    assert response.status_code == 200
    assert b'id="no-followup"' in response.content
    assert b'id="let-op-form"' not in response.content
    page = client.get(reverse("attendance:person", args=[gerda.pk])).content
    assert reverse("signals:let_op", args=[gerda.pk]).encode() not in page

    response = client.post(let_op_url(gerda), {"place": trefpunt.pk, "reason": "Zorgen"})
    assert response.status_code == 400
    assert b'id="no-followup"' in response.content
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_host_of_another_place_gets_404(client, host_benring, trefpunt, benring, jan):
    client.force_login(host_benring)
    assert client.get(let_op_url(jan)).status_code == 404
    response = client.post(let_op_url(jan), {"place": trefpunt.pk, "reason": "Zorgen"})
    assert response.status_code == 404
    assert client.post(absence_url(jan), {"first_day": "2026-05-01"}).status_code == 404
    assert not Signal.objects.exists()
    assert not AnnouncedAbsence.objects.exists()


@pytest.mark.django_db
def test_a_place_the_host_does_not_host_is_404(client, host_trefpunt, benring, jan):
    client.force_login(host_trefpunt)
    assert client.get(let_op_url(jan, benring)).status_code == 404


@pytest.mark.django_db
def test_a_place_outside_the_persons_places_is_not_a_choice(
    client, coordinator_trefpunt, trefpunt, benring, jan
):
    factories.MembershipFactory(user=coordinator_trefpunt, role=Role.HOST, place=benring)
    client.force_login(coordinator_trefpunt)
    response = client.post(let_op_url(jan), {"place": benring.pk, "reason": "Zorgen"})
    assert response.status_code == 400
    assert response.context["form"].errors["place"]
    assert not Signal.objects.exists()


@pytest.mark.django_db
def test_viewer_gets_404_as_for_anyone_out_of_reach(client, viewer, trefpunt, jan):
    client.force_login(viewer)
    assert client.get(let_op_url(jan, trefpunt)).status_code == 404
    assert client.post(let_op_url(jan), {"place": trefpunt.pk, "reason": "x"}).status_code == 404
    assert client.get(absence_url(jan)).status_code == 404
    assert not Signal.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_logged_out_goes_to_login(client, trefpunt, jan):
    for url in (let_op_url(jan, trefpunt), absence_url(jan)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/inloggen/")
    response = client.post(absence_url(jan), {"first_day": "2026-05-01", "last_day": "2026-05-12"})
    assert response.status_code == 302
    assert not AnnouncedAbsence.objects.exists()


@pytest.mark.django_db
def test_coordinator_and_professional_may_raise_let_op(
    client, coordinator_trefpunt, professional, trefpunt, jan
):
    for user in (coordinator_trefpunt, professional):
        client.force_login(user)
        response = client.post(let_op_url(jan), {"place": trefpunt.pk, "reason": f"door {user}"})
        assert response.status_code == 302
    signal = Signal.objects.get(person=jan)  # the second adds to the open signal
    assert "door carla" in signal.reason
    assert "door pauline" in signal.reason


# --- Announced absence -------------------------------------------------------------------


@pytest.mark.django_db
def test_host_records_an_absence(client, host_trefpunt, jan, time_machine):
    # Told on 27 April 2026: the absence lies within a year of that day, not of today.
    time_machine.move_to(datetime(2026, 4, 27, 11, 0, tzinfo=UTC), tick=False)
    client.force_login(host_trefpunt)
    response = client.get(absence_url(jan))
    assert response.status_code == 200
    assert b'id="absence-form"' in response.content
    response = client.post(
        absence_url(jan),
        {"first_day": "2026-04-28", "last_day": "2026-05-12", "note": "op vakantie"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("attendance:person", args=[jan.pk])
    assert "12 mei 2026" in response.content.decode()  # the confirmation, in Dutch
    absence = AnnouncedAbsence.objects.get(person=jan)
    assert (absence.first_day, absence.last_day) == (date(2026, 4, 28), date(2026, 5, 12))
    assert (absence.note, absence.recorded_by) == ("op vakantie", host_trefpunt)
    assert AuditEvent.objects.filter(
        user=host_trefpunt, person=jan, action="create", subject="announced absence"
    ).exists()
    assert AuditEvent.objects.filter(
        user=host_trefpunt, person=jan, action="view", subject="absence form"
    ).exists()


@pytest.mark.django_db
def test_last_day_before_first_day_is_a_form_error(client, host_trefpunt, jan):
    client.force_login(host_trefpunt)
    response = client.post(
        absence_url(jan), {"first_day": "2026-05-12", "last_day": "2026-04-28", "note": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["last_day"]
    assert b'class="error"' in response.content
    assert not AnnouncedAbsence.objects.exists()
    assert not AuditEvent.objects.filter(subject="announced absence").exists()


@pytest.mark.django_db
def test_missing_dates_are_form_errors(client, host_trefpunt, jan):
    client.force_login(host_trefpunt)
    response = client.post(absence_url(jan), {"first_day": "", "last_day": "morgen"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"first_day", "last_day"}
    assert not AnnouncedAbsence.objects.exists()


@pytest.mark.django_db
def test_absence_refused_without_followup_consent(client, host_trefpunt, gerda):
    client.force_login(host_trefpunt)
    response = client.post(
        absence_url(gerda), {"first_day": "2026-04-28", "last_day": "2026-05-12"}
    )
    assert response.status_code == 400
    assert b'id="no-followup"' in response.content
    assert not AnnouncedAbsence.objects.exists()
