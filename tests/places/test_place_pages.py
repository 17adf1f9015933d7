from datetime import timedelta

from django.utils import timezone

from tests.factories import ActivityFactory, PlaceFactory


def test_place_list_shows_active_places_with_village(client, trefpunt, benring):
    PlaceFactory(name="Gesloten plek", slug="gesloten", is_active=False)
    response = client.get("/plekken/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trefpunt Duistervoorde" in page and "De Benring" in page
    assert "Gesloten plek" not in page


def test_place_page_shows_address_hours_accessibility_and_activities(client, trefpunt):
    trefpunt.opening_hours = "ma 9:00-12:00\ndi 9:00-16:00"
    trefpunt.wheelchair_accessible = True
    trefpunt.phone = "0571 27 00 00"
    trefpunt.save()
    ActivityFactory(
        place=trefpunt,
        title="Samen eten",
        slug="samen-eten",
        first_date=timezone.localdate() - timedelta(days=7),
        rrule="FREQ=DAILY",
    )
    response = client.get("/plekken/trefpunt-duistervoorde/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dorpsstraat 1" in page and "7391 AA" in page
    assert "ma 9:00-12:00" in page
    assert 'href="tel:0571270000"' in page
    assert "Samen eten" in page
    assert "/plekken/trefpunt-duistervoorde/agenda.ics" in page
    assert '"@type": "Place"' in page
    assert len(response.context["sessions"]) >= 14


def test_unknown_or_inactive_place_is_not_found(client, db):
    PlaceFactory(slug="gesloten", is_active=False)
    assert client.get("/plekken/bestaat-niet/").status_code == 404
    assert client.get("/plekken/gesloten/").status_code == 404
