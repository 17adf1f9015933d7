"""How to reach someone for follow-up: recorded with the consent, shown only to those who
follow up, cleared on withdrawal, erased on forgetting, every look audit-logged."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from omzien.accounts import permissions
from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.attendance import services as attendance
from omzien.audit.models import AuditEvent
from omzien.core.validators import normalise_phone_nl
from omzien.people import services
from omzien.people.models import FollowUpContact, Purpose
from omzien.privacy import forgetting
from tests import factories
from tests.attendance import door

pytestmark = pytest.mark.django_db


@pytest.fixture
def riet(benring):
    return door.person("Riet", "Bos", place=benring, followup=True)


@pytest.fixture
def cora(benring):
    return factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06-12345678", "0612345678"),
        ("06 1234 5678", "0612345678"),
        ("(0571) 27 12 34", "0571271234"),
        ("+31 6 12345678", "+31612345678"),
        ("0031 571 271234", "+31571271234"),
    ],
)
def test_dutch_phone_numbers_as_people_write_them(typed, stored):
    assert normalise_phone_nl(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "06-1234567", "0612345678901", "+32 6 12345678", "bel"])
def test_other_phone_numbers_are_refused_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as refused:
        normalise_phone_nl(typed)
    assert refused.value.code == "invalid_phone"
    assert "06 12345678" in refused.value.messages[0]


def test_the_free_text_is_bounded(riet, cora):
    with pytest.raises(ValidationError):
        services.set_followup_contact(riet, how_to_reach="x" * 301, acting_user=cora)
    assert not FollowUpContact.objects.exists()


def test_those_who_follow_up_record_it_and_the_change_is_audit_logged(riet, cora):
    contact = services.set_followup_contact(
        riet, phone="06 12345678", how_to_reach="  na 10 uur  ", acting_user=cora
    )
    assert (contact.phone, contact.how_to_reach, contact.updated_by) == (
        "0612345678",
        "na 10 uur",
        cora,
    )
    assert AuditEvent.objects.filter(
        subject="contact details", person=riet, action=AuditEvent.Action.CREATE, user=cora
    ).exists()
    services.set_followup_contact(riet, acting_user=cora)  # both empty: removed
    assert not FollowUpContact.objects.exists()


@pytest.mark.parametrize("role", [Role.HOST, Role.VIEWER])
def test_hosts_and_viewers_may_not_record_or_read_it(riet, benring, role):
    factories.FollowUpContactFactory(person=riet)
    user = factories.MembershipFactory(role=role, place=benring).user
    with pytest.raises(NotFound):
        services.set_followup_contact(riet, phone="0612345678", acting_user=user)
    assert permissions.followup_contact_for_user(user, riet) is None


def test_a_coordinator_of_another_place_may_not(riet, coordinator_trefpunt):
    with pytest.raises(NotFound):
        services.set_followup_contact(riet, phone="0612345678", acting_user=coordinator_trefpunt)


def test_an_assigned_host_who_still_runs_the_door_there_may(riet, benring, host_benring):
    factories.SignalFactory(person=riet, place=benring, assigned_to=host_benring)
    services.set_followup_contact(riet, phone="0612345678", acting_user=host_benring)
    assert permissions.followup_contact_for_user(host_benring, riet).phone == "0612345678"


def test_without_the_follow_up_consent_nobody_may(benring, cora):
    gerrit = door.person("Gerrit", place=benring, followup=False)
    with pytest.raises(NotFound):
        services.set_followup_contact(gerrit, phone="0612345678", acting_user=cora)


def test_reading_it_is_audit_logged(riet, cora):
    factories.FollowUpContactFactory(person=riet)
    assert permissions.followup_contact_for_user(cora, riet).phone == "0612345678"
    assert AuditEvent.objects.filter(
        subject="contact details", person=riet, action=AuditEvent.Action.VIEW, user=cora
    ).exists()


def test_withdrawing_the_follow_up_consent_clears_it(riet, cora):
    factories.FollowUpContactFactory(person=riet)
    services.record_consent(riet, Purpose.FOLLOWUP, False, acting_user=cora)
    assert not FollowUpContact.objects.exists()
    assert AuditEvent.objects.filter(
        subject="contact details", action=AuditEvent.Action.DELETE, person=riet
    ).exists()


def test_withdrawing_another_consent_keeps_it(riet, cora):
    factories.FollowUpContactFactory(person=riet)
    services.record_consent(riet, Purpose.QUESTIONNAIRES, False, acting_user=cora)
    assert FollowUpContact.objects.exists()


def test_forgetting_a_person_erases_it(riet):
    factories.FollowUpContactFactory(person=riet)
    forgotten = forgetting.forget_people([riet.pk], acting_user=SYSTEM, subject="erasure")
    assert forgotten["contact details"] == 1
    assert not FollowUpContact.objects.exists()


# --- At the door: noted with the consent, never shown there ---------------------------------


def registration(session, **overrides):
    return {
        "first_name": "Gerrit",
        "last_name": "Hoeve",
        "village": session.activity.place.village_id,
        "names": "yes",
        "followup": "yes",
        "phone": "06-12345678",
        "how_to_reach": "",
        "token": str(uuid.uuid4()),
        **overrides,
    }


def test_the_registration_form_notes_it_with_the_follow_up_consent(benring, host_benring):
    session = door.today_session(benring)
    response = login(host_benring).post(
        reverse("attendance:register", args=[session.pk]), registration(session)
    )
    assert response.status_code == 302
    assert FollowUpContact.objects.get().phone == "0612345678"


def test_without_the_follow_up_consent_the_registration_keeps_no_phone(benring, host_benring):
    session = door.today_session(benring)
    login(host_benring).post(
        reverse("attendance:register", args=[session.pk]),
        registration(session, followup="no"),
    )
    assert not FollowUpContact.objects.exists()


def test_a_wrong_phone_at_registration_is_a_dutch_error_and_registers_nobody(benring, host_benring):
    session = door.today_session(benring)
    client = login(host_benring)
    client.cookies["django_language"] = "nl"
    response = client.post(
        reverse("attendance:register", args=[session.pk]), registration(session, phone="12345")
    )
    assert response.status_code == 400
    assert "Vul een Nederlands telefoonnummer" in response.content.decode()
    assert not FollowUpContact.objects.exists()


def test_the_door_pages_never_show_it(benring, host_benring, riet, cora):
    factories.FollowUpContactFactory(person=riet, phone="0612345678", how_to_reach="buurvrouw")
    session = door.today_session(benring)
    attendance.check_in(session, riet, acting_user=SYSTEM)
    for user in (host_benring, cora):
        client = login(user)
        for url in (
            reverse("attendance:check_in", args=[session.pk]),
            reverse("attendance:search", args=[session.pk]) + "?q=riet",
            reverse("attendance:presence", args=[session.pk]),
            reverse("attendance:badges", args=[session.pk]),
            reverse("attendance:person", args=[riet.pk]),
        ):
            content = client.get(url).content
            assert b"0612345678" not in content and b"buurvrouw" not in content, url


# --- Pages for those who follow up ----------------------------------------------------------


def test_the_signal_page_shows_it_to_those_who_follow_up(benring, riet, cora):
    factories.FollowUpContactFactory(person=riet, phone="0612345678")
    signal = factories.SignalFactory(person=riet, place=benring)
    response = login(cora).get(reverse("signals:detail", args=[signal.pk]))
    assert 'href="tel:0612345678"' in response.content.decode()


def test_the_reach_page_changes_it(riet, cora, benring):
    signal = factories.SignalFactory(person=riet, place=benring)
    client = login(cora)
    url = reverse("signals:reach", args=[riet.pk]) + f"?signaal={signal.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"phone": "0571 123456", "how_to_reach": "via de buurvrouw"})
    assert response.status_code == 302
    assert response.url == reverse("signals:detail", args=[signal.pk])
    assert FollowUpContact.objects.get().how_to_reach == "via de buurvrouw"


def test_the_reach_page_refuses_a_wrong_number_and_changes_nothing(riet, cora):
    factories.FollowUpContactFactory(person=riet, phone="0612345678")
    response = login(cora).post(reverse("signals:reach", args=[riet.pk]), {"phone": "123"})
    assert response.status_code == 400
    assert FollowUpContact.objects.get().phone == "0612345678"


@pytest.mark.parametrize("role", [Role.HOST, Role.VIEWER])
def test_the_reach_page_is_404_for_hosts_and_viewers(riet, benring, role):
    user = factories.MembershipFactory(role=role, place=benring).user
    client = login(user)
    assert client.get(reverse("signals:reach", args=[riet.pk])).status_code == 404
    response = client.post(reverse("signals:reach", args=[riet.pk]), {"phone": "0612345678"})
    assert response.status_code == 404
    assert not FollowUpContact.objects.exists()


def test_the_reach_page_is_404_for_a_coordinator_of_another_place(riet, coordinator_trefpunt):
    response = login(coordinator_trefpunt).get(reverse("signals:reach", args=[riet.pk]))
    assert response.status_code == 404


def test_the_registration_form_asks_for_it_after_the_follow_up_question(benring, host_benring):
    session = door.today_session(benring)
    html = login(host_benring).get(reverse("attendance:register", args=[session.pk])).content
    html = html.decode()
    assert html.index('id="question-followup"') < html.index('id="field-phone"')
    assert 'inputmode="tel"' in html
