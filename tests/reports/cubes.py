"""Hand-built cubes for the disclosure rule's tests: groups, measures and values without
the database, and an attacker written apart from the rule (``attacker_ranges``)."""

from __future__ import annotations

from itertools import product

from ortools.sat.python import cp_model

from omzien.reports.cube import (
    REGION,
    Adds,
    Cube,
    Difference,
    Group,
    GroupKind,
    Groups,
    Measure,
    Period,
    Unit,
    periods_of_year,
)

YEAR = 2026


def region(villages: dict[str, list[str]]) -> Groups:
    """``{"village": ["place", ...]}`` as the region's groups."""
    by_slug = {REGION: Group(REGION, GroupKind.REGION, "Region", None)}
    for village in villages:
        by_slug[village] = Group(village, GroupKind.VILLAGE, village, REGION)
    for village, places in villages.items():
        for place in places:
            by_slug[place] = Group(place, GroupKind.PLACE, place, village)
    return Groups(by_slug)


def people(name: str = "people", **options) -> Measure:
    options.setdefault("over_groups", Adds.UNION)
    options.setdefault("over_periods", Adds.UNION)
    return Measure(name, name, "test", Unit.PEOPLE, **options)


def events(name: str = "visits", base: str = "people", **options) -> Measure:
    return Measure(name, name, "test", Unit.EVENTS, base=base, **options)


def measures(*registered: Measure) -> dict[str, Measure]:
    return {measure.name: measure for measure in registered}


def cube(groups: Groups, values: dict) -> Cube:
    """Values keyed (group, period, measure); the period as a key (``"2026"``)."""
    from datetime import date

    made = Cube(year=YEAR, groups=groups, as_of=date(YEAR + 1, 6, 1))
    made.values.update(values)
    return made


def year_cells(measure: str, values: dict[str, int]) -> dict:
    return {(group, str(YEAR), measure): value for group, value in values.items()}


# -- the attacker -------------------------------------------------------------------------


def known_relations(cube_: Cube, registry: dict[str, Measure], differences: list[Difference]):
    """Every relation a reader of the cube knows, as (kind, whole key, part keys), worked
    out here from the groups, periods and measures (not from the rule's own list)."""
    relations = []
    periods = periods_of_year(cube_.year)
    present = cube_.values
    for name, measure in registry.items():
        if measure.unit not in (Unit.PEOPLE, Unit.EVENTS, Unit.PUBLIC):
            continue
        for group, period in product(cube_.groups, periods):
            whole = (group.slug, period.key, name)
            if whole not in present:
                continue
            children = [
                (child.slug, period.key, name) for child in cube_.groups.children(group.slug)
            ]
            if children and all(child in present for child in children):
                relations.append((measure.over_groups, whole, children))
            parts = [
                (group.slug, child.key, name) for child in Period.from_key(period.key).children
            ]
            if parts and all(part in present for part in parts):
                relations.append((measure.over_periods, whole, parts))
    for difference in differences:
        for group, period in product(cube_.groups, periods):
            keys = [
                (group.slug, period.key, n)
                for n in (difference.whole, difference.part, difference.rest)
            ]
            if all(key in present for key in keys):
                relations.append((Adds.SUM, keys[0], keys[1:]))
    return [relation for relation in relations if relation[0] != Adds.NONE]


def attacker_ranges(cube_: Cube, protection, registry, differences, targets) -> dict:
    """The smallest and largest value of each target cell over every integer solution a
    reader could hold true: shown cells as they are, hidden counts of people at least 1
    (the rule never hides a zero one) and everything else at least 0."""
    relations = known_relations(cube_, registry, differences)
    top = 2 * max(abs(v) for v in cube_.values.values() if isinstance(v, int)) + 10
    model = cp_model.CpModel()
    variables = {}

    def term(key):
        value = cube_.values[key]
        if value is not None and protection.shown(key):
            return value
        if key not in variables:
            low = _lowest(key, value, protection, registry, cube_)
            variables[key] = model.new_int_var(low, top, str(key))
        return variables[key]

    for kind, whole, parts in relations:
        total = sum(term(part) for part in parts)
        if kind == Adds.SUM:
            model.add(term(whole) == total)
        else:
            model.add(term(whole) <= total)
        if kind == Adds.UNION:
            for part in parts:
                model.add(term(whole) >= term(part))
    ranges = {}
    for target in targets:
        goal = term(target)
        if isinstance(goal, int):
            ranges[target] = (goal, goal)
            continue
        bounds = []
        for sense in (1, -1):
            model.minimize(sense * goal)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            assert solver.solve(model) == cp_model.OPTIMAL
            bounds.append(solver.value(goal))
        ranges[target] = (min(bounds), max(bounds))
    return ranges


def _lowest(key, value, protection, registry, cube_) -> int:
    """A hidden count of people the viewer may see is at least 1 (the rule hides no zero);
    a cell that is never displayed is only known to be hidden when the rule hid it."""
    measure = registry[key[2]]
    if value is None or measure.unit != Unit.PEOPLE or not _viewer_sees(measure, cube_, key):
        return 0
    if key in protection.hidden_zeros:
        return 0
    if not measure.displayed and key not in protection.primary | protection.secondary:
        return 0
    return 1


def _viewer_sees(measure: Measure, cube_: Cube, key) -> bool:
    kind = cube_.groups[key[0]].kind
    period_kind = Period.from_key(key[1]).kind
    if measure.viewer_levels is not None and kind not in measure.viewer_levels:
        return False
    return measure.viewer_periods is None or period_kind in measure.viewer_periods


# -- cubes from visit records -------------------------------------------------------------


def visit_measures(suffix: str = "") -> tuple[dict[str, Measure], list[Difference]]:
    """Reach-like measures: people (unique), new people, visits, anonymous and named
    visits, with their relations as the reach module declares them."""
    s = suffix
    registered = measures(
        people(f"people{s}"),
        people(f"new_people{s}", over_groups=Adds.AT_MOST, over_periods=Adds.SUM),
        people(
            f"not_new_people{s}", over_groups=Adds.NONE, over_periods=Adds.NONE, displayed=False
        ),
        events(f"visits{s}", base=f"people{s}"),
        events(f"anonymous_visits{s}", base=f"people{s}"),
        events(f"named_visits{s}", base=f"people{s}", displayed=False),
    )
    differences = [
        Difference(f"people{s}", f"new_people{s}", f"not_new_people{s}"),
        Difference(f"visits{s}", f"anonymous_visits{s}", f"named_visits{s}"),
    ]
    return registered, differences


def visit_values(groups: Groups, records, suffix: str = "") -> dict:
    """The cells of :func:`visit_measures` from records ``(person or None, place, month)``:
    new people are those whose first month in the group (within the year) is the period's."""
    s = suffix
    periods = periods_of_year(YEAR)
    places_of = {}
    for group in groups:
        if group.kind == GroupKind.PLACE:
            places_of[group.slug] = {group.slug}
    for group in groups.of_kind(GroupKind.VILLAGE):
        places_of[group.slug] = {child.slug for child in groups.children(group.slug)}
    places_of[REGION] = {g.slug for g in groups.of_kind(GroupKind.PLACE)}
    months_of = {
        period.key: {
            m.number
            for m in periods
            if m.kind.value == "month" and period.first_day <= m.first_day <= period.last_day
        }
        for period in periods
    }
    values = {}
    for group in groups:
        rows = [r for r in records if r[1] in places_of[group.slug]]
        first_month = {}
        for person, _place, month in rows:
            if person is not None:
                first_month[person] = min(month, first_month.get(person, 13))
        for period in periods:
            months = months_of[period.key]
            in_period = [r for r in rows if r[2] in months]
            named = [r for r in in_period if r[0] is not None]
            everyone = {r[0] for r in named}
            new = {p for p in everyone if first_month[p] in months}
            key = (group.slug, period.key)
            values[(*key, f"people{s}")] = len(everyone)
            values[(*key, f"new_people{s}")] = len(new)
            values[(*key, f"not_new_people{s}")] = len(everyone) - len(new)
            values[(*key, f"visits{s}")] = len(in_period)
            values[(*key, f"anonymous_visits{s}")] = len(in_period) - len(named)
            values[(*key, f"named_visits{s}")] = len(named)
    return values


def random_records(random, groups: Groups, people_count: int, visits: int, anonymous=0.1):
    """Visits of ``people_count`` people, each with a favourite place, over the months."""
    places = [g.slug for g in groups.of_kind(GroupKind.PLACE)]
    favourite = {person: random.choice(places) for person in range(people_count)}
    records = []
    for _number in range(visits):
        person = random.randrange(people_count)
        place = favourite[person] if random.random() < 0.8 else random.choice(places)
        month = random.randint(1, 12)
        records.append((None if random.random() < anonymous else person, place, month))
    return records
