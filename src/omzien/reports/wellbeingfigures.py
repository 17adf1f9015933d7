"""Wellbeing: loneliness at the first questionnaire and at the repeat, in aggregate only.

Questionnaire answers are special-category data: nothing here is about one person; the
cube holds counts, shares and a mean per group and period, nothing per pseudonym.

Which answers count
    The six-item De Jong Gierveld scale (``djg6``), the one the places' questionnaire asks
    (``wellbeing.instruments.QUESTIONNAIRE``); the eleven-item scale and UCLA-3 have
    other totals and are not mixed in. A response counts with a total only (the manual's
    missing-answer rule gives none when too much is missing).
A pair
    A pseudonym's first baseline and a repeat taken on or after it, counted at the
    repeat's place and on its date (the pair's second measurement). When a pseudonym has
    more than one repeat at a group in a period, the last of them makes the pair, so
    everyone counts once per group and period.
Lonely
    As the manual says: a category other than "not" (``wellbeing.scoring.is_lonely``);
    for the six items a total of 2 or more (moderately or severely lonely), for the
    eleven items 3 or more.

wellbeing_paired
    Pseudonyms with a pair.
lonely_baseline, lonely_repeat
    Of those, lonely at the first questionnaire, and at the repeat.
lonely_share_baseline, lonely_share_repeat
    Those as a share of the paired.
left_lonely, share_out_of_lonely
    Of the paired lonely at baseline, those no longer lonely at the repeat, and their
    share of the lonely at baseline.
wellbeing_change_mean
    The mean change of the total score (repeat minus baseline; below zero is less
    lonely), with its 95% t-interval in ``cube.extra`` (``low``, ``high``, ``n``). A
    viewer sees it for the region and the year only: means of overlapping groups and
    periods differenced against each other would give away one person's change.

A different repeat can make the pair at a place and at its village (two repeats in a
quarter at two places of the village), so being lonely at the repeat does not add up
exactly: a village's lonely at the repeat are at most the sum of its places'.
"""

from __future__ import annotations

from datetime import date

import numpy as np
from django.utils.translation import gettext_lazy as _

from omzien.reports.counting import YearCounter, day_numbers, ids
from omzien.reports.cube import Adds, Cube, GroupKind, PeriodKind, Unit, difference, measure
from omzien.wellbeing.analysis import t_interval
from omzien.wellbeing.models import Response, Wave
from omzien.wellbeing.scoring import is_lonely

SECTION = "wellbeing"
INSTRUMENT = "djg6"

measure(
    "wellbeing_paired",
    _("Answered the questionnaire twice"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.UNION,
    over_periods=Adds.UNION,
    help_text=_("People with a first questionnaire and a repeat."),
)
measure(
    "lonely_baseline",
    _("Lonely the first time"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.UNION,
    over_periods=Adds.UNION,
)
measure(
    "lonely_repeat",
    _("Lonely at the repeat"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.AT_MOST,
    over_periods=Adds.AT_MOST,
)
measure(
    "lonely_share_baseline",
    _("Share lonely the first time"),
    SECTION,
    Unit.SHARE,
    over_groups=Adds.NONE,
    over_periods=Adds.NONE,
    base="wellbeing_paired",
    numerator="lonely_baseline",
)
measure(
    "lonely_share_repeat",
    _("Share lonely at the repeat"),
    SECTION,
    Unit.SHARE,
    over_groups=Adds.NONE,
    over_periods=Adds.NONE,
    base="wellbeing_paired",
    numerator="lonely_repeat",
)
measure(
    "left_lonely",
    _("No longer lonely"),
    SECTION,
    Unit.PEOPLE,
    over_groups=Adds.AT_MOST,
    over_periods=Adds.AT_MOST,
    help_text=_("Of those lonely the first time, those no longer lonely at the repeat."),
)
measure(
    "share_out_of_lonely",
    _("Share out of loneliness"),
    SECTION,
    Unit.SHARE,
    over_groups=Adds.NONE,
    over_periods=Adds.NONE,
    base="lonely_baseline",
    numerator="left_lonely",
)
# The people a shown count leaves out are counts of people too (paired minus lonely is
# the few who were not): never displayed, they take part in the disclosure rule so a
# small one cannot be had by subtracting two shown counts.
for _whole, _part, _rest in (
    ("wellbeing_paired", "lonely_baseline", "not_lonely_baseline"),
    ("wellbeing_paired", "lonely_repeat", "not_lonely_repeat"),
    ("lonely_baseline", "left_lonely", "still_lonely"),
):
    measure(
        _rest,
        _rest.replace("_", " "),
        SECTION,
        Unit.PEOPLE,
        over_groups=Adds.NONE,
        over_periods=Adds.NONE,
        displayed=False,
    )
    difference(_whole, _part, _rest)
measure(
    "wellbeing_change_mean",
    _("Mean change of the loneliness score"),
    SECTION,
    Unit.MEAN,
    over_groups=Adds.NONE,
    over_periods=Adds.NONE,
    base="wellbeing_paired",
    viewer_levels=(GroupKind.REGION,),
    viewer_periods=(PeriodKind.YEAR,),
    help_text=_("Below zero: less lonely at the repeat than the first time."),
)


def compute(cube: Cube) -> None:
    counter = YearCounter(cube.groups, cube.year)
    pseudonyms, places, days, changes, lonely_before, lonely_after = _pairs(cube)
    levels = counter.place_rows(places)
    for kind, group_of_row in levels.items():
        for period, in_period in counter.period_rows(days):
            chosen = _last_of_each(group_of_row, pseudonyms, days, in_period)
            for group in cube.groups.of_kind(kind):
                rows = chosen[group_of_row[chosen] == counter.index[group.slug]]
                _fill(
                    cube,
                    (group.slug, period.key),
                    changes[rows],
                    lonely_before[rows],
                    lonely_after[rows],
                )


def _pairs(cube: Cube):
    """One row per repeat of the year (up to the day the figures were made) that has a
    baseline on or before it: pseudonym, place, day, change, lonely before and after."""
    responses = (
        Response.objects.filter(instrument=INSTRUMENT, total__isnull=False)
        .filter(taken_on__lte=min(cube.as_of, date(cube.year, 12, 31)))
        .order_by("taken_on", "pk")
        .values_list("pseudonym_id", "wave", "taken_on", "total", "category", "place_id")
    )
    baseline: dict[int, tuple] = {}
    repeats = []
    for row in responses:
        if row[1] == Wave.BASELINE:
            baseline.setdefault(row[0], row)
        elif row[2].year == cube.year:
            repeats.append(row)
    rows = []
    for repeat in repeats:
        first = baseline.get(repeat[0])
        if first is None or first[2] > repeat[2]:
            continue
        rows.append(
            (
                repeat[0],
                repeat[5],
                repeat[2],
                repeat[3] - first[3],
                bool(is_lonely(INSTRUMENT, first[4])),
                bool(is_lonely(INSTRUMENT, repeat[4])),
            )
        )
    return (
        ids(row[0] for row in rows),
        ids(row[1] for row in rows),
        day_numbers(row[2] for row in rows),
        np.array([row[3] for row in rows], dtype=np.int64),
        np.array([row[4] for row in rows], dtype=bool),
        np.array([row[5] for row in rows], dtype=bool),
    )


def _last_of_each(group_of_row, pseudonyms, days, in_period) -> np.ndarray:
    """The rows (indexes) that are each (group, pseudonym)'s last in the period; rows are
    in the order they were taken, so a stable sort keeps a day's later response last."""
    selected = np.flatnonzero(in_period & (group_of_row >= 0))
    order = np.lexsort((days[selected], pseudonyms[selected], group_of_row[selected]))
    rows = selected[order]
    last = np.ones(len(rows), dtype=bool)
    last[:-1] = (group_of_row[rows][1:] != group_of_row[rows][:-1]) | (
        pseudonyms[rows][1:] != pseudonyms[rows][:-1]
    )
    return rows[last]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _fill(cube: Cube, key: tuple[str, str], changes, lonely_before, lonely_after) -> None:
    paired = len(changes)
    before = int(lonely_before.sum())
    after = int(lonely_after.sum())
    left = int((lonely_before & ~lonely_after).sum())
    values = {
        "wellbeing_paired": paired,
        "lonely_baseline": before,
        "lonely_repeat": after,
        "lonely_share_baseline": _share(before, paired),
        "lonely_share_repeat": _share(after, paired),
        "left_lonely": left,
        "not_lonely_baseline": paired - before,
        "not_lonely_repeat": paired - after,
        "still_lonely": before - left,
        "share_out_of_lonely": _share(left, before),
        "wellbeing_change_mean": round(float(changes.mean()), 3) if paired else None,
    }
    for name, value in values.items():
        cube.values[(*key, name)] = value
    low, high = t_interval(changes.tolist()) if paired >= 2 else (None, None)
    cube.extra[(*key, "wellbeing_change_mean")] = {
        "low": None if low is None else round(low, 3),
        "high": None if high is None else round(high, 3),
        "n": paired,
    }
