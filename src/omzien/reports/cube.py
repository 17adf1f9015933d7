"""The impact report's figures as one cube: group × period × measure, for one calendar year.

Every output of the report (the page, its charts, the PDF, the .xlsx, ``omzien report``'s
JSON, later the API) reads cells of this cube, and for the viewer audience only after
:mod:`omzien.reports.protection` decided which cells are hidden. Because the decision is
made once for the whole year (every grouping and every period together), two reports a
viewer asks for never show a cell differently, and no report gives away what another
hides: see docs/reports.md.

Groups
    The region (slug ``"region"``), its villages and its places; a place adds up into its
    village, a village into the region (:class:`Group.parent`).
Periods
    The twelve months, four quarters and the year itself (``2026-03``, ``2026-Q1``,
    ``2026``); a month adds up into its quarter, a quarter into the year. Reports are
    always about whole periods: a viewer cannot ask for 15 March to 14 April, which
    would let one March be subtracted from another.
Measures
    Registered by the modules that compute them (:func:`measure`), each with what a reader
    can do with it: whether it adds up over groups and periods (visits do) or is a count
    of different people that does not (someone who came in January and February is one
    visitor of the quarter), and which count of people it is about.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.utils.functional import Promise

REGION = "region"


class GroupKind(StrEnum):
    REGION = "region"
    VILLAGE = "village"
    PLACE = "place"


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class Period:
    kind: PeriodKind
    year: int
    number: int  # month 1-12, quarter 1-4, 1 for the year

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}"

    @property
    def first_day(self) -> date:
        if self.kind == PeriodKind.MONTH:
            return date(self.year, self.number, 1)
        if self.kind == PeriodKind.QUARTER:
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        if self.kind == PeriodKind.YEAR:
            return date(self.year, 12, 31)
        last_month = self.number if self.kind == PeriodKind.MONTH else 3 * self.number
        if last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, last_month + 1, 1) - timedelta(days=1)

    @property
    def parent(self) -> Period | None:
        if self.kind == PeriodKind.MONTH:
            return Period(PeriodKind.QUARTER, self.year, (self.number - 1) // 3 + 1)
        if self.kind == PeriodKind.QUARTER:
            return Period(PeriodKind.YEAR, self.year, 1)
        return None

    @property
    def children(self) -> tuple[Period, ...]:
        if self.kind == PeriodKind.YEAR:
            return tuple(Period(PeriodKind.QUARTER, self.year, q) for q in range(1, 5))
        if self.kind == PeriodKind.QUARTER:
            first = 3 * self.number - 2
            return tuple(Period(PeriodKind.MONTH, self.year, m) for m in range(first, first + 3))
        return ()

    @classmethod
    def from_key(cls, key: str) -> Period:
        """``2026``, ``2026-Q2`` or ``2026-05``; ValueError otherwise."""
        year_text, _, rest = key.partition("-")
        if not (year_text.isdigit() and len(year_text) == 4):
            raise ValueError(key)
        year = int(year_text)
        if not rest:
            return cls(PeriodKind.YEAR, year, 1)
        if rest[0] == "Q" and rest[1:] in {"1", "2", "3", "4"}:
            return cls(PeriodKind.QUARTER, year, int(rest[1:]))
        if rest.isdigit() and len(rest) == 2 and 1 <= int(rest) <= 12:
            return cls(PeriodKind.MONTH, year, int(rest))
        raise ValueError(key)


def periods_of_year(year: int, kind: PeriodKind | None = None) -> list[Period]:
    """The year's months, quarters and the year itself (or only those of one kind)."""
    periods = [Period(PeriodKind.MONTH, year, month) for month in range(1, 13)]
    periods += [Period(PeriodKind.QUARTER, year, quarter) for quarter in range(1, 5)]
    periods.append(Period(PeriodKind.YEAR, year, 1))
    return [period for period in periods if kind is None or period.kind == kind]


@dataclass(frozen=True)
class Group:
    slug: str
    kind: GroupKind
    name: str
    parent: str | None  # the slug of the group it adds up into; None for the region
    place_ids: frozenset[int] = frozenset()
    village_id: int | None = None  # of a village, and of a place's village


@dataclass
class Groups:
    """The region, its villages and its places, in display order (places by village)."""

    by_slug: dict[str, Group]

    def __iter__(self) -> Iterator[Group]:
        return iter(self.by_slug.values())

    def __getitem__(self, slug: str) -> Group:
        return self.by_slug[slug]

    def of_kind(self, kind: GroupKind) -> list[Group]:
        return [group for group in self if group.kind == kind]

    def children(self, slug: str) -> list[Group]:
        return [group for group in self if group.parent == slug]

    def place_group(self, place_id: int) -> Group:
        for group in self.of_kind(GroupKind.PLACE):
            if place_id in group.place_ids:
                return group
        raise KeyError(place_id)


def region_groups() -> Groups:
    """Every village of the installation and every place (also those no longer active:
    their visits still count in the years they were open)."""
    from omzien.places.models import Place, Village

    villages = list(Village.objects.order_by("name", "pk"))
    places = list(Place.objects.order_by("name", "pk"))
    by_slug: dict[str, Group] = {}
    by_slug[REGION] = Group(
        REGION, GroupKind.REGION, "", None, frozenset(place.pk for place in places)
    )
    for village in villages:
        own = frozenset(place.pk for place in places if place.village_id == village.pk)
        by_slug[village.slug] = Group(
            village.slug, GroupKind.VILLAGE, village.name, REGION, own, village.pk
        )
    for village in villages:
        for place in places:
            if place.village_id == village.pk:
                by_slug[place.slug] = Group(
                    place.slug,
                    GroupKind.PLACE,
                    place.name,
                    village.slug,
                    frozenset([place.pk]),
                    village.pk,
                )
    return Groups(by_slug)


class Unit(StrEnum):
    """What a measure counts, which decides how the disclosure rule treats it."""

    PEOPLE = "people"  # different people: 1 to min_cell - 1 is hidden for viewers
    EVENTS = "events"  # visits, hours, requests: hidden when the people behind them are few
    PUBLIC = "public"  # sessions held: public in the agenda anyway, never hidden
    SHARE = "share"  # numerator / denominator, both PEOPLE measures; hidden with either
    MEAN = "mean"  # an average over ``base`` people (with its confidence interval)


class Adds(StrEnum):
    """What a reader knows about a whole (a village, a quarter) from its parts."""

    SUM = "sum"  # the whole is the sum of its parts (visits)
    UNION = "union"  # different people: at least the largest part, at most the sum
    AT_MOST = "at_most"  # at most the sum of its parts (new in a village: new at a place)
    NONE = "none"  # no relation a reader could use (shares, means)


@dataclass(frozen=True)
class Measure:
    name: str
    label: str | Promise
    section: str  # reach, volunteers, noticing, help, wellbeing
    unit: Unit
    over_groups: Adds = Adds.SUM
    over_periods: Adds = Adds.SUM
    # EVENTS and MEAN: the PEOPLE measure of the same group and period they are about;
    # SHARE: the denominator. A hidden base hides the measure.
    base: str | None = None
    numerator: str | None = None  # SHARE: the PEOPLE measure on top
    # The group kinds this measure exists for (help is asked per village, not per place).
    levels: tuple[GroupKind, ...] = (GroupKind.REGION, GroupKind.VILLAGE, GroupKind.PLACE)
    # What a viewer may see of it at all (a mean only for the region per year, say);
    # outside it the cell is hidden for viewers whatever its value.
    viewer_levels: tuple[GroupKind, ...] | None = None
    viewer_periods: tuple[PeriodKind, ...] | None = None
    displayed: bool = True  # False: known to a reader only by subtraction (see relations)
    help_text: str | Promise = ""


MEASURES: dict[str, Measure] = {}


def measure(*args, **kwargs) -> Measure:
    """Register a measure (in the order the report shows them)."""
    registered = Measure(*args, **kwargs)
    if registered.name in MEASURES:
        raise ValueError(f"measure {registered.name!r} is registered twice")
    MEASURES[registered.name] = registered
    return registered


@dataclass(frozen=True)
class Difference:
    """``whole = part + rest`` within one cell's group and period: visits are named plus
    anonymous visits; the people of a period are its new people plus the others."""

    whole: str
    part: str
    rest: str


# Within-cell relations, registered next to the measures (see :func:`difference`).
DIFFERENCES: list[Difference] = []


def difference(whole: str, part: str, rest: str) -> None:
    DIFFERENCES.append(Difference(whole, part, rest))


CellKey = tuple[str, str, str]  # (group slug, period key, measure name)


@dataclass
class Cube:
    """The exact figures of one year: ``values[(group, period, measure)]``.

    ``values`` holds ints for counts and floats for shares and means (None where a mean
    has nobody to be about); ``extra`` holds what a MEAN carries besides its value (the
    confidence interval), keyed like ``values``; ``village_pairs`` the year's network.
    """

    year: int
    groups: Groups
    as_of: date
    values: dict[CellKey, int | float | None] = field(default_factory=dict)
    extra: dict[CellKey, dict] = field(default_factory=dict)
    # The year's village network: per pair of village slugs, the different people who
    # came to places in both (only pairs that share someone). Not cells: viewers see
    # only which pairs share at least min_cell people (reports.network).
    village_pairs: dict[tuple[str, str], int] = field(default_factory=dict)

    def periods(self, kind: PeriodKind | None = None) -> list[Period]:
        return periods_of_year(self.year, kind)

    def get(self, group: str, period: str, name: str):
        return self.values.get((group, period, name))
