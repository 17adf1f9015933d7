"""Who may open the door pages: the user's own places only; nothing for anyone else."""

import re

import pytest
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM
from omzien.agenda.services import cancel_session
from tests import factories
from tests.attendance import door


def session_urls(session, person):
    return [
        reverse("attendance:check_in", args=[session.pk]),
        reverse("attendance:search", args=[session.pk]) + "?q=mari",
        reverse("attendance:register", args=[session.pk]),
        reverse("attendance:presence", args=[session.pk]),
        reverse("attendance:badges", args=[session.pk]),
        reverse("attendance:person", args=[person.pk]),
    ]


def test_door_lists_todays_sessions_of_the_hosts_place_only(henk, benring_today, trefpunt_today):
    response = henk.get(reverse("attendance:door"))
    assert response.status_code == 200
    assert [s.pk for s in response.context["sessions"]] == [benring_today.pk]
    html = response.content.decode()
    assert f'id="session-{benring_today.pk}"' in html
    assert reverse("attendance:check_in", args=[benring_today.pk]) in html
    assert f'id="session-{trefpunt_today.pk}"' not in html
    assert "Handwerken Trefpunt" not in html


def test_door_materialises_todays_sessions_from_the_rules(henk, benring):
    activity = door.daily_activity(benring, title="Biljarten")
    assert not activity.sessions.exists()
    response = henk.get(reverse("attendance:door"))
    assert [s.activity for s in response.context["sessions"]] == [activity]


def test_door_does_not_list_other_days(henk, benring):
    activity = door.daily_activity(benring)
    yesterday = door.session_on(activity, activity.first_date)
    response = henk.get(reverse("attendance:door"))
    assert yesterday.pk not in [s.pk for s in response.context["sessions"]]


def test_cancelled_session_is_shown_but_cannot_be_opened(henk, benring_today):
    cancel_session(benring_today, "Verwarming stuk", acting_user=SYSTEM)
    response = henk.get(reverse("attendance:door"))
    html = response.content.decode()
    assert 'data-cancelled="true"' in html
    assert "Verwarming stuk" in html
    assert reverse("attendance:check_in", args=[benring_today.pk]) not in html


def test_no_session_today_says_so_and_links_to_the_agenda(henk, benring):
    response = henk.get(reverse("attendance:door"))
    assert response.context["sessions"] == []
    html = response.content.decode()
    assert 'id="no-sessions"' in html
    assert reverse("agenda:week") in html


def test_professional_sees_the_sessions_of_every_place(
    client, professional, benring_today, trefpunt_today
):
    client.force_login(professional)
    response = client.get(reverse("attendance:door"))
    assert {s.pk for s in response.context["sessions"]} == {benring_today.pk, trefpunt_today.pk}


def test_viewer_gets_nothing(client, viewer, benring_today, mariette):
    client.force_login(viewer)
    response = client.get(reverse("attendance:door"))
    assert response.status_code == 403
    assert 'id="refused"' in response.content.decode()
    for url in session_urls(benring_today, mariette):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("name", ["check_in", "presence", "badges", "register", "search"])
def test_host_of_de_benring_gets_404_on_a_trefpunt_session(henk, trefpunt_today, name):
    response = henk.get(reverse(f"attendance:{name}", args=[trefpunt_today.pk]))
    assert response.status_code == 404


def test_a_foreign_session_looks_the_same_as_a_missing_one(henk, trefpunt_today):
    foreign_url = reverse("attendance:check_in", args=[trefpunt_today.pk])
    missing_url = reverse("attendance:check_in", args=[trefpunt_today.pk + 1000])
    foreign, missing = henk.get(foreign_url), henk.get(missing_url)
    assert foreign.status_code == missing.status_code == 404

    def page(response, url):
        # The page names the address asked for (the language switch returns to it) and
        # carries a fresh CSRF token; apart from those the two are the same.
        html = response.content.decode().replace(url, "URL")
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "TOKEN", html)

    assert page(foreign, foreign_url) == page(missing, missing_url)


def test_coordinator_of_trefpunt_may_not_tap_at_de_benring(
    client, coordinator_trefpunt, benring_today, mariette
):
    client.force_login(coordinator_trefpunt)
    url = reverse("attendance:tap_check_in", args=[benring_today.pk])
    assert client.post(url, {"person": mariette.pk}).status_code == 404
    assert not benring_today.visits.exists()


def test_anonymous_user_is_sent_to_our_login_page(client, benring_today, mariette):
    for url in [reverse("attendance:door"), *session_urls(benring_today, mariette)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/inloggen/?next="), url


def test_anonymous_taps_get_401_json_and_change_nothing(client, benring_today, mariette):
    url = reverse("attendance:tap_check_in", args=[benring_today.pk])
    response = client.post(url, {"person": mariette.pk}, headers={"accept": "application/json"})
    assert response.status_code == 401
    assert response.json()["ok"] is False
    form_post = client.post(url, {"person": mariette.pk})
    assert form_post.status_code == 302
    assert form_post.url.startswith("/inloggen/")
    assert not benring_today.visits.exists()


def test_inactive_user_is_treated_as_logged_out(client, benring_today):
    user = factories.MembershipFactory(
        user__username="oud",
        user__is_active=False,
        role=Role.HOST,
        place=benring_today.activity.place,
    ).user
    client.force_login(user)
    response = client.get(reverse("attendance:check_in", args=[benring_today.pk]))
    assert response.status_code == 302


def test_taps_are_post_only(henk, benring_today, mariette):
    url = reverse("attendance:tap_check_in", args=[benring_today.pk])
    assert henk.get(url, {"person": mariette.pk}).status_code == 405
    assert not benring_today.visits.exists()
