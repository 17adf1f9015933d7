"""Each person's own rhythm per place, from arrays: pure numpy, no database.

The per (person, place) part of the rule (docs/signals.md, steps 1 to 3 and the gates
of step 6): for every activity the sessions *held for them* from their first to their
last visit and how many they attended (a Beta(1, 1) prior on that rate), each held
session weighted by its turnout, and the absences between their visits to the place
(the last one is the current absence, the others are absences they came back from)
with the surprise ``u = -log q`` of each, ``q`` the Beta-binomial chance of missing
those sessions. The region-level model that turns this into a probability lives in
``signals.detection``; ``signals.loading`` reads the ``Arrays`` from the database.

Types: ``Rules`` (the thresholds and constants, ``Rules.from_settings()`` for the
settings' values), ``Arrays`` (the input; days are ``date.toordinal()`` numbers),
``Rhythm`` (the output, one entry per pair) with its ``ReturnedAbsences``.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.special import betaln
from scipy.stats import binom

from omzien.core.dates import week_parity


@dataclass(frozen=True)
class Rules:
    threshold: float = 0.2
    # A slower rhythm's signal (fortnightly or monthly) is raised from this probability:
    # within 1.5 of their cycle they have missed one session, and at 0.15-0.2 such a
    # signal was a real dropout as often as a weekly one at 0.5 and more often than a
    # weekly one at 0.2-0.5 (benchmarks/RESULTS.md, "a lower threshold for slower rhythms").
    slow_threshold: float = 0.15
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
    # Turnout of a session against its activity's mean, shrunk by this many visitors:
    # (count + prior * F) / (mean + prior), so a small activity's chance fluctuations
    # hardly move it. F is 1 for the sessions that teach their rate, and for a missed
    # one the region's turnout of that week (``_week_turnout``), so a week the whole
    # region stayed home (summer, Christmas, black ice) counts as such at a small
    # activity too.
    turnout_prior: float = 3.0
    # The region's turnout of a week is shrunk toward 1 by this many visitors: it takes a
    # region's worth of visits (not one person staying away) to say the week was quiet.
    week_turnout_prior: float = 30.0
    turnout_min: float = 0.05
    turnout_max: float = 1.0
    # Occasional visitors: below this share of the sessions held for them there is no
    # session rhythm to miss. Their absence is judged against their own long-run rate
    # (days between visits) and must be longer than OCCASIONAL_GAP_FACTOR x their usual
    # gap and than every absence they came back from.
    occasional_share: float = 0.3
    occasional_gap_factor: float = 3.0
    # Slower rhythms (their main activity meets at least this many days apart): one
    # missed session can already be unusual, so only MIN_MISSED holds and the
    # probability decides; a weekly rhythm needs more than GAP_FACTOR x the sessions
    # they usually let pass.
    slow_cadence_days: float = 12.0
    # Every other week: someone whose visit days at a weekly activity fall on one parity
    # of the week (weeks of Monday to Sunday, counted from year 1) this much more than a
    # fair coin would give (the binomial tail of the other parity's count), after at
    # least this many visit days, follows only the sessions of their weeks
    # (``_every_other_week``).
    every_other_week_p: float = 0.01
    every_other_week_min_visits: int = 6

    @classmethod
    def from_settings(cls) -> "Rules":
        """The rules as the settings give them (``OMZIEN_SIGNAL_*``, config/settings.py)."""
        from django.conf import settings

        return cls(
            threshold=settings.OMZIEN_SIGNAL_THRESHOLD,
            slow_threshold=settings.OMZIEN_SIGNAL_SLOW_THRESHOLD,
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
    # Absences someone closed a signal on (person, place, last seen, explained until):
    # the current absence at that place is explained up to that day
    # (``loading.explained_absences``).
    explained_person: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    explained_place: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    explained_last_seen: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    explained_until: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass
class ReturnedAbsences:
    """The absences people came back from (regulars only), the region's experience."""

    surprise: np.ndarray  # -log q of each under independent misses
    share: np.ndarray  # the share of held sessions the person came to


EVERY_OTHER_WEEK_OFFSET = 2  # copies of activities and sessions get ids below -1


@dataclass
class Rhythm:
    """Per (person, place): the figures behind a signal. All arrays have equal length,
    except ``returned``, which is the region's and not per pair."""

    person: np.ndarray
    place: np.ndarray
    visit_days: np.ndarray  # distinct days visited at the place in the window
    first_seen: np.ndarray
    last_seen: np.ndarray
    days_since: np.ndarray
    usual_gap: np.ndarray  # days between visits, on average
    missed: np.ndarray  # held sessions of their activities since last seen (or explained)
    # The day until which someone explained the current absence by closing its signal
    # (``_explained_until``); the last visit when nobody did.
    explained_until: np.ndarray
    usual_missed: np.ndarray  # held sessions per visit, on average
    surprise: np.ndarray  # -log q of the current absence if every miss were independent
    share: np.ndarray  # of the sessions held for them, the share they came to
    longest_gap: np.ndarray  # the longest absence they came back from, in days (0: none)
    occasional: np.ndarray  # bool: share below Rules.occasional_share, no session rhythm
    # -log q of the current absence at their own long-run rate of visits (occasional
    # visitors): q = (T / (T + t)) ** n after n gaps in T days, t days since last seen.
    own_rate_surprise: np.ndarray
    main_activity: np.ndarray  # the activity they came to most
    # the parity of their weeks (``week_parity``) when they come to their main activity
    # every other week (``_every_other_week``), else -1
    week_parity: np.ndarray
    # bool: the main activity meets Rules.slow_cadence_days or more apart (fortnightly,
    # monthly)
    slow: np.ndarray
    main_attended: np.ndarray
    main_held: np.ndarray
    gates: np.ndarray  # bool: the absence is unusual for them
    returned: ReturnedAbsences

    @property
    def every_other_week(self) -> np.ndarray:
        """bool: they come to their main activity every other week."""
        return self.week_parity >= 0

    @property
    def independent_likelihood(self) -> np.ndarray:
        """The chance of the current absence if every miss were independent."""
        return np.exp(-self.surprise)

    def take(self, mask) -> "Rhythm":
        """The pairs where mask holds (the region's returned absences stay whole)."""
        values = {name: value[mask] for name, value in vars(self).items() if name != "returned"}
        return Rhythm(**values, returned=self.returned)


def _copy_id(original, parity):
    """The id of a session or activity in the copy of a weekly activity for one parity
    of the week: negative, so it is never a real id, and different per parity."""
    return -(2 * np.asarray(original, np.int64) + parity) - EVERY_OTHER_WEEK_OFFSET


def parity_of_copy(ids):
    """The parity of the weeks a copy (``_copy_id``) holds; -1 for a real id."""
    ids = np.asarray(ids, np.int64)
    return np.where(ids < 0, (-ids - EVERY_OTHER_WEEK_OFFSET) % 2, -1)


def real_activity(ids):
    """The real activity behind an id, a copy's (``_copy_id``) or its own."""
    ids = np.asarray(ids, np.int64)
    return np.where(ids < 0, (-ids - EVERY_OTHER_WEEK_OFFSET) // 2, ids)


def _every_other_week(arrays: Arrays, rules: Rules) -> Arrays:
    """The arrays in which someone who comes to a weekly activity every other week
    follows a copy of it that holds only the sessions of their weeks.

    Their rhythm is then a fortnightly one: a missed session of their own weeks counts
    and the weeks between do not, where otherwise every session counts, at a share of
    one half, and their absence would show weeks late. Every other week: of their visit
    days at the activity, at least ``every_other_week_min_visits``, the other parity's
    count is at most a binomial tail ``every_other_week_p`` under a fair coin. A visit in
    one of the other weeks stays a visit, on a copy session that is not held for them.
    """
    if not arrays.session_ids.size or not arrays.visit_session.size:
        return arrays
    row, known = _visit_rows(arrays)
    person = arrays.visit_person[known].astype(np.int64)
    activities, s_act = np.unique(arrays.session_activity, return_inverse=True)
    day = arrays.session_day
    past = day <= arrays.as_of
    cadence = _cadence(s_act[past], day[past], activities.size, arrays.as_of)
    weekly = (cadence > 0) & (cadence < rules.slow_cadence_days)
    keep = weekly[s_act[row]] & (day[row] <= arrays.as_of)
    if not keep.any():
        return arrays
    # Distinct visit days per (person, activity), as one sorted key.
    width = np.int64(activities.size)
    span = np.int64(arrays.as_of + 2)
    pair_of_visit = person * width + s_act[row]
    visit_keys = _sorted_distinct(pair_of_visit[keep] * span + day[row[keep]])
    pair_of_key = visit_keys // span
    starts = np.r_[True, pair_of_key[1:] != pair_of_key[:-1]]
    pairs, index = pair_of_key[starts], np.cumsum(starts) - 1
    days = np.bincount(index, minlength=pairs.size)
    odd = np.bincount(index, weights=week_parity(visit_keys % span), minlength=pairs.size)
    minority = np.minimum(odd, days - odd)
    alternate = (days >= rules.every_other_week_min_visits) & (
        binom.cdf(minority, days, 0.5) <= rules.every_other_week_p
    )
    if not alternate.any():
        return arrays
    # Per (person, activity) that alternates: their parity; their visits move to the copy.
    follower_key = pairs[alternate]
    their_parity = (odd[alternate] * 2 > days[alternate]).astype(np.int64)
    at = np.searchsorted(follower_key, pair_of_visit).clip(0, follower_key.size - 1)
    moves = follower_key[at] == pair_of_visit
    v_parity = their_parity[at[moves]]
    moved_rows = row[moves]
    # The copies: every session of their parity, held as the original was, and the
    # sessions of the other weeks a follower came to, not held for them.
    copies = np.unique(follower_key % width * 2 + their_parity)
    s_copy_key = s_act.astype(np.int64) * 2 + week_parity(day)
    in_copy = np.isin(s_copy_key, copies)
    extra = np.unique(
        np.stack([moved_rows, v_parity], axis=1)[week_parity(day[moved_rows]) != v_parity], axis=0
    )
    copy_rows = np.r_[np.nonzero(in_copy)[0], extra[:, 0]]
    copy_parity = np.r_[week_parity(day[in_copy]), extra[:, 1]].astype(np.int64)
    copy_held = np.r_[arrays.session_held[in_copy], np.zeros(len(extra), bool)]
    visit_session = arrays.visit_session.copy()
    moved_at = np.nonzero(known)[0][moves]
    visit_session[moved_at] = _copy_id(arrays.session_ids[moved_rows], v_parity)
    return dataclasses.replace(
        arrays,
        session_ids=np.r_[arrays.session_ids, _copy_id(arrays.session_ids[copy_rows], copy_parity)],
        session_activity=np.r_[
            arrays.session_activity,
            _copy_id(arrays.session_activity[copy_rows], copy_parity),
        ],
        session_place=np.r_[arrays.session_place, arrays.session_place[copy_rows]],
        session_day=np.r_[arrays.session_day, arrays.session_day[copy_rows]],
        session_held=np.r_[arrays.session_held, copy_held],
        visit_session=visit_session,
    )


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


def _visit_rows(arrays: Arrays) -> tuple[np.ndarray, np.ndarray]:
    """Per visit whether its session is among the arrays' (``known``), and for the known
    ones the row of their session."""
    order = np.argsort(arrays.session_ids, kind="stable")
    sorted_ids = arrays.session_ids[order]
    count = arrays.visit_session.size
    if sorted_ids.size and count:
        pos = np.searchsorted(sorted_ids, arrays.visit_session).clip(0, sorted_ids.size - 1)
        known = sorted_ids[pos] == arrays.visit_session
    else:
        pos, known = np.zeros(count, np.int64), np.zeros(count, bool)
    return order[pos[known]], known


def _cadence(activity: np.ndarray, day: np.ndarray, size: int, as_of: int) -> np.ndarray:
    """Per activity the days between its sessions on average (0 with one session)."""
    first, last = _first_and_last(activity, day, size, as_of)
    return (last - first) / np.maximum(np.bincount(activity, minlength=size) - 1, 1)


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


def _longest_gaps(distinct_days: np.ndarray, span: np.int64, size: int) -> np.ndarray:
    """Per pair, the most days between two of its visit days (0 with one visit day).

    ``distinct_days`` are the sorted keys ``pair * span + day``.
    """
    longest = np.zeros(size, np.int64)
    if distinct_days.size > 1:
        pair = distinct_days // span
        same = pair[1:] == pair[:-1]
        gaps = np.diff(distinct_days)[same]
        np.maximum.at(longest, pair[1:][same], gaps)
    return longest


def _own_rate_surprise(first_seen, last_seen, visit_days, days_since) -> np.ndarray:
    """-log of the chance of no visit in ``days_since`` days at their own rate.

    A visitor without a session rhythm comes now and then: after ``n`` gaps in ``T``
    days the rate of visits is Gamma(n, T) (no prior), so the chance of a gap of at
    least ``t`` days is ``(T / (T + t)) ** n`` (Lomax), wider than exp(-n t / T) for
    someone seen only a few times.
    """
    gaps = np.maximum(visit_days - 1, 0).astype(float)
    observed = np.maximum(last_seen - first_seen, 1).astype(float)
    return gaps * np.log1p(np.maximum(days_since, 0) / observed)


def _explained_until(arrays: Arrays, places, pp, last_seen) -> np.ndarray:
    """Per (person, place): the last day of the current absence someone explained by
    closing its signal (``Arrays.explained_*``), or the day of the last visit when
    nobody did. An explanation of an earlier absence, one they came back from since
    (another last visit), explains nothing now."""
    until = last_seen.copy()
    if arrays.explained_person.size == 0 or pp.size == 0:
        return until
    place_index = np.searchsorted(places, arrays.explained_place)
    known = place_index < places.size
    known[known] = places[place_index[known]] == arrays.explained_place[known]
    key = arrays.explained_person[known] * places.size + place_index[known]
    row = np.minimum(np.searchsorted(pp, key), pp.size - 1)
    current = (pp[row] == key) & (last_seen[row] == arrays.explained_last_seen[known])
    np.maximum.at(until, row[current], arrays.explained_until[known][current])
    return until


def _last_seen_anywhere(person, last_seen) -> np.ndarray:
    """Per (person, place): the person's last visit at any of the places loaded."""
    people, index = np.unique(person, return_inverse=True)
    latest = np.full(people.size, np.iinfo(np.int64).min)
    np.maximum.at(latest, index, last_seen)
    return latest[index]


def _week_totals(day, held, visits, usual, as_of: int):
    """Per session: the visits of all held sessions of its week (Monday to Sunday) in the
    region, and what their activities usually draw. A holiday or a week of snow keeps
    people at home at every place at once; hundreds of visits measure that far better
    than the handful at one session."""
    week = (day - 1) // 7  # ordinal 1 was a Monday
    counted = held & (day <= as_of)
    weeks, index = np.unique(week, return_inverse=True)
    seen = np.bincount(index, weights=visits * counted, minlength=weeks.size)
    expected = np.bincount(index, weights=usual * counted, minlength=weeks.size)
    return seen[index], expected[index]


def _week_turnout(seen, expected, rules: Rules) -> np.ndarray:
    """The region's turnout of a week, shrunk toward 1 by ``week_turnout_prior`` visitors
    and clipped like a session's turnout."""
    prior = rules.week_turnout_prior
    return np.clip((seen + prior) / (expected + prior), rules.turnout_min, rules.turnout_max)


def compute_rhythms(arrays: Arrays, rules: Rules = Rules()) -> Rhythm:
    """Every (person, place) with visits, its rhythm and how unusual the absence is.

    Per pair only: what the region as a whole says about such an absence (its returned
    absences, its dropout rate) is ``detection.region_model``, on this result.
    """
    arrays = _every_other_week(arrays, rules)
    as_of = arrays.as_of
    # Sessions sorted by (activity, day), for counting held sessions in a range of days.
    visit_row, known = _visit_rows(arrays)
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
    act_mean = act_visits / np.maximum(act_held, 1)
    week_seen, week_expected = _week_totals(
        s_key_sorted % span, held_sorted, turnout_count, act_mean[act_sorted], as_of
    )

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
    current_gap = np.cumsum(visit_days) - 1
    # Someone closed the signal of this absence ("alles goed", "ziek", ...): it counts
    # from that day on, so it must grow unusual again; "verhuisd" explains it to as_of.
    explained_until = _explained_until(arrays, places, pp, last_seen)

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
    own_usual = attended / np.maximum(act_held[pa_act], 1)  # their share of the mean
    others_mean = np.maximum(act_mean[pa_act] - own_usual, 0)
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
    counts &= ~((m_gap == current_gap[pa_pp[m_pa]]) & (m_day <= explained_until[pa_pp[m_pa]]))
    m_pa, m_session, m_gap = m_pa[counts], m_session[counts], m_gap[counts]
    # The week without them: what they usually add is not expected of the others.
    m_week = _week_turnout(
        week_seen[m_session], np.maximum(week_expected[m_session] - own_usual[m_pa], 0), rules
    )
    m_turnout = np.clip(
        (turnout_count[m_session] + prior * m_week) / (others_mean[m_pa] + prior),
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
    returned = ReturnedAbsences(
        surprise=-gap_log_q[returned_from],
        share=np.repeat(share, visit_days)[returned_from],
    )
    # The main activity: most visits, then the most recent.
    main_order = np.lexsort((pa_last, attended, pa_pp))
    grouped = pa_pp[main_order]
    last_of_group = np.r_[grouped[1:] != grouped[:-1], True] if pa.size else grouped > 0
    main_rows = np.zeros(pp.size, np.int64)
    main_rows[grouped[last_of_group]] = main_order[last_of_group]

    main_activity = activities[pa_act[main_rows]] if pa.size else main_rows
    days_since = as_of - last_seen
    unexplained_days = as_of - explained_until
    usual_missed = pp_held / np.maximum(pp_attended, 1)
    longest_gap = _longest_gaps(distinct_days, span, pp.size)
    own_rate_surprise = _own_rate_surprise(first_seen, last_seen, visit_days, unexplained_days)
    # How far apart the sessions of their main activity are (days; a weekly one: 7).
    act_cadence = _cadence(act_sorted, s_key_sorted % span, activities.size, as_of)
    main_cadence = act_cadence[pa_act[main_rows]] if pa.size else np.zeros(pp.size)
    # A small share of the sessions: of all their activities, or of their main one from
    # their first to their last visit at the place (someone who tries a few activities
    # once or twice looks well attended at each, counted from its own first visit), or
    # as days between their visits against the sessions of their main activity.
    main_span_held = (
        between(held_cum, pa_act[main_rows], first_seen, last_seen) if pa.size else main_rows
    )
    main_share = (attended[main_rows] if pa.size else main_rows) / np.maximum(main_span_held, 1)
    occasional = (
        (share < rules.occasional_share)
        | (main_share < rules.occasional_share)
        | ((main_cadence > 0) & (usual_gap * rules.occasional_share > main_cadence))
    )
    slow = main_cadence >= rules.slow_cadence_days
    enough_missed = np.where(
        slow,
        True,
        pp_missed > rules.gap_factor * usual_missed,
    )
    common = (
        (visit_days >= rules.min_visits)
        # Not seen at any place of the region for MIN_DAYS: someone who comes to another
        # meeting place still is not missing, they go elsewhere for now.
        & (as_of - _last_seen_anywhere(pp_person, last_seen) >= rules.min_days)
        & (pp_missed >= rules.min_missed)
    )
    regular_gates = common & (unexplained_days > rules.gap_factor * usual_gap) & enough_missed
    occasional_gates = (
        common
        & (unexplained_days > rules.occasional_gap_factor * usual_gap)
        & (unexplained_days > longest_gap)
    )
    gates = np.where(occasional, occasional_gates, regular_gates)
    return Rhythm(
        person=pp_person,
        place=places[pp_place] if places.size else pp_place,
        visit_days=visit_days,
        first_seen=first_seen,
        last_seen=last_seen,
        days_since=days_since,
        usual_gap=usual_gap,
        missed=pp_missed,
        explained_until=explained_until,
        usual_missed=usual_missed,
        surprise=-pp_log_q,
        share=share,
        longest_gap=longest_gap,
        occasional=occasional,
        own_rate_surprise=own_rate_surprise,
        main_activity=real_activity(main_activity),
        week_parity=parity_of_copy(main_activity),
        slow=slow,
        main_attended=attended[main_rows] if pa.size else main_rows,
        main_held=held[main_rows] if pa.size else main_rows,
        gates=gates,
        returned=returned,
    )


__all__ = [
    "Arrays",
    "ReturnedAbsences",
    "Rhythm",
    "Rules",
    "compute_rhythms",
    "real_activity",
    "week_parity",
]
