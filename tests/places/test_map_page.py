"""The map pages as a browser without JavaScript gets them: the list, the distances from
the chosen village, a map-app link per address, and the JSON data block map.js reads;
the tiles setting decides whether the CSP lets the tile host in."""

import json
import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders

from omzien.places.map import map_app_url, tile_origin
from tests import factories

PDOK = "https://service.pdok.nl"


@pytest.fixture
def empe(db):
    """A village without a meeting place of its own, between Twello and Voorst."""
    return factories.VillageFactory(
        name="Empe", slug="empe", latitude="52.218600", longitude="6.151900"
    )


def map_data(response) -> dict:
    found = re.search(
        r'<script id="places-map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.DOTALL,
    )
    assert found, "no map data block"
    return json.loads(found.group(1))


def img_sources(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    directive = next(d.strip() for d in policy.split(";") if d.strip().startswith("img-src"))
    return directive.split()[1:]


def scripts(response) -> list[str]:
    return re.findall(r"<script[^>]*>", response.content.decode())


def test_the_places_list_is_complete_without_the_map(client, trefpunt, benring, empe):
    response = client.get("/plekken/")
    page = unescape(response.content.decode())

    assert response.status_code == 200
    assert "Trefpunt Duistervoorde" in page and "De Benring" in page
    for village in ("Empe", "Twello", "Voorst"):
        assert f'href="/plekken/dorp/{village.lower()}/"' in page
    assert 'href="https://www.openstreetmap.org/?mlat=52.171400&mlon=6.146400#map=17/' in page
    assert "De Benring op de kaart (OpenStreetMap)" in page
    # The map waits hidden for the script: without it, no empty box.
    assert re.search(r'<section class="map-section"[^>]*\bhidden\b', page)


def test_the_map_data_names_every_place_with_its_page_and_point(client, trefpunt, benring):
    data = map_data(client.get("/plekken/"))

    assert data["places"] == [
        {
            "name": "Trefpunt Duistervoorde",
            "url": "/plekken/trefpunt-duistervoorde/",
            "lat": 52.2367,
            "lon": 6.1028,
            "village": "Twello",
        },
        {
            "name": "De Benring",
            "url": "/plekken/de-benring/",
            "lat": 52.1714,
            "lon": 6.1464,
            "village": "Voorst",
        },
    ]
    assert data["village"] is None
    assert data["tiles"].startswith(f"{PDOK}/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/")
    assert data["tiles"].endswith("/{z}/{x}/{y}.png")
    assert "Kadaster" in data["attribution"]
    assert data["images"] == {
        "icon": "/static/leaflet/images/marker-icon.png",
        "icon_2x": "/static/leaflet/images/marker-icon-2x.png",
        "shadow": "/static/leaflet/images/marker-shadow.png",
    }
    assert all(finders.find(url.removeprefix("/static/")) for url in data["images"].values())


def test_a_village_page_lists_every_place_nearest_first_with_its_distance(
    client, trefpunt, benring, empe
):
    response = client.get("/plekken/dorp/empe/")
    page = unescape(response.content.decode())

    assert response.status_code == 200
    assert "Ontmoetingsplekken bij Empe" in page
    assert "Empe heeft geen eigen ontmoetingsplek" in page
    titles = re.findall(r'<h2><a href="/plekken/([a-z-]+)/">', page)
    assert titles == ["trefpunt-duistervoorde", "de-benring"]
    assert re.findall(r'<p class="distance">([^<]+)</p>', page) == [
        "3,9 km verderop",
        "5,3 km verderop",
    ]
    assert 'href="/agenda/?dorp=empe"' in page
    data = map_data(response)
    assert data["village"] == {"name": "Empe", "lat": 52.2186, "lon": 6.1519}
    assert [p["distance_km"] for p in data["places"]] == [3.9, 5.3]


def test_a_village_with_a_place_of_its_own_says_so(client, trefpunt, benring):
    page = client.get("/plekken/dorp/twello/").content.decode()
    assert "Twello heeft een eigen ontmoetingsplek." in page
    assert "0,0 km verderop" in page


def test_an_unknown_village_is_not_found(client, trefpunt):
    assert client.get("/plekken/dorp/atlantis/").status_code == 404


def test_a_place_page_has_its_marker_its_map_link_and_its_village(client, benring):
    response = client.get("/plekken/de-benring/")
    page = unescape(response.content.decode())

    assert map_app_url(benring) in page
    assert 'href="/plekken/dorp/voorst/"' in page
    assert [p["name"] for p in map_data(response)["places"]] == ["De Benring"]


def test_a_name_in_the_map_data_stays_data(client, twello):
    factories.PlaceFactory(name="</script><script>alert(1)</script>", slug="kwaad", village=twello)
    response = client.get("/plekken/")
    assert "<script>alert(1)" not in response.content.decode()
    assert map_data(response)["places"][0]["name"] == "</script><script>alert(1)</script>"


def test_no_inline_script_only_our_static_files_and_data_blocks(client, benring):
    for url in ("/plekken/", "/plekken/de-benring/", "/plekken/dorp/voorst/"):
        tags = scripts(client.get(url))
        executable = [tag for tag in tags if "application/" not in tag]
        assert executable == [
            '<script src="/static/leaflet/leaflet.js" defer>',
            '<script src="/static/places/map.js" defer>',
        ]
    assert finders.find("leaflet/leaflet.js") and finders.find("leaflet/leaflet.css")
    assert finders.find("leaflet/images/marker-icon.png") and finders.find("places/map.js")


@pytest.mark.parametrize("url", ["/plekken/", "/plekken/de-benring/", "/plekken/dorp/voorst/"])
def test_with_tiles_the_csp_lets_in_the_tile_host_and_no_other(client, benring, url):
    first, cached = client.get(url), client.get(url)
    assert first.context is not None and cached.context is None  # from the page cache
    for response in (first, cached):
        assert img_sources(response) == ["'self'", "data:", PDOK]
    assert "'unsafe-inline'" not in first.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/plekken/", "/plekken/de-benring/", "/plekken/dorp/voorst/"])
def test_without_tiles_the_csp_stays_as_strict_as_anywhere(client, benring, settings, url):
    settings.OMZIEN_MAP_TILES = ""
    response = client.get(url)
    assert img_sources(response) == ["'self'", "data:"]
    data = map_data(response)
    assert data["tiles"] == "" and data["attribution"] == ""
    assert data["places"]  # the markers are drawn all the same


def test_other_tiles_are_let_in_by_their_own_host(client, benring, settings):
    settings.OMZIEN_MAP_TILES = "https://tiles.example.nl/brt/{z}/{x}/{y}.png"
    assert img_sources(client.get("/plekken/"))[-1] == "https://tiles.example.nl"


def test_pages_without_a_map_never_let_the_tile_host_in(client, benring):
    for url in ("/", "/agenda/", "/hulp/"):
        assert PDOK not in client.get(url).headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://service.pdok.nl/brt/{z}/{x}/{y}.png", "https://service.pdok.nl"),
        ("http://localhost:8080/tiles/{z}/{x}/{y}.png", "http://localhost:8080"),
        ("", None),
        ("tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_the_tile_origin(url, origin):
    assert tile_origin(url) == origin
