"""Looking up a place's address at PDOK's Locatieserver, against its answers as files
(tests/places/locatieserver/) served by a stub HTTP server on this machine: the real
client, real HTTP, real timeouts, and no network.

When the server cannot answer in time, answers nonsense, or knows no such address, the
coordinator gets a Dutch message and enters the coordinates by hand; they must lie in
the Netherlands either way. No public page ever asks.
"""

import json
import socket
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from omzien.accounts.permissions import NotFound as OutOfReach
from omzien.places import geocoding, services
from omzien.places.models import Place

ANSWERS = Path(__file__).parent / "locatieserver"
BASE_PATH = "/bzk/locatieserver/search/v3_1/"


def answer(name: str) -> bytes:
    return (ANSWERS / name).read_bytes()


class Locatieserver:
    """What the stub answers per endpoint, how long it waits first, and what it was asked."""

    def __init__(self):
        self.answers: dict[str, bytes] = {"free": answer("free-nothing.json")}
        self.status = 200
        self.delay = 0.0
        self.asked: list[tuple[str, dict]] = []

    def endpoints(self) -> list[str]:
        return [endpoint for endpoint, _query in self.asked]


def handler_for(stub: Locatieserver):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parts = urlsplit(self.path)
            endpoint = parts.path.removeprefix(BASE_PATH)
            stub.asked.append((endpoint, parse_qs(parts.query)))
            time.sleep(stub.delay)
            body = stub.answers.get(endpoint, answer("free-nothing.json"))
            self.send_response(stub.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def locatieserver(settings):
    stub = Locatieserver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(stub))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    settings.OMZIEN_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}{BASE_PATH}"
    settings.OMZIEN_GEOCODER_TIMEOUT = 0.3
    yield stub
    server.shutdown()
    server.server_close()


@pytest.fixture
def nobody_listening(settings):
    """A port on this machine where nothing answers: connection refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OMZIEN_GEOCODER_URL = f"http://127.0.0.1:{port}{BASE_PATH}"


# The client.


def test_an_address_found_gives_its_point_latitude_first(locatieserver):
    locatieserver.answers["free"] = answer("free-tuinstraat-51-voorst.json")

    found = geocoding.geocode("Tuinstraat 51, 7383 AZ Voorst")

    assert found == geocoding.Location(
        Decimal("52.170988"), Decimal("6.147615"), "Tuinstraat 51, 7383AZ Voorst"
    )
    ((endpoint, query),) = locatieserver.asked
    assert endpoint == "free"
    assert query["q"] == ["Tuinstraat 51, 7383 AZ Voorst"]
    assert query["fq"] == ["type:adres"]
    assert query["rows"] == ["1"]
    assert "centroide_ll" in query["fl"][0].split()


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("POINT(6.14761452 52.17098837)", (Decimal("52.170988"), Decimal("6.147615"))),
        ("point( 5.07 52.02 )", (Decimal("52.020000"), Decimal("5.070000"))),
    ],
)
def test_a_point_is_read_longitude_first(text, point):
    assert geocoding.parse_point(text) == point


@pytest.mark.parametrize("text", ["", "POINT(6.1)", "POLYGON((1 2, 3 4))", "6.1 52.2"])
def test_anything_but_a_point_is_not_read(text):
    with pytest.raises(ValueError):
        geocoding.parse_point(text)


def test_nothing_found_names_the_addresses_that_come_closest(locatieserver):
    locatieserver.answers["suggest"] = answer("suggest-tuinstraat-voorst.json")

    with pytest.raises(geocoding.NotFound) as raised:
        geocoding.geocode("Tuinstrat 51, 7383 AZ Voorst")

    assert locatieserver.endpoints() == ["free", "suggest"]
    assert raised.value.suggestions == [
        "Tuinstraat 51, 7383AZ Voorst",
        "Tuinstraat 49, 7383AZ Voorst",
        "Tuinstraat 53, 7383AZ Voorst",
    ]
    assert "Bedoelt u: Tuinstraat 51, 7383AZ Voorst;" in raised.value.message
    assert "Tuinstrat 51, 7383 AZ Voorst" in raised.value.message


def test_nothing_found_and_nothing_like_it_asks_to_check_the_address(locatieserver):
    locatieserver.answers["suggest"] = answer("free-nothing.json")

    with pytest.raises(geocoding.NotFound) as raised:
        geocoding.geocode("Nergensweg 1, 7383 AZ Voorst")

    assert raised.value.suggestions == []
    assert "Controleer de straat, het huisnummer en de postcode" in raised.value.message


def test_a_server_that_does_not_answer_in_time_is_unreachable(locatieserver):
    locatieserver.delay = 1.0
    started = time.monotonic()

    with pytest.raises(geocoding.Unreachable) as raised:
        geocoding.geocode("Tuinstraat 51, 7383 AZ Voorst")

    assert time.monotonic() - started < 0.9  # the timeout, not the server, decided
    assert "nu niet bereikbaar" in raised.value.message
    assert "geen antwoord binnen 0,3 seconden" in raised.value.message


def test_no_server_at_all_is_unreachable(nobody_listening):
    with pytest.raises(geocoding.Unreachable) as raised:
        geocoding.geocode("Tuinstraat 51, 7383 AZ Voorst")
    assert "geen verbinding" in raised.value.message


def test_an_error_page_is_unreachable(locatieserver):
    locatieserver.status = 503
    with pytest.raises(geocoding.Unreachable) as raised:
        geocoding.geocode("Tuinstraat 51, 7383 AZ Voorst")
    assert "foutmelding 503" in raised.value.message


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Onderhoud</html>",
        b'{"response": {}}',
        json.dumps({"response": {"docs": [{"weergavenaam": "x"}]}}).encode(),
        json.dumps({"response": {"docs": [{"centroide_ll": "POINT(a b)"}]}}).encode(),
    ],
)
def test_an_answer_that_cannot_be_read_is_unreachable(locatieserver, body):
    locatieserver.answers["free"] = body
    with pytest.raises(geocoding.Unreachable) as raised:
        geocoding.geocode("Tuinstraat 51, 7383 AZ Voorst")
    assert "niet te lezen" in raised.value.message


def test_the_fetch_can_be_a_function_of_ones_own(settings):
    asked = []

    def fetch(url, timeout):
        asked.append((url, timeout))
        return answer("free-tuinstraat-51-voorst.json")

    found = geocoding.geocode("Tuinstraat 51, 7383 AZ Voorst", fetch=fetch)

    assert found.latitude == Decimal("52.170988")
    ((url, timeout),) = asked
    assert url.startswith(settings.OMZIEN_GEOCODER_URL + "free?")
    assert timeout == settings.OMZIEN_GEOCODER_TIMEOUT


# The service: who may ask, and only points in the Netherlands.


def test_a_coordinator_locates_the_address_of_their_place(locatieserver, coordinator_trefpunt):
    locatieserver.answers["free"] = answer("free-tuinstraat-51-voorst.json")
    trefpunt = Place.objects.get(slug="trefpunt-duistervoorde")

    found = services.locate_address(
        street="Tuinstraat 51",
        postcode="7383 AZ",
        town="Voorst",
        place=trefpunt,
        acting_user=coordinator_trefpunt,
    )

    assert (found.latitude, found.longitude) == (Decimal("52.170988"), Decimal("6.147615"))
    assert locatieserver.asked[0][1]["q"] == ["Tuinstraat 51, 7383 AZ Voorst"]


def test_a_point_outside_the_netherlands_is_refused(locatieserver, coordinator_trefpunt):
    locatieserver.answers["free"] = answer("free-outside-nl.json")
    trefpunt = Place.objects.get(slug="trefpunt-duistervoorde")

    with pytest.raises(geocoding.GeocodingError) as raised:
        services.locate_address(
            street="Kaya Grandi 1",
            postcode="7383 AZ",
            town="Kralendijk",
            place=trefpunt,
            acting_user=coordinator_trefpunt,
        )
    assert "buiten Nederland" in raised.value.message


def test_only_who_may_change_the_place_may_look_it_up(
    locatieserver, coordinator_trefpunt, host_benring, benring
):
    address = {"street": "Tuinstraat 51", "postcode": "7383 AZ", "town": "Voorst"}
    with pytest.raises(OutOfReach):
        services.locate_address(**address, place=benring, acting_user=coordinator_trefpunt)
    with pytest.raises(OutOfReach):
        services.locate_address(**address, place=benring, acting_user=host_benring)
    with pytest.raises(OutOfReach):  # a new place: only who may add places
        services.locate_address(**address, acting_user=coordinator_trefpunt)
    assert locatieserver.asked == []


# The place admin: looked up when the address changes, by hand when that fails.


def place_form(place: Place, **changes) -> dict:
    data = {
        "name": place.name,
        "slug": place.slug,
        "village": place.village_id,
        "description": place.description,
        "is_active": "on",
        "street": place.street,
        "postcode": place.postcode,
        "town": place.town,
        "latitude": str(place.latitude),
        "longitude": str(place.longitude),
        "opening_hours": place.opening_hours,
        "accessibility_notes": "",
        "phone": "",
        "email": "",
        "website": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def change_url(place: Place) -> str:
    return reverse("admin:places_place_change", args=[place.pk])


def test_a_new_address_gets_its_coordinates_from_the_locatieserver(
    client, locatieserver, coordinator_trefpunt, trefpunt
):
    locatieserver.answers["free"] = answer("free-tuinstraat-51-voorst.json")
    client.force_login(coordinator_trefpunt)

    response = client.post(
        change_url(trefpunt),
        place_form(trefpunt, street="Tuinstraat 51", postcode="7383 AZ", town="Voorst"),
        follow=True,
    )

    trefpunt.refresh_from_db()
    assert (trefpunt.latitude, trefpunt.longitude) == (Decimal("52.170988"), Decimal("6.147615"))
    assert "opgezocht" in response.content.decode()  # the coordinator is told
    assert locatieserver.endpoints() == ["free"]


def test_unchanged_address_asks_nobody(client, locatieserver, coordinator_trefpunt, trefpunt):
    client.force_login(coordinator_trefpunt)
    response = client.post(change_url(trefpunt), place_form(trefpunt, name="Het Trefpunt"))
    assert response.status_code == 302
    trefpunt.refresh_from_db()
    assert trefpunt.name == "Het Trefpunt"
    assert locatieserver.asked == []


def test_coordinates_typed_with_a_new_address_are_kept(
    client, locatieserver, coordinator_trefpunt, trefpunt
):
    client.force_login(coordinator_trefpunt)
    data = place_form(trefpunt, street="Dorpsstraat 3", latitude="52.240000")
    response = client.post(change_url(trefpunt), data)
    assert response.status_code == 302
    trefpunt.refresh_from_db()
    assert trefpunt.latitude == Decimal("52.240000")
    assert locatieserver.asked == []


def test_unreachable_server_explains_and_changes_nothing_then_coordinates_by_hand(
    client, nobody_listening, coordinator_trefpunt, trefpunt
):
    client.force_login(coordinator_trefpunt)
    before = (trefpunt.street, trefpunt.latitude, trefpunt.longitude)

    refused = client.post(change_url(trefpunt), place_form(trefpunt, street="Sint Maartenserf 2"))

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "nu niet bereikbaar" in page
    assert "Vink" in page and "Ik vul de coördinaten zelf in" in page
    trefpunt.refresh_from_db()
    assert (trefpunt.street, trefpunt.latitude, trefpunt.longitude) == before

    saved = client.post(
        change_url(trefpunt),
        place_form(
            trefpunt,
            street="Sint Maartenserf 2",
            manual_coordinates="on",
            latitude="52.232400",
            longitude="6.097100",
        ),
    )

    assert saved.status_code == 302
    trefpunt.refresh_from_db()
    assert (trefpunt.street, trefpunt.latitude, trefpunt.longitude) == (
        "Sint Maartenserf 2",
        Decimal("52.232400"),
        Decimal("6.097100"),
    )


def test_empty_coordinates_and_a_server_that_times_out_ask_for_them(
    client, locatieserver, coordinator_trefpunt, trefpunt
):
    locatieserver.delay = 1.0
    client.force_login(coordinator_trefpunt)

    refused = client.post(change_url(trefpunt), place_form(trefpunt, latitude="", longitude=""))

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "geen antwoord binnen 0,3 seconden" in page
    assert "Vul de coördinaten van de plek in." in page
    trefpunt.refresh_from_db()
    assert trefpunt.latitude is not None


def test_an_address_the_locatieserver_does_not_know_shows_its_suggestions(
    client, locatieserver, coordinator_trefpunt, trefpunt
):
    locatieserver.answers["suggest"] = answer("suggest-tuinstraat-voorst.json")
    client.force_login(coordinator_trefpunt)

    refused = client.post(change_url(trefpunt), place_form(trefpunt, street="Tuinstrat 51"))

    assert refused.status_code == 200
    assert "Tuinstraat 49, 7383AZ Voorst" in refused.content.decode()
    assert Place.objects.get(pk=trefpunt.pk).street != "Tuinstrat 51"


@pytest.mark.parametrize(
    ("latitude", "longitude"), [("12.150310", "-68.276120"), ("52.232400", "8.500000")]
)
def test_coordinates_by_hand_outside_the_netherlands_are_refused(
    client, locatieserver, coordinator_trefpunt, trefpunt, latitude, longitude
):
    client.force_login(coordinator_trefpunt)
    data = place_form(trefpunt, manual_coordinates="on", latitude=latitude, longitude=longitude)

    refused = client.post(change_url(trefpunt), data)

    assert refused.status_code == 200
    assert "buiten Nederland" in refused.content.decode()
    trefpunt.refresh_from_db()
    assert trefpunt.longitude == Decimal("6.102800")
    assert locatieserver.asked == []


def test_public_pages_never_ask_the_locatieserver(client, locatieserver, trefpunt, benring):
    for url in ("/plekken/", "/plekken/de-benring/", "/plekken/dorp/twello/", "/agenda/"):
        assert client.get(url).status_code == 200
    assert locatieserver.asked == []
