"""Calibrating the signals' probability on the region's own follow-ups (pure numpy/scipy).

Every closed signal says how it ended (``signals.models.Outcome``): the region's own
labels of whether the person had really stopped coming. Once there are enough of them,
a logistic regression of "really stopped" on the model's probability gives the
probability the follow-ups bear out: still rising with the model's (a higher estimate
never becomes a lower chance), but at the level the region observed. The fit is beta
calibration (Kull, Silva Filho and Flach, 2017): ``sigmoid(a ln p - b ln(1 - p) + c)``
with a, b >= 0, three numbers, which holds the identity (a well-calibrated model stays as
it is) and the usual overconfidence (``p ** 2`` and the like). An isotonic regression,
the first fit here, follows the noise of a few hundred labels in steps: on the quality
benchmark's people it missed the weekly 0.2-0.4 band by 13 points where this misses it
by 1-9 (benchmarks/RESULTS.md, "beta calibration"). A fit is made per
kind of rhythm, since a weekly regular's 0.6 and a monthly visitor's 0.6 need not mean
the same; a region (or a kind) without enough labels keeps the model's probability.

Nothing here reads the database (only the outcomes' names come from the models):
``label`` maps an outcome to 1, 0 or None, ``fit`` makes a :class:`Calibration` from
arrays, and ``reliability`` says per band how the probabilities compare with what
happened (the benchmark's reliability table).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from omzien.signals.models import Outcome

# How a closed signal ended, as a label for "had really stopped coming": stopped on
# purpose or moved is a dropout; seen again, all fine, or ill or away for a while is
# not. Help needed, referred, no contact or other say nothing about coming back, so they
# teach nothing about this probability and are left out.
DROPPED_OUT = frozenset({Outcome.MOVED})
STAYED = frozenset({Outcome.SEEN_AGAIN, Outcome.ALL_FINE, Outcome.ILL_OR_AWAY})

# The reliability table's bands of probability (lower bounds; the last runs to 1).
BANDS = (0.0, 0.2, 0.4, 0.6, 0.8)


def label(outcome: str) -> int | None:
    """1: had dropped out; 0: had not; None: the outcome does not tell."""
    if outcome in DROPPED_OUT:
        return 1
    if outcome in STAYED:
        return 0
    return None


@dataclass(frozen=True)
class Calibration:
    """A monotone map from the model's probability to the observed share of dropouts:
    linear between the knots (the fitted blocks' mean probability and value), flat
    outside them."""

    knots: tuple[float, ...]
    values: tuple[float, ...]
    labels: int  # how many follow-ups it was fitted on

    def __call__(self, probability):
        """The calibrated probability (a number, or an array of them)."""
        return np.interp(probability, self.knots, self.values)

    def as_json(self) -> dict:
        return {"knots": list(self.knots), "values": list(self.values), "labels": self.labels}

    @classmethod
    def from_json(cls, data: dict) -> Calibration:
        knots, values = tuple(map(float, data["knots"])), tuple(map(float, data["values"]))
        if not knots or len(knots) != len(values) or list(knots) != sorted(knots):
            raise ValueError("a calibration needs as many values as rising knots")
        return cls(knots=knots, values=values, labels=int(data["labels"]))


# The fitted curve is kept as this many knots over the probabilities it was fitted on
# (linear between them: within a thousandth of the smooth curve).
KNOTS = 41
# Probabilities of exactly 0 or 1 are moved this far inside, for their logarithms.
EDGE = 1e-6


def fit(probabilities, labels, *, min_labels: int) -> Calibration | None:
    """The beta calibration of ``labels`` (0/1) on ``probabilities``; None with fewer
    than ``min_labels`` labels, or with only one kind of label (nothing to tell apart).
    Below and above the probabilities it was fitted on, the curve is flat."""
    p = np.asarray(probabilities, dtype=float)
    y = np.asarray(labels, dtype=float)
    if p.shape != y.shape or p.ndim != 1:
        raise ValueError("one label per probability")
    if len(p) < max(min_labels, 1) or y.min() == y.max():
        return None
    if np.any((p < 0) | (p > 1)) or np.any((y != 0) & (y != 1)):
        raise ValueError("probabilities lie in [0, 1] and labels are 0 or 1")
    # Equal probabilities are one point with the mean label and their weight, so ties
    # cannot make the fit depend on the order the signals came in.
    points, inverse, weights = np.unique(p, return_inverse=True, return_counts=True)
    observed = np.bincount(inverse, weights=y) / weights
    coefficients = _beta_coefficients(points, observed, weights)
    knots = np.unique(np.linspace(points[0], points[-1], KNOTS))
    values = _beta_curve(coefficients, knots)
    return Calibration(
        knots=tuple(map(float, knots)), values=tuple(map(float, values)), labels=len(p)
    )


def _features(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, EDGE, 1 - EDGE)
    return np.column_stack([np.log(p), -np.log1p(-p), np.ones_like(p)])


def _beta_curve(coefficients: np.ndarray, p: np.ndarray) -> np.ndarray:
    return expit(_features(p) @ coefficients)


def _beta_coefficients(points, observed, weights) -> np.ndarray:
    """(a, b, c) of the weighted maximum likelihood, with a, b >= 0 (rising in p)."""
    features = _features(points)

    def minus_log_likelihood(coefficients):
        z = features @ coefficients
        loss = np.sum(weights * (np.logaddexp(0, z) - observed * z))
        gradient = features.T @ (weights * (expit(z) - observed))
        return loss, gradient

    result = minimize(
        minus_log_likelihood,
        np.array([1.0, 1.0, 0.0]),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0, None), (0, None), (None, None)],
    )
    return result.x


@dataclass(frozen=True)
class Band:
    lower: float
    upper: float
    signals: int
    mean_probability: float | None  # None: an empty band
    observed: float | None  # the share that had really dropped out

    @property
    def gap(self) -> float | None:
        """How far the probabilities are from what happened (absolute, 0-1)."""
        if self.mean_probability is None:
            return None
        return abs(self.mean_probability - self.observed)


def reliability(probabilities, labels, bands=BANDS) -> list[Band]:
    """Per band of probability: how many signals, their mean probability, and the
    observed share of dropouts among them."""
    p = np.asarray(probabilities, dtype=float)
    y = np.asarray(labels, dtype=float)
    uppers = (*bands[1:], 1.0)
    rows = []
    for lower, upper in zip(bands, uppers, strict=True):
        inside = (p >= lower) & ((p < upper) | ((upper == 1.0) & (p <= 1.0)))
        count = int(inside.sum())
        rows.append(
            Band(
                lower=lower,
                upper=upper,
                signals=count,
                mean_probability=float(p[inside].mean()) if count else None,
                observed=float(y[inside].mean()) if count else None,
            )
        )
    return rows
