"""/overzicht/: who sees which places' figures, the page's tables and charts, bad input."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("reports:overview")
JAN_FEB = {"van": "2026-01-01", "tot": "2026-02-28"}


def get(client, user, **params):
    if user is not None:
        client.force_login(user)
    return client.get(URL, params)


def options(response) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', response.content.decode())


def test_anonymous_is_sent_to_log_in(client, settings):
    settings.LOGIN_URL = "/inloggen/"
    response = client.get(URL, {"per": "week"})
    assert response.status_code == 302
    assert response.url == "/inloggen/?next=/overzicht/%3Fper%3Dweek"


def test_hosts_may_not(client, history, host_benring):
    """Viewers may, with small cells hidden: see test_overview_for_viewers.py."""
    assert get(client, host_benring).status_code == 403


def test_a_user_without_memberships_may_not(client, trefpunt, django_user_model):
    user = django_user_model.objects.create_user("niemand", password="x")
    assert get(client, user).status_code == 403


def test_coordinator_sees_own_place_only(client, history, coordinator_trefpunt):
    response = get(client, coordinator_trefpunt, **JAN_FEB)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Trefpunt Duistervoorde" in page
    assert options(response)[:3] == [
        "trefpunt-duistervoorde",
        "trefpunt-duistervoorde/handwerken",
        "trefpunt-duistervoorde/koffie",
    ]
    assert not any(value.startswith("de-benring") for value in options(response))
    assert "De Benring" not in page
    assert "Biljarten" not in page


@pytest.mark.parametrize(
    "plek", ["de-benring", "de-benring/biljart", "trefpunt-duistervoorde/biljart", "nergens"]
)
def test_coordinator_asking_for_another_place_gets_an_error_and_no_figures(
    client, history, coordinator_trefpunt, plek
):
    response = get(client, coordinator_trefpunt, plek=plek, **JAN_FEB)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert plek in page  # the same message whether the place exists or not
    assert "report-totals" not in page
    assert "grafiek" not in page


def main(response) -> str:
    return response.content.decode().partition('<main id="main">')[2].partition("</main>")[0]


def test_error_does_not_tell_whether_a_place_exists(client, history, coordinator_trefpunt):
    existing = main(get(client, coordinator_trefpunt, plek="de-benring"))
    missing = main(get(client, coordinator_trefpunt, plek="xx-benring"))
    assert "de-benring" in existing
    assert existing.replace("de-benring", "xx-benring") == missing


def test_professional_sees_all_places(client, history, professional):
    response = get(client, professional, **JAN_FEB)
    assert response.status_code == 200
    values = options(response)
    assert values[0] == ""  # all places together
    assert {"de-benring", "de-benring/biljart", "trefpunt-duistervoorde"} <= set(values)
    benring = get(client, professional, plek="de-benring", **JAN_FEB)
    assert benring.status_code == 200
    assert "De Benring" in benring.content.decode()


def test_figures_tables_and_charts(client, history, coordinator_trefpunt):
    response = get(client, coordinator_trefpunt, **JAN_FEB)
    page = response.content.decode()
    totals = response.context["overview"].totals
    assert (totals.visits, totals.anonymous_visits, totals.unique_visitors) == (13, 4, 4)
    assert [row["visits"] for row in response.context["rows"]] == ["8", "5"]
    assert [row["share"] for row in response.context["rows"]] == ["33%", "25%"]
    # Three charts as images with a text alternative, each with a table of its numbers.
    images = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', page)
    assert [src.split("?")[0] for src, _alt in images] == [
        reverse("reports:chart", args=[kind]) for kind in ("bezoeken", "bezoekers", "terugkomst")
    ]
    for src, alt in images:
        assert src.endswith(
            "?plek=trefpunt-duistervoorde&amp;per=maand&amp;van=2026-01-01&amp;tot=2026-02-28"
        )
        assert len(alt) > 60  # says what the chart shows and where its numbers are
    assert page.count("<caption>") == 4  # three charts and the activities
    assert page.count('<th scope="col">') >= 12
    assert '<th scope="row">' in page


def test_per_activity_and_per_week(client, history, coordinator_trefpunt):
    response = get(
        client,
        coordinator_trefpunt,
        plek="trefpunt-duistervoorde/koffie",
        per="week",
        van="2026-01-05",
        tot="2026-01-18",
    )
    assert response.status_code == 200
    assert [row["visits"] for row in response.context["rows"]] == ["4", "2"]
    assert response.context["activities"] == []  # one activity: no table per activity
    assert "Koffieochtend, Trefpunt Duistervoorde" in response.content.decode()


def test_english_parameter_names_work_too(client, history, coordinator_trefpunt):
    response = get(
        client,
        coordinator_trefpunt,
        place="trefpunt-duistervoorde",
        group="month",
        **{"from": "2026-01-15", "to": "2026-02-10"},
    )
    assert response.status_code == 200
    overview = response.context["overview"]
    assert (overview.first_day.isoformat(), overview.last_day.isoformat()) == tuple(
        JAN_FEB.values()
    )
    # The form shows the whole periods that are counted.
    assert 'value="2026-01-01"' in response.content.decode()


def test_defaults_are_the_last_twelve_months(client, coordinator_trefpunt):
    overview = get(client, coordinator_trefpunt).context["overview"]
    assert len(overview.periods) == 12
    assert overview.periods[-1].is_running
    weeks = get(client, coordinator_trefpunt, per="week").context["overview"]
    assert len(weeks.periods) == 26


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"per": "jaar"}, "jaar"),
        ({"van": "2026-13-01"}, "2026-01-31"),
        ({"van": "gisteren"}, "2026-01-31"),
        ({"van": "2026-03-01", "tot": "2026-02-01"}, ""),
        ({"per": "week", "van": "2020-01-01", "tot": "2026-01-01"}, "157"),
        ({"van": "1999-12-31", "tot": "2000-02-01"}, "2000-01-01"),
    ],
)
def test_bad_parameters_give_an_error_on_the_form(client, coordinator_trefpunt, params, message):
    response = get(client, coordinator_trefpunt, **params)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error" role="alert"' in page
    assert message in page
    assert "report-totals" not in page


def test_page_keeps_the_strict_content_security_policy(client, coordinator_trefpunt):
    policy = get(client, coordinator_trefpunt)["Content-Security-Policy"]
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy


def test_query_count_does_not_grow_with_the_data(
    client, history, professional, django_assert_max_num_queries
):
    client.force_login(professional)
    # 13: one of them is django-otp's look-up of the session's two-factor device, on
    # every request of a professional (a reset app stops working at once).
    with django_assert_max_num_queries(13):
        response = client.get(URL, {"per": "week", **JAN_FEB})
    assert response.status_code == 200
