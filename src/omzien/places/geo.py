"""Distances between villages and places, as the crow flies."""

import math

EARTH_RADIUS_KM = 6371.0


def distance_km(a, b) -> float:
    """The great-circle (haversine) distance between two things with a latitude and a
    longitude in degrees (``places.models.Coordinates``), in kilometres."""
    lat1, lon1, lat2, lon2 = map(
        math.radians, map(float, (a.latitude, a.longitude, b.latitude, b.longitude))
    )
    half_chord = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(half_chord))
