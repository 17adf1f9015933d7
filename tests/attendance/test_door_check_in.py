"""The check-in screen: search, and every tap as a plain form post and as JSON."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omzien.accounts.permissions import SYSTEM, door_people
from omzien.agenda.services import cancel_session
from omzien.attendance import queries, services
from omzien.attendance.models import Visit
from tests import factories
from tests.attendance import door

JSON = {"accept": "application/json"}


def url(name, session):
    return reverse(f"attendance:{name}", args=[session.pk])


def found(response):
    return [person.pk for person in response.context["results"]]


# --- Search ---------------------------------------------------------------------------


def test_search_finds_mariette_without_accents_or_capitals(henk, benring_today, mariette):
    for typed in ["mariette", "MARIËTTE", "Mariet", "de vries", "vries"]:
        response = henk.get(url("check_in", benring_today), {"q": typed})
        assert response.status_code == 200
        assert found(response) == [mariette.pk], typed
    assert "Mariëtte de Vries" in response.content.decode()


def test_search_without_javascript_and_the_type_ahead_give_the_same_people(
    henk, benring_today, mariette
):
    page = henk.get(url("check_in", benring_today), {"q": "mariette"})
    fragment = henk.get(url("search", benring_today), {"q": "mariette"})
    assert found(page) == found(fragment) == [mariette.pk]
    assert "<html" not in fragment.content.decode()
    assert f'data-person="{mariette.pk}"' in fragment.content.decode()


def test_search_shows_no_one_of_another_place(henk, benring_today, mariette, marie_trefpunt):
    response = henk.get(url("check_in", benring_today), {"q": "marie"})
    assert found(response) == [mariette.pk]
    assert "Trefpunt" not in "".join(str(p) for p in response.context["results"])
    assert f'data-person="{marie_trefpunt.pk}"' not in response.content.decode()


def test_search_never_shows_a_name_without_consent(
    henk, benring_today, mariette, maria_without_consent, benring
):
    never_asked = door.person("Marian", "Nooitgevraagd", place=benring, names=None)
    response = henk.get(url("check_in", benring_today), {"q": "mari"})
    assert found(response) == [mariette.pk]
    html = response.content.decode()
    assert "Zondernaam" not in html
    assert "Nooitgevraagd" not in html
    assert never_asked.pk not in found(response)


def test_withdrawn_consent_hides_the_name_again(henk, benring_today, mariette):
    from omzien.people.services import record_consent

    record_consent(mariette, "names", False, acting_user=SYSTEM)
    response = henk.get(url("check_in", benring_today), {"q": "mariette"})
    assert found(response) == []


def test_someone_of_another_place_who_came_here_is_found(henk, benring_today, marie_trefpunt):
    earlier = door.session_on(benring_today.activity, benring_today.date.replace(day=1))
    Visit.objects.create(session=earlier, person=marie_trefpunt)
    response = henk.get(url("check_in", benring_today), {"q": "marie"})
    assert found(response) == [marie_trefpunt.pk]


def test_empty_search_shows_nobody(henk, benring_today, mariette):
    assert found(henk.get(url("check_in", benring_today), {"q": "   "})) == []


def test_search_marks_who_is_checked_in(henk, benring_today, mariette):
    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    response = henk.get(url("check_in", benring_today), {"q": "mariette"})
    assert response.context["results"][0].is_checked_in
    assert 'data-state="in"' in response.content.decode()


def test_search_results_are_limited(henk, benring_today, benring):
    for number in range(25):
        door.person(f"Jan{number:02d}", "Veel", place=benring)
    response = henk.get(url("check_in", benring_today), {"q": "veel"})
    assert len(found(response)) == 20
    assert response.context["more_results"]


@pytest.mark.parametrize(
    "typed", ["janie", "Kamphuis Jannie", "kamphuis janie", "JANNIE KÄMPHUIS", "jannikamphuis"]
)
def test_search_tolerates_typos_word_order_and_accents(henk, benring_today, benring, typed):
    jannie = door.person("Jannie", "Kamphuis", place=benring)
    door.person("Gerrit", "Hoeve", place=benring)
    response = henk.get(url("check_in", benring_today), {"q": typed})
    assert found(response) == [jannie.pk], typed
    assert 'id="no-results"' not in response.content.decode()


@pytest.mark.parametrize("typed", ["xyz", "qqqq", "jannie xyz"])
def test_nonsense_finds_nobody(henk, benring_today, benring, typed):
    door.person("Jannie", "Kamphuis", place=benring)
    response = henk.get(url("check_in", benring_today), {"q": typed})
    assert found(response) == []
    assert 'id="no-results"' in response.content.decode()


def test_exact_matches_come_before_typos(henk, benring_today, benring):
    door.person("Jannie", "Kamphuis", place=benring)
    door.person("Jan", "Zwart", place=benring)
    door.person("Janine", "Bos", place=benring)
    response = henk.get(url("search", benring_today), {"q": "jannie"})
    assert [str(person) for person in response.context["results"]] == [
        "Jannie Kamphuis",
        "Janine Bos",
    ]


def test_typos_never_find_people_of_another_place_or_without_consent(
    henk, benring_today, mariette, marie_trefpunt, maria_without_consent
):
    response = henk.get(url("search", benring_today), {"q": "mariete"})
    assert found(response) == [mariette.pk]
    assert found(henk.get(url("search", benring_today), {"q": "trefpunt"})) == []
    assert found(henk.get(url("search", benring_today), {"q": "zondernaam"})) == []


def test_search_reads_two_queries_however_many_people(benring_today, benring):
    for number in range(30):
        door.person(f"Jannie{number:02d}", "Kamphuis", place=benring)
    people = door_people(SYSTEM, benring_today)
    with CaptureQueriesContext(connection) as captured:
        results, more = queries.search_people(benring_today, people, "kamphuis janie")
    assert len(results) == queries.SEARCH_LIMIT and more
    assert len(captured) == 2


# --- Check-in and undo ----------------------------------------------------------------


def test_one_tap_checks_in_and_returns_to_an_empty_search(
    henk, host_benring, benring_today, mariette
):
    response = henk.post(url("tap_check_in", benring_today), {"person": mariette.pk, "q": "mar"})
    assert response.status_code == 302
    assert response.url == url("check_in", benring_today)  # the next visitor is someone else
    visit = Visit.objects.get()
    assert (visit.session, visit.person, visit.recorded_by) == (
        benring_today,
        mariette,
        host_benring,
    )
    screen = henk.get(response.url)
    assert [p.pk for p in screen.context["checked_in"]] == [mariette.pk]
    assert "Mariëtte de Vries" in str(list(screen.context["messages"])[0])


def test_check_in_by_json_twice_makes_one_visit(henk, benring_today, mariette):
    first = henk.post(url("tap_check_in", benring_today), {"person": mariette.pk}, headers=JSON)
    again = henk.post(url("tap_check_in", benring_today), {"person": mariette.pk}, headers=JSON)
    assert first.status_code == again.status_code == 200
    assert first.json() | {"message": ""} == {
        "ok": True,
        "message": "",
        "person": mariette.pk,
        "checked_in": True,
        "created": True,
        "present": 1,
        "anonymous": 0,
        "last_token": None,
    }
    assert again.json()["created"] is False
    assert Visit.objects.filter(person=mariette).count() == 1


def test_undo_by_form_and_by_json(henk, benring_today, mariette):
    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    response = henk.post(url("tap_undo", benring_today), {"person": mariette.pk})
    assert response.status_code == 302
    assert not Visit.objects.exists()

    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    response = henk.post(url("tap_undo", benring_today), {"person": mariette.pk}, headers=JSON)
    assert response.status_code == 200
    assert response.json()["checked_in"] is False
    assert response.json()["removed"] is True
    assert response.json()["present"] == 0
    assert not Visit.objects.exists()
    # Undoing again (a retried tap) is harmless.
    again = henk.post(url("tap_undo", benring_today), {"person": mariette.pk}, headers=JSON)
    assert again.status_code == 200
    assert again.json()["removed"] is False


def test_undo_leaves_other_sessions_alone(henk, benring_today, mariette):
    a_week_ago = benring_today.date - timedelta(weeks=1)  # never today, whatever today is
    earlier = door.session_on(benring_today.activity, a_week_ago)
    services.check_in(earlier, mariette, acting_user=SYSTEM)
    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    henk.post(url("tap_undo", benring_today), {"person": mariette.pk})
    assert list(Visit.objects.values_list("session", flat=True)) == [earlier.pk]


def test_checked_in_list_shows_names_and_counts_the_others(
    henk, benring_today, mariette, maria_without_consent
):
    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    # Came in before the consent question was asked: on an imported list, not at the door.
    factories.VisitFactory(session=benring_today, person=maria_without_consent)
    services.add_anonymous(benring_today, token=uuid.uuid4(), acting_user=SYSTEM)
    response = henk.get(url("check_in", benring_today))
    assert [p.pk for p in response.context["checked_in"]] == [mariette.pk]
    assert response.context["unnamed_present"] == 1
    assert response.context["counts"].total == 3
    html = response.content.decode()
    assert "Zondernaam" not in html
    assert 'id="present-count">3<' in html


@pytest.mark.parametrize("tap", ["tap_check_in", "tap_undo"])
@pytest.mark.parametrize(
    ("data", "status"), [({}, 400), ({"person": "Mariëtte"}, 400), ({"person": 999999}, 404)]
)
def test_bad_person_is_refused(henk, benring_today, mariette, tap, data, status):
    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    for headers in [{}, JSON]:
        response = henk.post(url(tap, benring_today), data, headers=headers)
        assert response.status_code == status
        if headers:
            assert response.json()["ok"] is False
            assert response.json()["error"]
        else:
            assert 'id="refusal"' in response.content.decode()
    assert list(Visit.objects.values_list("person", flat=True)) == [mariette.pk]


def test_a_person_of_another_place_cannot_be_checked_in_or_out(
    henk, benring_today, marie_trefpunt, trefpunt_today
):
    services.check_in(trefpunt_today, marie_trefpunt, acting_user=SYSTEM)
    for tap in ["tap_check_in", "tap_undo"]:
        response = henk.post(url(tap, benring_today), {"person": marie_trefpunt.pk}, headers=JSON)
        assert response.status_code == 404
    assert list(Visit.objects.values_list("session", flat=True)) == [trefpunt_today.pk]


def test_a_person_without_names_consent_cannot_be_tapped(
    henk, benring_today, maria_without_consent
):
    response = henk.post(
        url("tap_check_in", benring_today), {"person": maria_without_consent.pk}, headers=JSON
    )
    assert response.status_code == 404
    assert "Zondernaam" not in response.content.decode()
    assert not Visit.objects.exists()


def test_nothing_is_saved_at_a_cancelled_session(henk, benring_today, mariette):
    cancel_session(benring_today, "Storm", acting_user=SYSTEM)
    screen = henk.get(url("check_in", benring_today))
    assert screen.status_code == 200
    assert 'id="session-cancelled"' in screen.content.decode()
    assert 'id="search-input"' not in screen.content.decode()

    response = henk.post(url("tap_check_in", benring_today), {"person": mariette.pk})
    assert response.status_code == 400
    assert 'id="refusal"' in response.content.decode()
    response = henk.post(url("tap_check_in", benring_today), {"person": mariette.pk}, headers=JSON)
    assert response.status_code == 400
    assert response.json()["error"] == "Deze bijeenkomst gaat niet door. Er kan niemand inchecken."
    response = henk.post(
        url("tap_add_anonymous", benring_today), {"token": str(uuid.uuid4())}, headers=JSON
    )
    assert response.status_code == 400
    assert not Visit.objects.exists()


# --- Anonymous +1 and −1 --------------------------------------------------------------


def test_plus_one_by_form_counts_once_per_token(henk, host_benring, benring_today):
    token = str(uuid.uuid4())
    for _ in range(2):
        response = henk.post(url("tap_add_anonymous", benring_today), {"token": token})
        assert response.status_code == 302
        assert response.url == url("check_in", benring_today)
    visit = Visit.objects.get()
    assert visit.person is None
    assert str(visit.client_token) == token
    assert visit.recorded_by == host_benring


def test_plus_one_by_json_reports_the_count_and_the_last_token(henk, benring_today):
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    henk.post(url("tap_add_anonymous", benring_today), {"token": first}, headers=JSON)
    response = henk.post(url("tap_add_anonymous", benring_today), {"token": second}, headers=JSON)
    retried = henk.post(url("tap_add_anonymous", benring_today), {"token": second}, headers=JSON)
    assert response.status_code == retried.status_code == 200
    assert response.json()["created"] is True
    assert retried.json()["created"] is False
    assert retried.json()["anonymous"] == retried.json()["present"] == 2
    assert retried.json()["last_token"] == second


def test_minus_one_takes_off_the_tapped_one_once(henk, benring_today):
    first, second = uuid.uuid4(), uuid.uuid4()
    services.add_anonymous(benring_today, token=first, acting_user=SYSTEM)
    services.add_anonymous(benring_today, token=second, acting_user=SYSTEM)
    response = henk.post(
        url("tap_remove_anonymous", benring_today), {"token": second}, headers=JSON
    )
    assert response.json() | {"message": ""} == {
        "ok": True,
        "message": "",
        "removed": True,
        "present": 1,
        "anonymous": 1,
        "last_token": str(first),
    }
    # A retried −1 with the same token does not take off a second visitor.
    retried = henk.post(url("tap_remove_anonymous", benring_today), {"token": second}, headers=JSON)
    assert retried.json()["removed"] is False
    assert list(Visit.objects.values_list("client_token", flat=True)) == [first]


def test_minus_one_without_a_token_by_form_takes_off_the_latest(henk, benring_today, mariette):
    services.check_in(benring_today, mariette, acting_user=SYSTEM)
    services.add_anonymous(benring_today, acting_user=SYSTEM)
    response = henk.post(url("tap_remove_anonymous", benring_today), {"token": ""})
    assert response.status_code == 302
    assert list(Visit.objects.values_list("person", flat=True)) == [mariette.pk]
    # Nothing anonymous left: −1 changes nothing, and never touches a named visit.
    henk.post(url("tap_remove_anonymous", benring_today), {"token": ""})
    assert list(Visit.objects.values_list("person", flat=True)) == [mariette.pk]


@pytest.mark.parametrize("tap", ["tap_add_anonymous", "tap_remove_anonymous"])
def test_bad_token_is_refused(henk, benring_today, tap):
    services.add_anonymous(benring_today, token=uuid.uuid4(), acting_user=SYSTEM)
    response = henk.post(url(tap, benring_today), {"token": "not-a-uuid"}, headers=JSON)
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert Visit.objects.count() == 1


def test_plus_one_needs_a_token(henk, benring_today):
    response = henk.post(url("tap_add_anonymous", benring_today), {}, headers=JSON)
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_a_token_of_another_session_is_refused(henk, benring_today):
    other = door.session_on(benring_today.activity, benring_today.date - timedelta(weeks=1))
    token = uuid.uuid4()
    services.add_anonymous(other, token=token, acting_user=SYSTEM)
    response = henk.post(
        url("tap_add_anonymous", benring_today), {"token": str(token)}, headers=JSON
    )
    assert response.status_code == 400
    assert not benring_today.visits.exists()
    response = henk.post(
        url("tap_remove_anonymous", benring_today), {"token": str(token)}, headers=JSON
    )
    assert response.json()["removed"] is False
    assert other.visits.count() == 1


def test_taps_need_the_csrf_token(client, host_benring, benring_today, mariette):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(host_benring)
    response = strict.post(url("tap_check_in", benring_today), {"person": mariette.pk})
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_the_screen_costs_the_same_queries_for_two_or_twenty_people(henk, benring_today, benring):
    def queries_for_screen():
        with CaptureQueriesContext(connection) as captured:
            response = henk.get(url("check_in", benring_today), {"q": "veel"})
        assert response.status_code == 200
        return len(captured), len(response.context["results"])

    for number in range(2):
        services.check_in(
            benring_today, door.person(f"Ans{number}", "Veel", place=benring), acting_user=SYSTEM
        )
    few, shown = queries_for_screen()
    assert shown == 2
    for number in range(18):
        services.check_in(
            benring_today,
            door.person(f"Bob{number:02d}", "Veel", place=benring),
            acting_user=SYSTEM,
        )
    many, shown = queries_for_screen()
    assert shown == 20
    assert many == few


def test_a_tap_at_a_foreign_session_answers_404_json(henk, trefpunt_today, marie_trefpunt):
    response = henk.post(
        url("tap_check_in", trefpunt_today), {"person": marie_trefpunt.pk}, headers=JSON
    )
    assert response.status_code == 404
    assert response.json()["ok"] is False
    assert "Marie" not in response.content.decode()
    assert not Visit.objects.exists()
