"""Our Weibull (right-censored MLE) and Theil–Sen fits agree with scipy's, which the app omits."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from desktop.domain.condition import _theil_sen
from desktop.services.analytics.reliability import _weibull_mle, fit_weibull


@pytest.mark.parametrize(
    ("shape", "failures", "suspensions", "seed"),
    [(2.0, 400, 100, 1), (0.7, 30, 10, 2), (3.5, 8, 3, 3), (1.0, 5, 0, 4), (1.3, 50, 200, 5)],
)
def test_weibull_mle_matches_scipy_censored_fit(shape, failures, suspensions, seed) -> None:
    rng = np.random.default_rng(seed)
    lives = 100 * rng.weibull(shape, failures + suspensions)
    failed = lives[:failures]
    # Suspensions end before the unit would have failed: right-censored times.
    censored = lives[failures:] * rng.uniform(0.2, 1.0, suspensions)
    beta, eta = _weibull_mle(failed, censored)
    data = stats.CensoredData(uncensored=failed, right=censored)
    scipy_beta, _, scipy_eta = stats.weibull_min.fit(data, floc=0)
    assert beta == pytest.approx(scipy_beta, rel=1e-4)
    assert eta == pytest.approx(scipy_eta, rel=1e-4)


def test_fisher_bounds_bracket_the_fit_on_huge_and_tiny_hours() -> None:
    rng = np.random.default_rng(7)
    for scale in (1e-3, 1e6):
        lives = scale * rng.weibull(1.8, 60)
        fit = fit_weibull("any", lives[:50], lives[50:])
        assert fit.beta_bounds is not None
        assert fit.beta_bounds[0] < fit.beta < fit.beta_bounds[1]
        assert fit.eta_bounds[0] < fit.eta_hours < fit.eta_bounds[1]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_theil_sen_matches_scipy_and_ignores_a_spike(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3600, 0, 120))
    y = 0.002 * x + 40 + rng.normal(0, 0.3, 120)
    y[17] = 1e4  # one wild reading
    slope, intercept = _theil_sen(x, y)
    scipy_slope, scipy_intercept, _, _ = stats.theilslopes(y, x)
    assert slope == pytest.approx(scipy_slope, rel=1e-12)
    assert intercept == pytest.approx(scipy_intercept, rel=1e-12)
    assert slope == pytest.approx(0.002, rel=0.1)
