"""Our own log-in page for hosts and staff, and logging out by POST only."""

from django.urls import reverse

from tests import factories


def test_login_page_is_ours_in_large_type(client, db):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    assert reverse("accounts:login") == "/inloggen/"
    assert "accounts/login.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert 'id="login-form"' in html
    assert "attendance/door.css" in html


def test_host_logs_in_and_lands_at_the_door(client, host_benring):
    response = client.post("/inloggen/", {"username": "henk", "password": "omzien-test"})
    assert response.status_code == 302
    assert response.url == reverse("attendance:door") == "/deur/"
    assert client.get("/deur/").status_code == 200


def test_login_follows_next_on_this_site_only(client, host_benring):
    response = client.post(
        "/inloggen/?next=/deur/",
        {"username": "henk", "password": "omzien-test", "next": "/agenda/"},
    )
    assert response.url == "/agenda/"
    client.logout()
    response = client.post(
        "/inloggen/",
        {"username": "henk", "password": "omzien-test", "next": "https://evil.example/"},
    )
    assert response.url == "/deur/"


def test_wrong_password_is_refused(client, host_benring):
    response = client.post("/inloggen/", {"username": "henk", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client, db):
    factories.UserFactory(username="oud", is_active=False)
    client.post("/inloggen/", {"username": "oud", "password": "omzien-test"})
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, host_benring):
    client.force_login(host_benring)
    assert client.get("/uitloggen/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/uitloggen/")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "_auth_user_id" not in client.session


def test_header_offers_the_door_and_logging_out_to_logged_in_users_only(client, host_benring):
    html = client.get("/").content.decode()
    assert 'href="/deur/"' not in html
    assert 'id="logout-button"' not in html
    assert 'href="/inloggen/"' in html
    client.force_login(host_benring)
    html = client.get("/").content.decode()
    assert 'href="/deur/"' in html
    assert 'id="logout-button"' in html
    assert 'href="/inloggen/"' not in html


def test_logged_in_user_visiting_login_goes_to_the_door(client, host_benring):
    client.force_login(host_benring)
    response = client.get("/inloggen/")
    assert response.status_code == 302
    assert response.url == "/deur/"


def test_each_role_lands_on_a_page_it_may_use(client, viewer, professional, coordinator_trefpunt):
    for user, page in [
        (viewer, "/overzicht/rapportage/"),
        (professional, "/deur/"),
        (coordinator_trefpunt, "/deur/"),
    ]:
        client.force_login(user)
        response = client.get("/inloggen/")
        assert response.url == page, user
        assert client.get(page).status_code == 200, user


def test_a_user_without_a_role_is_told_why(client, db):
    nobody = factories.UserFactory(username="nobody")
    response = client.post("/inloggen/", {"username": "nobody", "password": "omzien-test"})
    assert response.url == "/start/"
    client.force_login(nobody)
    response = client.get("/start/")
    assert response.status_code == 200
    assert 'id="no-role"' in response.content.decode()
