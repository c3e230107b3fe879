"""Adstock and Hill saturation against independent formulas (scipy)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import lfilter
from scipy.special import expit
from scipy.stats import weibull_min

from workbench.analysis.budget.transforms import (
    adstock,
    geometric_weights,
    hill,
    hill_derivative,
    lag_stack,
    weibull_weights,
)


def test_geometric_adstock_is_the_normalised_recursion():
    # a_t = (1 - θ) x_t + θ a_{t-1}: the infinite geometric carry-over, computed by scipy's IIR filter
    rng = np.random.default_rng(0)
    x = rng.gamma(2, 100, 80)
    theta = 0.6
    got = adstock(x, geometric_weights(theta, max_lag=400))
    want = lfilter([1 - theta], [1, -theta], x)
    np.testing.assert_allclose(got, want, rtol=1e-9)
    assert geometric_weights(theta).sum() == pytest.approx(1.0)


def test_weibull_weights_follow_scipy_pdf():
    w = weibull_weights(2.0, 3.0, max_lag=13)
    pdf = weibull_min.pdf(np.arange(1, 14), 2.0, scale=3.0)
    np.testing.assert_allclose(w, pdf / pdf.sum())
    assert np.argmax(w) > 0  # shape > 1: the effect peaks after a delay


def test_hill_is_a_logistic_in_log_spend_and_its_derivative_matches():
    x = np.linspace(1, 500, 50)
    k, s = 120.0, 1.7
    np.testing.assert_allclose(hill(x, k, s), expit(s * (np.log(x) - np.log(k))))
    assert hill(np.array([k]), k, s)[0] == pytest.approx(0.5)
    h = 1e-4
    numeric = (hill(x + h, k, s) - hill(x - h, k, s)) / (2 * h)
    np.testing.assert_allclose(hill_derivative(x, k, s), numeric, rtol=1e-5)


def test_lag_stack_shifts_with_zeros_before_the_start():
    x = np.arange(1.0, 6.0)
    st = lag_stack(x, 3)
    assert st.shape == (5, 3, 1)
    np.testing.assert_array_equal(st[:, 2, 0], [0, 0, 1, 2, 3])


def test_bad_parameters_are_named():
    with pytest.raises(ValueError, match="decay"):
        geometric_weights(1.2)
    with pytest.raises(ValueError, match="Weibull"):
        weibull_weights(0, 1)
