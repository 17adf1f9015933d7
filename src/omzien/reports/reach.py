"""Reach: who came, how often, from where, and what was on offer.

Counted on the session date, per place (the session's activity's place), village and the
region, for every month, quarter and the year:

people
    Different people among the named visits.
new_people
    People whose first named visit *ever* in the group (all history) falls in the period:
    new at a place is "first time at this place", new in a village "first time at any
    place of the village". New people of the months add up to the year's.
returning_people
    Of the period's people, those with a named visit in the same group within 28 days
    after their last visit of the period. Unknown (None) while those 28 days have not
    passed on the day the figures were made.
people_other_village
    People who live in another village than the place's ("bridging"); for a village and
    the region, people who came to a place outside their own village. People without a
    known village are not counted.
people_multi_place
    Of the group's people of the period, those who came to at least two different places
    of the region in that period (bridging between places; see ``reports.bridging``).
    A village's are the union of its places'; the year's are not the union of its
    months' (one place in January and another in March makes someone multi-place in the
    quarter, in no month), so nothing is declared over periods. The village network
    (pairs of villages by shared people, for the year) is counted from the same rows.
visits, anonymous_visits
    Every visit, and those without a person (counted with "+1"); the named visits are
    their difference, which a reader can work out, so the cube holds them too.
sessions, sessions_cancelled, sessions_<category>
    Sessions held (not cancelled, no closure, on or before the day the figures were made)
    and cancelled; the activity mix as sessions held per kind of activity. Sessions are in
    the public agenda anyway, so they are never hidden.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from omzien.agenda.models import Activity, Category, Session
from omzien.attendance.models import Visit
from omzien.reports.bridging import multi_place_rows, village_pairs
from omzien.reports.counting import (
    YearCounter,
    day_number,
    day_numbers,
    fetch,
    ids,
    int_rows,
)
from omzien.reports.cube import (
    Adds,
    Cube,
    GroupKind,
    Period,
    PeriodKind,
    Unit,
    difference,
    measure,
)

RETURN_WINDOW_DAYS = 28

SECTION = "reach"

measure(
    "people",
    _("Different people"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.UNION,
    over_periods=Adds.UNION,
    help_text=_("Different people with a named visit."),
)
measure(
    "new_people",
    _("New people"),
    SECTION,
    Unit.PEOPLE,
    # New in a village means new at one of its places, but not the other way round.
    over_groups=Adds.AT_MOST,
    over_periods=Adds.SUM,
    help_text=_("People who came for the first time ever."),
)
measure(
    "not_new_people",
    _("People who had come before"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.NONE,
    over_periods=Adds.NONE,
    displayed=False,
)
difference("people", "new_people", "not_new_people")
measure(
    "returning_people",
    _("Came back within 4 weeks"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.NONE,
    over_periods=Adds.NONE,
    help_text=_("Of the people of the period, those who came again within 4 weeks."),
)
measure(
    "not_returning_people",
    _("Did not come back within 4 weeks"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.NONE,
    over_periods=Adds.NONE,
    displayed=False,
)
difference("people", "returning_people", "not_returning_people")
measure(
    "people_other_village",
    _("People from another village"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.UNION,
    over_periods=Adds.UNION,
    help_text=_("People who came to a place outside the village they live in."),
)
measure(
    "people_not_other_village",
    _("People from their own village or an unknown one"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.NONE,
    over_periods=Adds.NONE,
    displayed=False,
)
difference("people", "people_other_village", "people_not_other_village")
measure(
    "people_multi_place",
    _("People who visit more than one place"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.UNION,
    # At least the largest month, but not at most their sum: see the module docstring.
    over_periods=Adds.NONE,
    help_text=_("People who came to two or more different places of the region in the period."),
)
measure(
    "people_single_place",
    _("People who came to one place only"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.NONE,
    over_periods=Adds.NONE,
    displayed=False,
)
difference("people", "people_multi_place", "people_single_place")
measure(
    "visits",
    _("Visits"),
    SECTION,
    Unit.EVENTS,
    base="people",
    help_text=_("All visits, with and without a name."),
)
measure(
    "anonymous_visits",
    _("Visits without a name"),
    SECTION,
    Unit.EVENTS,
    base="people",
)
measure(
    "named_visits", _("Visits with a name"), SECTION, Unit.EVENTS, base="people", displayed=False
)
difference("visits", "anonymous_visits", "named_visits")
measure("sessions", _("Sessions held"), SECTION, Unit.PUBLIC)
measure("sessions_cancelled", _("Sessions cancelled"), SECTION, Unit.PUBLIC)
for category in Category:
    measure(f"sessions_{category.value}", category.label, "activity_mix", Unit.PUBLIC)


def compute(cube: Cube) -> None:
    counter = YearCounter(cube.groups, cube.year)
    rows = _visit_rows(cube)
    _visits(cube, counter, rows)
    _new_people(cube, counter, rows)
    _sessions(cube, counter)


def _visit_rows(cube: Cube):
    """Every visit of the year and of the 28 days after it (for returning people): person
    (-1: anonymous), place, day and the person's village (-1: not known), one row a visit.

    The database gives small tables that its indexes answer on their own: the (session,
    person) pairs of the named visits (from the index that keeps a person to one visit a
    session), the anonymous visits counted per session, the sessions with their place
    and day, and the people's villages; numpy joins them. Joining in SQL would read each
    visit's row from the table, in no useful order (a few times slower on SQLite)."""
    first, last = (
        date(cube.year, 1, 1),
        date(cube.year, 12, 31) + timedelta(days=RETURN_WINDOW_DAYS),
    )
    in_window = {"session__date__gte": first, "session__date__lte": last}
    named = int_rows(
        Visit.objects.filter(person__isnull=False, **in_window)
        .values_list("session_id", "person_id")
        .order_by(),
        2,
    )
    anonymous = int_rows(
        Visit.objects.filter(person__isnull=True, **in_window)
        .values("session_id")
        .annotate(visits=Count("pk"))
        .values_list("session_id", "visits")
        .order_by(),
        2,
    )
    sessions = fetch(
        Session.objects.filter(date__gte=first, date__lte=last)
        .values_list("pk", "activity__place_id", "date")
        .order_by("pk")
    )
    session_ids = ids(row[0] for row in sessions)
    session_places = ids(row[1] for row in sessions)
    session_days = day_numbers(row[2] for row in sessions)
    session_of_row = np.concatenate([named[:, 0], np.repeat(anonymous[:, 0], anonymous[:, 1])])
    people = np.concatenate([named[:, 1], np.full(int(anonymous[:, 1].sum()), -1, dtype=np.int64)])
    at = np.searchsorted(session_ids, session_of_row)
    places, days = session_places[at], session_days[at]
    return people, places, days, _villages_of(people)


def _villages_of(people: np.ndarray) -> np.ndarray:
    """Each person's village (-1: anonymous or not known)."""
    from omzien.people.models import Person

    known = people >= 0
    # Every person (a few columns of a small table) rather than a list of ids as
    # parameters, which SQLite limits.
    rows = int_rows(
        Person.objects.annotate(known_village=Coalesce("village_id", -1))
        .values_list("pk", "known_village")
        .order_by("pk"),
        2,
    )
    villages = np.full(len(people), -1, dtype=np.int64)
    villages[known] = rows[np.searchsorted(rows[:, 0], people[known]), 1]
    return villages


def _visits(cube: Cube, counter: YearCounter, rows) -> None:
    people, places, days, villages = rows
    levels = counter.place_rows(places)
    named = people >= 0
    cube.values.update(counter.count("visits", levels, days))
    cube.values.update(counter.count("anonymous_visits", levels, days, where=~named))
    cube.values.update(counter.count("named_visits", levels, days, where=named))
    cube.values.update(counter.count("people", levels, days, people=people))
    # A row is bridging when the visitor's own village is known and not the place's.
    place_village = _place_villages(cube, places)
    other_village = (villages >= 0) & (villages != place_village)
    bridging = counter.count(
        "people_other_village", levels, days, people=people, where=other_village
    )
    cube.values.update(bridging)
    for (group, period, _name), count in bridging.items():
        everyone = cube.values[(group, period, "people")]
        cube.values[(group, period, "people_not_other_village")] = everyone - count
    multi_in_year = _multi_place(cube, counter, people, levels, days)
    # Only someone at two places of the year can link two villages.
    slugs = {group.village_id: group.slug for group in cube.groups.of_kind(GroupKind.VILLAGE)}
    cube.village_pairs = {
        (slugs[first], slugs[second]): count
        for (first, second), count in village_pairs(
            people[multi_in_year], place_village[multi_in_year]
        ).items()
    }
    _returning(cube, counter, people, levels, days)


def _multi_place(cube: Cube, counter: YearCounter, people, levels, days) -> np.ndarray:
    """People at 2+ places of the region in a period: a row counts for the periods of one
    kind (months, quarters, the year) when its person has rows at two places in the
    row's period of that kind, so each kind is counted with its own mask. Returns the
    year's: the rows of the people at two places or more in the year."""
    month = counter.months(days)
    place_of_row = levels[GroupKind.PLACE]
    for kind, unit in (
        (PeriodKind.MONTH, month),
        (PeriodKind.QUARTER, np.where(month >= 0, month // 3, -1)),
        (PeriodKind.YEAR, np.where(month >= 0, 0, -1)),
    ):
        multi = multi_place_rows(people, place_of_row, unit)
        cells = counter.count("people_multi_place", levels, days, people=people, where=multi)
        for (group, period, name), count in cells.items():
            if Period.from_key(period).kind != kind:
                continue
            cube.values[(group, period, name)] = count
            everyone = cube.values[(group, period, "people")]
            cube.values[(group, period, "people_single_place")] = everyone - count
    return multi


def _place_villages(cube: Cube, places: np.ndarray) -> np.ndarray:
    """Each row's place's village (-1: a place outside the groups)."""
    village_of_place = np.full(int(places.max()) + 1 if len(places) else 0, -1, dtype=np.int64)
    for group in cube.groups.of_kind(GroupKind.PLACE):
        for place_id in group.place_ids:
            if place_id < len(village_of_place):
                village_of_place[place_id] = group.village_id
    return village_of_place[places]


def _returning(cube, counter: YearCounter, people, levels, days) -> None:
    """Per group kind: sort (group, person, day), and per period find each person's last
    day in it and whether their next day in the group is at most 28 days later."""
    as_of = day_number(cube.as_of)
    named = people >= 0
    for kind, group_of_row in levels.items():
        rows = named & (group_of_row >= 0)
        # One int64 key (group, person, day) sorts faster than three sort keys: the days
        # are those of the year and the 28 days after it (under 2**10 from its start),
        # ids of people stay below 2**32, group indexes below 2**21.
        first = days[rows].min() if rows.any() else 0
        key = np.sort((group_of_row[rows] * (1 << 32) + people[rows]) * 1024 + days[rows] - first)
        group_sorted = key >> 42
        person_sorted = (key >> 10) & 0xFFFFFFFF
        day_sorted = (key & 1023) + first
        same_next = np.zeros(len(day_sorted), dtype=bool)
        same_next[:-1] = (group_sorted[1:] == group_sorted[:-1]) & (
            person_sorted[1:] == person_sorted[:-1]
        )
        gap = np.full(len(day_sorted), RETURN_WINDOW_DAYS + 1, dtype=np.int64)
        gap[:-1] = np.where(same_next[:-1], day_sorted[1:] - day_sorted[:-1], gap[:-1])
        came_back = (gap >= 1) & (gap <= RETURN_WINDOW_DAYS)
        # Each row's month, quarter and year (-1: outside the year). The rows of a
        # (group, person) in a period are adjacent, so the pair's last row in a period is
        # the one whose next row is another pair's or in another period: one per pair,
        # so counting those rows counts different people.
        month = counter.months(day_sorted)
        inside = month >= 0
        size = len(counter.group_slugs)
        people_counts, back_counts = [], []
        for unit, count in (
            (month, 12),
            (np.where(inside, month // 3, -1), 4),
            (np.where(inside, 0, -1), 1),
        ):
            last_rows = inside.copy()
            last_rows[:-1] &= ~(same_next[:-1] & (unit[1:] == unit[:-1]))
            index = unit * size + group_sorted
            people_counts.append(
                np.bincount(index[last_rows], minlength=count * size).reshape(count, size)
            )
            back_counts.append(
                np.bincount(index[last_rows & came_back], minlength=count * size).reshape(
                    count, size
                )
            )
        all_counts = np.concatenate(people_counts)
        back_counts = np.concatenate(back_counts)
        for number, period in enumerate(counter.periods):
            complete = day_number(period.last_day) + RETURN_WINDOW_DAYS < as_of
            for group in cube.groups.of_kind(kind):
                index = counter.index[group.slug]
                key = (group.slug, period.key)
                if complete:
                    back = int(back_counts[number, index])
                    cube.values[(*key, "returning_people")] = back
                    cube.values[(*key, "not_returning_people")] = (
                        int(all_counts[number, index]) - back
                    )
                else:
                    cube.values[(*key, "returning_people")] = None
                    cube.values[(*key, "not_returning_people")] = None


def _new_people(cube: Cube, counter: YearCounter, rows) -> None:
    """A person is new in a group in the period of their first named visit there ever: of
    the year's visits, the first of each (group, person) that has no visit in the group
    before the year. The visits before the year come as the different (person, activity)
    pairs of one query, rather than each person's first day at each place over all
    history (the same people, a grouped query that costs more: SQLite and PostgreSQL
    sort every visit for it)."""
    people, places, days, _villages = rows
    in_year = (people >= 0) & counter.in_year(days)
    people, days = people[in_year], days[in_year]
    levels = counter.place_rows(places[in_year])
    before = int_rows(
        Visit.objects.filter(person__isnull=False, session__date__lt=date(cube.year, 1, 1))
        .values_list("person_id", "session__activity_id")
        .distinct()
        .order_by(),
        2,
    )
    activities = int_rows(
        Activity.objects.values_list("pk", "place_id").order_by("pk"),
        2,
    )
    if len(before):
        before_places = activities[np.searchsorted(activities[:, 0], before[:, 1]), 1]
    else:
        before_places = np.zeros(0, dtype=np.int64)
    before_levels = counter.place_rows(before_places)
    for kind, group_of_row in levels.items():
        known = group_of_row >= 0
        pair = group_of_row[known] * (1 << 32) + people[known]
        before_group = before_levels[kind]
        came_before = before_group[before_group >= 0] * (1 << 32) + before[:, 0][before_group >= 0]
        fresh = ~np.isin(pair, came_before)
        pair, day = pair[fresh], days[known][fresh]
        # The first day of each (group, person): sort by pair and day, keep the first.
        order = np.lexsort((day, pair))
        pair, day = pair[order], day[order]
        first_of_pair = np.ones(len(pair), dtype=bool)
        first_of_pair[1:] = pair[1:] != pair[:-1]
        cube.values.update(
            counter.count("new_people", {kind: pair[first_of_pair] >> 32}, day[first_of_pair])
        )
    for group in cube.groups:
        for period in cube.periods():
            key = (group.slug, period.key)
            cube.values[(*key, "not_new_people")] = (
                cube.values[(*key, "people")] - cube.values[(*key, "new_people")]
            )


def _sessions(cube: Cube, counter: YearCounter) -> None:
    rows = fetch(
        Session.objects.filter(date__gte=date(cube.year, 1, 1), date__lte=date(cube.year, 12, 31))
        .values_list("activity__place_id", "date", "status", "activity__category")
        .order_by()
    )
    places = ids(row[0] for row in rows)
    days = day_numbers(row[1] for row in rows)
    cancelled = np.array([row[2] == Session.Status.CANCELLED for row in rows], dtype=bool)
    categories = np.array([row[3] for row in rows], dtype=object)
    closed = closed_on_day(places, days)
    held = ~cancelled & ~closed & (days <= day_number(cube.as_of))
    levels = counter.place_rows(places)
    cube.values.update(counter.count("sessions", levels, days, where=held))
    cube.values.update(counter.count("sessions_cancelled", levels, days, where=cancelled | closed))
    for category in Category:
        cube.values.update(
            counter.count(
                f"sessions_{category.value}",
                levels,
                days,
                where=held & (categories == category.value),
            )
        )


def closed_on_day(places: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Whether each session falls in a closure of its place (PlaceClosure); volunteering
    asks the same of the sessions its hosts hosted."""
    from omzien.places.models import PlaceClosure

    closures: dict[int, list[tuple[int, int]]] = {}
    for place_id, first, last in PlaceClosure.objects.values_list(
        "place_id", "first_day", "last_day"
    ):
        closures.setdefault(place_id, []).append((day_number(first), day_number(last)))
    if not closures:
        return np.zeros(len(days), dtype=bool)
    closed = np.zeros(len(days), dtype=bool)
    for place_id, spans in closures.items():
        at_place = places == place_id
        for first, last in spans:
            closed |= at_place & (days >= first) & (days <= last)
    return closed
