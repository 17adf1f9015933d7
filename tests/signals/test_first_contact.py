"""A cheap first contact: "Wie weet hoe het met Jan gaat?" at the door, the host's one-tap
answer, the nightly hand-over to a coordinator, and the coordinator's list."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from omzien.accounts import permissions
from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from omzien.signals import services
from omzien.signals.first_contact import DoorAnswer, handover_day, needs_coordinator
from omzien.signals.models import AnnouncedAbsence, ContactLog, Outcome, Signal
from omzien.signals.rhythms import week_parity
from tests import factories
from tests.attendance import door

TODAY = date(2026, 5, 6)  # a Wednesday
NOW = datetime(2026, 5, 6, 9, 30, tzinfo=UTC)


@pytest.fixture
def session(benring, time_machine):
    time_machine.move_to(NOW, tick=False)
    return door.today_session(benring, title="Koffieochtend")


@pytest.fixture
def jan(benring):
    return door.person("Jan", "Bakker", place=benring, followup=True)


def first_contact(person, session, **fields):
    """A signal detection raised, still asked at the door of the session's activity."""
    defaults = {
        "person": person,
        "place": session.activity.place,
        "activity": session.activity,
        "raised_on": TODAY - timedelta(days=2),
        "reason": "Komt meestal naar de Koffieochtend; al 3 weken niet gezien.",
        "probability": 0.6,
    }
    return Signal.objects.create(**{**defaults, **fields})


@pytest.fixture
def signal(jan, session):
    return first_contact(jan, session)


def answer(signal, what, user, **kwargs):
    return services.answer_at_door(signal, what, acting_user=user, today=TODAY, **kwargs)


def unchanged(signal):
    signal.refresh_from_db()
    return (
        signal.status == Signal.Status.OPEN
        and signal.follow_up_since is None
        and not signal.contacts.exists()
        and not AnnouncedAbsence.objects.filter(person=signal.person).exists()
    )


# --- The rules --------------------------------------------------------------------------


def test_a_first_contact_nobody_answered_needs_a_coordinator_after_the_days(settings):
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    raised = date(2028, 2, 16)  # the days run across 29 February
    door_day = raised + timedelta(days=6)
    assert handover_day(raised, door_day) == date(2028, 3, 1)
    assert not needs_coordinator(raised, raised, door_day)
    assert not needs_coordinator(raised, raised + timedelta(days=13), door_day)
    assert needs_coordinator(raised, raised + timedelta(days=14), door_day)
    assert needs_coordinator(raised, raised + timedelta(days=40), door_day)


def test_a_first_contact_waits_for_the_door_to_have_asked(settings):
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    raised = date(2028, 2, 16)
    monthly = raised + timedelta(days=25)  # their activity meets once a month
    assert handover_day(raised, monthly) == monthly
    assert not needs_coordinator(raised, monthly - timedelta(days=1), monthly)
    assert needs_coordinator(raised, monthly, monthly)  # the night after that session
    # No session planned, or none for months: a coordinator's after three times the days.
    assert handover_day(raised, None) == raised + timedelta(days=42)
    assert handover_day(raised, raised + timedelta(days=90)) == raised + timedelta(days=42)


def test_the_door_shows_a_short_name():
    assert factories.PersonFactory.build(first_name="Jan", last_name="Bakker").short_name == (
        "Jan B."
    )
    mariette = factories.PersonFactory.build(first_name="Mariëtte", last_name="de Vries")
    assert mariette.short_name == "Mariëtte de V."
    assert factories.PersonFactory.build(first_name="Kees", last_name="").short_name == "Kees"


# --- The answers ------------------------------------------------------------------------


@pytest.mark.django_db
def test_ill_records_an_absence_and_closes(signal, host_benring, settings):
    settings.OMZIEN_FIRST_CONTACT_ILL_DAYS = 21
    answer(signal, DoorAnswer.ILL, host_benring)
    signal.refresh_from_db()
    assert (signal.status, signal.outcome, signal.closed_by) == (
        Signal.Status.CLOSED,
        Outcome.ILL_OR_AWAY,
        host_benring,
    )
    [contact] = signal.contacts.all()
    assert (contact.method, contact.outcome, contact.by) == (
        ContactLog.Method.ASKED,
        Outcome.ILL_OR_AWAY,
        host_benring,
    )
    [absence] = AnnouncedAbsence.objects.filter(person=signal.person)
    assert (absence.first_day, absence.last_day) == (TODAY, TODAY + timedelta(days=20))
    assert AuditEvent.objects.filter(
        user=host_benring, subject="signal", person=signal.person, detail__contains="door answer"
    ).exists()


@pytest.mark.django_db
def test_on_holiday_until_a_day_records_it_and_closes(signal, host_benring):
    until = TODAY + timedelta(days=10)
    answer(signal, DoorAnswer.HOLIDAY, host_benring, until=until)
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == (Signal.Status.CLOSED, Outcome.ILL_OR_AWAY)
    [absence] = AnnouncedAbsence.objects.filter(person=signal.person)
    assert (absence.first_day, absence.last_day) == (TODAY, until)
    assert signal.contacts.get().note == "op vakantie tot 16 mei 2026"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "until",
    [None, TODAY, TODAY - timedelta(days=3), TODAY + timedelta(days=400)],
    ids=["no day", "today", "in the past", "more than a year ahead"],
)
def test_on_holiday_without_a_good_day_changes_nothing(signal, host_benring, until):
    with pytest.raises(ValidationError):
        answer(signal, DoorAnswer.HOLIDAY, host_benring, until=until)
    assert unchanged(signal)


@pytest.mark.django_db
def test_doing_fine_closes_as_all_fine(signal, host_benring):
    answer(signal, DoorAnswer.ALL_FINE, host_benring)
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == (Signal.Status.CLOSED, Outcome.ALL_FINE)
    contact = signal.contacts.get()
    assert (contact.method, contact.outcome) == (ContactLog.Method.ASKED, Outcome.ALL_FINE)
    assert contact.note == "gaat goed, gehoord aan de deur"
    assert not AnnouncedAbsence.objects.exists()


@pytest.mark.django_db
def test_moved_closes(signal, host_benring):
    answer(signal, DoorAnswer.MOVED, host_benring)
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == (Signal.Status.CLOSED, Outcome.MOVED)
    assert not AnnouncedAbsence.objects.exists()


@pytest.mark.django_db
def test_dont_know_hands_it_to_a_coordinator(signal, host_benring):
    answer(signal, DoorAnswer.DONT_KNOW, host_benring)
    signal.refresh_from_db()
    assert (signal.status, signal.follow_up_since) == (Signal.Status.OPEN, TODAY)
    assert signal.contacts.get().outcome == Outcome.NO_CONTACT
    assert not AnnouncedAbsence.objects.exists()


@pytest.mark.django_db
def test_an_unknown_answer_changes_nothing(signal, host_benring):
    with pytest.raises(ValidationError):
        answer(signal, "on_the_moon", host_benring)
    assert unchanged(signal)


@pytest.mark.django_db
def test_only_for_an_open_first_contact(signal, host_benring):
    Signal.objects.filter(pk=signal.pk).update(follow_up_since=TODAY - timedelta(days=1))
    signal.refresh_from_db()
    with pytest.raises(ValidationError):
        answer(signal, DoorAnswer.ILL, host_benring)
    Signal.objects.filter(pk=signal.pk).update(
        follow_up_since=None, status=Signal.Status.CLOSED, outcome=Outcome.SEEN_AGAIN
    )
    signal.refresh_from_db()
    with pytest.raises(ValidationError):
        answer(signal, DoorAnswer.ILL, host_benring)
    assert not signal.contacts.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["host of another place", "viewer", "anonymous"])
def test_who_may_not_answer(signal, who, request):
    user = {
        "host of another place": lambda: request.getfixturevalue("host_trefpunt"),
        "viewer": lambda: request.getfixturevalue("viewer"),
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(permissions.NotFound):
        answer(signal, DoorAnswer.ILL, user)
    assert unchanged(signal)


@pytest.mark.django_db
def test_not_for_a_person_whose_processing_is_restricted(signal, host_benring):
    signal.person.restricted_at = timezone.now()
    signal.person.save()
    with pytest.raises(permissions.NotFound):
        answer(signal, DoorAnswer.ILL, host_benring)
    assert unchanged(signal)


@pytest.mark.django_db
def test_a_coordinator_takes_one_over(signal, benring, host_benring):
    coordinator = factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user
    with pytest.raises(permissions.NotFound):
        services.take_over(signal, acting_user=host_benring, today=TODAY)
    services.take_over(signal, acting_user=coordinator, today=TODAY)
    signal.refresh_from_db()
    assert signal.follow_up_since == TODAY
    with pytest.raises(ValidationError):
        services.take_over(signal, acting_user=coordinator, today=TODAY)


# --- The nightly run ----------------------------------------------------------------------


@pytest.mark.django_db
def test_handed_over_after_the_days(signal, settings):
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    day = signal.raised_on + timedelta(days=13)
    assert services.save_detected([], day).handed_over == 0
    signal.refresh_from_db()
    assert signal.follow_up_since is None
    day = signal.raised_on + timedelta(days=14)
    result = services.save_detected([], day)
    assert (result.handed_over, result.escalated) == (1, 0)
    signal.refresh_from_db()
    assert signal.follow_up_since == day
    assert AuditEvent.objects.filter(
        subject="signals (nightly)", detail__contains="1 handed over"
    ).exists()


@pytest.fixture
def monthly(benring):
    """The Alzheimer Café at De Benring, once a month (a session on 6 May and 3 June)."""
    activity = factories.ActivityFactory(
        place=benring, title="Alzheimer Café", rrule="FREQ=MONTHLY;BYDAY=1WE"
    )
    for day in (date(2026, 5, 6), date(2026, 6, 3)):
        factories.SessionFactory(activity=activity, date=day)
    return activity


@pytest.mark.django_db
def test_a_monthly_visitor_is_handed_over_only_after_their_next_session(
    benring, jan, monthly, settings
):
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    signal = Signal.objects.create(
        person=jan, place=benring, activity=monthly, raised_on=TODAY, reason="-", probability=0.3
    )
    next_session = date(2026, 6, 3)
    for day in (TODAY + timedelta(days=14), next_session - timedelta(days=1)):
        assert services.save_detected([], day).handed_over == 0
    assert services.save_detected([], next_session).handed_over == 1
    signal.refresh_from_db()
    assert signal.follow_up_since == next_session


@pytest.mark.django_db
def test_a_session_on_a_day_the_place_is_closed_is_no_chance_for_the_door(
    benring, jan, monthly, settings
):
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    factories.PlaceClosureFactory(
        place=benring, first_day=date(2026, 6, 1), last_day=date(2026, 6, 5)
    )
    Signal.objects.create(
        person=jan, place=benring, activity=monthly, raised_on=TODAY, reason="-", probability=0.3
    )
    assert services.save_detected([], date(2026, 6, 3)).handed_over == 0
    assert services.save_detected([], TODAY + timedelta(days=42)).handed_over == 1


@pytest.mark.django_db
def test_a_high_probability_still_asks_the_door_first(signal, settings):
    # The model's 0.9 was mostly an illness or a trip a host could have told.
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    Signal.objects.filter(pk=signal.pk).update(probability=0.99, raw_probability=0.99)
    assert services.save_detected([], signal.raised_on + timedelta(days=1)).handed_over == 0
    signal.refresh_from_db()
    assert signal.is_first_contact


@pytest.mark.django_db
def test_restricted_people_stay_as_they_are(signal, settings):
    signal.person.restricted_at = timezone.now()
    signal.person.save()
    assert services.save_detected([], signal.raised_on + timedelta(days=60)).handed_over == 0
    signal.refresh_from_db()
    assert (signal.follow_up_since, signal.escalated_at) == (None, None)


@pytest.mark.django_db
def test_escalation_counts_from_the_follow_up(signal, settings):
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    settings.OMZIEN_SIGNAL_ESCALATE_DAYS = 7
    handed = signal.raised_on + timedelta(days=14)
    # Long past raised_on + 7, but a first contact is the door's: handed over, not late.
    assert services.save_detected([], handed).escalated == 0
    assert services.save_detected([], handed + timedelta(days=6)).escalated == 0
    assert services.save_detected([], handed + timedelta(days=7)).escalated == 1


@pytest.mark.django_db
def test_a_door_dont_know_is_not_picking_it_up(signal, host_benring, settings):
    settings.OMZIEN_SIGNAL_ESCALATE_DAYS = 7
    answer(signal, DoorAnswer.DONT_KNOW, host_benring)
    assert services.save_detected([], TODAY + timedelta(days=7)).escalated == 1


# --- The door's screen -------------------------------------------------------------------


def screen(client, user, session):
    client.force_login(user)
    return client.get(reverse("attendance:check_in", args=[session.pk]))


@pytest.mark.django_db
def test_the_door_asks_about_this_activitys_first_contacts(
    client, host_benring, session, signal, benring, trefpunt
):
    other_activity = door.today_session(benring, title="Biljarten").activity
    without_activity = first_contact(
        door.person("Gerrit", "Smit", place=benring, followup=True), session, activity=None
    )
    hidden = {
        "follow-up": first_contact(
            door.person("Ans", "Kok", place=benring, followup=True),
            session,
            follow_up_since=TODAY,
        ),
        "closed": first_contact(
            door.person("Bert", "Kok", place=benring, followup=True),
            session,
            status=Signal.Status.CLOSED,
        ),
        "other activity": first_contact(
            door.person("Cor", "Kok", place=benring, followup=True),
            session,
            activity=other_activity,
        ),
        "other place": Signal.objects.create(
            person=door.person("Dirk", "Kok", place=trefpunt, followup=True),
            place=trefpunt,
            raised_on=TODAY,
            reason="x",
        ),
        "no names at the door": first_contact(
            door.person("Els", "Kok", place=benring, names=False, followup=True), session
        ),
    }
    response = screen(client, host_benring, session)
    assert response.status_code == 200
    shown = {s.pk for s in response.context["first_contacts"]}
    assert shown == {signal.pk, without_activity.pk}
    text = response.content.decode()
    assert "Wie weet hoe het met Jan B. gaat?" in text
    assert "Bakker" not in text  # a short name only
    assert signal.reason not in text and "60%" not in text
    for name in ("Ans", "Bert", "Cor", "Dirk", "Els"):
        assert f"hoe het met {name}" not in text
    assert hidden  # all made
    assert AuditEvent.objects.filter(
        user=host_benring, subject="first contact at the door", person=signal.person
    ).exists()


@pytest.mark.django_db
def test_the_door_asks_about_someone_who_comes_every_other_week_in_their_weeks(
    client, host_benring, session, jan
):
    theirs = int(week_parity(session.date.toordinal()))
    signal = first_contact(jan, session, week_parity=theirs)
    assert [s.pk for s in screen(client, host_benring, session).context["first_contacts"]] == [
        signal.pk
    ]
    Signal.objects.filter(pk=signal.pk).update(week_parity=1 - theirs)
    assert screen(client, host_benring, session).context["first_contacts"] == []


@pytest.mark.django_db
def test_no_box_without_first_contacts(client, host_benring, session):
    response = screen(client, host_benring, session)
    assert b'id="first-contacts"' not in response.content


def answer_url(session, signal):
    return reverse("signals:door_answer", args=[session.pk, signal.pk])


@pytest.mark.django_db
def test_one_tap_and_back_to_the_screen(client, host_benring, session, signal):
    client.force_login(host_benring)
    response = client.post(answer_url(session, signal), {"answer": "ill"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(
        reverse("attendance:check_in", args=[session.pk])
    )
    assert "Dank u wel: genoteerd dat Jan B. ziek is." in response.content.decode()
    signal.refresh_from_db()
    assert signal.outcome == Outcome.ILL_OR_AWAY
    assert b'id="first-contacts"' not in response.content


@pytest.mark.django_db
def test_doing_fine_is_one_tap_on_the_screen(client, host_benring, session, signal):
    client.force_login(host_benring)
    screen = client.get(reverse("attendance:check_in", args=[session.pk])).content.decode()
    assert 'value="all_fine"' in screen and ">Gaat goed</button>" in screen
    response = client.post(answer_url(session, signal), {"answer": "all_fine"}, follow=True)
    assert "Dank u wel: genoteerd dat het goed gaat met Jan B." in response.content.decode()
    signal.refresh_from_db()
    assert signal.outcome == Outcome.ALL_FINE


@pytest.mark.django_db
def test_on_holiday_asks_until_when(client, host_benring, session, signal):
    client.force_login(host_benring)
    page = client.get(answer_url(session, signal))
    assert page.status_code == 200
    assert b'name="until"' in page.content and "Jan B." in page.content.decode()
    bad = client.post(answer_url(session, signal), {"answer": "holiday", "until": "2026-05-01"})
    assert bad.status_code == 400
    assert unchanged(signal)
    good = client.post(answer_url(session, signal), {"answer": "holiday", "until": "2026-05-20"})
    assert good.status_code == 302
    assert AnnouncedAbsence.objects.get(person=signal.person).last_day == date(2026, 5, 20)


@pytest.mark.django_db
def test_the_answer_page_is_for_the_door_of_the_signal_only(
    client, host_benring, session, signal, trefpunt, benring
):
    other_host = factories.MembershipFactory(role=Role.HOST, place=trefpunt).user
    client.force_login(other_host)
    assert client.post(answer_url(session, signal), {"answer": "ill"}).status_code == 404
    client.force_login(host_benring)
    elsewhere = door.today_session(benring, title="Biljarten")
    assert client.post(answer_url(elsewhere, signal), {"answer": "ill"}).status_code == 404
    Signal.objects.filter(pk=signal.pk).update(follow_up_since=TODAY)
    assert client.post(answer_url(session, signal), {"answer": "ill"}).status_code == 404
    signal.refresh_from_db()
    assert signal.status == Signal.Status.OPEN and not signal.contacts.exists()


# --- The coordinator's list ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_keeps_first_contacts_apart_and_a_coordinator_takes_one_over(
    client, benring, session, signal
):
    coordinator = factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user
    theirs = first_contact(
        door.person("Ans", "Kok", place=benring, followup=True), session, follow_up_since=TODAY
    )
    client.force_login(coordinator)
    response = client.get(reverse("signals:list"))
    assert [row["signal"].pk for row in response.context["rows"]] == [theirs.pk]
    [waiting] = response.context["at_the_door"]
    assert waiting["signal"].pk == signal.pk
    assert waiting["coordinator_day"] == signal.raised_on + timedelta(days=14)
    text = response.content.decode()
    assert "Wordt eerst aan de deur gevraagd" in text and "Zelf opvolgen" in text

    response = client.post(reverse("signals:take_over", args=[signal.pk]), follow=True)
    assert {row["signal"].pk for row in response.context["rows"]} == {theirs.pk, signal.pk}
    assert response.context["at_the_door"] == []


@pytest.mark.django_db
def test_the_list_says_nobody_knew_only_when_the_door_said_so(
    client, benring, session, signal, host_benring, settings
):
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    waited = first_contact(
        door.person("Ans", "Kok", place=benring, followup=True),
        session,
        raised_on=TODAY - timedelta(days=20),
    )
    services.save_detected([], TODAY)  # nobody answered for Ans in the 14 days
    answer(signal, DoorAnswer.DONT_KNOW, host_benring)
    client.force_login(factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user)
    text = client.get(reverse("signals:list")).content.decode()
    notes = {
        pk: text.split(f'id="signal-{pk}"')[1].split("</td>")[0] for pk in (signal.pk, waited.pk)
    }
    assert "aan de deur gevraagd: niemand wist het" in notes[signal.pk]
    assert "eerst aan de deur gevraagd" in notes[waited.pk]
    assert "niemand wist het" not in notes[waited.pk]


@pytest.mark.django_db
def test_the_signal_page_shows_the_door_answer(client, benring, session, signal, host_benring):
    answer(signal, DoorAnswer.DONT_KNOW, host_benring)
    coordinator = factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user
    client.force_login(coordinator)
    text = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "rondgevraagd aan de deur" in text
    assert "niemand aan de deur wist het" in text


# --- Taking a tap back ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "what", [DoorAnswer.ALL_FINE, DoorAnswer.ILL, DoorAnswer.DONT_KNOW, DoorAnswer.MOVED]
)
def test_a_host_undoes_their_answer(signal, host_benring, what):
    answer(signal, what, host_benring)
    services.undo_door_answer(signal, acting_user=host_benring)
    assert unchanged(signal)
    assert signal.is_first_contact and signal.outcome == "" and signal.closed_at is None
    assert AuditEvent.objects.filter(detail__contains="door answer undone").exists()


@pytest.mark.django_db
def test_only_ones_own_answer_and_only_for_a_few_minutes(signal, host_benring, benring):
    answer(signal, DoorAnswer.ILL, host_benring)
    other = factories.MembershipFactory(role=Role.HOST, place=benring).user
    with pytest.raises(ValidationError):
        services.undo_door_answer(signal, acting_user=other)
    later = timezone.now() + timedelta(minutes=11)
    with pytest.raises(ValidationError):
        services.undo_door_answer(signal, acting_user=host_benring, now=later)
    signal.refresh_from_db()
    assert signal.status == Signal.Status.CLOSED
    assert AnnouncedAbsence.objects.filter(person=signal.person).exists()


@pytest.mark.django_db
def test_the_screen_offers_the_undo_beside_the_thank_you(client, host_benring, session, signal):
    client.force_login(host_benring)
    response = client.post(answer_url(session, signal), {"answer": "moved"}, follow=True)
    undo = reverse("signals:door_undo", args=[session.pk, signal.pk])
    assert f'action="{undo}"'.encode() in response.content
    assert "Ongedaan maken" in response.content.decode()
    response = client.post(undo, follow=True)
    assert "Ongedaan gemaakt" in response.content.decode()
    assert "Wie weet hoe het met Jan B. gaat?" in response.content.decode()
    assert unchanged(signal)
    # Once the message is read, a reload does not offer it again.
    again = client.get(
        reverse("attendance:check_in", args=[session.pk]) + f"?beantwoord={signal.pk}"
    )
    assert f'action="{undo}"'.encode() not in again.content


@pytest.mark.django_db
def test_the_list_says_a_monthly_visitor_is_the_coordinators_after_their_next_session(
    client, benring, jan, monthly, settings
):
    settings.OMZIEN_FIRST_CONTACT_DAYS = 14
    Signal.objects.create(
        person=jan, place=benring, activity=monthly, raised_on=TODAY, reason="-", probability=0.3
    )
    client.force_login(factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user)
    response = client.get(reverse("signals:list"))
    [waiting] = response.context["at_the_door"]
    assert waiting["coordinator_day"] == date(2026, 6, 3)
