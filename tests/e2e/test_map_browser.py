"""The map of the places in a real browser, with every request to another host blocked:
no tile ever leaves the machine. Leaflet still draws the markers, without a console
error under the strict CSP, and without JavaScript the page still shows everything."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PDOK_TILES = "https://service.pdok.nl/"


@pytest.fixture
def region(transactional_db, trefpunt, benring):
    """Twello and Voorst with a place each, and Empe without one."""
    empe = factories.VillageFactory(
        name="Empe", slug="empe", latitude="52.218600", longitude="6.151900"
    )
    return empe


def block_other_hosts(context, live_server) -> list[str]:
    """Abort every request that is not to the live server; the list of what was blocked."""
    own = urlsplit(live_server.url).netloc
    blocked: list[str] = []

    def handle(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    return blocked


def not_about_blocked(problems: list[str], blocked: list[str]) -> list[str]:
    """The problems, without the failures of the requests this test blocked itself."""
    return [p for p in problems if not any(url in p for url in blocked)]


def test_markers_appear_with_the_tile_host_blocked(
    page, live_server, region, browser_problems, artifacts_dir
):
    blocked = block_other_hosts(page.context, live_server)
    page.goto(f"{live_server.url}/plekken/")

    map_ = page.locator("#places-map")
    expect(map_).to_be_visible()
    expect(map_).to_have_attribute("data-markers", "2")
    expect(map_.locator(".leaflet-marker-icon")).to_have_count(2)
    marker = map_.locator(".leaflet-marker-icon").first
    expect(marker).to_have_attribute("src", "/static/leaflet/images/marker-icon.png")
    assert marker.evaluate("image => image.naturalWidth") > 0  # the image loaded
    expect(map_.locator(".leaflet-control-attribution")).to_contain_text("Kadaster")
    # The list is there as well, map or no map.
    expect(page.locator(".place-list .card h3")).to_have_count(2)

    page.locator(".leaflet-marker-icon[title='De Benring']").click()
    popup_link = map_.locator(".leaflet-popup-content a")
    expect(popup_link).to_have_text("De Benring")
    expect(popup_link).to_have_attribute("href", "/plekken/de-benring/")
    page.screenshot(path=artifacts_dir / "map-places.png", full_page=True)

    # The browser asked for tiles, and only at PDOK: the CSP let it, the test stopped it.
    assert blocked and all(url.startswith(PDOK_TILES) for url in blocked)
    assert not_about_blocked(browser_problems, blocked) == []
    assert not any("Content Security Policy" in p for p in browser_problems)


def test_a_village_page_draws_its_markers_and_the_village_without_tiles(
    page, live_server, region, settings, browser_problems, artifacts_dir
):
    settings.OMZIEN_MAP_TILES = ""
    blocked = block_other_hosts(page.context, live_server)
    page.goto(f"{live_server.url}/plekken/dorp/empe/")

    map_ = page.locator("#places-map")
    expect(map_.locator(".leaflet-marker-icon")).to_have_count(2)
    expect(map_.locator("path.leaflet-interactive")).to_have_count(1)  # Empe itself
    expect(page.locator(".place-list .distance")).to_have_count(2)
    page.screenshot(path=artifacts_dir / "map-village-without-tiles.png", full_page=True)

    assert blocked == []  # no tiles: nothing asked of another host
    assert browser_problems == []


def test_without_javascript_the_page_shows_everything_but_the_map(
    browser, live_server, region, browser_context_args
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    blocked = block_other_hosts(context, live_server)
    page = context.new_page()
    page.goto(f"{live_server.url}/plekken/dorp/empe/")

    expect(page.locator("h1")).to_contain_text("Empe")
    expect(page.locator(".place-list .card h2")).to_have_text(
        ["Trefpunt Duistervoorde", "De Benring"]
    )
    expect(page.locator(".place-list .distance").first).to_contain_text("km")
    expect(page.locator(".place-list a.map-app")).to_have_count(2)
    expect(page.locator("#places-map")).to_be_hidden()
    assert blocked == []
    context.close()
