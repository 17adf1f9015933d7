"""/overzicht/grafiek/<kind>.svg: the charts as images, with the same access rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

JAN_FEB = {"van": "2026-01-01", "tot": "2026-02-28"}


def chart(client, user, kind="bezoeken", **params):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("reports:chart", args=[kind]), params)


@pytest.mark.parametrize("kind", ["bezoeken", "bezoekers", "terugkomst"])
def test_coordinator_gets_an_svg_of_own_place(client, history, coordinator_trefpunt, kind):
    response = chart(client, coordinator_trefpunt, kind, **JAN_FEB)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml")
    assert b"<title>" in response.content
    assert (
        f"{kind}-trefpunt-duistervoorde-2026-01-01-2026-02-28.svg"
        in (response["Content-Disposition"])
    )
    assert "private" in response["Cache-Control"]


def test_same_request_gives_the_same_bytes(client, history, professional):
    first = chart(client, professional, plek="de-benring", per="week", **JAN_FEB).content
    second = chart(client, professional, plek="de-benring", per="week", **JAN_FEB).content
    assert first == second


def test_svg_may_style_itself_and_nothing_more(client, history, coordinator_trefpunt):
    policy = chart(client, coordinator_trefpunt, **JAN_FEB)["Content-Security-Policy"]
    assert sorted(policy.split("; ")) == ["default-src 'none'", "style-src 'unsafe-inline'"]


def test_another_place_is_refused(client, history, coordinator_trefpunt):
    response = chart(client, coordinator_trefpunt, plek="de-benring", **JAN_FEB)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert b"svg" not in response.content


def test_hosts_may_not(client, history, host_benring):
    """Viewers may, with small cells hidden: see test_overview_for_viewers.py."""
    assert chart(client, host_benring).status_code == 403


def test_anonymous_is_sent_to_log_in(client, settings):
    settings.LOGIN_URL = "/inloggen/"
    response = chart(client, None)
    assert response.status_code == 302
    assert response.url.startswith("/inloggen/?next=")


def test_unknown_chart_is_not_found(client, coordinator_trefpunt):
    assert chart(client, coordinator_trefpunt, kind="taart").status_code == 404


def test_bad_parameters(client, coordinator_trefpunt):
    response = chart(client, coordinator_trefpunt, per="jaar")
    assert response.status_code == 400
    assert "jaar" in response.content.decode()


def test_charts_reuse_the_figures_the_page_just_computed(client, history, coordinator_trefpunt):
    client.force_login(coordinator_trefpunt)
    client.get(reverse("reports:overview"), JAN_FEB)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:chart", args=["terugkomst"]), JAN_FEB)
    assert response.status_code == 200
    assert not [query for query in queries if "attendance_visit" in query["sql"]]
    # Other choices are computed afresh.
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("reports:chart", args=["terugkomst"]), {"per": "week", **JAN_FEB})
    assert [query for query in queries if "attendance_visit" in query["sql"]]
