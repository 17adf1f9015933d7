"""Noticing who is missing: each person's own rhythm, and how unusual their absence is.

The rule (docs/signals.md), per person who agreed to follow-up and per
place they visit, using only sessions and visits up to ``as_of``:

1. *Rhythm.* For every activity the person came to within the lookback window: the
   sessions *held for them* from their first to their last visit of it (scheduled, not
   in a closure of the place, not in an absence they announced) and how many they
   attended. Their attendance rate gets a Beta(1, 1) prior: after ``a`` of ``n``
   sessions it is Beta(a + 1, n - a + 1).
2. *Turnout.* Each held session has a turnout f: its visitors against the activity's
   mean, smoothed by ``TURNOUT_PRIOR`` visitors, without the person's own visits, at
   most 1. A session half the regulars skipped (summer, black ice) is missed with
   chance 1 - p * f rather than 1 - p, so it says less about one person staying away.
   The held sessions count as their summed turnout; a missed session counts as
   ``log(1 - p f) / log(1 - p)`` whole sessions at the person's mean rate p, its
   turnout smoothed toward the region's turnout of that week (``rhythms._week_totals``)
   rather than toward 1, so that a holiday counts as one even at a small activity.
3. *Absences.* The sessions held for them between two visits to the place form an
   absence: the last one is the current absence, the others are absences they came
   back from. The chance that someone with their rate misses ``k`` (turnout-weighted)
   held sessions in a row is the Beta-binomial predictive
   ``B(alpha, beta + k) / B(alpha, beta)`` (for a known rate p this is ``(1 - p) ** k``;
   for an absence they came back from, the rate without its own misses); over the
   activities of a place the chances multiply. Its ``-log`` is the absence's surprise u.
4. *The region's experience.* Misses are not independent (illness, a trip), so the
   chance q that an active person's absence reaches surprise u is learned from the
   absences the region's regulars came back from (``region_absence_likelihood``, per
   band of how often they come, with ``ABSENCE_PRIOR_GAPS`` pseudo-absences at exp(-u)).
5. *Probability.* The prior chance that they dropped out after their last visit is
   ``1 - exp(-h * usual gap)``, with h the region's own dropout rate per day
   (``region_dropout_rate``: regulars who never came back). BG/NBD (``signals.bgnbd``,
   fitted on the region's visits up to ``as_of``) gives P(still active); A is the
   smaller of the two. Bayes with the absence as evidence (a dropout misses every
   session, an active visitor reaches this absence with chance q):
   ``P(dropped) = (1 - A) / ((1 - A) + A * q)``.
6. *Occasional visitors.* Below ``Rules.occasional_share`` of the sessions there is no
   session rhythm to miss: q is the chance of no visit in the days since at their own
   long-run rate (``rhythms._own_rate_surprise``); their prior is the region's chance
   of a dropout per visit at its regulars' usual gap (``region_visit_gap``: their long
   gaps are their pace, not more time to drop out in), without BG/NBD's P(alive),
   which models the same rate of visits in time and would count the absence twice;
   the gates ask more than
   ``occasional_gap_factor`` x their usual gap and more than their longest earlier
   absence, the reason says so (``occasional_reason``) and at the same probability they
   come after regulars.
7. *Gates.* A signal needs at least ``MIN_VISITS`` visits (a rhythm), ``MIN_DAYS`` days
   since last seen at any place, more than ``GAP_FACTOR`` x their usual gap between
   visits, at least ``MIN_MISSED`` missed held sessions and more than ``GAP_FACTOR`` x
   the sessions they usually let pass between visits (for a slower rhythm, sessions
   ``Rules.slow_cadence_days`` or more apart, ``MIN_MISSED`` is enough), and
   P(dropped) >= ``OMZIEN_SIGNAL_THRESHOLD`` (``OMZIEN_SIGNAL_SLOW_THRESHOLD`` for a
   slower rhythm: ``raising_threshold``).

``signals.rhythms`` computes steps 1 to 3 and the gates per (person, place), pure numpy
over the arrays ``signals.loading`` reads; this module holds the region-level model
(steps 4 and 5: ``region_model``, ``region_absence_likelihood``,
``region_dropout_rate``, ``dropout_probability``) and ``find_signals``, which joins
them, adds BG/NBD (``p_alive``, by default ``loading.region_p_alive``) and writes the
reasons. The whole rule, in words: docs/signals.md.
"""

import functools
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from omzien.agenda.models import Activity, Session
from omzien.core.phrasing import activity_phrase
from omzien.places.models import Place
from omzien.signals.calibrating import current_calibrations
from omzien.signals.calibration import Calibration
from omzien.signals.loading import load, region_p_alive
from omzien.signals.models import Rhythm as RhythmKind
from omzien.signals.rhythms import Rhythm, Rules, compute_rhythms

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegionModel:
    """What the region's experience says about each pair's absence (one entry per pair)."""

    daily_dropout_rate: float  # the region's dropouts per day of attendance
    absence_likelihood: np.ndarray  # q: chance of this absence if nothing changed
    prior_dropped: np.ndarray  # chance of a dropout since last seen, at the region's rate


def region_model(rhythm: Rhythm, as_of: int, rules: Rules) -> RegionModel:
    """The region-level model on the rhythms of every pair of the region (steps 4, 5).

    ``as_of`` is a ``date.toordinal()`` number, as in ``Arrays``.
    """
    likelihood = region_absence_likelihood(
        rhythm.returned.surprise, rhythm.returned.share, rhythm.surprise, rhythm.share, rules
    )
    # An occasional visitor has no session rhythm to miss: the chance of this long a gap
    # at their own long-run rate of visits (rhythms._own_rate_surprise).
    likelihood = np.where(rhythm.occasional, np.exp(-rhythm.own_rate_surprise), likelihood)
    daily_rate = region_dropout_rate(
        rhythm.first_seen, rhythm.last_seen, rhythm.usual_gap, rhythm.visit_days, as_of, rules
    )
    # A dropout shows as a last visit: the chance per visit at their usual pace. An
    # occasional visitor's long gaps are their pace, not more time to drop out in (a
    # dropout happens at a visit, as in BG/NBD): theirs is the chance per visit of the
    # region's regulars, at the regulars' usual gap.
    usual_gap = np.where(rhythm.occasional, region_visit_gap(rhythm, rules), rhythm.usual_gap)
    prior_dropped = -np.expm1(-daily_rate * np.where(np.isfinite(usual_gap), usual_gap, 0))
    return RegionModel(daily_rate, likelihood, prior_dropped)


def region_visit_gap(rhythm: Rhythm, rules: Rules) -> float:
    """The median usual gap (days) of the region's regulars with a session rhythm; a
    week when there are none."""
    regular = (rhythm.visit_days >= rules.min_visits) & ~rhythm.occasional
    gaps = rhythm.usual_gap[regular & np.isfinite(rhythm.usual_gap)]
    return float(np.median(gaps)) if gaps.size else 7.0


def region_absence_likelihood(returned_surprise, returned_share, surprise, share, rules):
    """How often absences of people who came back were at least this surprising.

    ``surprise`` is -log q of an absence under independent misses. Illness or a trip
    clusters misses, so an active person reaches a surprise u more often than exp(-u),
    and the rate learned from a few visits of an occasional visitor is too sure of
    itself; the share of the region's absences that regulars alike (the share of held
    sessions they came to, in the bands of ``SHARE_BANDS``) came back from and that
    reached u says how often. ``ABSENCE_PRIOR_GAPS`` pseudo-absences at exp(-u) keep a
    small region from trusting a handful of its own.
    """
    returned_band = np.searchsorted(rules.share_bands, returned_share)
    band = np.searchsorted(rules.share_bands, share)
    result = np.empty(np.shape(surprise))
    weight = rules.absence_prior_gaps
    for number in range(len(rules.share_bands) + 1):
        done = np.sort(returned_surprise[returned_band == number])
        here = band == number
        reached = done.size - np.searchsorted(done, surprise[here] - 1e-9, side="left")
        result[here] = (reached + weight * np.exp(-surprise[here])) / (done.size + weight)
    return result


def region_dropout_rate(first_seen, last_seen, usual_gap, visit_days, as_of, rules) -> float:
    """Dropouts per day of attendance, learned from the regulars who never came back.

    A regular (``MIN_VISITS`` visit days) lapsed when not seen for ``LAPSE_DAYS`` and
    ``LAPSE_GAPS`` x their usual gap; attendance counts from their first visit until
    they lapsed, or until that lapse horizon for those still coming (a later lapse
    could not have been seen yet).
    """
    regular = visit_days >= rules.min_visits
    horizon = as_of - np.maximum(
        rules.lapse_days, rules.lapse_gaps * np.where(regular, usual_gap, 0)
    )
    lapsed = regular & (last_seen < horizon)
    attended_days = np.where(
        regular, np.clip(np.minimum(last_seen, horizon) - first_seen, 0, None), 0
    )
    return (int(lapsed.sum()) + 1.0) / (float(attended_days.sum()) + rules.prior_rate_days)


def dropout_probability(p_alive, absence_likelihood):
    """P(dropped out) from P(still active) and the chance q of the absence if active."""
    p_alive = np.asarray(p_alive, float)
    q = np.asarray(absence_likelihood, float)
    dropped = 1.0 - p_alive
    denominator = dropped + p_alive * q
    return np.where(denominator > 0, dropped / np.where(denominator > 0, denominator, 1), 0.0)


@dataclass(frozen=True)
class Candidate:
    """A signal as detection sees it on as_of."""

    person_id: int
    place_id: int
    last_seen: date
    days_since: int
    missed: int
    probability: float
    p_alive: float | None
    absence_likelihood: float
    activity_id: int
    attended: int
    held: int
    reason: str = ""
    # No session rhythm: comes now and then, judged against their own rate and gaps.
    occasional: bool = False
    usual_gap: float = 0.0  # days between visits, on average
    # The day someone closed an earlier signal of this absence ("alles goed", "ziek"):
    # ``missed`` counts the sessions since. None when nobody did.
    explained_on: date | None = None
    longest_gap: int = 0  # the longest absence they came back from, in days
    # When they come to their main activity, a weekly one, every other week: the parity
    # of their weeks (``core.dates.week_parity``); attended and held count the sessions
    # of those weeks (rhythms._every_other_week), and the door asks about them in those
    # weeks only.
    week_parity: int | None = None
    rhythm: str = RhythmKind.WEEKLY  # the kind of rhythm, for the calibration
    # The model's probability before the calibration of its kind (``probability`` is
    # the calibrated one where the kind has a calibration, and equal to this otherwise).
    raw_probability: float | None = None

    @property
    def every_other_week(self) -> bool:
        return self.week_parity is not None


def rhythm_kind(occasional: bool, slow: bool) -> str:
    """Occasional before slow: a now-and-then visitor of a monthly activity has no
    monthly rhythm either."""
    if occasional:
        return RhythmKind.OCCASIONAL
    return RhythmKind.SLOW if slow else RhythmKind.WEEKLY


# P(still active) per person: (as_of, person ids) -> array, or None for "no model".
PAlive = Callable[[date, np.ndarray], np.ndarray | None]


def rhythm_only(as_of: date, person_ids: np.ndarray) -> None:
    """A ``p_alive`` without BG/NBD: the rhythm and the region's dropout rate decide."""
    return None


def find_signals(
    as_of: date,
    places=None,
    rules: Rules | None = None,
    *,
    p_alive: PAlive = region_p_alive,
    calibrations: dict[str, Calibration] | None = None,
) -> list[Candidate]:
    """The signals detection raises on ``as_of``, most likely dropouts first.

    ``p_alive`` gives P(still active) per person; by default BG/NBD fitted on the
    region (``loading.region_p_alive``); ``rhythm_only`` leaves it out.
    ``calibrations`` maps a kind of rhythm to its fit on the region's follow-ups; by
    default the newest stored ones (``calibrating.current_calibrations``). Which signals
    are raised is the model's threshold on its own probability (a fit must not silently
    change how many dropouts are found on the night it lands); the probability they
    carry, and so their order and words, is the calibrated one where the kind has a fit,
    the model's otherwise (so a region without follow-ups gets the model's).
    """
    rules = rules or Rules.from_settings()
    gated, prior_dropped, absence_likelihood = _past_the_gates(as_of, places, rules)
    if gated.person.size == 0:
        return []
    alive = p_alive(as_of, gated.person)
    # BG/NBD's P(alive) is capped by the region's own dropout rate over the absence: a
    # region where nobody has dropped out yet makes BG/NBD sure that nobody does
    # (P(alive) -> 1), which would silence every person's own rhythm.
    prior = 1.0 - prior_dropped
    if alive is not None:
        # Not for an occasional visitor: their q is their own rate of visits in time, the
        # model BG/NBD is, and P(alive) would count the same absence twice.
        prior = np.where(gated.occasional, prior, np.minimum(alive, prior))
    raw = dropout_probability(prior, absence_likelihood)
    kinds = rhythm_kinds(gated.occasional, gated.slow)
    if calibrations is None:
        calibrations = current_calibrations()
    probability = calibrated(raw, kinds, calibrations)
    chosen = np.nonzero(raw >= raising_threshold(kinds, rules))[0]
    candidates = [
        Candidate(
            person_id=int(gated.person[i]),
            place_id=int(gated.place[i]),
            last_seen=date.fromordinal(int(gated.last_seen[i])),
            days_since=int(gated.days_since[i]),
            missed=int(gated.missed[i]),
            explained_on=explained_on(gated.last_seen[i], gated.explained_until[i]),
            probability=round(float(probability[i]), 3),
            p_alive=None if alive is None else round(float(alive[i]), 3),
            absence_likelihood=float(absence_likelihood[i]),
            activity_id=int(gated.main_activity[i]),
            attended=int(gated.main_attended[i]),
            held=int(gated.main_held[i]),
            occasional=bool(gated.occasional[i]),
            usual_gap=float(gated.usual_gap[i]),
            longest_gap=int(gated.longest_gap[i]),
            week_parity=int(gated.week_parity[i]) if gated.every_other_week[i] else None,
            rhythm=str(kinds[i]),
            raw_probability=round(float(raw[i]), 3),
        )
        for i in chosen
    ]
    return with_reasons(candidates, as_of)


def explained_on(last_seen: int, explained_until: int) -> date | None:
    """The day the current absence was explained up to, if someone did (ordinals in)."""
    return date.fromordinal(int(explained_until)) if explained_until > last_seen else None


def raising_threshold(kinds: np.ndarray, rules: Rules) -> np.ndarray:
    """The model's probability from which each pair's signal is raised: a slower
    rhythm's own threshold, else the threshold."""
    return np.where(kinds == RhythmKind.SLOW, rules.slow_threshold, rules.threshold)


def rhythm_kinds(occasional: np.ndarray, slow: np.ndarray) -> np.ndarray:
    """``rhythm_kind`` for every pair at once."""
    return np.where(
        occasional, RhythmKind.OCCASIONAL, np.where(slow, RhythmKind.SLOW, RhythmKind.WEEKLY)
    )


def calibrated(raw: np.ndarray, kinds: np.ndarray, calibrations: dict) -> np.ndarray:
    """Each pair's probability through the fit of its kind; unchanged without one."""
    result = np.array(raw, dtype=float)
    for kind, fit in calibrations.items():
        mine = kinds == kind
        if mine.any():
            result[mine] = fit(result[mine])
    return result


def _past_the_gates(as_of: date, places, rules: Rules):
    """The pairs past the gates, with the region model's prior and q for each.

    A function of its own so that the loaded arrays and the region's rhythms are freed
    before BG/NBD reads the visits again (at a million visits, some 50 MB).
    """
    rhythm = compute_rhythms(load(as_of, places, rules), rules)
    model = region_model(rhythm, as_of.toordinal(), rules)
    gates = rhythm.gates
    return rhythm.take(gates), model.prior_dropped[gates], model.absence_likelihood[gates]


def with_reasons(candidates: list[Candidate], as_of: date) -> list[Candidate]:
    """The candidates with their reasons in words, most likely dropouts first, and at
    the same probability a regular before an occasional visitor."""
    activity_ids = {c.activity_id for c in candidates}
    titles = dict(Activity.objects.filter(pk__in=activity_ids).values_list("pk", "title"))
    weekdays = _usual_weekdays(activity_ids, as_of)
    # Thousands of reasons in one language: look each message up once.
    words = Words.cached()
    result = [
        Candidate(
            **{**vars(c), "reason": reason(c, titles.get(c.activity_id, "?"), weekdays, words)}
        )
        for c in candidates
    ]
    result.sort(key=lambda c: (-c.probability, c.occasional, c.last_seen, c.person_id, c.place_id))
    return result


def _usual_weekdays(activity_ids, as_of: date) -> dict[int, int]:
    """The weekday most sessions of each activity fell on (0 = Monday)."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 7)
    recent = Session.objects.filter(
        activity_id__in=activity_ids, date__lte=as_of, date__gte=as_of - timedelta(weeks=26)
    ).values_list("activity_id", "date")
    for activity_id, day in recent:
        counts[activity_id][day.weekday()] += 1
    return {pk: max(range(7), key=days.__getitem__) for pk, days in counts.items()}


def usually(attended: int, held: int) -> bool:
    """Whether "usually" is true: more than half of the held sessions."""
    return held > 0 and 2 * attended > held


@dataclass(frozen=True)
class Words:
    """The gettext functions a reason is written with (cached ones for thousands)."""

    gettext: Callable = _
    ngettext: Callable = ngettext
    pgettext: Callable = pgettext

    @classmethod
    def cached(cls) -> "Words":
        return cls(*(functools.cache(function) for function in (_, ngettext, pgettext)))


def attendance_phrase(
    title: str,
    weekday: int | None,
    attended: int,
    held: int,
    words: Words = Words(),
    *,
    every_other_week: bool = False,
) -> str:
    """ "Komt meestal naar de Koffieochtend op dinsdag (5 van de laatste 7 keer)" when
    that is more than half, else "Kwam 2 van de laatste 7 keer naar het Handwerkcafé";
    "Komt om de week naar ... (5 van de laatste 6 keer in die weken)" for someone who
    comes every other week, whose held sessions are those of their weeks."""
    values = {
        "activity": activity_phrase(title, pgettext=words.pgettext),
        "attended": attended,
        "held": held,
    }
    if weekday is not None:
        values["weekday"] = str(WEEKDAYS[weekday]).lower()
    if every_other_week and weekday is None:
        text = words.ngettext(
            "Comes to %(activity)s every other week "
            "(%(attended)d of the last %(held)d time in those weeks)",
            "Comes to %(activity)s every other week "
            "(%(attended)d of the last %(held)d times in those weeks)",
            held,
        )
    elif every_other_week:
        text = words.ngettext(
            "Comes to %(activity)s on %(weekday)s every other week "
            "(%(attended)d of the last %(held)d time in those weeks)",
            "Comes to %(activity)s on %(weekday)s every other week "
            "(%(attended)d of the last %(held)d times in those weeks)",
            held,
        )
    elif usually(attended, held):
        if weekday is None:
            text = words.ngettext(
                "Usually comes to %(activity)s (%(attended)d of the last %(held)d time)",
                "Usually comes to %(activity)s (%(attended)d of the last %(held)d times)",
                held,
            )
        else:
            text = words.ngettext(
                "Usually comes to %(activity)s on %(weekday)s "
                "(%(attended)d of the last %(held)d time)",
                "Usually comes to %(activity)s on %(weekday)s "
                "(%(attended)d of the last %(held)d times)",
                held,
            )
    elif weekday is None:
        text = words.ngettext(
            "Came to %(activity)s %(attended)d of the last %(held)d time",
            "Came to %(activity)s %(attended)d of the last %(held)d times",
            held,
        )
    else:
        text = words.ngettext(
            "Came to %(activity)s on %(weekday)s %(attended)d of the last %(held)d time",
            "Came to %(activity)s on %(weekday)s %(attended)d of the last %(held)d times",
            held,
        )
    return text % values


def weeks(days: float) -> int:
    """Days as whole weeks, at least one."""
    return max(1, round(days / 7))


def occasional_reason(candidate: Candidate, title: str, words: Words = Words()) -> str:
    """ "Komt af en toe naar de Koffieochtend, ongeveer eens per 6 weken; nu 19 weken
    niet gezien; eerder hooguit 11 weken weg.": against their own rate and gaps."""
    activity = activity_phrase(title, pgettext=words.pgettext)
    every = weeks(candidate.usual_gap)
    usual = words.ngettext(
        "Comes to %(activity)s now and then, about once a week",
        "Comes to %(activity)s now and then, about once every %(weeks)d weeks",
        every,
    ) % {"activity": activity, "weeks": every}
    absent = candidate.days_since // 7
    now = words.ngettext(
        "now not seen for %(weeks)d week", "now not seen for %(weeks)d weeks", absent
    ) % {"weeks": absent}
    longest = weeks(candidate.longest_gap)
    before = words.ngettext(
        "before, away at most %(weeks)d week", "before, away at most %(weeks)d weeks", longest
    ) % {"weeks": longest}
    if candidate.explained_on is not None:
        closed = words.gettext("an earlier signal was closed on %(day)s") % {
            "day": date_format(candidate.explained_on, "j F")
        }
        return f"{usual}; {now}; {before}; {closed}."
    return f"{usual}; {now}; {before}."


def reason(
    candidate: Candidate, title: str, weekdays: dict[int, int], words: Words = Words()
) -> str:
    """Why, in words a volunteer understands."""
    if candidate.occasional:
        return occasional_reason(candidate, title, words)
    usual = attendance_phrase(
        title,
        weekdays.get(candidate.activity_id),
        candidate.attended,
        candidate.held,
        words,
        every_other_week=candidate.every_other_week,
    )
    seen = words.ngettext(
        "last seen %(days)d day ago", "last seen %(days)d days ago", candidate.days_since
    ) % {"days": candidate.days_since}
    if candidate.explained_on is None:
        missed = words.ngettext(
            "%(count)d session missed", "%(count)d sessions missed", candidate.missed
        ) % {"count": candidate.missed}
    else:
        missed = words.ngettext(
            "%(count)d session missed since %(day)s, when an earlier signal was closed",
            "%(count)d sessions missed since %(day)s, when an earlier signal was closed",
            candidate.missed,
        ) % {"count": candidate.missed, "day": date_format(candidate.explained_on, "j F")}
    return f"{usual}; {seen}; {missed}."


def place_names(place_ids) -> dict[int, str]:
    return dict(Place.objects.filter(pk__in=set(place_ids)).values_list("pk", "name"))


__all__ = [
    "Candidate",
    "Words",
    "attendance_phrase",
    "calibrated",
    "RegionModel",
    "dropout_probability",
    "find_signals",
    "occasional_reason",
    "region_absence_likelihood",
    "region_dropout_rate",
    "region_model",
    "rhythm_only",
    "usually",
    "with_reasons",
]
