"""Reading places for the public pages."""

from dataclasses import dataclass

from omzien.places.geo import distance_km
from omzien.places.models import Place, Village


@dataclass(frozen=True)
class NearbyPlace:
    place: Place
    distance_km: float


def nearest_places(village: Village, count: int | None = 3) -> list[NearbyPlace]:
    """The active meeting places nearest to a village (by its coordinates), nearest
    first; for a village without a place of its own (``count=None``: all of them)."""
    places = Place.objects.active().select_related("village")
    nearby = sorted(
        (NearbyPlace(place, distance_km(village, place)) for place in places),
        key=lambda near: (near.distance_km, near.place.name),
    )
    return nearby[:count]


def has_place(village: Village) -> bool:
    return village.places.filter(is_active=True).exists()
