"""Who reads the figures: the audience decides whether small cells are hidden.

Two audiences, from the access layer's capabilities:

``Audience.PROFESSIONAL`` (``Capability.FIGURES``)
    Coordinators (their own places), professionals and administrators: the exact figures.
``Audience.VIEWER`` (``Capability.AGGREGATES``)
    Users with the viewer role (the municipality, the fund), region-wide: aggregates only,
    every count about fewer than ``MIN_CELL`` people hidden
    (:func:`omzien.reports.statistics.suppress_small_cells`).

A user who may see some places exactly (say a coordinator who is also a viewer) gets the
professional view of those places, and nothing more. :func:`overview_access` is the one
place that asks the access layer; everything else in the reports app asks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import QuerySet

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability

# Viewers never see a count of fewer people than this (the questionnaires' figures follow
# the same setting, for every audience).
MIN_CELL = settings.OMZIEN_MIN_CELL


class Audience(StrEnum):
    PROFESSIONAL = "professional"
    VIEWER = "viewer"

    @property
    def min_cell(self) -> int | None:
        """The smallest count of people this audience may see (None: every count)."""
        return MIN_CELL if self is Audience.VIEWER else None

    @classmethod
    def for_user(cls, user) -> Audience | None:
        access = overview_access(user)
        return access.audience if access else None


@dataclass(frozen=True)
class OverviewAccess:
    audience: Audience
    places: QuerySet  # the places whose figures the user may see, as that audience
    # Whether those are every place of the region (now and later): the region's and the
    # villages' totals are then theirs to see too. A coordinator's are not: a region total
    # beside their own places would let the other places' figures be worked out.
    region_wide: bool = False

    @property
    def place_ids(self) -> frozenset[int] | None:
        """The places of an impact report (``ReportRequest.place_ids``): None for all."""
        if self.region_wide:
            return None
        return frozenset(self.places.values_list("pk", flat=True))


def overview_access(user) -> OverviewAccess | None:
    """The audience a user reads the attendance figures as, and of which places; None: no
    figures at all (hosts, users without a membership, anonymous visitors, and a region
    without places yet)."""
    for capability, audience in (
        (Capability.FIGURES, Audience.PROFESSIONAL),
        (Capability.AGGREGATES, Audience.VIEWER),
    ):
        if permissions.can(user, capability):
            places = permissions.places_for_user(user, capability)
            if places.exists():
                region_wide = permissions.reach(user, capability) is permissions.EVERYWHERE
                return OverviewAccess(audience, places, region_wide)
            return None  # who may see figures exactly never falls back to aggregates
    return None
