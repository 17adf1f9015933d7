"""The pages: public (calendar of open days, an invitation, the feed, the invited place's
page) and the coordinators' at /bezoeken/, allowed and denied."""

from datetime import time

import pytest
import time_machine
from icalendar import Calendar

from omzien.audit.models import AuditEvent
from omzien.visiting import services
from omzien.visiting.models import Invitation, InvitedPlace
from tests.visiting.conftest import VISIT_DAY

pytestmark = pytest.mark.django_db


def rows():
    return (Invitation.objects.count(), InvitedPlace.objects.count(), AuditEvent.objects.count())


# --- Public ----------------------------------------------------------------------------------


def test_the_calendar_of_open_days_lists_the_invitation_and_writes_nothing(
    client, on_today, invitation
):
    before = rows()
    response = client.get("/open-dagen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="invitation-{invitation.pk}"' in html
    assert "Trefpunt Duistervoorde" in html and "De Benring" in html
    assert client.get(f"/open-dagen/{invitation.pk}/").status_code == 200
    assert client.get("/open-dagen/999999/").status_code == 404
    assert rows() == before


def test_a_cancelled_invitation_shows_at_once_and_in_the_feed_as_cancelled(
    client, on_today, invitation, coordinator_benring
):
    client.get("/open-dagen/")  # now in the public page cache
    feed = Calendar.from_ical(client.get("/open-dagen.ics").content)
    (event,) = feed.walk("VEVENT")
    uid = str(event["uid"])
    assert uid.startswith(f"visit-{invitation.uid}@")
    assert str(event["status"]) == "CONFIRMED"
    assert event.decoded("dtstart").hour == 14

    services.cancel(invitation, acting_user=coordinator_benring)
    assert 'class="cancelled-mark"' in client.get("/open-dagen/").content.decode()
    (event,) = Calendar.from_ical(client.get("/open-dagen.ics").content).walk("VEVENT")
    assert (str(event["uid"]), str(event["status"])) == (uid, "CANCELLED")


def test_the_invited_places_page_says_where_it_is_invited(client, on_today, invitation, benring):
    html = client.get("/plekken/trefpunt-duistervoorde/").content.decode()
    assert 'id="invited"' in html
    assert f'href="/open-dagen/{invitation.pk}/"' in html
    # Not on the host's own page, and gone once the day has passed.
    assert 'id="invited"' not in client.get("/plekken/de-benring/").content.decode()
    with time_machine.travel("2030-05-16 09:00 +02:00", tick=False):
        assert 'id="invited"' not in client.get("/plekken/trefpunt-duistervoorde/").content.decode()


def test_the_public_invitation_page_has_no_answers(
    client, on_today, invitation, trefpunt, coordinator_trefpunt
):
    services.answer(
        invitation, trefpunt, count=3, names="Ans en Wim", acting_user=coordinator_trefpunt
    )
    html = client.get(f"/open-dagen/{invitation.pk}/").content.decode()
    assert "Ans en Wim" not in html
    assert "Kom een kijkje nemen!" in html


def test_no_transport_leads_from_the_invitation_to_a_transport_request(
    client, on_today, invitation, benring, coordinator_benring
):
    """ "Ik wil mee maar heb geen vervoer": the form knows where and when, and a cancelled
    invitation offers no ride."""
    html = client.get(f"/open-dagen/{invitation.pk}/").content.decode()
    link = f"/hulp/vervoer/?plek={benring.pk}&amp;datum=2030-05-15"
    assert link in html
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert "De Benring" in form and "15 mei 2030" in form
    services.cancel(invitation, acting_user=coordinator_benring)
    assert 'id="transport-link"' not in client.get(f"/open-dagen/{invitation.pk}/").content.decode()


# --- Staff: who may ----------------------------------------------------------------------------


def test_the_list_is_for_coordinators_and_professionals_of_the_places(
    client, on_today, invitation, coordinator_trefpunt, professional_trefpunt, host_benring, viewer
):
    for user in (coordinator_trefpunt, professional_trefpunt):
        client.force_login(user)
        response = client.get("/bezoeken/")
        assert response.status_code == 200
        assert f'id="row-received-{invitation.pk}"' in response.content.decode()
        assert client.get(f"/bezoeken/{invitation.pk}/").status_code == 200
    for user in (host_benring, viewer):
        client.force_login(user)
        assert client.get("/bezoeken/").status_code == 403
        assert client.get(f"/bezoeken/{invitation.pk}/").status_code == 404
    client.logout()
    assert client.get("/bezoeken/").status_code == 302


def test_a_coordinator_of_another_place_sees_nothing(client, on_today, invitation, mens_en_welzijn):
    from omzien.accounts.models import Role
    from tests import factories

    other = factories.MembershipFactory(role=Role.COORDINATOR, place=mens_en_welzijn).user
    client.force_login(other)
    assert f"row-received-{invitation.pk}" not in client.get("/bezoeken/").content.decode()
    for page in ("", "antwoord/", "verslag/", "proberen/", "annuleren/"):
        assert client.get(f"/bezoeken/{invitation.pk}/{page}").status_code == 404, page


# --- Staff: inviting ---------------------------------------------------------------------------


def invitation_form(benring, trefpunt, **changes):
    return {
        "host": benring.pk,
        "kind": "open",
        "title": "Open middag",
        "date": "2030-05-15",
        "start_time": "14:00",
        "end_time": "16:00",
        "message": "",
        "places": [trefpunt.pk],
    } | changes


def test_a_coordinator_invites_through_the_form(
    client, on_today, benring, trefpunt, coordinator_benring
):
    client.force_login(coordinator_benring)
    assert client.get("/bezoeken/nieuw/").status_code == 200
    response = client.post("/bezoeken/nieuw/", invitation_form(benring, trefpunt))
    invitation = Invitation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bezoeken/{invitation.pk}/"
    assert [guest.place for guest in invitation.guests.all()] == [trefpunt]


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"date": "2030-05-01"}, "is voorbij"),
        ({"end_time": "13:00"}, "eindtijd moet na de begintijd"),
        ({"places": []}, "minstens één andere"),
        ({"date": "not a date"}, "Voer een geldige datum in"),
    ],
)
def test_a_bad_invitation_form_is_a_400_and_saves_nothing(
    client, on_today, benring, trefpunt, coordinator_benring, changes, error
):
    client.force_login(coordinator_benring)
    response = client.post("/bezoeken/nieuw/", invitation_form(benring, trefpunt, **changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_from_a_place_one_does_not_manage_is_refused(
    client, on_today, benring, trefpunt, coordinator_trefpunt, professional_trefpunt
):
    client.force_login(coordinator_trefpunt)
    response = client.post("/bezoeken/nieuw/", invitation_form(benring, trefpunt))
    assert response.status_code == 400  # De Benring is not one of the choices
    client.force_login(professional_trefpunt)
    assert client.get("/bezoeken/nieuw/").status_code == 403
    assert not Invitation.objects.exists()


def test_cancelling_asks_first(client, on_today, invitation, coordinator_benring):
    client.force_login(coordinator_benring)
    response = client.get(f"/bezoeken/{invitation.pk}/annuleren/")
    assert response.status_code == 200 and 'id="cancel-submit"' in response.content.decode()
    invitation.refresh_from_db()
    assert not invitation.is_cancelled
    client.post(f"/bezoeken/{invitation.pk}/annuleren/")
    invitation.refresh_from_db()
    assert invitation.is_cancelled


# --- Staff: answering and afterwards ----------------------------------------------------------


def test_trefpunt_answers_and_changes_the_answer(
    client, on_today, invitation, coordinator_trefpunt
):
    client.force_login(coordinator_trefpunt)
    page = client.get(f"/bezoeken/{invitation.pk}/")
    assert 'id="answer-trefpunt-duistervoorde"' in page.content.decode()
    trefpunt_id = invitation.guests.get().place_id
    response = client.post(
        f"/bezoeken/{invitation.pk}/antwoord/", {"place": trefpunt_id, "count": "3", "names": "Ans"}
    )
    assert response.status_code == 302
    client.post(f"/bezoeken/{invitation.pk}/antwoord/", {"place": trefpunt_id, "count": "4"})
    guest = invitation.guests.get()
    assert (guest.count, guest.names) == (4, "")
    assert "4 komen" in client.get(f"/bezoeken/{invitation.pk}/").content.decode()


@pytest.mark.parametrize("count", ["51", "-1", "", "drie"])
def test_a_bad_count_is_a_400(client, on_today, invitation, coordinator_trefpunt, count):
    client.force_login(coordinator_trefpunt)
    place = invitation.guests.get().place_id
    response = client.post(f"/bezoeken/{invitation.pk}/antwoord/", {"place": place, "count": count})
    assert response.status_code == 400
    assert "een getal van 0 tot en met 50" in response.content.decode()
    assert not invitation.guests.get().has_answered


def test_the_host_and_professionals_cannot_answer(
    client, on_today, invitation, coordinator_benring, professional_trefpunt
):
    place = invitation.guests.get().place_id
    for user in (coordinator_benring, professional_trefpunt):
        client.force_login(user)
        url = f"/bezoeken/{invitation.pk}/antwoord/"
        assert client.post(url, {"place": place, "count": "2"}).status_code == 404
    assert not invitation.guests.get().has_answered


def test_how_it_went_and_what_to_try_wait_until_after_the_visit(
    client, on_today, invitation, coordinator_benring, coordinator_trefpunt
):
    client.force_login(coordinator_benring)
    page = client.get(f"/bezoeken/{invitation.pk}/verslag/")
    assert 'id="not-yet"' in page.content.decode()
    client.post(f"/bezoeken/{invitation.pk}/verslag/", {"report": "Te vroeg"})
    invitation.refresh_from_db()
    assert invitation.report == ""
    with time_machine.travel("2030-05-20 10:00 +02:00", tick=False):
        response = client.post(f"/bezoeken/{invitation.pk}/verslag/", {"report": "Gezellig"})
        assert response.status_code == 302
        # The host cannot write down what the visitors want to try.
        assert client.get(f"/bezoeken/{invitation.pk}/proberen/").status_code == 404
        client.force_login(coordinator_trefpunt)
        assert client.get(f"/bezoeken/{invitation.pk}/verslag/").status_code == 404
        place = invitation.guests.get().place_id
        client.post(
            f"/bezoeken/{invitation.pk}/proberen/", {"place": place, "want_to_try": "Breien"}
        )
        html = client.get(f"/bezoeken/{invitation.pk}/").content.decode()
    assert "Gezellig" in html and "Breien" in html
    invitation.refresh_from_db()
    assert invitation.report == "Gezellig"


def test_an_invitation_for_another_time_of_day_is_shown(
    client, on_today, benring, trefpunt, coordinator_benring
):
    invitation = services.invite(
        services.InvitationDetails(
            host=benring,
            title="Avond",
            date=VISIT_DAY,
            start_time=time(19, 0),
            end_time=time(21, 30),
            places=[trefpunt],
        ),
        acting_user=coordinator_benring,
    )
    assert "19:00–21:30" in client.get(f"/open-dagen/{invitation.pk}/").content.decode()
