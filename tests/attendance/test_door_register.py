"""Registering a new visitor at the door: consent asked in plain words, then checked in."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from omzien.accounts.permissions import SYSTEM
from omzien.agenda.services import cancel_session
from omzien.attendance.models import Visit
from omzien.attendance.views import REGISTER_ANYWAY
from omzien.audit.models import AuditEvent
from omzien.people.models import Consent, Person, Purpose
from tests.attendance import door


def register_url(session):
    return reverse("attendance:register", args=[session.pk])


def answers(home, **overrides):
    return {
        "first_name": "Gerrit",
        "last_name": "",
        "village": home.pk,
        "names": "yes",
        "followup": "no",
        "token": str(uuid.uuid4()),
        **overrides,
    }


def test_the_form_explains_what_is_kept_why_and_how_long(henk, benring_today, settings):
    settings.OMZIEN_RETENTION_YEARS = 3
    response = henk.get(register_url(benring_today), {"naam": "gerrit"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["first_name"].value() == "gerrit"
    assert form["village"].value() == benring_today.activity.place.village_id
    html = response.content.decode()
    assert 'id="question-names"' in html
    assert 'id="question-followup"' in html
    assert "3 years" in html or "3 jaar" in html
    # Consent is never ticked in advance.
    assert "checked" not in str(form["names"]) and "checked" not in str(form["followup"])


def test_register_with_consent_records_consent_and_checks_in(
    henk, host_benring, benring_today, voorst_village, benring
):
    before = timezone.now()
    response = henk.post(
        register_url(benring_today),
        answers(voorst_village, first_name=" Gerrit ", last_name="Hoeve", followup="yes"),
    )
    assert response.status_code == 302
    assert response.url == reverse("attendance:check_in", args=[benring_today.pk])
    person = Person.objects.get()
    assert (person.first_name, person.last_name, person.village, person.registered_place) == (
        "Gerrit",
        "Hoeve",
        voorst_village,
        benring,
    )
    consents = {c.purpose: c for c in Consent.objects.filter(person=person)}
    assert set(consents) == {Purpose.NAMES, Purpose.FOLLOWUP}
    for consent in consents.values():
        assert consent.given is True
        assert consent.recorded_by == host_benring
        assert before <= consent.recorded_at <= timezone.now()
    visit = Visit.objects.get()
    assert (visit.session, visit.person, visit.recorded_by) == (benring_today, person, host_benring)
    screen = henk.get(response.url)
    assert [p.pk for p in screen.context["checked_in"]] == [person.pk]


def test_first_name_and_village_are_enough_and_followup_no_is_recorded(
    henk, benring_today, voorst_village
):
    response = henk.post(register_url(benring_today), answers(voorst_village))
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.last_name == ""
    assert person.has_consent(Purpose.NAMES)
    followup = Consent.objects.get(person=person, purpose=Purpose.FOLLOWUP)
    assert followup.given is False


def test_refusing_names_saves_nothing_and_offers_plus_one(henk, benring_today, voorst_village):
    response = henk.post(register_url(benring_today), answers(voorst_village, names="no"))
    assert response.status_code == 400
    assert response.context["form"].names_refused
    html = response.content.decode()
    assert 'id="names-refused"' in html
    assert reverse("attendance:tap_add_anonymous", args=[benring_today.pk]) in html
    assert "tel deze bezoeker anoniem (+1)" in html
    assert not Person.objects.exists()
    assert not Consent.objects.exists()
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"first_name": "   "},
        {"village": ""},
        {"village": 999999},
        {"names": ""},
        {"followup": ""},
        {"names": "maybe"},
        {"token": "nope"},
    ],
)
def test_incomplete_answers_save_nothing(henk, benring_today, voorst_village, overrides):
    response = henk.post(register_url(benring_today), answers(voorst_village, **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Person.objects.exists()
    assert not Consent.objects.exists()
    assert not Visit.objects.exists()


def test_a_village_of_another_region_is_refused(henk, benring_today):
    from tests.factories import RegionFactory, VillageFactory

    elsewhere = VillageFactory(name="Deventer", region=RegionFactory(name="Deventer", slug="dev"))
    response = henk.post(register_url(benring_today), answers(elsewhere))
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_the_same_form_sent_twice_registers_once(henk, benring_today, voorst_village):
    data = answers(voorst_village)
    first = henk.post(register_url(benring_today), data)
    again = henk.post(register_url(benring_today), data)
    assert first.status_code == again.status_code == 302
    assert Person.objects.count() == 1
    assert Visit.objects.count() == 1
    # Another form for another Gerrit: asked "Is dit Gerrit?" first, then registered.
    another = answers(voorst_village)
    assert henk.post(register_url(benring_today), another).status_code == 200
    assert Person.objects.count() == 1
    henk.post(register_url(benring_today), {**another, REGISTER_ANYWAY: "1"})
    assert Person.objects.count() == 2


def test_nobody_is_registered_at_a_cancelled_session(henk, benring_today, voorst_village):
    cancel_session(benring_today, "Storm", acting_user=SYSTEM)
    page = henk.get(register_url(benring_today))
    assert 'id="session-cancelled"' in page.content.decode()
    assert 'id="register-form"' not in page.content.decode()
    response = henk.post(register_url(benring_today), answers(voorst_village))
    assert response.status_code == 400
    assert "Deze bijeenkomst gaat niet door" in response.content.decode()
    assert not Person.objects.exists()
    assert not Consent.objects.exists()
    assert not Visit.objects.exists()


def test_registering_at_another_place_is_refused(henk, trefpunt_today, twello):
    response = henk.post(register_url(trefpunt_today), answers(twello))
    assert response.status_code == 404
    assert not Person.objects.exists()


# --- "Is dit ...?" before registering someone who may be known already ------------------


@pytest.fixture
def jannie(benring, voorst_village):
    return door.person("Jannie", "Kamphuis", place=benring, village=voorst_village)


def test_a_name_like_someone_known_asks_first_and_saves_nothing(
    henk, benring_today, voorst_village, jannie
):
    data = answers(voorst_village, first_name="Janie", last_name="Kamphuis")
    response = henk.post(register_url(benring_today), data)
    assert response.status_code == 200
    assert [person.pk for person in response.context["similar"]] == [jannie.pk]
    html = response.content.decode()
    assert "Is dit Jannie Kamphuis?" in html
    assert 'id="register-anyway"' in html and "Nee, nieuwe bezoeker" in html
    # The form stays filled in, with the same token, for "Nee, nieuwe bezoeker".
    assert f'value="{data["token"]}"' in html
    assert response.context["form"]["first_name"].value() == "Janie"
    assert Person.objects.count() == 1
    assert not Visit.objects.exists()
    assert AuditEvent.objects.filter(subject="duplicate check").count() == 1


def test_tapping_the_known_person_checks_them_in_instead(
    henk, benring_today, voorst_village, jannie
):
    page = henk.post(register_url(benring_today), answers(voorst_village, first_name="jannie"))
    tap = reverse("attendance:tap_check_in", args=[benring_today.pk])
    assert tap in page.content.decode()
    response = henk.post(tap, {"person": jannie.pk, "q": ""})
    assert response.status_code == 302
    assert response.url == reverse("attendance:check_in", args=[benring_today.pk])
    assert list(Visit.objects.values_list("person", flat=True)) == [jannie.pk]
    assert Person.objects.count() == 1


def test_no_a_new_visitor_registers_once_whatever_is_sent_again(
    henk, benring_today, voorst_village, jannie
):
    data = answers(voorst_village, first_name="Jannie", last_name="Kamphuis")
    henk.post(register_url(benring_today), data)
    for _again in range(2):
        response = henk.post(register_url(benring_today), {**data, REGISTER_ANYWAY: "1"})
        assert response.status_code == 302
    # And the plain form once more (a retry of an older tap): still the one newcomer.
    assert henk.post(register_url(benring_today), data).status_code == 302
    newcomer = Person.objects.exclude(pk=jannie.pk).get()
    assert (newcomer.first_name, newcomer.last_name) == ("Jannie", "Kamphuis")
    assert list(Visit.objects.values_list("person", flat=True)) == [newcomer.pk]


def test_someone_already_checked_in_is_shown_as_such(henk, benring_today, voorst_village, jannie):
    from omzien.attendance.services import check_in

    check_in(benring_today, jannie, acting_user=SYSTEM)
    response = henk.post(register_url(benring_today), answers(voorst_village, first_name="Jannie"))
    (shown,) = response.context["similar"]
    assert shown.is_checked_in
    assert 'data-state="in"' in response.content.decode()


def test_the_question_never_names_people_the_host_may_not_see(
    henk, benring_today, voorst_village, marie_trefpunt, maria_without_consent
):
    for first, last in [("Marie", "Trefpunt"), ("Maria", "Zondernaam")]:
        data = answers(voorst_village, first_name=first, last_name=last)
        response = henk.post(register_url(benring_today), data)
        assert response.status_code == 302, first
        assert "Trefpunt" not in response.content.decode()
    assert Person.objects.count() == 4


def test_a_different_name_or_village_registers_at_once(
    henk, benring_today, voorst_village, twello, jannie
):
    response = henk.post(register_url(benring_today), answers(voorst_village, first_name="Gerrit"))
    assert response.status_code == 302
    response = henk.post(
        register_url(benring_today),
        answers(twello, first_name="Janie", last_name="Kamphuis"),  # a typo and elsewhere
    )
    assert response.status_code == 302
    assert Person.objects.count() == 3


def test_invalid_answers_are_reported_before_any_question(
    henk, benring_today, voorst_village, jannie
):
    response = henk.post(
        register_url(benring_today), answers(voorst_village, first_name="Jannie", names="")
    )
    assert response.status_code == 400
    assert response.context["similar"] == []
    assert not AuditEvent.objects.filter(subject="duplicate check").exists()
