"""The BG/NBD model against the paper's CDNOW estimates, simulation and direct integrals."""

import csv
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, special

from omzien.signals import bgnbd

# Fader, Hardie & Lee (2005), section 4: 2,357 CDNOW customers, 39 weeks of calibration.
PAPER = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PAPER_LOG_LIKELIHOOD = -9582.4


def cdnow_path() -> Path | None:
    """The CDNOW summary that the Lifetimes package ships (a dev extra); not imported,
    because its __init__ pulls in pandas and autograd."""
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "cdnow_customers_summary.csv"
    return path if path.exists() else None


@pytest.fixture(scope="module")
def cdnow():
    path = cdnow_path()
    if path is None:
        pytest.skip("the CDNOW data comes with the Lifetimes package: pip install -e '.[dev]'")
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = {
        name: np.array([float(row[name]) for row in rows]) for name in ("frequency", "recency", "T")
    }
    return columns["frequency"], columns["recency"], columns["T"]


@pytest.fixture(scope="module")
def cdnow_fit(cdnow):
    return bgnbd.fit(*cdnow)


def simulate(rng, n, params, T, future=0.0):
    """People from the BG/NBD story, all first seen at time 0 and watched until T.

    lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b); visits come as a Poisson process and
    after each repeat visit the person stops for good with probability p. Returns
    (x, t_x, T, alive at T, number of visits in (T, T + future]).
    """
    r, alpha, a, b = params
    T = np.broadcast_to(np.asarray(T, float), (n,)).copy()
    rate = rng.gamma(r, 1 / alpha, n)
    dropout = rng.beta(a, b, n)
    now = np.zeros(n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    later = np.zeros(n)
    going = np.ones(n, bool)
    alive_at_t = np.ones(n, bool)
    while going.any():
        who = np.flatnonzero(going)
        now[who] += rng.exponential(1 / rate[who])
        stop = now[who] > T[who] + future
        going[who[stop]] = False
        who = who[~stop]
        before = now[who] <= T[who]
        x[who[before]] += 1
        t_x[who[before]] = now[who[before]]
        later[who[~before]] += 1
        gone = rng.random(who.size) < dropout[who]
        going[who[gone]] = False
        alive_at_t[who[gone & before]] = False
    return x, t_x, T, alive_at_t, later


# --- The paper's CDNOW figures ---------------------------------------------------------


def test_cdnow_data_is_the_papers_sample(cdnow):
    frequency, recency, T = cdnow
    assert frequency.size == 2357
    assert T.max() == pytest.approx(38.86)  # weeks: the 39-week calibration period
    assert np.all(recency <= T)
    assert np.all(recency[frequency == 0] == 0)


def test_fit_reproduces_the_published_cdnow_estimates(cdnow_fit):
    fitted = {name: getattr(cdnow_fit, name) for name in PAPER}
    # The paper gives three decimals: the fit must round to exactly those figures.
    assert {name: round(value, 3) for name, value in fitted.items()} == PAPER
    assert round(cdnow_fit.log_likelihood, 1) == PAPER_LOG_LIKELIHOOD
    assert cdnow_fit.converged


def test_log_likelihood_at_the_published_estimates(cdnow, cdnow_fit):
    at_paper = bgnbd.log_likelihood(tuple(PAPER.values()), *cdnow)
    assert at_paper == pytest.approx(PAPER_LOG_LIKELIHOOD, abs=0.05)
    assert bgnbd.log_likelihood(cdnow_fit.as_array(), *cdnow) >= at_paper
    assert bgnbd.log_likelihood(cdnow_fit, *cdnow) == pytest.approx(cdnow_fit.log_likelihood)


def test_fit_does_not_depend_on_the_start(cdnow, cdnow_fit):
    other = bgnbd.fit(*cdnow, initial=(2.0, 20.0, 0.2, 10.0))
    assert other.as_array() == pytest.approx(cdnow_fit.as_array(), rel=1e-4)


def test_conditional_expectation_matches_fader_and_hardies_spreadsheet(cdnow_fit):
    # Fader & Hardie's BG/NBD spreadsheet: a customer with 2 repeat purchases, the last at
    # week 30.43 of 38.86, is expected to buy 1.226 times in the next 39 weeks.
    assert round(float(bgnbd.expected_transactions(cdnow_fit, 39, 2, 30.43, 38.86)), 3) == 1.226


def test_p_alive_on_cdnow_customers(cdnow, cdnow_fit):
    frequency, recency, T = cdnow
    alive = bgnbd.p_alive(cdnow_fit, frequency, recency, T)
    assert alive.shape == frequency.shape
    assert np.all((alive > 0) & (alive <= 1))
    assert np.all(alive[frequency == 0] == 1)
    # Five repeat purchases, the last a week before the end: probably still a customer
    # (the model keeps a chance of having stopped right after it); the same five all in
    # the first five weeks and nothing since: almost certainly gone.
    assert bgnbd.p_alive(cdnow_fit, 5, 38.0, 38.86) == pytest.approx(0.879, abs=1e-3)
    assert bgnbd.p_alive(cdnow_fit, 5, 5.0, 38.86) < 0.01


# --- Against direct computation ---------------------------------------------------------


def test_log_likelihood_matches_equation_6_in_natural_space():
    r, alpha, a, b = 0.8, 3.0, 1.3, 2.5
    people = [(0, 0.0, 20.0), (1, 4.0, 20.0), (6, 17.5, 30.0)]
    total = 0.0
    for x, t_x, T in people:
        gamma_part = special.gamma(r + x) * alpha**r / special.gamma(r)
        active = special.beta(a, b + x) / special.beta(a, b) * gamma_part / (alpha + T) ** (r + x)
        stopped = (
            special.beta(a + 1, b + x - 1)
            / special.beta(a, b)
            * gamma_part
            / (alpha + t_x) ** (r + x)
            if x > 0
            else 0.0
        )
        total += np.log(active + stopped)
    x, t_x, T = map(np.array, zip(*people, strict=True))
    assert bgnbd.log_likelihood((r, alpha, a, b), x, t_x, T) == pytest.approx(total, rel=1e-12)


def test_gradient_used_by_the_fit_is_the_gradient(cdnow):
    data = bgnbd._Data(*map(np.asarray, cdnow), merge_rows=True)
    for point in ([0.5, 3.0, 1.2, 2.0], [0.243, 4.414, 0.793, 2.426], [2.0, 0.5, 4.0, 0.7]):
        log_point = np.log(point)
        error = optimize.check_grad(
            lambda p: bgnbd._negative_ll_and_gradient(p, data)[0],
            lambda p: bgnbd._negative_ll_and_gradient(p, data)[1],
            log_point,
        )
        scale = np.linalg.norm(bgnbd._negative_ll_and_gradient(log_point, data)[1])
        assert error < 1e-5 * max(scale, 1.0)


def expectation_by_integration(params, t, x, t_x, T):
    """E[visits in (T, T+t] | x, t_x, T] by integrating over the posterior of p.

    Given lambda and p and still active at T, the expected number of visits in the next t
    is (1 - exp(-lambda p t)) / p. Integrating lambda out against its Gamma(r, alpha) prior
    is a Gamma integral: E[lambda^x e^(-lambda s)] is proportional to (alpha + s)^-(r+x).
    What is left, an integral over p against its Beta(a, b) prior, is done numerically
    (quad with the algebraic weight p^(a-1) (1-p)^(b-1)): no hypergeometric function.
    """
    r, alpha, a, b = params
    power = r + x

    def active_and_future(p):
        # (1 - p)^x / p * [1 - ((alpha + T) / (alpha + T + p t))^(r + x)]
        if p == 0:  # the limit; quad's weighted rule evaluates the end points
            return power * t / (alpha + T)
        return (1 - p) ** x * -np.expm1(power * np.log1p(-p * t / (alpha + T + p * t))) / p

    def active_or_stopped(p):
        stopped = p * (1 - p) ** (x - 1) * ((alpha + T) / (alpha + t_x)) ** power if x else 0
        return (1 - p) ** x + stopped

    options = {"weight": "alg", "wvar": (a - 1, b - 1), "epsabs": 0, "epsrel": 1e-11}
    return (
        integrate.quad(active_and_future, 0, 1, **options)[0]
        / integrate.quad(active_or_stopped, 0, 1, **options)[0]
    )


@pytest.mark.parametrize(
    ("params", "case"),
    [
        ((0.243, 4.414, 0.793, 2.426), (39, 2, 30.43, 38.86)),
        ((0.243, 4.414, 0.793, 2.426), (10, 0, 0.0, 20.0)),
        ((1.5, 3.0, 2.5, 8.0), (52, 30, 50.0, 52.0)),
        ((1.5, 3.0, 2.5, 8.0), (52, 5, 10.0, 52.0)),
        ((0.8, 10.0, 1.0, 3.0), (100, 60, 99.0, 100.0)),  # a = 1: the formula's 0/0
        ((0.8, 10.0, 1.000003, 3.0), (39, 2, 30.43, 38.86)),
    ],
)
def test_expected_transactions_matches_numerical_integration(params, case):
    t, x, t_x, T = case
    expected = expectation_by_integration(params, t, x, t_x, T)
    assert float(bgnbd.expected_transactions(params, t, x, t_x, T)) == pytest.approx(
        expected, rel=1e-7
    )


def test_expected_transactions_broadcasts_and_starts_at_zero():
    params = (0.5, 5.0, 0.8, 2.5)
    x, t_x, T = np.array([0, 3, 10]), np.array([0.0, 10.0, 40.0]), np.array([40.0, 40.0, 40.0])
    assert bgnbd.expected_transactions(params, 0, x, t_x, T) == pytest.approx(0)
    week, year = (bgnbd.expected_transactions(params, t, x, t_x, T) for t in (1, 52))
    assert week.shape == year.shape == (3,)
    assert np.all(year > week)
    assert bgnbd.expected_transactions(params, np.array([1.0, 52.0]), 3, 10.0, 40.0) == (
        pytest.approx([week[1], year[1]])
    )


# --- Against simulation -----------------------------------------------------------------


def standard_errors(fitted, x, t_x, T):
    """Standard errors of the log-parameters from the observed information (the Hessian of
    the negative log-likelihood, by central differences of the analytic gradient)."""
    data = bgnbd._Data(x, t_x, T, merge_rows=True)
    point = np.log(fitted.as_array())
    step = 1e-5
    hessian = np.empty((4, 4))
    for i in range(4):
        shift = np.zeros(4)
        shift[i] = step
        up = bgnbd._negative_ll_and_gradient(point + shift, data)[1]
        down = bgnbd._negative_ll_and_gradient(point - shift, data)[1]
        hessian[i] = (up - down) / (2 * step) * data.total
    hessian = (hessian + hessian.T) / 2
    return np.sqrt(np.diag(np.linalg.inv(hessian)))


@settings(max_examples=10, deadline=None, derandomize=True)
@given(
    r=st.floats(0.25, 3.0),
    mean_rate=st.floats(0.1, 1.5),  # visits per week while active
    a=st.floats(0.4, 3.0),
    b=st.floats(1.0, 8.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_fit_recovers_the_parameters_of_simulated_people(r, mean_rate, a, b, seed):
    rng = np.random.default_rng(seed)
    truth = np.array([r, r / mean_rate, a, b])
    T = rng.uniform(26, 78, 20_000)  # first seen at different times in the last 1.5 years
    x, t_x, T, _, _ = simulate(rng, 20_000, truth, T)
    fitted = bgnbd.fit(x, t_x, T)
    assert fitted.converged
    # The maximum is at least as likely as the truth ...
    assert fitted.log_likelihood >= bgnbd.log_likelihood(truth, x, t_x, T) - 1e-6
    # ... and the truth lies within 4.5 standard errors of it, on the log scale.
    errors = standard_errors(fitted, x, t_x, T)
    z = np.abs(np.log(fitted.as_array()) - np.log(truth)) / errors
    assert np.all(z < 4.5), (fitted, truth, errors)


def test_fit_recovers_cdnow_like_parameters_closely():
    rng = np.random.default_rng(20050424)
    truth = np.array([0.243, 4.414, 0.793, 2.426])
    x, t_x, T, _, _ = simulate(rng, 20_000, truth, rng.uniform(27, 39, 20_000))
    fitted = bgnbd.fit(x, t_x, T)
    assert fitted.as_array() == pytest.approx(truth, rel=0.15)


def test_p_alive_and_expectation_agree_with_simulated_futures():
    """Averaged over people, P(alive) is the share still active at T and the conditional
    expectation is the mean number of visits that followed (law of total expectation)."""
    rng = np.random.default_rng(7)
    params = (0.6, 4.0, 0.9, 3.0)
    n = 40_000
    x, t_x, T, alive, later = simulate(rng, n, params, rng.uniform(20, 60, n), future=26.0)
    probability = bgnbd.p_alive(params, x, t_x, T)
    assert probability.mean() == pytest.approx(alive.mean(), abs=4 * np.sqrt(0.25 / n))
    expectation = bgnbd.expected_transactions(params, 26.0, x, t_x, T)
    assert expectation.mean() == pytest.approx(later.mean(), abs=4 * later.std() / np.sqrt(n))


def test_fit_merges_identical_people():
    rng = np.random.default_rng(3)
    x, t_x, T, _, _ = simulate(rng, 2_000, (0.5, 5.0, 0.8, 2.5), 52.0)
    once = bgnbd.fit(x, t_x, T)
    twice = bgnbd.fit(np.tile(x, 2), np.tile(t_x, 2), np.tile(T, 2))
    assert twice.as_array() == pytest.approx(once.as_array(), rel=1e-5)
    assert twice.log_likelihood == pytest.approx(2 * once.log_likelihood, rel=1e-9)


def test_fit_without_any_repeat_visit_stays_finite():
    fitted = bgnbd.fit(np.zeros(50), np.zeros(50), np.linspace(1, 50, 50))
    assert np.all(np.isfinite(fitted.as_array()))
    assert np.all(bgnbd.p_alive(fitted, np.zeros(50), np.zeros(50), np.linspace(1, 50, 50)) == 1)


# --- P(alive) as a function --------------------------------------------------------------

positive = st.floats(0.01, 50.0)


@settings(max_examples=300, deadline=None)
@given(
    r=positive,
    alpha=positive,
    a=positive,
    b=positive,
    x=st.integers(0, 500),
    recency_share=st.floats(0.0, 1.0),
    T=st.floats(0.0, 1000.0),
    extra=st.floats(0.01, 100.0),
)
def test_p_alive_is_a_probability_and_falls_while_someone_stays_away(
    r, alpha, a, b, x, recency_share, T, extra
):
    params = (r, alpha, a, b)
    t_x = recency_share * T if x > 0 else 0.0
    now = bgnbd.p_alive(params, x, t_x, T)
    later = bgnbd.p_alive(params, x, t_x, T + extra)
    assert 0.0 <= now <= 1.0
    assert 0.0 <= later <= now
    if x == 0:
        assert now == later == 1.0
    else:
        # A later last visit makes it more likely that someone is still coming.
        assert bgnbd.p_alive(params, x, min(T, t_x + extra), T) >= now


@pytest.mark.parametrize(
    ("frequency", "recency", "T"),
    [(-1, 0, 5), (1.5, 1, 5), (2, 6, 5), (2, -1, 5), (np.nan, 1, 5)],
)
def test_bad_summaries_are_refused(frequency, recency, T):
    with pytest.raises(ValueError):
        bgnbd.p_alive((1, 1, 1, 1), frequency, recency, T)


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        bgnbd.log_likelihood((0.5, 0.0, 1, 1), [1], [1], [2])
    with pytest.raises(ValueError):
        bgnbd.fit([], [], [])
