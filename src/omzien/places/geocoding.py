"""Looking up the coordinates of an address at PDOK's Locatieserver (v3.1).

``free`` with ``fq=type:adres`` gives the best matching address; its ``centroide_ll`` is
the point, as ``POINT(lon lat)`` in WGS84. When it finds nothing, ``suggest`` gives the
addresses that come closest, to say back to the coordinator ("Bedoelt u ...?").

Only a coordinator editing a place asks (``places.services.locate_address``), never a
public page. The server may be slow or away: every question has a timeout, and every
failure is a ``GeocodingError`` with a Dutch message, after which the coordinator enters
the coordinates by hand. The HTTP call is one function (``fetch``) that tests replace by
a local stub server's URL or a function of their own; nothing else here knows HTTP.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# A Locatieserver answer for a few rows is a few kilobytes; more is not an answer.
MAX_ANSWER_BYTES = 1_000_000
SUGGESTIONS = 3
_POINT = re.compile(r"^\s*POINT\s*\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)\s*$", re.IGNORECASE)
# The places' coordinates keep six decimals (about 10 cm).
_SIX_DECIMALS = Decimal("0.000001")

Fetch = Callable[[str, float], bytes]


@dataclass(frozen=True)
class Location:
    latitude: Decimal
    longitude: Decimal
    label: str  # the Locatieserver's name of the address ("Tuinstraat 51, 7383AZ Voorst")


class GeocodingError(Exception):
    """The address could not be looked up; ``message`` says why, in the active language."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []


class Unreachable(GeocodingError):
    """No answer in time, or no answer that could be read."""


class NotFound(GeocodingError):
    """The Locatieserver knows no such address; ``suggestions`` are the closest it knows."""

    def __init__(self, address: str, suggestions: list[str] | None = None):
        values = {"address": address, "suggestions": "; ".join(suggestions or [])}
        if suggestions:
            message = _(
                "PDOK's address search does not know the address %(address)s. Did you "
                "mean: %(suggestions)s?"
            )
        else:
            message = _(
                "PDOK's address search does not know the address %(address)s. Check the "
                "street, house number and postcode."
            )
        super().__init__(message % values, suggestions)


def fetch_url(url: str, timeout: float) -> bytes:
    """GET the URL and return the body; urllib's errors (and timeouts) pass through."""
    if not url.startswith(("https://", "http://")):
        raise URLError("the address search's URL must start with https:// or http://")
    headers = {"Accept": "application/json", "User-Agent": "Omzien"}
    request = Request(url, headers=headers)  # noqa: S310 (http or https only, checked above)
    with urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310  # scheme checked above
        return response.read(MAX_ANSWER_BYTES + 1)


def parse_point(text: str) -> tuple[Decimal, Decimal]:
    """``"POINT(6.1028 52.2367)"`` (longitude first) as (latitude, longitude)."""
    match = _POINT.match(text or "")
    if not match:
        raise ValueError(f"not a point: {text!r}")
    longitude, latitude = (
        Decimal(value).quantize(_SIX_DECIMALS, ROUND_HALF_UP) for value in match.groups()
    )
    return latitude, longitude


def _reason(error: OSError) -> str:
    if isinstance(error, HTTPError):
        return _("it answered with error %(status)s") % {"status": error.code}
    if isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
        seconds = number_format(Decimal(f"{settings.OMZIEN_GEOCODER_TIMEOUT:g}"))
        return _("no answer within %(seconds)s seconds") % {"seconds": seconds}
    return _("no connection")


def _ask(endpoint: str, params: dict, fetch: Fetch | None) -> list[dict]:
    """The ``response.docs`` of one question to the Locatieserver."""
    url = f"{settings.OMZIEN_GEOCODER_URL.rstrip('/')}/{endpoint}?{urlencode(params)}"
    try:
        body = (fetch or fetch_url)(url, settings.OMZIEN_GEOCODER_TIMEOUT)
        if len(body) > MAX_ANSWER_BYTES:
            raise ValueError("answer too large")
        docs = json.loads(body)["response"]["docs"]
        if not isinstance(docs, list):
            raise ValueError("docs is not a list")
        return docs
    except (URLError, OSError) as error:  # timeouts are OSErrors too
        raise Unreachable(
            _("PDOK's address search cannot be reached right now (%(reason)s).")
            % {"reason": _reason(error)}
        ) from error
    except (ValueError, KeyError, TypeError) as error:
        raise Unreachable(_("PDOK's address search gave an answer that cannot be read.")) from error


def suggest(address: str, *, fetch: Fetch | None = None) -> list[str]:
    """The names of up to three addresses that resemble this one."""
    docs = _ask("suggest", {"q": address, "fq": "type:adres", "rows": SUGGESTIONS}, fetch)
    names = [doc.get("weergavenaam") for doc in docs if isinstance(doc, dict)]
    return [name for name in names if isinstance(name, str) and name][:SUGGESTIONS]


def geocode(address: str, *, fetch: Fetch | None = None) -> Location:
    """The best matching address's point, or ``NotFound`` (with suggestions when the
    Locatieserver has any) or ``Unreachable``."""
    params = {
        "q": address,
        "fq": "type:adres",
        "rows": 1,
        "fl": "weergavenaam type centroide_ll score",
    }
    docs = _ask("free", params, fetch)
    if not docs:
        try:
            suggestions = suggest(address, fetch=fetch)
        except Unreachable:
            suggestions = []
        raise NotFound(address, suggestions)
    best = docs[0]
    try:
        latitude, longitude = parse_point(best["centroide_ll"])
    except (ValueError, KeyError, TypeError) as error:
        raise Unreachable(_("PDOK's address search gave an answer that cannot be read.")) from error
    return Location(latitude, longitude, str(best.get("weergavenaam") or address))
