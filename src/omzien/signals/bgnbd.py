"""The BG/NBD model of repeat visits (Fader, Hardie & Lee 2005).

"Counting your customers the easy way: an alternative to the Pareto/NBD model",
Marketing Science 24(2), 275-284. Each person visits as a Poisson process with rate
lambda while active and, after each repeat visit, stops for good with probability p.
Across people lambda ~ Gamma(r, alpha) (alpha a rate) and p ~ Beta(a, b).

A person is summarised by three numbers, all measured from their first visit:

- ``frequency`` x: the number of repeat visits (visits after the first),
- ``recency`` t_x: the time of the last visit (0 when x = 0),
- ``T``: the time from the first visit to the end of the observation.

Time is unit-free (weeks in the paper); use the same unit for all three and for ``t`` in
:func:`expected_transactions`. Everything is vectorised over people and computed in log
space (equation 6 of the paper; ``gammaln`` and ``logaddexp``), so a region's 1e5 people
fit in a fraction of a second. Pure numpy/scipy: no Django here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

__all__ = ["BGNBDParams", "expected_transactions", "fit", "log_likelihood", "p_alive"]

# Fitting works on log-parameters; these bounds (e^-12 .. e^12) keep gammaln and the
# Beta terms finite when the data cannot identify a parameter (e.g. nobody came back).
_LOG_BOUND = 12.0
# expected_transactions divides by a - 1; closer to a = 1 than this it interpolates.
_NEAR_ONE = 1e-5


@dataclass(frozen=True)
class BGNBDParams:
    """Fitted BG/NBD parameters: lambda ~ Gamma(r, alpha), p ~ Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float  # total log-likelihood at the fit
    converged: bool = True  # False when the optimiser stopped without meeting its tolerance

    def as_array(self) -> np.ndarray:
        return np.array([self.r, self.alpha, self.a, self.b])


def _summary_arrays(frequency, recency, T):
    """Validated float arrays of equal shape (x, t_x, T)."""
    x = np.asarray(frequency, dtype=float)
    t_x = np.asarray(recency, dtype=float)
    big_t = np.asarray(T, dtype=float)
    x, t_x, big_t = np.broadcast_arrays(x, t_x, big_t)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(t_x)) and np.all(np.isfinite(big_t))):
        raise ValueError("frequency, recency and T must be finite numbers")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("frequency must be a whole number >= 0 (repeat visits)")
    if np.any(t_x < 0) or np.any(t_x > big_t * (1 + 1e-12) + 1e-12):
        raise ValueError("recency must lie between 0 and T")
    return x, t_x, big_t


def _params_tuple(params) -> tuple[float, float, float, float]:
    if isinstance(params, BGNBDParams):
        return params.r, params.alpha, params.a, params.b
    r, alpha, a, b = (float(value) for value in np.asarray(params, dtype=float).ravel())
    if min(r, alpha, a, b) <= 0:
        raise ValueError("r, alpha, a and b must all be positive")
    return r, alpha, a, b


class _Data:
    """People's (x, t_x, T) as fitted: identical rows merged with a weight, and the
    distinct values of x, so that the Gamma-function terms, which depend on x alone, are
    computed once per distinct x (a few hundred at most) instead of once per person."""

    def __init__(self, x, t_x, big_t, merge_rows: bool):
        if merge_rows:
            x, t_x, big_t = x.ravel(), t_x.ravel(), big_t.ravel()
            # Sort and mark where a row differs from the one before (np.unique with
            # axis=0 does the same several times slower).
            order = np.lexsort((big_t, t_x, x))
            x, t_x, big_t = x[order], t_x[order], big_t[order]
            new_row = np.r_[True, (np.diff(x) != 0) | (np.diff(t_x) != 0) | (np.diff(big_t) != 0)]
            starts = np.flatnonzero(new_row)
            x, t_x, big_t = x[starts], t_x[starts], big_t[starts]
            self.weights = np.diff(np.r_[starts, len(order)]).astype(float)
        else:
            x, t_x, big_t = x.ravel(), t_x.ravel(), big_t.ravel()
            self.weights = np.ones_like(x)
        self.x, self.t_x, self.big_t = x, t_x, big_t
        self.total = float(self.weights.sum())
        self.has_repeat = x > 0
        self.distinct_x, self.x_index = np.unique(x, return_inverse=True)
        # b + x - 1 only appears where x > 0; max() keeps it positive elsewhere.
        self.x_minus_one = np.maximum(x, 1) - 1

    def terms(self, r, alpha, a, b):
        """Per-person A1 + A2 and the two log-terms of the sum in equation 6."""
        xu = self.distinct_x
        a1 = special.gammaln(r + xu) - special.gammaln(r)
        # ln B(a, b + x) - ln B(a, b)
        a2 = special.gammaln(a + b) + special.gammaln(b + xu) - special.gammaln(b)
        a2 -= special.gammaln(a + b + xu)
        r_x = r + self.x
        head = (a1 + a2)[self.x_index] + r * np.log(alpha)
        a3 = -r_x * np.log(alpha + self.big_t)
        # The delta term: ln[a / (b + x - 1)] - (r + x) ln(alpha + t_x), only when x > 0.
        a4 = np.where(
            self.has_repeat,
            np.log(a) - np.log(b + self.x_minus_one) - r_x * np.log(alpha + self.t_x),
            -np.inf,
        )
        return head, a3, a4


def log_likelihood(params, frequency, recency, T) -> float:
    """Total log-likelihood of the data under params (r, alpha, a, b), equation 6."""
    r, alpha, a, b = _params_tuple(params)
    data = _Data(*_summary_arrays(frequency, recency, T), merge_rows=False)
    head, a3, a4 = data.terms(r, alpha, a, b)
    return float(np.sum(head + np.logaddexp(a3, a4)))


def _weighted_sum(weights, values) -> float:
    # Not np.dot: a threaded BLAS call costs milliseconds on a busy machine, and the
    # optimiser makes this call hundreds of times.
    return float(np.sum(weights * values))


def _negative_ll_and_gradient(log_params, data: _Data):
    """Mean negative log-likelihood and its gradient with respect to the log-parameters."""
    r, alpha, a, b = np.exp(log_params)
    head, a3, a4 = data.terms(r, alpha, a, b)
    log_sum = np.logaddexp(a3, a4)
    weights = data.weights
    ll = _weighted_sum(weights, head + log_sum)
    # Share of the second (dropped out after the last visit) term in the sum.
    share = np.exp(a4 - log_sum)  # exp(-inf) = 0 where x = 0
    first = 1.0 - share
    x = data.x
    log_alpha_t = np.log(alpha + data.big_t)
    log_alpha_tx = np.log(alpha + data.t_x)

    psi = special.digamma
    xu, index = data.distinct_x, data.x_index
    d_r_head = (psi(r + xu) - psi(r))[index] + np.log(alpha)
    d_a_head = (psi(a + b) - psi(a + b + xu))[index]
    d_b_head = (psi(a + b) + psi(b + xu) - psi(b) - psi(a + b + xu))[index]

    d_r = d_r_head - first * log_alpha_t - share * log_alpha_tx
    d_alpha = r / alpha - (r + x) * (first / (alpha + data.big_t) + share / (alpha + data.t_x))
    d_a = d_a_head + share / a
    d_b = d_b_head - share / (b + data.x_minus_one)  # share is 0 where x = 0

    gradient = np.array(
        [
            r * _weighted_sum(weights, d_r),
            alpha * _weighted_sum(weights, d_alpha),
            a * _weighted_sum(weights, d_a),
            b * _weighted_sum(weights, d_b),
        ]
    )
    return -ll / data.total, -gradient / data.total


def fit(frequency, recency, T, initial=(1.0, 1.0, 1.0, 1.0)) -> BGNBDParams:
    """Maximum-likelihood estimates of (r, alpha, a, b) for the people summarised.

    Identical (x, t_x, T) rows are fitted once with a weight (visit data in whole days
    repeat a lot), and the optimiser (L-BFGS-B with the analytic gradient) works on the
    log-parameters so they stay positive. When the data cannot identify the model (for
    instance nobody ever came back, or nobody ever stopped) estimates run towards a bound
    of e^+-12 and ``converged`` may be False.
    """
    x, t_x, big_t = _summary_arrays(frequency, recency, T)
    if x.size == 0:
        raise ValueError("cannot fit the BG/NBD model without people")
    data = _Data(x, t_x, big_t, merge_rows=True)
    start = np.log(np.asarray(_params_tuple(initial)))
    result = optimize.minimize(
        _negative_ll_and_gradient,
        start,
        args=(data,),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 4,
        options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 1000},
    )
    # L-BFGS-B may stop in its line search when the mean log-likelihood no longer
    # changes in floating point; a vanishing gradient still means the optimum is found.
    converged = bool(result.success or np.max(np.abs(result.jac)) < 1e-6)
    r, alpha, a, b = np.exp(result.x)
    return BGNBDParams(
        r=float(r),
        alpha=float(alpha),
        a=float(a),
        b=float(b),
        log_likelihood=float(-result.fun * data.total),
        converged=converged,
    )


def p_alive(params, frequency, recency, T) -> np.ndarray:
    """P(still active | x, t_x, T): 1 / (1 + delta_{x>0} a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)).

    Equation 12 of the paper (and Fader & Hardie's note on P(alive) for the BG/NBD).
    Someone who never came back (x = 0) is taken to be active: in the model, dropping
    out only happens right after a repeat visit.
    """
    r, alpha, a, b = _params_tuple(params)
    x, t_x, big_t = _summary_arrays(frequency, recency, T)
    log_odds = (
        np.log(a)
        - np.log(b + np.maximum(x, 1) - 1)
        + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x))
    )
    # 1 / (1 + e^log_odds) without overflow, 1 exactly where x = 0.
    return np.where(x > 0, special.expit(-log_odds), 1.0)


def expected_transactions(params, t, frequency, recency, T) -> np.ndarray:
    """E[number of visits in (T, T + t] | x, t_x, T], equation 10 of the paper.

    (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)]
    * P(alive), with z = t / (alpha+T+t). ``t`` broadcasts against the people. At a = 1
    the formula is 0/0; within 1e-5 of it the value is interpolated between a = 1 -/+ 1e-5
    (it is smooth in a).
    """
    r, alpha, a, b = _params_tuple(params)
    x, t_x, big_t = _summary_arrays(frequency, recency, T)
    horizon = np.asarray(t, dtype=float)
    if np.any(horizon < 0) or not np.all(np.isfinite(horizon)):
        raise ValueError("t must be a finite time >= 0")
    alive = p_alive((r, alpha, a, b), x, t_x, big_t)

    def bracket(a_value):
        z = horizon / (alpha + big_t + horizon)
        power = (r + x) * (np.log(alpha + big_t) - np.log(alpha + big_t + horizon))
        hyper = special.hyp2f1(r + x, b + x, a_value + b + x - 1, z)
        return (a_value + b + x - 1) / (a_value - 1) * (1 - np.exp(power) * hyper)

    if abs(a - 1) < _NEAR_ONE:
        low, high = bracket(1 - _NEAR_ONE), bracket(1 + _NEAR_ONE)
        expectation = low + (high - low) * (a - 1 + _NEAR_ONE) / (2 * _NEAR_ONE)
    else:
        expectation = bracket(a)
    return np.asarray(expectation * alive)
