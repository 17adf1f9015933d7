"""The map of the places: the data places/static/places/map.js draws, the tiles behind
it, and the Content-Security-Policy a map page needs.

The pages are complete without the map (the list, the distances, a link to a map app
per address): the script only adds markers on top, read from a JSON data block
(``json_script``), never from an inline script. Tiles come from ``OMZIEN_MAP_TILES``
(Kadaster's BRT Achtergrondkaart through PDOK by default); when it is empty the map has
markers on a plain background, and the CSP allows no other host.
"""

from decimal import Decimal
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static

# The scale at which one place fills the map: its street and the streets around it.
ONE_PLACE_ZOOM = 15


def tiles_url() -> str:
    return settings.OMZIEN_MAP_TILES


def tile_origin(url: str) -> str | None:
    """The scheme and host the tiles come from (what the CSP must allow), or None."""
    parts = urlsplit(url)
    if not url or not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def map_csp(view):
    """Let the page load images from the tile host, when there are tiles.

    Outside the public page cache, so a cached rendering gets the header too.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origin = tile_origin(tiles_url())
        if origin:
            response._csp_update = {"img-src": [origin]}
        return response

    return wrapper


def map_app_url(thing) -> str:
    """A link that opens the spot in a map in any browser, phone or computer.

    OpenStreetMap rather than a ``geo:`` URI: a ``geo:`` link does nothing on most
    computers and on iPhones, while this one always opens a map with a marker (and
    from there a route); no account, no tracking.
    """
    lat, lon = (f"{Decimal(str(value)):.6f}" for value in (thing.latitude, thing.longitude))
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def _point(thing) -> dict:
    return {"lat": float(thing.latitude), "lon": float(thing.longitude)}


def place_marker(place, distance_km: float | None = None) -> dict:
    marker = {"name": place.name, "url": place.get_absolute_url(), **_point(place)}
    marker["village"] = place.village.name
    if distance_km is not None:
        marker["distance_km"] = round(distance_km, 1)
    return marker


def marker_images() -> dict:
    """Leaflet's marker images by their static URLs. Leaflet finds them itself through its
    CSS, but not under hashed file names (production's manifest storage)."""
    return {
        "icon": static("leaflet/images/marker-icon.png"),
        "icon_2x": static("leaflet/images/marker-icon-2x.png"),
        "shadow": static("leaflet/images/marker-shadow.png"),
    }


def map_data(markers: list[dict], *, village=None) -> dict:
    """What map.js reads: the tiles, their credit, the markers and the chosen village."""
    url = tiles_url()
    return {
        "images": marker_images(),
        "tiles": url,
        "attribution": settings.OMZIEN_MAP_ATTRIBUTION if url else "",
        "zoom": ONE_PLACE_ZOOM,
        "places": markers,
        "village": None if village is None else {"name": village.name, **_point(village)},
    }
