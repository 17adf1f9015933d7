"""What the cube's measures claim, checked on a built cube: every cell there, of the
right type, and wholes that relate to their parts as ``Measure.over_groups`` and
``over_periods`` say."""

from omzien.reports.cube import MEASURES, Adds, Cube, Unit


def assert_complete(cube: Cube) -> None:
    """Every registered measure has a cell for every group of its levels and every
    period, and none for other groups; counts are ints, shares and means floats."""
    for name, measure in MEASURES.items():
        for group in cube.groups:
            for period in cube.periods():
                key = (group.slug, period.key, name)
                if group.kind not in measure.levels:
                    assert key not in cube.values, key
                    continue
                assert key in cube.values, key
                value = cube.values[key]
                if measure.unit in (Unit.SHARE, Unit.MEAN):
                    assert value is None or isinstance(value, float), key
                elif name == "host_hours":
                    assert isinstance(value, float), key
                else:
                    assert value is None or type(value) is int, key


def _holds(adds: Adds, whole, parts) -> bool:
    if whole is None or any(part is None for part in parts) or not parts:
        return True
    if adds == Adds.SUM:
        return abs(whole - sum(parts)) < 1e-9
    if adds == Adds.UNION:
        return max(parts) <= whole <= sum(parts)
    if adds == Adds.AT_MOST:
        return whole <= sum(parts)
    return True


def assert_adds_up(cube: Cube, names) -> None:
    """Over groups (a village from its places, the region from its villages) and over
    periods (a quarter from its months, the year from its quarters)."""
    for name in names:
        measure = MEASURES[name]
        for group in cube.groups:
            children = [
                child for child in cube.groups.children(group.slug) if child.kind in measure.levels
            ]
            if group.kind not in measure.levels:
                continue
            for period in cube.periods():
                if children:
                    whole = cube.get(group.slug, period.key, name)
                    parts = [cube.get(child.slug, period.key, name) for child in children]
                    assert _holds(measure.over_groups, whole, parts), (
                        name,
                        group.slug,
                        period.key,
                        whole,
                        parts,
                    )
                if period.children:
                    whole = cube.get(group.slug, period.key, name)
                    parts = [cube.get(group.slug, child.key, name) for child in period.children]
                    assert _holds(measure.over_periods, whole, parts), (
                        name,
                        group.slug,
                        period.key,
                        whole,
                        parts,
                    )
