"""Inviting, answering and afterwards, through the services: who may, and what is refused."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from omzien.accounts.permissions import NotFound
from omzien.audit.models import AuditEvent
from omzien.core import public_cache
from omzien.visiting import services
from omzien.visiting.models import Invitation, InvitedPlace
from omzien.visiting.services import InvitationDetails
from tests import factories
from tests.visiting.conftest import VISIT_DAY

pytestmark = pytest.mark.django_db


def details(host, *places, **changes):
    values = {
        "host": host,
        "title": "Open middag",
        "date": VISIT_DAY,
        "start_time": time(14, 0),
        "end_time": time(16, 0),
        "places": list(places),
    }
    return InvitationDetails(**(values | changes))


def test_de_benring_invites_trefpunt_who_answer_and_afterwards_record(
    on_today,
    benring,
    trefpunt,
    coordinator_benring,
    coordinator_trefpunt,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(details(benring, trefpunt), acting_user=coordinator_benring)
    assert [guest.place for guest in invitation.guests.all()] == [trefpunt]
    # The invited place's coordinator hears of it: one sentence and the link, no more.
    assert [message.to for message in mail.outbox] == [["carla@trefpunt.example"]]
    assert f"/bezoeken/{invitation.pk}/" in mail.outbox[0].body

    guest = services.answer(
        invitation, trefpunt, count=3, names="Ans, Gerrit en Wim", acting_user=coordinator_trefpunt
    )
    assert (guest.count, guest.names) == (3, "Ans, Gerrit en Wim")
    # Changed on the day itself.
    with time_machine.travel("2030-05-15 09:00 +02:00", tick=False):
        services.answer(invitation, trefpunt, count=2, acting_user=coordinator_trefpunt)
    assert InvitedPlace.objects.get(invitation=invitation).count == 2

    with time_machine.travel("2030-05-15 16:30 +02:00", tick=False):
        services.record_visit(
            invitation, report="Gezellig, veel gepraat.", acting_user=coordinator_benring
        )
        services.record_wish(
            invitation, trefpunt, want_to_try="Een breicafé", acting_user=coordinator_trefpunt
        )
    invitation.refresh_from_db()
    assert invitation.report == "Gezellig, veel gepraat."
    assert invitation.guests.get().want_to_try == "Een breicafé"
    assert AuditEvent.objects.filter(subject="invitation").count() == 5


def test_a_village_invites_all_its_places_but_the_host(
    on_today, benring, trefpunt, mens_en_welzijn, coordinator_benring, twello
):
    in_twello = factories.PlaceFactory(name="Dorpshuis", slug="dorpshuis", village=benring.village)
    invitation = services.invite(
        details(benring, villages=[twello, benring.village]), acting_user=coordinator_benring
    )
    invited = {guest.place for guest in invitation.guests.all()}
    assert invited == {trefpunt, mens_en_welzijn, in_twello}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"date": date(2030, 5, 7)}, "voorbij"),
        ({"end_time": time(13, 0)}, "eindtijd"),
        ({"end_time": time(14, 0)}, "eindtijd"),
        ({"places": []}, "minstens één"),
        ({"title": ""}, "titel"),
        ({"date": None}, "datum"),
        # As far ahead as the agenda (two years); the year 9999 is refused at once.
        ({"date": date(2032, 6, 1)}, "te ver vooruit"),
        ({"date": date(9999, 12, 31)}, "te ver vooruit"),
    ],
)
def test_a_bad_invitation_is_refused_and_changes_nothing(
    on_today, benring, trefpunt, coordinator_benring, changes, message
):
    with pytest.raises(ValidationError, match=message):
        services.invite(details(benring, trefpunt, **changes), acting_user=coordinator_benring)
    assert not Invitation.objects.exists()


def test_a_place_never_invites_itself(on_today, benring, trefpunt, coordinator_benring):
    with pytest.raises(ValidationError, match="zichzelf"):
        services.invite(details(benring, benring, trefpunt), acting_user=coordinator_benring)
    # Its own village alone holds nobody else.
    with pytest.raises(ValidationError, match="minstens één"):
        services.invite(
            details(benring, villages=[benring.village]), acting_user=coordinator_benring
        )
    assert not Invitation.objects.exists()


def test_an_invitation_to_join_an_activity_takes_its_times_and_needs_its_date(
    on_today, benring, trefpunt, coordinator_benring
):
    coffee = factories.ActivityFactory(
        place=benring,
        title="Koffieochtend",
        rrule="FREQ=WEEKLY;BYDAY=WE",
        first_date=date(2030, 1, 2),
        start_time=time(10, 0),
        duration=timedelta(hours=2),
    )
    invitation = services.invite(
        details(
            benring,
            trefpunt,
            kind="activiteit",
            activity=coffee,
            title="",
            start_time=None,
            end_time=None,
        ),
        acting_user=coordinator_benring,
    )
    assert (invitation.title, invitation.start_time, invitation.end_time) == (
        "Koffieochtend",
        time(10, 0),
        time(12, 0),
    )
    with pytest.raises(ValidationError, match="is er niet op"):
        services.invite(
            details(benring, trefpunt, kind="activiteit", activity=coffee, date=date(2030, 5, 16)),
            acting_user=coordinator_benring,
        )
    elsewhere = factories.ActivityFactory(place=trefpunt)
    with pytest.raises(ValidationError, match="activiteit van de plek"):
        services.invite(
            details(benring, trefpunt, kind="activiteit", activity=elsewhere),
            acting_user=coordinator_benring,
        )


def test_only_who_manages_the_host_invites_and_cancels(
    on_today,
    benring,
    trefpunt,
    coordinator_trefpunt,
    professional_trefpunt,
    host_benring,
    invitation,
):
    for user in (coordinator_trefpunt, professional_trefpunt, host_benring):
        with pytest.raises(NotFound):
            services.invite(details(benring, trefpunt), acting_user=user)
        with pytest.raises(NotFound):
            services.cancel(invitation, acting_user=user)
    assert Invitation.objects.count() == 1
    assert not Invitation.objects.get().is_cancelled


def test_cancelling_starts_a_new_generation_and_refuses_twice(
    on_today, invitation, coordinator_benring, coordinator_trefpunt
):
    before = public_cache.generation()
    services.cancel(invitation, acting_user=coordinator_benring)
    assert public_cache.generation() != before
    with pytest.raises(ValidationError, match="al afgelast"):
        services.cancel(invitation, acting_user=coordinator_benring)
    with pytest.raises(ValidationError, match="afgelast"):
        services.answer(
            invitation, invitation.guests.get().place, count=1, acting_user=coordinator_trefpunt
        )


@pytest.mark.parametrize("count", [-1, 51, None])
def test_an_answer_counts_from_0_to_50(on_today, invitation, trefpunt, coordinator_trefpunt, count):
    with pytest.raises(ValidationError, match="0 tot en met 50"):
        services.answer(invitation, trefpunt, count=count, acting_user=coordinator_trefpunt)
    assert not invitation.guests.get().has_answered


def test_only_an_invited_place_answers_and_only_its_coordinator(
    on_today,
    invitation,
    benring,
    trefpunt,
    mens_en_welzijn,
    coordinator_benring,
    professional_trefpunt,
):
    with pytest.raises(ValidationError, match="Alleen een uitgenodigde"):
        services.answer(invitation, mens_en_welzijn, count=2, acting_user=coordinator_benring)
    with pytest.raises(ValidationError, match="Alleen een uitgenodigde"):
        services.answer(invitation, benring, count=2, acting_user=coordinator_benring)
    for user in (coordinator_benring, professional_trefpunt):
        with pytest.raises(NotFound):
            services.answer(invitation, trefpunt, count=2, acting_user=user)
    assert not invitation.guests.get().has_answered


def test_answers_stop_after_the_day_and_records_wait_for_the_end(
    on_today, invitation, trefpunt, coordinator_benring, coordinator_trefpunt
):
    with pytest.raises(ValidationError, match="als het bezoek voorbij is"):
        services.record_visit(invitation, report="Fijn", acting_user=coordinator_benring)
    with (
        time_machine.travel("2030-05-15 15:00 +02:00", tick=False),
        pytest.raises(ValidationError, match="als het bezoek voorbij is"),
    ):
        services.record_wish(
            invitation, trefpunt, want_to_try="x", acting_user=coordinator_trefpunt
        )
    with time_machine.travel("2030-05-16 09:00 +02:00", tick=False):
        with pytest.raises(ValidationError, match="voorbij"):
            services.answer(invitation, trefpunt, count=3, acting_user=coordinator_trefpunt)
        with pytest.raises(NotFound):
            services.record_visit(invitation, report="Fijn", acting_user=coordinator_trefpunt)
        with pytest.raises(NotFound):
            services.record_wish(
                invitation, trefpunt, want_to_try="x", acting_user=coordinator_benring
            )
        with pytest.raises(ValidationError, match="paar woorden"):
            services.record_visit(invitation, report="  ", acting_user=coordinator_benring)
    invitation.refresh_from_db()
    assert not invitation.report
