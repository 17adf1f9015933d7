"""The calibration of the signals' probability on follow-up outcomes, on synthetic sets
whose true curve is known."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omzien.signals import calibration
from omzien.signals.calibration import Calibration, fit, label, reliability
from omzien.signals.models import Outcome


def synthetic(true_curve, n, seed=7):
    """Model probabilities spread over [0, 1] and outcomes drawn from the true curve."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0, 1, n)
    y = (rng.uniform(0, 1, n) < true_curve(p)).astype(int)
    return p, y


def test_an_overconfident_model_is_brought_to_the_observed_level():
    # The model says 0.8 where only 0.64 of the people had really stopped: q = p^2.
    p, y = synthetic(lambda p: p**2, 6000)
    fitted = fit(p, y, min_labels=200)
    for raw in (0.2, 0.5, 0.8):
        assert fitted(raw) == pytest.approx(raw**2, abs=0.06)
    # On a fresh set from the same curve, every band holds what its probabilities say,
    # within 10 percentage points; the raw model's bands do not.
    fresh_p, fresh_y = synthetic(lambda p: p**2, 6000, seed=8)
    calibrated = reliability(fitted(fresh_p), fresh_y)
    assert all(band.gap < 0.10 for band in calibrated if band.signals >= 100)
    raw = reliability(fresh_p, fresh_y)
    assert max(band.gap for band in raw if band.signals >= 100) > 0.15


def test_a_well_calibrated_model_stays_as_it_is():
    p, y = synthetic(lambda p: p, 6000)
    fitted = fit(p, y, min_labels=200)
    grid = np.linspace(0.1, 0.9, 9)
    assert np.abs(fitted(grid) - grid).max() < 0.07


def test_a_few_hundred_labels_give_the_true_curve_not_their_noise():
    # A region's first fit: 250 signals from 0.2 up (they are raised from the threshold),
    # a model about three times too sure. An isotonic regression follows these labels'
    # noise in steps (on average 0.11 off at its worst point on these six sets).
    def true_curve(p):
        return 0.35 * p**1.5

    grid = np.linspace(0.2, 0.9, 15)
    worst = []
    for seed in range(7, 13):
        rng = np.random.default_rng(seed)
        p = rng.uniform(0.2, 1, 250)
        y = (rng.uniform(0, 1, 250) < true_curve(p)).astype(int)
        fitted = fit(p, y, min_labels=200)
        worst.append(np.abs(fitted(grid) - true_curve(grid)).max())
    assert np.mean(worst) < 0.08


def test_without_enough_labels_the_model_is_kept():
    p, y = synthetic(lambda p: p, 40)
    assert fit(p, y, min_labels=50) is None
    # Only one kind of outcome: nothing to tell apart.
    assert fit([0.3, 0.5, 0.9], [0, 0, 0], min_labels=1) is None
    assert fit([], [], min_labels=0) is None


def test_ties_do_not_depend_on_the_order():
    p = [0.5, 0.5, 0.5, 0.5, 0.9, 0.9]
    first = fit(p, [1, 0, 0, 0, 1, 1], min_labels=1)
    second = fit(p, [0, 0, 1, 0, 1, 1], min_labels=1)
    assert first == second
    assert first(0.5) == pytest.approx(0.25, abs=0.01)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(st.floats(0, 1, allow_nan=False), st.integers(0, 1)), min_size=2, max_size=80
    )
)
def test_the_calibrated_probability_is_monotone_and_a_probability(pairs):
    p, y = zip(*pairs, strict=True)
    fitted = fit(p, y, min_labels=2)
    if fitted is None:
        assert len(set(y)) == 1
        return
    grid = np.linspace(0, 1, 101)
    values = fitted(grid)
    assert np.all(np.diff(values) >= -1e-12)
    assert values.min() >= 0 and values.max() <= 1


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        fit([0.2, 1.5], [0, 1], min_labels=1)
    with pytest.raises(ValueError):
        fit([0.2, 0.5], [0, 2], min_labels=1)
    with pytest.raises(ValueError):
        fit([0.2, 0.5], [0], min_labels=1)
    with pytest.raises(ValueError):
        Calibration.from_json({"knots": [0.5, 0.2], "values": [0.1, 0.2], "labels": 2})


def test_a_calibration_survives_json():
    p, y = synthetic(lambda p: p**2, 500)
    fitted = fit(p, y, min_labels=100)
    assert Calibration.from_json(fitted.as_json()) == fitted


def test_outcomes_as_labels():
    assert label(Outcome.MOVED) == 1
    assert label(Outcome.SEEN_AGAIN) == 0 and label(Outcome.ALL_FINE) == 0
    for silent in (Outcome.NEEDS_HELP, Outcome.REFERRED, Outcome.NO_CONTACT, Outcome.OTHER):
        assert label(silent) is None
    # Every outcome is decided: a new one must be placed here.
    decided = calibration.DROPPED_OUT | calibration.STAYED
    silent = {Outcome.NEEDS_HELP, Outcome.REFERRED, Outcome.NO_CONTACT, Outcome.OTHER}
    assert decided | silent == set(Outcome)


def test_reliability_bands_count_every_signal_once():
    p = [0.0, 0.19, 0.2, 0.55, 0.8, 1.0]
    y = [0, 0, 1, 1, 1, 1]
    bands = reliability(p, y)
    assert [band.signals for band in bands] == [2, 1, 1, 0, 2]
    assert bands[3].mean_probability is None and bands[3].gap is None
    assert bands[4].observed == 1.0
