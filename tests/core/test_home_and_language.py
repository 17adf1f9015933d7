from datetime import timedelta

from django.utils import timezone

from tests.factories import ActivityFactory, RegionFactory


def test_home_shows_today_and_this_week(client, trefpunt):
    today = timezone.localdate()
    ActivityFactory(
        place=trefpunt,
        title="Elke dag koffie",
        rrule="FREQ=DAILY",
        first_date=today - timedelta(days=3),
    )
    response = client.get("/")
    assert response.status_code == 200
    assert [s.date for s in response.context["today_sessions"]] == [today]
    assert all(s.date > today for s in response.context["coming_sessions"])
    assert "Elke dag koffie" in response.content.decode()


def test_home_says_everyone_is_welcome_in_dutch(client, db):
    RegionFactory(name="Voorst")
    page = client.get("/").content.decode()
    assert '<html lang="nl">' in page
    assert "Iedereen is welkom" in page


def test_dutch_even_when_the_browser_asks_for_english(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()


def test_english_can_be_chosen(client, db):
    response = client.post("/taal/", {"language": "en", "next": "/agenda/"})
    assert response.status_code == 302
    page = client.get("/agenda/").content.decode()
    assert '<html lang="en">' in page
    assert "Previous week" in page


def test_unknown_language_cookie_falls_back_to_dutch(client, db):
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "nl"


def test_demo_banner_only_with_synthetic_data(client, db):
    region = RegionFactory()
    assert "synthetic" not in client.get("/").content.decode().lower()
    region.has_synthetic_data = True
    region.save()
    page = client.get("/").content.decode()
    assert 'class="demo-banner"' in page


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_staff_menu_offers_only_what_the_role_may_use(client, host_benring, professional, viewer):
    def menu_for(user):
        client.force_login(user)
        page = client.get("/").content.decode()
        urls = ("/deur/", "/overzicht/", "/overzicht/rapportage/", "/bestanden/importeren/")
        return {url for url in urls if f'href="{url}"' in page}

    assert menu_for(host_benring) == {"/deur/"}
    assert menu_for(professional) == {"/deur/", "/overzicht/", "/overzicht/rapportage/"}
    # Aggregates only: the report's fixed periods, not the overview's free ranges.
    assert menu_for(viewer) == {"/overzicht/rapportage/"}
    client.logout()
    assert "/deur/" not in client.get("/").content.decode()


def test_coordinator_menu_has_the_import_page(client, coordinator_trefpunt):
    client.force_login(coordinator_trefpunt)
    page = client.get("/").content.decode()
    assert "/overzicht/" in page and "/bestanden/importeren/" in page
