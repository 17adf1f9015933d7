"""Noticing who is missing: each person's own rhythm, and how unusual their absence is.

The rule (docs/ARCHITECTURE.md, "Signals"), per person who agreed to follow-up and per
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
   ``log(1 - p f) / log(1 - p)`` whole sessions at the person's mean rate p.
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
6. *Gates.* A signal needs at least ``MIN_VISITS`` visits (a rhythm), ``MIN_DAYS`` days
   since last seen, more than ``GAP_FACTOR`` x their usual gap between visits, at least
   ``MIN_MISSED`` missed held sessions and more than ``GAP_FACTOR`` x the sessions they
   usually let pass between visits, and P(dropped) >= ``OMZIEN_SIGNAL_THRESHOLD``.

``rhythms`` is pure numpy over arrays (``signals.loading`` reads them);
``find_signals`` joins the two, adds BG/NBD and writes the reasons.
"""

import functools
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from django.conf import settings
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy.special import betaln

from omzien.agenda.models import Activity, Session
from omzien.places.models import Place
from omzien.signals.loading import load, region_p_alive

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rules:
    threshold: float = 0.2
    lookback_weeks: int = 52
    min_visits: int = 3
    min_days: int = 21
    min_missed: int = 1
    gap_factor: float = 1.25
    # The region's dropout rate: a regular not seen for LAPSE_DAYS and LAPSE_GAPS x their
    # usual gap has lapsed; a weak prior of one lapse per PRIOR_RATE_DAYS of attendance
    # (2% a month) keeps a young region without lapses from never signalling.
    lapse_days: int = 91
    lapse_gaps: float = 4.0
    prior_rate_days: float = 1522.0
    # The absences regulars came back from, per band of the share of sessions they come
    # to (occasional visitors apart), shrunk to exp(-u) by this many pseudo-absences.
    absence_prior_gaps: float = 50.0
    share_bands: tuple = (0.5,)
    # Turnout of a session against its activity's mean: (count + prior) / (mean + prior),
    # so a small activity's chance fluctuations hardly move it.
    turnout_prior: float = 3.0
    turnout_min: float = 0.05
    turnout_max: float = 1.0

    @classmethod
    def from_settings(cls) -> "Rules":
        return cls(
            threshold=settings.OMZIEN_SIGNAL_THRESHOLD,
            lookback_weeks=settings.OMZIEN_SIGNAL_LOOKBACK_WEEKS,
            min_visits=settings.OMZIEN_SIGNAL_MIN_VISITS,
            min_days=settings.OMZIEN_SIGNAL_MIN_DAYS,
            min_missed=settings.OMZIEN_SIGNAL_MIN_MISSED,
            gap_factor=settings.OMZIEN_SIGNAL_GAP_FACTOR,
        )


@dataclass
class Arrays:
    """What detection reads; days are ``date.toordinal()`` numbers."""

    as_of: int
    # sessions
    session_ids: np.ndarray
    session_activity: np.ndarray
    session_place: np.ndarray
    session_day: np.ndarray
    session_held: np.ndarray  # scheduled and not in a closure of the place
    # visits of people who agreed to follow-up
    visit_person: np.ndarray
    visit_session: np.ndarray  # session ids
    # announced absences (person, first day, last day), any order, may overlap
    absence_person: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    absence_first: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    absence_last: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass
class Rhythm:
    """Per (person, place): the figures behind a signal. All arrays have equal length."""

    person: np.ndarray
    place: np.ndarray
    visit_days: np.ndarray  # distinct days visited at the place in the window
    first_seen: np.ndarray
    last_seen: np.ndarray
    days_since: np.ndarray
    usual_gap: np.ndarray  # days between visits, on average
    missed: np.ndarray  # held sessions of their activities since last seen
    usual_missed: np.ndarray  # held sessions per visit, on average
    absence_likelihood: np.ndarray  # q: chance of this absence if nothing changed
    independent_likelihood: np.ndarray  # the same if every miss were independent
    prior_dropped: np.ndarray  # chance of a dropout since last seen, at the region's rate
    main_activity: np.ndarray  # the activity they came to most
    main_attended: np.ndarray
    main_held: np.ndarray
    gates: np.ndarray  # bool: the absence is unusual for them

    def take(self, mask) -> "Rhythm":
        return Rhythm(**{name: value[mask] for name, value in vars(self).items()})


def _merged_absences(arrays: Arrays) -> list[tuple[int, int, int]]:
    """Absences per person with overlapping or adjacent periods merged."""
    by_person = defaultdict(list)
    for person, first, last in zip(
        arrays.absence_person.tolist(),
        arrays.absence_first.tolist(),
        arrays.absence_last.tolist(),
        strict=True,
    ):
        by_person[person].append((first, last))
    merged = []
    for person, periods in by_person.items():
        periods.sort()
        current = list(periods[0])
        for first, last in periods[1:]:
            if first <= current[1] + 1:
                current[1] = max(current[1], last)
            else:
                merged.append((person, *current))
                current = [first, last]
        merged.append((person, *current))
    return merged


def _first_and_last(group: np.ndarray, day: np.ndarray, size: int, as_of: int):
    """The first and the last visit day of each of ``size`` groups."""
    first = np.full(size, as_of, np.int64)
    np.minimum.at(first, group, day)
    last = np.zeros(size, np.int64)
    np.maximum.at(last, group, day)
    return first, last


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """np.unique without the inverse; numpy 2 does that with a hash table, ten times
    slower on a million keys than sorting and dropping repeats."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if ordered.size else ordered


def _in_absence(absences, person: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Whether each (person, day) falls in one of the merged announced absences."""
    if not absences or person.size == 0:
        return np.zeros(person.size, bool)
    table = np.array(sorted(absences), np.int64)  # merged: no overlaps per person
    span = np.int64(max(table[:, 2].max(), day.max()) + 2)
    starts = table[:, 0] * span + table[:, 1]
    at = np.searchsorted(starts, person * span + day, side="right") - 1
    found = at >= 0
    at = np.maximum(at, 0)
    return found & (table[at, 0] == person) & (day <= table[at, 2])


def rhythms(arrays: Arrays, rules: Rules = Rules()) -> Rhythm:
    """Every (person, place) with visits, its rhythm and how unusual the absence is."""
    as_of = arrays.as_of
    # Sessions sorted by (activity, day), for counting held sessions in a range of days.
    order = np.argsort(arrays.session_ids, kind="stable")
    sorted_ids = arrays.session_ids[order]
    count = arrays.visit_session.size
    if sorted_ids.size and count:
        pos = np.searchsorted(sorted_ids, arrays.visit_session).clip(0, sorted_ids.size - 1)
        known = sorted_ids[pos] == arrays.visit_session
    else:
        pos, known = np.zeros(count, np.int64), np.zeros(count, bool)
    visit_row = order[pos[known]]
    v_person = arrays.visit_person[known]
    v_day = arrays.session_day[visit_row]
    keep = v_day <= as_of  # never a visit after as_of
    visit_row, v_person, v_day = visit_row[keep], v_person[keep], v_day[keep]

    activities, s_act = np.unique(arrays.session_activity, return_inverse=True)
    places, s_place_idx = np.unique(arrays.session_place, return_inverse=True)
    span = np.int64(as_of + 2)
    s_key = s_act.astype(np.int64) * span + arrays.session_day
    s_order = np.argsort(s_key, kind="stable")
    s_key_sorted = s_key[s_order]
    held_sorted = arrays.session_held[s_order]
    held_cum = np.concatenate([[0], np.cumsum(held_sorted.astype(np.int64))])
    activity_place = np.zeros(activities.size, np.int64)
    activity_place[s_act] = s_place_idx

    # Turnout: how full each session was against its activity's usual, so that a
    # session half the regulars skipped (summer, snow) says less about one of them.
    turnout_count = np.bincount(visit_row, minlength=arrays.session_ids.size)[s_order]
    act_sorted = s_act[s_order]
    act_held = np.bincount(act_sorted, weights=held_sorted, minlength=activities.size)
    act_visits = np.bincount(
        act_sorted, weights=turnout_count * held_sorted, minlength=activities.size
    )
    count_cum = np.concatenate([[0], np.cumsum(turnout_count * held_sorted)])

    def between(cumulative, act, lo, hi):
        lo_i = np.searchsorted(s_key_sorted, act * span + lo, side="left")
        hi_i = np.searchsorted(s_key_sorted, act * span + hi, side="right")
        return np.where(hi >= lo, cumulative[hi_i] - cumulative[lo_i], 0)

    v_act = s_act[visit_row].astype(np.int64)
    v_place = s_place_idx[visit_row].astype(np.int64)

    # Per (person, place).
    pp_key = v_person.astype(np.int64) * places.size + v_place
    pp, v_pp = np.unique(pp_key, return_inverse=True)
    pp_person = pp // places.size
    pp_place = pp % places.size
    first_seen, last_seen = _first_and_last(v_pp, v_day, pp.size, as_of)
    distinct_days = _sorted_distinct(v_pp.astype(np.int64) * span + v_day)
    visit_days = np.bincount(distinct_days // span, minlength=pp.size)

    # Per (person, activity): sorted by person, since the key starts with the person.
    pa_key = v_person.astype(np.int64) * activities.size + v_act
    pa, v_pa = np.unique(pa_key, return_inverse=True)
    pa_person = pa // activities.size
    pa_act = pa % activities.size
    pa_first, pa_last = _first_and_last(v_pa, v_day, pa.size, as_of)
    attended = np.bincount(v_pa, minlength=pa.size)
    pa_pp = np.searchsorted(pp, pa_person * places.size + activity_place[pa_act])

    held = between(held_cum, pa_act, pa_first, pa_last)
    held_visits = between(count_cum, pa_act, pa_first, pa_last)
    absences = _merged_absences(arrays)
    for person, first, last in absences:
        lo_i, hi_i = np.searchsorted(pa_person, [person, person + 1])
        if lo_i == hi_i:
            continue
        rows = slice(lo_i, hi_i)
        lo, hi = np.maximum(pa_first[rows], first), np.minimum(pa_last[rows], last)
        held[rows] -= between(held_cum, pa_act[rows], lo, hi)
        held_visits[rows] -= between(count_cum, pa_act[rows], lo, hi)
    held = np.maximum(held, attended)
    # Their own visits are not part of the turnout they are compared with.
    others_mean = np.maximum(act_visits[pa_act] - attended, 0) / np.maximum(act_held[pa_act], 1)
    prior = rules.turnout_prior
    held_weight = (np.maximum(held_visits - attended, 0) + prior * held) / (others_mean + prior)
    held_weight = np.clip(held_weight, rules.turnout_min * held, rules.turnout_max * held)
    held_weight = np.maximum(held_weight, attended)

    # Every session of their activities after they started it, one row per (pair,
    # session), in the gaps between their visit days at the place: the last gap is the
    # current absence, the others are absences they came back from.
    lo_i = np.searchsorted(s_key_sorted, pa_act * span + pa_first + 1, side="left")
    hi_i = np.searchsorted(s_key_sorted, pa_act * span + as_of, side="right")
    per_pair = np.maximum(hi_i - lo_i, 0)
    m_pa = np.repeat(np.arange(pa.size), per_pair)
    m_session = np.arange(per_pair.sum()) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    m_session += np.repeat(lo_i, per_pair)
    m_day = s_key_sorted[m_session] % span
    m_visit_key = pa_pp[m_pa] * span + m_day
    at = np.searchsorted(distinct_days, m_visit_key, side="left")
    on_visit_day = distinct_days[np.minimum(at, max(distinct_days.size - 1, 0))] == m_visit_key
    m_gap = at - 1  # the visit day the gap starts after (index into distinct_days)
    counts = held_sorted[m_session] & ~on_visit_day & ~_in_absence(absences, pa_person[m_pa], m_day)
    m_pa, m_session, m_gap = m_pa[counts], m_session[counts], m_gap[counts]
    m_turnout = np.clip(
        (turnout_count[m_session] + prior) / (others_mean[m_pa] + prior),
        rules.turnout_min,
        rules.turnout_max,
    )

    # A missed session at turnout f is missed with chance 1 - p * f; expressed as a
    # number of full sessions (1 - p) ** k it keeps the Beta-binomial's uncertainty.
    alpha = attended + 1.0
    beta = held_weight - attended + 1.0
    rate = np.minimum(alpha / (alpha + beta), 0.99)
    full_miss = np.log1p(-rate)
    m_weight = np.log1p(-np.minimum(rate[m_pa] * m_turnout, 0.99)) / full_miss[m_pa]
    # Rows come per pair in day order, so (pair, gap) only ever grows: runs, not a sort.
    starts = (
        np.r_[True, (m_pa[1:] != m_pa[:-1]) | (m_gap[1:] != m_gap[:-1])] if m_pa.size else m_pa > 0
    )
    row_gap_pa = np.cumsum(starts) - 1
    g_pa, g_gap = m_pa[starts], m_gap[starts]
    gap_weight = np.bincount(row_gap_pa, weights=m_weight, minlength=g_pa.size)
    current_gap = np.cumsum(visit_days) - 1
    # The rate is learned between their first and last visit, so it never saw the current
    # absence; an absence they came back from is judged the same way, without itself.
    g_beta = beta[g_pa]
    returned = g_gap != current_gap[pa_pp[g_pa]]
    g_count = np.bincount(row_gap_pa, minlength=g_pa.size)
    g_beta = np.where(returned, np.maximum(g_beta - g_count, 1.0), g_beta)
    g_log_q = betaln(alpha[g_pa], g_beta + gap_weight) - betaln(alpha[g_pa], g_beta)
    gap_log_q = np.bincount(g_gap, weights=g_log_q, minlength=distinct_days.size)
    gap_missed = np.bincount(m_gap, minlength=distinct_days.size)
    pp_log_q = gap_log_q[current_gap] if pp.size else np.zeros(0)
    pp_missed = gap_missed[current_gap].astype(np.int64) if pp.size else np.zeros(0, np.int64)
    regular = visit_days >= rules.min_visits
    returned_from = np.ones(distinct_days.size, bool)
    returned_from[current_gap] = False
    returned_from &= np.repeat(regular, visit_days)
    pp_held = np.bincount(pa_pp, weights=held, minlength=pp.size)
    pp_attended = np.bincount(pa_pp, weights=attended, minlength=pp.size)
    usual_gap = np.where(
        visit_days > 1, (last_seen - first_seen) / np.maximum(visit_days - 1, 1), np.inf
    )
    share = pp_attended / np.maximum(pp_held, 1)  # of the sessions held for them
    likelihood = region_absence_likelihood(
        -gap_log_q[returned_from],
        np.repeat(share, visit_days)[returned_from],
        -pp_log_q,
        share,
        rules,
    )
    # The main activity: most visits, then the most recent.
    main_order = np.lexsort((pa_last, attended, pa_pp))
    grouped = pa_pp[main_order]
    last_of_group = np.r_[grouped[1:] != grouped[:-1], True] if pa.size else grouped > 0
    main_rows = np.zeros(pp.size, np.int64)
    main_rows[grouped[last_of_group]] = main_order[last_of_group]

    days_since = as_of - last_seen
    usual_missed = pp_held / np.maximum(pp_attended, 1)
    daily_rate = region_dropout_rate(first_seen, last_seen, usual_gap, visit_days, as_of, rules)
    # A dropout shows as a last visit: the chance per visit at their usual pace.
    prior_dropped = -np.expm1(-daily_rate * np.where(np.isfinite(usual_gap), usual_gap, 0))
    gates = (
        (visit_days >= rules.min_visits)
        & (days_since >= rules.min_days)
        & (days_since > rules.gap_factor * usual_gap)
        & (pp_missed >= rules.min_missed)
        & (pp_missed > rules.gap_factor * usual_missed)
    )
    return Rhythm(
        person=pp_person,
        place=places[pp_place] if places.size else pp_place,
        visit_days=visit_days,
        first_seen=first_seen,
        last_seen=last_seen,
        days_since=days_since,
        usual_gap=usual_gap,
        missed=pp_missed,
        usual_missed=usual_missed,
        absence_likelihood=likelihood,
        independent_likelihood=np.exp(pp_log_q),
        prior_dropped=prior_dropped,
        main_activity=activities[pa_act[main_rows]] if pa.size else main_rows,
        main_attended=attended[main_rows] if pa.size else main_rows,
        main_held=held[main_rows] if pa.size else main_rows,
        gates=gates,
    )


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


def find_signals(as_of: date, places=None, rules: Rules | None = None) -> list[Candidate]:
    """The signals detection raises on ``as_of``, most likely dropouts first."""
    rules = rules or Rules.from_settings()
    rhythm = rhythms(load(as_of, places, rules), rules)
    gated = rhythm.take(rhythm.gates)
    if gated.person.size == 0:
        return []
    alive = region_p_alive(as_of, gated.person)
    # BG/NBD's P(alive) is capped by the region's own dropout rate over the absence: a
    # region where nobody has dropped out yet makes BG/NBD sure that nobody does
    # (P(alive) -> 1), which would silence every person's own rhythm.
    prior = 1.0 - gated.prior_dropped
    if alive is not None:
        prior = np.minimum(alive, prior)
    probability = dropout_probability(prior, gated.absence_likelihood)
    chosen = np.nonzero(probability >= rules.threshold)[0]
    candidates = [
        Candidate(
            person_id=int(gated.person[i]),
            place_id=int(gated.place[i]),
            last_seen=date.fromordinal(int(gated.last_seen[i])),
            days_since=int(gated.days_since[i]),
            missed=int(gated.missed[i]),
            probability=round(float(probability[i]), 3),
            p_alive=None if alive is None else round(float(alive[i]), 3),
            absence_likelihood=float(gated.absence_likelihood[i]),
            activity_id=int(gated.main_activity[i]),
            attended=int(gated.main_attended[i]),
            held=int(gated.main_held[i]),
        )
        for i in chosen
    ]
    return _with_reasons(candidates, as_of)


def _with_reasons(candidates: list[Candidate], as_of: date) -> list[Candidate]:
    activity_ids = {c.activity_id for c in candidates}
    titles = dict(Activity.objects.filter(pk__in=activity_ids).values_list("pk", "title"))
    weekdays = _usual_weekdays(activity_ids, as_of)
    # Thousands of reasons in one language: look each message up once.
    words = (functools.cache(_), functools.cache(ngettext))
    result = [
        Candidate(
            **{**vars(c), "reason": reason(c, titles.get(c.activity_id, "?"), weekdays, *words)}
        )
        for c in candidates
    ]
    result.sort(key=lambda c: (-c.probability, c.last_seen, c.person_id, c.place_id))
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


def reason(
    candidate: Candidate, title: str, weekdays: dict[int, int], _=_, ngettext=ngettext
) -> str:
    """Why, in words a volunteer understands."""
    weekday = weekdays.get(candidate.activity_id)
    if weekday is None:
        usual = _("Usually comes to %(activity)s") % {"activity": title}
    else:
        usual = _("Usually comes to %(activity)s on %(weekday)s") % {
            "activity": title,
            "weekday": str(WEEKDAYS[weekday]).lower(),
        }
    times = _("(%(attended)d of the last %(held)d times)") % {
        "attended": candidate.attended,
        "held": candidate.held,
    }
    seen = ngettext(
        "last seen %(days)d day ago", "last seen %(days)d days ago", candidate.days_since
    ) % {"days": candidate.days_since}
    missed = ngettext("%(count)d session missed", "%(count)d sessions missed", candidate.missed) % {
        "count": candidate.missed
    }
    return f"{usual} {times}; {seen}; {missed}."


def place_names(place_ids) -> dict[int, str]:
    return dict(Place.objects.filter(pk__in=set(place_ids)).values_list("pk", "name"))


__all__ = [
    "Arrays",
    "Candidate",
    "Rhythm",
    "Rules",
    "dropout_probability",
    "find_signals",
    "load",
    "rhythms",
]
