"""Public pages fit a 390 px phone: nothing makes them scroll sideways (a long e-mail
address on a place page used to)."""

import pytest

from tests import factories
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PHONE = {"width": 390, "height": 844}
LONG_EMAIL = "ontmoetingsplekduistervoorde.vrijwilligerscoordinatie@welzijnsorganisatie-voorst.nl"


def assert_no_sideways_scroll(page):
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide on a {widths[1]} px screen"


@pytest.mark.parametrize("path", ["place", "places", "village", "agenda", "home"])
def test_public_pages_fit_a_390_px_phone(page, live_server, transactional_db, twello, path):
    place = factories.PlaceFactory(
        name="Trefpunt Duistervoorde",
        slug="trefpunt-duistervoorde",
        village=twello,
        email=LONG_EMAIL,
        website="https://www.trefpuntduistervoorde-twello.nl/activiteiten/vrijwilligers/aanmelden",
    )
    factories.ActivityFactory(place=place, title="Koffieochtend", slug="koffie")
    page.set_viewport_size(PHONE)
    url = {
        "place": place.get_absolute_url(),
        "places": "/plekken/",
        "village": "/plekken/dorp/twello/",
        "agenda": "/agenda/",
        "home": "/",
    }[path]
    page.goto(f"{live_server.url}{url}")
    if path == "place":
        assert page.get_by_text(LONG_EMAIL).is_visible()
    assert_no_sideways_scroll(page)
