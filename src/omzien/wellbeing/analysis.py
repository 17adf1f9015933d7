"""Paired change from baseline to repeat, per place, village and region: in aggregate only.

Each person (pseudonym) with a baseline and a repeat counts once: the change is the last
repeat's total minus the first baseline's (a lower De Jong Gierveld score is less lonely).
Per group: the mean change with a 95% t-interval, the share lonely at each wave, the share
of the lonely at baseline who are no longer lonely at the repeat, and the Wilcoxon
signed-rank test of the changes. No figure of a group of fewer than the minimum cell size
(``OMZIEN_MIN_CELL``, the reports' rule) is given, and none of fewer lonely people than
that for the share leaving loneliness.

There is no control group: the figures describe change, not the effect of the places.
`sentence` says so in plain Dutch.
"""

import math
import statistics
from dataclasses import asdict, dataclass
from datetime import date

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from scipy import stats

from omzien.wellbeing.models import Response, Wave
from omzien.wellbeing.scoring import is_lonely


@dataclass(frozen=True)
class Pair:
    place_id: int
    baseline_total: int
    repeat_total: int
    baseline_lonely: bool
    repeat_lonely: bool

    @property
    def change(self) -> int:
        return self.repeat_total - self.baseline_total


@dataclass(frozen=True)
class GroupSummary:
    group: str  # a place's or village's slug, or "region"
    level: str  # "place", "village", "region"
    parent: str | None
    people: int | None
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    lonely_share_baseline: float | None
    lonely_share_repeat: float | None
    left_lonely_share: float | None
    wilcoxon_p: float | None
    suppressed: bool
    sentence: str

    def as_dict(self) -> dict:
        return asdict(self)


def pairs(instrument="djg6", *, start: date | None = None, end: date | None = None) -> list[Pair]:
    """One pair per pseudonym whose repeat falls in [start, end]: the first baseline and
    the last repeat with a total (a missing total cannot be compared)."""
    rows = Response.objects.filter(instrument=instrument, total__isnull=False).order_by(
        "taken_on", "pk"
    )
    first_baseline, last_repeat = {}, {}
    for row in rows.values("pseudonym_id", "wave", "taken_on", "total", "category", "place_id"):
        if row["wave"] == Wave.BASELINE:
            first_baseline.setdefault(row["pseudonym_id"], row)
        elif (start is None or row["taken_on"] >= start) and (
            end is None or row["taken_on"] <= end
        ):
            last_repeat[row["pseudonym_id"]] = row
    found = []
    for pseudonym_id, repeat in last_repeat.items():
        baseline = first_baseline.get(pseudonym_id)
        if baseline is None or baseline["taken_on"] > repeat["taken_on"]:
            continue
        found.append(
            Pair(
                place_id=baseline["place_id"],
                baseline_total=baseline["total"],
                repeat_total=repeat["total"],
                baseline_lonely=bool(is_lonely(instrument, baseline["category"])),
                repeat_lonely=bool(is_lonely(instrument, repeat["category"])),
            )
        )
    return found


def t_interval(changes: list[int], confidence: float = 0.95) -> tuple[float, float]:
    """The t-interval of the mean (n >= 2); a zero spread gives the mean itself."""
    n = len(changes)
    mean = sum(changes) / n
    sd = statistics.stdev(changes) if n > 1 else 0.0
    if sd == 0:
        return mean, mean
    half = stats.t.ppf((1 + confidence) / 2, n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


def wilcoxon_p(changes: list[int]) -> float | None:
    """The two-sided Wilcoxon signed-rank p-value; None when every change is zero."""
    if not any(changes):
        return None
    return float(stats.wilcoxon(changes).pvalue)


def _points(value: float) -> str:
    return number_format(round(abs(value), 1), decimal_pos=1)


def sentence(people: int, mean: float, low: float, high: float) -> str:
    """What the figures say, and what they do not, in plain words."""
    if mean < 0:
        direction = _("the loneliness score fell on average by %(points)s points") % {
            "points": _points(mean)
        }
    elif mean > 0:
        direction = _("the loneliness score rose on average by %(points)s points") % {
            "points": _points(mean)
        }
    else:
        direction = _("the loneliness score stayed the same on average")
    interval = _("95%% interval %(low)s to %(high)s") % {
        "low": number_format(round(low, 1), decimal_pos=1),
        "high": number_format(round(high, 1), decimal_pos=1),
    }
    return _(
        "Of the %(people)d people who answered the questionnaire twice, %(direction)s "
        "(%(interval)s). This is a change, not a proven effect of the meeting places: there "
        "is no comparison group of people who did not come."
    ) % {"people": people, "direction": direction, "interval": interval}


def summarise(group: str, level: str, parent: str | None, found: list[Pair], min_cell: int):
    people = len(found)
    if people < min_cell:
        return GroupSummary(
            group,
            level,
            parent,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            True,
            _("Fewer than %(min_cell)d people answered twice: no figures.")
            % {"min_cell": min_cell},
        )
    changes = [pair.change for pair in found]
    mean = sum(changes) / people
    low, high = t_interval(changes)
    lonely_before = [pair for pair in found if pair.baseline_lonely]
    left = (
        sum(not pair.repeat_lonely for pair in lonely_before) / len(lonely_before)
        if len(lonely_before) >= min_cell
        else None
    )
    return GroupSummary(
        group=group,
        level=level,
        parent=parent,
        people=people,
        mean_change=round(mean, 3),
        ci_low=round(low, 3),
        ci_high=round(high, 3),
        lonely_share_baseline=round(len(lonely_before) / people, 3),
        lonely_share_repeat=round(sum(pair.repeat_lonely for pair in found) / people, 3),
        left_lonely_share=None if left is None else round(left, 3),
        wilcoxon_p=wilcoxon_p(changes),
        suppressed=False,
        sentence=sentence(people, mean, low, high),
    )


def wellbeing_summary(
    places, *, instrument="djg6", start=None, end=None, min_cell=None
) -> list[GroupSummary]:
    """The summary per place, village and the region, of the given places only."""
    min_cell = settings.OMZIEN_MIN_CELL if min_cell is None else min_cell
    places = {place.pk: place for place in places.select_related("village")}
    found = [pair for pair in pairs(instrument, start=start, end=end) if pair.place_id in places]
    by_place: dict[int, list[Pair]] = {}
    for pair in found:
        by_place.setdefault(pair.place_id, []).append(pair)
    by_village: dict[str, list[Pair]] = {}
    for place_id, group in by_place.items():
        by_village.setdefault(places[place_id].village.slug, []).extend(group)
    summaries = [summarise("region", "region", None, found, min_cell)]
    for slug, group in sorted(by_village.items()):
        summaries.append(summarise(slug, "village", "region", group, min_cell))
    for place_id, group in sorted(by_place.items(), key=lambda item: places[item[0]].slug):
        place = places[place_id]
        summaries.append(summarise(place.slug, "place", place.village.slug, group, min_cell))
    return summaries
