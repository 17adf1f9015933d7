"""The village network as words and as a drawing: what the report page, its PDF and the
staff page of the network show (:mod:`omzien.reports.network` has the figures).

The table is the real content: per village the villages it is connected with (and, for
the exact audience, how many people they share), then the isolated villages and those
without a place of their own. The drawing is a small SVG written here, not a chart
library's: the villages at their coordinates, a line per link. It uses presentation
attributes only (no ``style``), so it can stand inline in a page under the strict
Content-Security-Policy, and it carries a title and a description for screen readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omzien.reports.network import VillageNetwork

WIDTH, HEIGHT, MARGIN = 640, 420, 70
INK, LINK, ISOLATED, NO_PLACE = "#1a1a1a", "#1a5fb4", "#8a3b12", "#6b6b6b"


@dataclass(frozen=True)
class NetworkRow:
    village: str
    name: str
    has_places: bool
    connected: str  # "Voorst (7), Wilp (1)" or "Voorst"; "" when none


def network_rows(network: VillageNetwork) -> list[NetworkRow]:
    rows = []
    for node in network.villages:
        linked = network.connected_to(node.slug)
        parts = [
            other.name if count is None else f"{other.name} ({count})" for other, count in linked
        ]
        rows.append(NetworkRow(node.slug, node.name, node.has_places, ", ".join(parts)))
    return rows


def names(network: VillageNetwork, slugs: list[str]) -> str:
    return ", ".join(network.village(slug).name for slug in slugs)


def summary(network: VillageNetwork) -> str:
    """One sentence on the whole: the description of the drawing too."""
    connected = sum(len(component) for component in network.components)
    text = ngettext(
        "%(connected)d village is connected with another by shared visitors",
        "%(connected)d villages are connected with another by shared visitors",
        connected,
    ) % {"connected": connected}
    text += ngettext(
        " (in %(groups)d group)", " (in %(groups)d separate groups)", len(network.components)
    ) % {"groups": len(network.components)}
    text += "; " + ngettext(
        "%(isolated)d village with a place of its own is isolated",
        "%(isolated)d villages with a place of their own are isolated",
        len(network.isolated),
    ) % {"isolated": len(network.isolated)}
    if network.isolated:
        text += f" ({names(network, network.isolated)})"
    text += "."
    if network.without_places:
        text += " " + (
            _("Without a place of their own: %(villages)s.")
            % {"villages": names(network, network.without_places)}
        )
    return text


def threshold_text(network: VillageNetwork) -> str:
    if network.exact:
        return _("A number after a village is how many different people came to both villages.")
    return _(
        "Two villages are shown as connected when at least %(min_cell)d people came to "
        "places in both; how many is not shown."
    ) % {"min_cell": network.min_cell}


def _positions(network: VillageNetwork) -> dict[str, tuple[float, float]]:
    """Villages at their coordinates (east to the right, north up; a degree of longitude
    shortened to its length at these latitudes), scaled into the drawing."""
    placed = [node for node in network.villages if node.latitude is not None]
    if not placed:
        return {}
    middle = sum(node.latitude for node in placed) / len(placed)
    squeeze = math.cos(math.radians(middle))
    xs = {node.slug: node.longitude * squeeze for node in placed}
    ys = {node.slug: node.latitude for node in placed}
    span = max(max(xs.values()) - min(xs.values()), max(ys.values()) - min(ys.values())) or 1
    scale = min(WIDTH, HEIGHT) - 2 * MARGIN
    left = (WIDTH - scale * (max(xs.values()) - min(xs.values())) / span) / 2
    top = (HEIGHT - scale * (max(ys.values()) - min(ys.values())) / span) / 2
    return {
        slug: (
            round(left + scale * (xs[slug] - min(xs.values())) / span, 1),
            round(top + scale * (max(ys.values()) - ys[slug]) / span, 1),
        )
        for slug in xs
    }


def render_svg(network: VillageNetwork, *, element_id: str = "network") -> SafeString:
    """The drawing, as markup to put inline (every text and attribute escaped here, quotes
    too: a slug is only a slug where a form checked it)."""
    at = _positions(network)
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    title = _("Villages connected by shared visitors, %(year)d") % {"year": network.year}
    widest = max((link.people or 0 for link in network.links), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="village-network">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(summary(network))}</desc>',
    ]
    for link in network.links:
        if link.first not in at or link.second not in at:
            continue
        (x1, y1), (x2, y2) = at[link.first], at[link.second]
        width = 2 if link.people is None else round(1.5 + 6 * link.people / widest, 1)
        parts.append(
            f'<line id="link-{escape(link.first)}-{escape(link.second)}" x1="{x1}" y1="{y1}" '
            f'x2="{x2}" y2="{y2}" stroke="{LINK}" stroke-width="{width}" '
            'stroke-linecap="round"/>'
        )
    isolated = set(network.isolated)
    for node in network.villages:
        if node.slug not in at:
            continue
        x, y = at[node.slug]
        if not node.has_places:
            circle = f'fill="#ffffff" stroke="{NO_PLACE}" stroke-dasharray="3 2"'
        elif node.slug in isolated:
            circle = f'fill="#ffffff" stroke="{ISOLATED}" stroke-width="3"'
        else:
            circle = f'fill="{LINK}" stroke="{INK}"'
        parts.append(
            f'<g id="village-{escape(node.slug)}"><circle cx="{x}" cy="{y}" r="9" {circle}/>'
            f'<text x="{x}" y="{round(y - 15, 1)}" text-anchor="middle" font-size="15" '
            f'font-family="DejaVu Sans, sans-serif" fill="{INK}" stroke="#ffffff" '
            # A white edge under the letters keeps a name readable across a line.
            f'stroke-width="4" paint-order="stroke">{escape(node.name)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped  # nosec B308, B703  # escaped above


def network_context(network: VillageNetwork, *, element_id: str = "network") -> dict:
    """What the templates' ``reports/_network.html`` prints for one year's network."""
    return {
        "network": network,
        "rows": network_rows(network),
        "isolated": names(network, network.isolated),
        "without_places": names(network, network.without_places),
        "summary": summary(network),
        "threshold_text": threshold_text(network),
        "svg": render_svg(network, element_id=element_id),
    }
