"""The coordinators' help pages, the door's "Hulp nodig?" and the step from a signal:
who sees what, the audit rows, the helper told only what, where and a first name."""

import pytest
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from omzien.helping import services
from omzien.helping.models import HelpMatch, HelpOffer, HelpRequest
from omzien.signals.models import Signal
from tests import factories
from tests.attendance import door

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_the_coordinator_sees_the_request_with_contact_and_it_is_audit_logged(
    client, benring_request, coordinator_benring
):
    page = login(client, coordinator_benring).get(
        reverse("helping:request", args=[benring_request.pk])
    )
    assert page.status_code == 200
    assert "0612345678" in page.content.decode()
    assert page["Cache-Control"].startswith("no-store")
    assert AuditEvent.objects.filter(
        user=coordinator_benring, subject="help request", detail=f"#{benring_request.pk}"
    ).exists()


def test_the_list_is_audit_logged_and_shows_the_state(client, benring_request, coordinator_benring):
    page = login(client, coordinator_benring).get(reverse("helping:manage")).content.decode()
    assert "Riet" in page and "nieuw" in page
    assert AuditEvent.objects.filter(user=coordinator_benring, subject="help request list").exists()


def test_a_coordinator_of_another_place_gets_404(client, benring_request, coordinator_trefpunt):
    response = login(client, coordinator_trefpunt).get(
        reverse("helping:request", args=[benring_request.pk])
    )
    assert response.status_code == 404
    listed = client.get(reverse("helping:manage")).content.decode()
    assert "Riet" not in listed


def test_a_host_records_but_cannot_browse(client, benring_request, host_benring):
    login(client, host_benring)
    assert client.get(reverse("helping:manage")).status_code == 403
    assert client.get(reverse("helping:request", args=[benring_request.pk])).status_code == 404
    assert client.get(reverse("helping:call_list")).status_code == 403


def test_a_viewer_never_sees_a_request(client, benring_request, viewer):
    login(client, viewer)
    assert client.get(reverse("helping:manage")).status_code == 403
    assert client.get(reverse("helping:request", args=[benring_request.pk])).status_code == 404
    assert client.get(reverse("helping:offers")).status_code == 403
    assert not AuditEvent.objects.filter(user=viewer, subject__startswith="help").exists()


def test_a_professional_sees_every_place(client, benring_request, professional):
    assert (
        login(client, professional)
        .get(reverse("helping:request", args=[benring_request.pk]))
        .status_code
        == 200
    )


def test_proposing_by_hand_then_the_helper_view_shows_only_what_where_and_first_name(
    client, benring_request, benring_offer, coordinator_benring
):
    benring_request.description = "Mijn adres is Dorpsstraat 4"
    benring_request.save()
    login(client, coordinator_benring)
    response = client.post(
        reverse("helping:propose", args=[benring_request.pk]), {"offer": benring_offer.pk}
    )
    assert response.status_code == 302
    match = HelpMatch.objects.get()
    assert match.proposed_by == coordinator_benring
    view = client.get(reverse("helping:helper_view", args=[match.pk])).content.decode()
    told = view[view.index('id="helper-view"') :]
    assert "Riet" in told and "Voorst" in told and "boodschappen" in told
    assert "0612345678" not in view and "riet@example.org" not in view and "Dorpsstraat" not in view


def test_confirm_and_decline_through_the_pages(
    client, benring_request, benring_offer, coordinator_benring
):
    login(client, coordinator_benring)
    match = services.propose(benring_request, benring_offer, acting_user=coordinator_benring)
    client.post(reverse("helping:confirm", args=[match.pk]))
    benring_request.refresh_from_db()
    assert benring_request.status == HelpRequest.Status.CONNECTED
    # Twice: a clear message, no 500, nothing changes.
    again = client.post(reverse("helping:decline", args=[match.pk]), follow=True)
    assert "Alleen een voorstel dat nog open staat" in again.content.decode()


def test_cancelling_asks_to_confirm_first(client, benring_request, coordinator_benring):
    login(client, coordinator_benring)
    url = reverse("helping:change_status", args=[benring_request.pk])
    asked = client.get(url, {"action": "geannuleerd"})
    assert "Deze hulpvraag annuleren?" in asked.content.decode()
    benring_request.refresh_from_db()
    assert benring_request.status == HelpRequest.Status.NEW
    client.post(url, {"action": "geannuleerd"})
    benring_request.refresh_from_db()
    assert benring_request.status == HelpRequest.Status.CANCELLED


def test_the_call_list_as_html_and_pdf(client, benring_request, benring_offer, coordinator_benring):
    benring_request.first_name = "<b>Riet</b>"
    benring_request.save()
    services.propose(benring_request, benring_offer, acting_user=coordinator_benring)
    login(client, coordinator_benring)
    page = client.get(reverse("helping:call_list")).content.decode()
    assert "Jan" in page and "0687654321" in page and "&lt;b&gt;Riet&lt;/b&gt;" in page
    assert "0612345678" not in page  # the asker's number only once both agreed
    pdf = client.get(reverse("helping:call_list"), {"pdf": "1"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] in ("application/pdf", "text/html; charset=utf-8")
    assert (
        AuditEvent.objects.filter(user=coordinator_benring, subject="help call list").count() == 2
    )


def test_the_menu_offers_help_to_coordinators_only(client, coordinator_benring, host_benring):
    assert (
        reverse("helping:manage")
        in login(client, coordinator_benring).get(reverse("helping:manage")).content.decode()
    )
    client.force_login(host_benring)
    assert reverse("helping:manage") not in client.get(reverse("attendance:door")).content.decode()


# --- On someone's behalf ----------------------------------------------------------------------


def test_needs_help_at_the_door_in_one_short_form(client, benring, host_benring):
    riet = door.person("Riet", "Bos", place=benring)
    login(client, host_benring)
    person_page = client.get(reverse("attendance:person", args=[riet.pk])).content.decode()
    assert reverse("helping:door_ask", args=[riet.pk]) in person_page
    assert "iedereen geeft en krijgt" in person_page
    response = client.post(
        reverse("helping:door_ask", args=[riet.pk]),
        {
            "categories": ["vervoer"],
            "urgency": "week",
            "description": "Naar de tandarts",
            "consent": "no",
        },
    )
    assert response.status_code == 302
    asked = HelpRequest.objects.get()
    assert (asked.person, asked.place, asked.source, asked.created_by) == (
        riet,
        benring,
        "door",
        host_benring,
    )
    assert asked.phone == ""
    # The host cannot open it afterwards.
    assert client.get(reverse("helping:request", args=[asked.pk])).status_code == 404


def test_can_help_at_the_door(client, benring, host_benring):
    jan = door.person("Jan", "Smit", place=benring)
    login(client, host_benring)
    response = client.post(
        reverse("helping:door_offer", args=[jan.pk]),
        {"categories": ["klusjes"], "phone": "0611111111", "consent": "yes"},
    )
    assert response.status_code == 302
    offer = HelpOffer.objects.get()
    assert offer.person == jan and offer.phone == "0611111111" and offer.source == "door"


def test_a_bad_door_form_says_so_and_saves_nothing(client, benring, host_benring):
    riet = door.person("Riet", "Bos", place=benring)
    login(client, host_benring)
    response = client.post(
        reverse("helping:door_ask", args=[riet.pk]), {"urgency": "week", "consent": "no"}
    )
    assert response.status_code == 400
    assert "Kruis er minstens één aan." in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_a_host_elsewhere_gets_404_at_the_door_form(client, benring, trefpunt):
    riet = door.person("Riet", "Bos", place=benring)
    other = factories.MembershipFactory(role=Role.HOST, place=trefpunt).user
    login(client, other)
    assert client.get(reverse("helping:door_ask", args=[riet.pk])).status_code == 404


def test_the_person_page_shows_what_they_gave_and_received_never_a_score(
    client, benring, host_benring, coordinator_benring
):
    riet = door.person("Riet", "Bos", place=benring)
    jan = door.person("Jan", "Smit", place=benring)
    asked = factories.HelpRequestFactory(person=riet, village=benring.village, place=benring)
    offered = factories.HelpOfferFactory(person=jan, village=benring.village, place=benring)
    match = services.propose(asked, offered, acting_user=coordinator_benring)
    services.confirm(match, acting_user=coordinator_benring)
    login(client, host_benring)
    riet_page = client.get(reverse("attendance:person", args=[riet.pk])).content.decode()
    jan_page = client.get(reverse("attendance:person", args=[jan.pk])).content.decode()
    assert "Werd geholpen met boodschappen" in riet_page
    assert "Hielp met boodschappen" in jan_page
    assert "score" not in jan_page.lower()


def test_closing_a_signal_with_needs_help_leads_to_a_prefilled_request(
    client, benring, coordinator_benring
):
    riet = door.person("Riet", "Bos", place=benring, followup=True)
    signal = factories.SignalFactory(person=riet, place=benring)
    login(client, coordinator_benring)
    closed = client.post(
        reverse("signals:detail", args=[signal.pk]),
        {"action": "close", "close-outcome": "needs_help"},
    )
    assert closed["Location"] == reverse("helping:from_signal", args=[signal.pk])
    form = client.get(closed["Location"]).content.decode()
    assert "Riet" in form
    response = client.post(
        closed["Location"],
        {"categories": ["gezelschap-wandelen"], "urgency": "maand", "consent": "no"},
    )
    asked = HelpRequest.objects.get()
    assert response["Location"] == reverse("helping:request", args=[asked.pk])
    assert (asked.signal, asked.person, asked.source, asked.place) == (
        signal,
        riet,
        "signal",
        benring,
    )
    assert Signal.objects.get().outcome == "needs_help"


def test_pausing_an_offer_keeps_it_from_being_proposed(
    client, benring_request, benring_offer, coordinator_benring, coordinator_trefpunt
):
    login(client, coordinator_trefpunt)
    assert (
        client.post(
            reverse("helping:offer_toggle", args=[benring_offer.pk]), {"active": "0"}
        ).status_code
        == 404
    )
    login(client, coordinator_benring)
    client.post(reverse("helping:offer_toggle", args=[benring_offer.pk]), {"active": "0"})
    benring_offer.refresh_from_db()
    assert not benring_offer.active
    refused = client.post(
        reverse("helping:propose", args=[benring_request.pk]), {"offer": benring_offer.pk}
    )
    assert refused.status_code == 404 and not HelpMatch.objects.exists()
    assert "gepauzeerd" in client.get(reverse("helping:offers")).content.decode()


# --- Found by trying it as an attacker would ---------------------------------------------


def test_help_at_the_door_for_someone_without_a_known_village(client, benring, host_benring):
    # Imported people may have neither a village nor a place they registered at.
    someone = door.person("Gerrit", "Visser", place=benring)
    someone.village = None
    someone.registered_place = None
    someone.save()
    factories.VisitFactory(session=door.today_session(benring), person=someone)
    login(client, host_benring)
    response = client.post(
        reverse("helping:door_ask", args=[someone.pk]),
        {"categories": ["vervoer"], "urgency": "week", "consent": "no"},
    )
    assert response.status_code == 302
    assert HelpRequest.objects.get().village == benring.village


def test_a_door_form_sent_twice_notes_one_request_and_one_offer(client, benring, host_benring):
    riet = door.person("Riet", "Bos", place=benring)
    login(client, host_benring)
    for _ in range(2):
        client.post(
            reverse("helping:door_ask", args=[riet.pk]),
            {"categories": ["vervoer"], "urgency": "week", "consent": "no"},
        )
        client.post(
            reverse("helping:door_offer", args=[riet.pk]),
            {"categories": ["klusjes"], "consent": "no"},
        )
    assert HelpRequest.objects.count() == 1
    assert HelpOffer.objects.count() == 1


def test_a_host_opens_the_feedback_page_only_of_a_finished_request_of_someone_they_know(
    client, benring, host_benring
):
    riet = door.person("Riet", "Bos", place=benring)
    waiting = factories.HelpRequestFactory(
        first_name="Riet", village=benring.village, place=benring
    )
    done_anonymous = factories.HelpRequestFactory(
        village=benring.village, place=benring, status="afgerond"
    )
    done_for_riet = factories.HelpRequestFactory(
        person=riet, village=benring.village, place=benring, status="afgerond"
    )
    login(client, host_benring)

    def feedback(help_request):
        return client.get(reverse("helping:feedback", args=[help_request.pk])).status_code

    assert feedback(waiting) == 404
    assert feedback(done_anonymous) == 404
    assert feedback(done_for_riet) == 200
