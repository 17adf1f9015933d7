"""The network of villages by shared visitors: which villages are connected, which stand
alone (the issue's "Dorpen verbinden").

For a year, the villages of the region are the nodes; two villages are linked when
people came to places in both in that year, weighted by how many different people did
(``Cube.village_pairs``, counted with the reach measures in the nightly rollup). networkx
gives the connected groups of villages and the isolated ones: villages with places but
no link. Villages without a place of their own cannot be linked by visits; they are
listed apart ("geen eigen plek").

Who sees what (docs/reports.md, "The village network"): the exact audience of the whole
region (professionals, administrators) sees every link with its count of people. Every
other reader (viewers, and coordinators, whose exact figures are those of their own
places only) sees a link only when at least ``min_cell`` people share it, and no count:
only which villages are connected and which are isolated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from omzien.reports.cube import Cube, GroupKind


@dataclass(frozen=True)
class VillageNode:
    slug: str
    name: str
    has_places: bool
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Link:
    first: str  # village slugs, in the network's village order
    second: str
    people: int | None  # None: not shown (thresholded audiences)


@dataclass
class VillageNetwork:
    year: int
    min_cell: int | None  # None: exact (every link, with its count)
    villages: list[VillageNode]
    links: list[Link]
    components: list[list[str]] = field(default_factory=list)  # 2+ villages each
    isolated: list[str] = field(default_factory=list)  # with places, without a link
    without_places: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.min_cell is None

    def village(self, slug: str) -> VillageNode:
        return next(node for node in self.villages if node.slug == slug)

    def connected_to(self, slug: str) -> list[tuple[VillageNode, int | None]]:
        """The villages linked to ``slug``, in village order, with the shared count."""
        linked = {}
        for link in self.links:
            if link.first == slug:
                linked[link.second] = link.people
            elif link.second == slug:
                linked[link.first] = link.people
        return [(node, linked[node.slug]) for node in self.villages if node.slug in linked]

    def to_json(self) -> dict:
        return {
            "year": self.year,
            "exact": self.exact,
            "min_cell": self.min_cell,
            "villages": [
                {
                    "village": node.slug,
                    "name": node.name,
                    "has_places": node.has_places,
                    "connected_to": [other.slug for other, _count in self.connected_to(node.slug)],
                }
                for node in self.villages
            ],
            "links": [
                {
                    "villages": [link.first, link.second],
                    **({"people": link.people} if self.exact else {}),
                }
                for link in self.links
            ],
            "components": self.components,
            "isolated": self.isolated,
            "without_places": self.without_places,
        }


def village_network(cube: Cube, *, min_cell: int | None) -> VillageNetwork:
    """The cube's year as a network; ``min_cell`` None: exact, else thresholded."""
    from omzien.places.models import Village

    coordinates = {
        slug: (float(latitude), float(longitude))
        for slug, latitude, longitude in Village.objects.values_list(
            "slug", "latitude", "longitude"
        )
        if latitude is not None and longitude is not None
    }
    villages = [
        VillageNode(
            group.slug,
            group.name,
            bool(group.place_ids),
            *coordinates.get(group.slug, (None, None)),
        )
        for group in cube.groups.of_kind(GroupKind.VILLAGE)
    ]
    order = {node.slug: number for number, node in enumerate(villages)}
    graph = nx.Graph()
    graph.add_nodes_from(node.slug for node in villages if node.has_places)
    for (first, second), people in cube.village_pairs.items():
        if first not in graph or second not in graph:
            continue
        if min_cell is None or people >= min_cell:
            graph.add_edge(first, second, people=people)
    links = sorted(
        (
            Link(
                *sorted((first, second), key=order.__getitem__),
                people=data["people"] if min_cell is None else None,
            )
            for first, second, data in graph.edges(data=True)
        ),
        key=lambda link: (order[link.first], order[link.second]),
    )
    components = sorted(
        (
            sorted(component, key=order.__getitem__)
            for component in nx.connected_components(graph)
            if len(component) > 1
        ),
        key=lambda component: order[component[0]],
    )
    return VillageNetwork(
        year=cube.year,
        min_cell=min_cell,
        villages=villages,
        links=links,
        components=components,
        isolated=sorted(nx.isolates(graph), key=order.__getitem__),
        without_places=[node.slug for node in villages if not node.has_places],
    )


@dataclass(frozen=True)
class PlaceBridging:
    """One place's bridging in a date range, exact (for users with FIGURES there)."""

    people: int  # different people with a named visit at the place
    other_village: int  # of them, living in another (known) village than the place's
    other_place: int  # of them, also at another place of the region in the range
    # The other villages whose places those people also came to, with how many did (None:
    # not shown; a coordinator sees only villages that at least min_cell of them came to).
    villages: list[tuple[str, int | None]]


def place_bridging(place, first_day, last_day, *, min_cell: int | None = None) -> PlaceBridging:
    """Counted from the (person, place) pairs of the range's named visits of the place's
    people: one place and a range are a few hundred rows, not the year's million.

    ``min_cell`` (for who sees only their own places): the other villages are counts of
    visits at places out of the reader's reach, so only villages that at least
    ``min_cell`` of the people came to are named, without their count, as the network
    shows its links to them."""
    from omzien.attendance.models import Visit

    in_range = Visit.objects.filter(
        person__isnull=False, session__date__gte=first_day, session__date__lte=last_day
    )
    here = in_range.filter(session__activity__place=place)
    rows = list(
        in_range.filter(person__in=here.values("person_id"))
        .values_list(
            "person_id",
            "person__village_id",
            "session__activity__place_id",
            "session__activity__place__village_id",
            "session__activity__place__village__name",
        )
        .distinct()
        .order_by()
    )
    people = {row[0] for row in rows}
    other_village = {row[0] for row in rows if row[1] is not None and row[1] != place.village_id}
    other_place = {row[0] for row in rows if row[2] != place.pk}
    villages: dict[str, set[int]] = {}
    for person, _home, _place, village_id, village_name in rows:
        if village_id != place.village_id:
            villages.setdefault(village_name, set()).add(person)
    return PlaceBridging(
        people=len(people),
        other_village=len(other_village),
        other_place=len(other_place),
        villages=sorted(
            (name, len(who) if min_cell is None else None)
            for name, who in villages.items()
            if min_cell is None or len(who) >= min_cell
        ),
    )
