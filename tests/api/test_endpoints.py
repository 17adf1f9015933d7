"""The API through Django's test client on the real database: public reads, the door,
signals and figures with tokens, problems in Dutch and English, rate limits."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM
from omzien.api.models import AccessToken
from omzien.attendance import services as attendance
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.signals.models import Signal
from tests import factories
from tests.agenda.test_public_reads import get_without_writing
from tests.api.helpers import bearer, token_for
from tests.attendance import door

PROBLEM = "application/problem+json"


@pytest.fixture
def session(benring):
    return door.today_session(benring)


@pytest.fixture
def riet(benring):
    return door.person("Riet", "Bos", place=benring, followup=True)


def test_public_lists_need_no_token_and_write_nothing(client, session, trefpunt):
    audit_before = AuditEvent.objects.count()
    places = client.get("/api/v1/places").json()
    assert {place["slug"] for place in places} == {"de-benring", "trefpunt-duistervoorde"}
    villages = client.get("/api/v1/villages").json()
    assert {village["slug"] for village in villages} == {"voorst", "twello"}
    activities = client.get("/api/v1/activities?place=de-benring").json()
    assert [activity["title"] for activity in activities] == ["Koffieochtend"]
    assert AuditEvent.objects.count() == audit_before
    assert AccessToken.objects.count() == 0


def test_sessions_are_paged_and_bounded(client, session):
    today = timezone.localdate()
    answer = client.get(f"/api/v1/sessions?from={today}&to={today + timedelta(days=6)}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 7 and body["pages"] == 1
    assert body["items"][0]["id"] == session.pk
    too_long = client.get(f"/api/v1/sessions?from={today}&to={today + timedelta(days=200)}")
    assert too_long.status_code == 400
    assert too_long["Content-Type"] == PROBLEM
    far = client.get("/api/v1/sessions?from=2100-01-01&to=2100-01-02")
    assert far.status_code == 400
    assert client.get(f"/api/v1/sessions?from={today}&to={today}&page=2").status_code == 404


def test_the_agenda_as_json(client, session):
    body = client.get("/api/v1/agenda").json()
    assert len(body["days"]) == 7
    assert any(s["id"] == session.pk for day in body["days"] for s in day["sessions"])
    assert client.get("/api/v1/agenda?week=nonsense").status_code == 400
    assert client.get("/api/v1/agenda?place=no-such-place").status_code == 400


def test_problems_follow_the_language(client, db):
    dutch = client.get("/api/v1/me")
    assert dutch.status_code == 401 and dutch["Content-Type"] == PROBLEM
    body = dutch.json()
    assert set(body) >= {"type", "title", "status", "detail"}
    assert body["title"] == "Niet aangemeld"
    english = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").json()
    assert english["title"] == "Not authenticated"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/no-such-thing", 404),
        ("get", "/api/v1/", 404),
        ("post", "/api/v1/places", 405),
        ("get", "/api/v1/sessions?from=not-a-date", 422),
    ],
)
def test_other_errors_are_problems(client, db, method, path, status):
    answer = getattr(client, method)(path)
    assert answer.status_code == status
    assert answer["Content-Type"] == PROBLEM
    assert answer.json()["status"] == status


def test_a_wrong_expired_or_revoked_token_is_refused(client, host_benring):
    token, secret = token_for(host_benring)
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
    assert client.get("/api/v1/me", **bearer(secret + "x")).status_code == 401
    assert client.get("/api/v1/me", **bearer("omz_12345678_guess")).status_code == 401
    assert client.get("/api/v1/places", **bearer("nonsense")).status_code == 401
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    AccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_the_door_app_checks_in(client, host_benring, session, riet):
    _token, secret = token_for(host_benring)
    answer = client.get("/api/v1/door/sessions", **bearer(secret))
    assert [s["id"] for s in answer.json()] == [session.pk]
    assert "no-store" in answer["Cache-Control"]  # names may follow: never cached
    found = client.get(f"/api/v1/door/sessions/{session.pk}/people?q=riet", **bearer(secret))
    assert [p["name"] for p in found.json()] == ["Riet Bos"]
    assert AuditEvent.objects.filter(user=host_benring, subject="API door people").exists()
    url = f"/api/v1/door/sessions/{session.pk}/check-ins"
    first = client.post(url, {"person": riet.pk}, content_type="application/json", **bearer(secret))
    again = client.post(url, {"person": riet.pk}, content_type="application/json", **bearer(secret))
    assert first.json()["changed"] is True and again.json()["changed"] is False
    assert Visit.objects.filter(session=session, person=riet).count() == 1
    anonymous = client.post(
        f"/api/v1/door/sessions/{session.pk}/anonymous",
        {"token": "5f0e7c5e-1111-4c4c-8888-123456789abc"},
        content_type="application/json",
        **bearer(secret),
    )
    assert anonymous.json()["anonymous"] == 1
    undone = client.delete(f"{url}/{riet.pk}", **bearer(secret))
    assert undone.status_code == 200
    assert not Visit.objects.filter(session=session, person=riet).exists()


def test_a_token_needs_no_csrf_token_and_a_session_cookie_is_no_token(host_benring, session, riet):
    """A token is sent on purpose, so a check-in needs no CSRF token; the site's session
    cookie alone authenticates nothing here (so no other site can use it)."""
    browser = Client(enforce_csrf_checks=True)
    _token, secret = token_for(host_benring)
    url = f"/api/v1/door/sessions/{session.pk}/check-ins"
    answer = browser.post(
        url, {"person": riet.pk}, content_type="application/json", **bearer(secret)
    )
    assert answer.status_code == 200
    Visit.objects.all().delete()
    browser.force_login(host_benring)
    cookie_only = browser.post(url, {"person": riet.pk}, content_type="application/json")
    assert cookie_only.status_code == 401
    assert not Visit.objects.exists()


def test_a_read_only_token_cannot_check_in(client, host_benring, session, riet):
    _token, secret = token_for(host_benring, scope=AccessToken.Scope.READ)
    answer = client.post(
        f"/api/v1/door/sessions/{session.pk}/check-ins",
        {"person": riet.pk},
        content_type="application/json",
        **bearer(secret),
    )
    assert answer.status_code == 403 and answer["Content-Type"] == PROBLEM
    assert not Visit.objects.exists()


def test_a_host_elsewhere_gets_404(client, coordinator_trefpunt, session, riet):
    _token, secret = token_for(coordinator_trefpunt)
    answer = client.post(
        f"/api/v1/door/sessions/{session.pk}/check-ins",
        {"person": riet.pk},
        content_type="application/json",
        **bearer(secret),
    )
    assert answer.status_code == 404
    assert not Visit.objects.exists()


def test_signals_for_follow_up_roles_are_audit_logged(client, benring, session, riet):
    coordinator = factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user
    signal = Signal.objects.create(
        person=riet, place=benring, raised_on=session.date, reason="Drie keer gemist"
    )
    _token, secret = token_for(coordinator, scope=AccessToken.Scope.READ)
    body = client.get("/api/v1/signals", **bearer(secret)).json()
    assert [s["id"] for s in body] == [signal.pk]
    assert (body[0]["stage"], body[0]["follow_up_since"]) == ("first_contact", None)
    assert AuditEvent.objects.filter(user=coordinator, subject="API signals").exists()
    Signal.objects.filter(pk=signal.pk).update(follow_up_since=session.date)
    [row] = client.get("/api/v1/signals", **bearer(secret)).json()
    assert (row["stage"], row["follow_up_since"]) == ("follow_up", session.date.isoformat())


def test_a_host_sees_no_signals(client, host_benring, session, riet):
    _token, secret = token_for(host_benring)
    assert client.get("/api/v1/signals", **bearer(secret)).status_code == 403


def test_viewers_read_the_report_with_small_cells_hidden(client, viewer, session, riet):
    attendance.check_in(session, riet, acting_user=SYSTEM)
    _token, secret = token_for(viewer, scope=AccessToken.Scope.READ)
    answer = client.get("/api/v1/figures/report", **bearer(secret))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["audience"] == "viewer" and body["min_cell"]
    assert all(cell["value"] is None for cell in body["cells"] if cell["suppressed"])
    assert AuditEvent.objects.filter(user=viewer, subject="impact report").exists()
    assert client.get("/api/v1/figures/report?per=nonsense", **bearer(secret)).status_code == 400


def test_a_coordinator_reads_the_overview_of_their_place(client, benring, session, riet):
    attendance.check_in(session, riet, acting_user=SYSTEM)
    coordinator = factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user
    _token, secret = token_for(coordinator, scope=AccessToken.Scope.READ)
    day = session.date.isoformat()
    answer = client.get(f"/api/v1/figures/overview?van={day}&tot={day}", **bearer(secret))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["places"] == ["de-benring"]
    assert body["totals"]["visits"] == 1 and body["totals"]["named_visits"] == 1
    other = client.get("/api/v1/figures/overview?plek=trefpunt", **bearer(secret))
    assert other.status_code == 400


def test_viewers_get_no_overview_of_free_ranges(client, viewer):
    _token, secret = token_for(viewer, scope=AccessToken.Scope.READ)
    assert client.get("/api/v1/figures/overview", **bearer(secret)).status_code == 403


def test_hosts_read_no_figures(client, host_benring):
    _token, secret = token_for(host_benring)
    assert client.get("/api/v1/figures/report", **bearer(secret)).status_code == 403


def test_rate_limit_per_token_gives_429_with_retry_after(client, settings, host_benring):
    settings.OMZIEN_API_TOKEN_RATE = 3
    _token, secret = token_for(host_benring)
    answers = [client.get("/api/v1/me", **bearer(secret)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1]["Content-Type"] == PROBLEM
    assert int(answers[-1]["Retry-After"]) >= 1
    # Another token has a count of its own.
    _other, other_secret = token_for(host_benring, name="other")
    assert client.get("/api/v1/me", **bearer(other_secret)).status_code == 200


def test_rate_limit_per_address_for_anonymous_callers(client, settings, db):
    settings.OMZIEN_API_ANONYMOUS_RATE = 2
    statuses = [client.get("/api/v1/villages").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_schema_and_the_docs_page(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/places" in schema["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "script-src 'self'" in page["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/villages",
        "/api/v1/places",
        "/api/v1/activities",
        "/api/v1/sessions",
        "/api/v1/sessions?village=voorst&category=koffie",
        "/api/v1/agenda",
        "/api/v1/agenda?week=nonsense",
        "/api/v1/me",
        "/api/v1/door/sessions",
        "/api/v1/openapi.json",
        "/api/v1/docs",
        "/api/v1/no-such-thing",
    ],
)
def test_anonymous_requests_write_no_rows(client, session, url):
    """No query that writes, and every table's count unchanged (the agenda's own check)."""
    get_without_writing(client, url)
