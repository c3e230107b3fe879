"""BG/NBD and Gamma-Gamma against the published CDNOW results (Fader, Hardie & Lee 2005), a naive
loop likelihood written from the paper's equation, and the `lifetimes` package when installed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import approx_fprime

from workbench.analysis.customers.customer_value import (
    BGNBDFit,
    GammaGammaFit,
    bgnbd_log_likelihood,
    customer_value,
    fit_bgnbd,
    fit_gamma_gamma,
    holdout_check,
    transaction_summary,
)

CAL_END, OBS_END = "1997-09-30", "1998-06-30"


@pytest.fixture(scope="module")
def cdnow(reference_data):
    orders = pd.read_csv(reference_data / "cdnow_sample_orders.csv")
    return transaction_summary(orders, CAL_END, observation_end=OBS_END, time_unit="W"), orders


def test_summary_matches_paper_preprocessing(cdnow):
    summary, _ = cdnow
    assert len(summary) == 2357
    assert (summary["frequency"] > 0).sum() == 946  # the paper's repeat customers
    first = summary.loc["c0001"]  # Hardie's data: x=2, t_x=30.43, T=38.86
    assert (first["frequency"], round(first["recency"], 2), round(first["T"], 2)) == (2, 30.43, 38.86)
    assert summary["duration_holdout"].iloc[0] == pytest.approx(39.0)


def test_bgnbd_reproduces_published_cdnow_estimates(cdnow):
    summary, _ = cdnow
    fit = fit_bgnbd(summary["frequency"], summary["recency"], summary["T"])
    assert (round(fit.r, 3), round(fit.alpha, 3), round(fit.a, 3), round(fit.b, 3)) == (0.243, 4.414, 0.793, 2.426)
    assert round(fit.log_likelihood, 1) == -9582.4
    assert fit.converged


def test_gamma_gamma_reproduces_published_cdnow_estimates(cdnow):
    summary, _ = cdnow
    fit = fit_gamma_gamma(summary["frequency"], summary["monetary_value"])
    assert fit.n_customers == 946
    assert (round(fit.p, 2), round(fit.q, 2), round(fit.v, 2)) == (6.25, 3.74, 15.44)


def naive_bgnbd_ll(r, alpha, a, b, x, tx, T):
    """FHL (2005) eq. 6, one customer at a time with math.lgamma."""
    total = 0.0
    for xi, ti, Ti in zip(x, tx, T, strict=False):
        a1 = math.lgamma(r + xi) - math.lgamma(r) + r * math.log(alpha)
        a2 = math.lgamma(a + b) + math.lgamma(b + xi) - math.lgamma(b) - math.lgamma(a + b + xi)
        a3 = (alpha + Ti) ** -(r + xi)
        a4 = (a / (b + xi - 1)) * (alpha + ti) ** -(r + xi) if xi > 0 else 0.0
        total += a1 + a2 + math.log(a3 + a4)
    return total


def test_vectorised_likelihood_equals_naive_loop_and_gradient_is_right(cdnow):
    summary, _ = cdnow
    s = summary.iloc[::7]
    x, tx, T = s["frequency"].to_numpy(float), s["recency"].to_numpy(float), s["T"].to_numpy(float)
    params = {"r": 0.3, "alpha": 5.0, "a": 0.9, "b": 2.0}
    assert bgnbd_log_likelihood(params, x, tx, T) == pytest.approx(
        naive_bgnbd_ll(0.3, 5.0, 0.9, 2.0, x, tx, T), rel=1e-10
    )
    from workbench.analysis.customers.customer_value import _bgnbd_negll

    logp = np.log([0.3, 5.0, 0.9, 2.0])
    _, grad = _bgnbd_negll(logp, x, tx, T, np.ones_like(x), x > 0)
    numeric = approx_fprime(logp, lambda lp: _bgnbd_negll(lp, x, tx, T, np.ones_like(x), x > 0)[0], 1e-6)
    assert grad == pytest.approx(numeric, rel=1e-4, abs=1e-3)


def test_p_alive_and_expectations_edge_cases():
    fit = BGNBDFit(0.243, 4.414, 0.793, 2.426, 0.0, 0, True, 0)
    assert fit.p_alive([0], [0], [38.86])[0] == 1.0  # no repeat purchase: never observed dying
    # a customer who bought often but long ago is less likely alive than one who bought recently
    assert fit.p_alive([5], [10], [38])[0] < fit.p_alive([5], [37], [38])[0]
    assert fit.expected_purchases(0.0, [3], [20], [38])[0] == pytest.approx(0.0)
    assert fit.expected_purchases_new(0.0) == pytest.approx(0.0)


def test_summary_counts_same_day_orders_once_and_holdout_by_day():
    orders = pd.DataFrame(
        {
            "order_id": range(7),
            "customer_id": ["a", "a", "a", "a", "b", "a", "a"],
            "order_date": [
                "2025-01-01",
                "2025-01-08",
                "2025-01-08",
                "2025-01-15",
                "2025-01-29",
                "2025-02-05",
                "2025-02-05",
            ],
            "revenue": [10, 5, 7, 30, 4, 1, 1],
        }
    )
    s = transaction_summary(orders, "2025-01-29", observation_end="2025-02-12", time_unit="W")
    a = s.loc["a"]
    assert (a["frequency"], a["recency"], a["T"]) == (2, 2.0, 4.0)
    assert a["monetary_value"] == pytest.approx((12 + 30) / 2)  # repeat transactions only; same day summed
    assert (a["frequency_holdout"], a["duration_holdout"]) == (1, 2.0)
    b = s.loc["b"]
    assert (b["frequency"], b["recency"], b["T"], b["monetary_value"]) == (0, 0.0, 0.0, 0.0)


def test_gamma_gamma_conditional_spend_formula():
    gg = GammaGammaFit(6.25, 3.74, 15.44, 0.0, 0, True)
    x, m = 4.0, 30.0
    expected = (3.74 - 1) / (6.25 * x + 3.74 - 1) * (6.25 * 15.44 / (3.74 - 1)) + (6.25 * x) / (6.25 * x + 3.74 - 1) * m
    assert gg.conditional_expected_spend([x], [m])[0] == pytest.approx(expected)
    assert gg.conditional_expected_spend([0], [0])[0] == pytest.approx(6.25 * 15.44 / 2.74)


def test_clv_discounting_by_hand(cdnow):
    summary, _ = cdnow
    s = summary.iloc[:50]
    bg = BGNBDFit(0.243, 4.414, 0.793, 2.426, 0.0, 0, True, 0)
    gg = GammaGammaFit(6.25, 3.74, 15.44, 0.0, 0, True)
    out = customer_value(s, bg, gg, horizon_months=3, annual_discount_rate=0.12, margin=0.4, time_unit="W")
    x, tx, T = s["frequency"], s["recency"], s["T"]
    month = 365.25 / 12 / 7
    d = 1.12 ** (1 / 12) - 1
    manual = 0.0
    prev = 0.0
    for i in (1, 2, 3):
        cum = bg.expected_purchases(month * i, x, tx, T)
        manual = manual + (cum - prev) / (1 + d) ** i
        prev = cum
    spend = gg.conditional_expected_spend(x, s["monetary_value"])
    assert out["clv"].to_numpy() == pytest.approx(0.4 * spend * manual)
    undiscounted = customer_value(s, bg, gg, horizon_months=3, annual_discount_rate=0.0, margin=0.4)
    assert undiscounted["clv"].to_numpy() == pytest.approx(0.4 * spend * undiscounted["expected_purchases"])


def test_holdout_total_equals_independent_count(cdnow):
    summary, orders = cdnow
    fit = fit_bgnbd(summary["frequency"], summary["recency"], summary["T"])
    check = holdout_check(summary, fit).set_index("calibration_purchases")
    days = pd.to_datetime(orders["order_date"])
    hold = orders[(days > CAL_END) & (days <= OBS_END)]
    assert check.loc["total", "actual"] == hold.drop_duplicates(["customer_id", "order_date"]).shape[0]
    assert check.loc["total", "customers"] == 2357
    # the model tracks the holdout: total predicted within 15 % of actual (paper fig. 3 shows a close fit)
    assert abs(check.loc["total", "predicted"] / check.loc["total", "actual"] - 1) < 0.15


def test_bad_inputs():
    with pytest.raises(ValueError, match="recency <= T"):
        fit_bgnbd([1], [5.0], [3.0])
    with pytest.raises(ValueError, match="time_unit"):
        transaction_summary(
            pd.DataFrame({"customer_id": [1], "order_date": ["2025-01-01"], "revenue": [1]}),
            "2025-02-01",
            time_unit="Y",
        )
    with pytest.raises(ValueError, match="at least 3 customers"):
        fit_gamma_gamma([0, 0, 1], [0, 0, 5.0])


def test_against_lifetimes_when_installed(cdnow):
    lifetimes = pytest.importorskip("lifetimes", reason="lifetimes (bench extra) not installed")
    summary, _ = cdnow
    x, tx, T = summary["frequency"].to_numpy(), summary["recency"].to_numpy(), summary["T"].to_numpy()
    ours = fit_bgnbd(x, tx, T)
    ref = lifetimes.BetaGeoFitter().fit(x, tx, T)
    for key, value in ours.params().items():
        assert value == pytest.approx(ref.params_[key], abs=5e-4)
    t = 39.0
    assert ours.expected_purchases(t, x, tx, T) == pytest.approx(
        ref.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T), rel=1e-3
    )
    assert ours.p_alive(x, tx, T) == pytest.approx(ref.conditional_probability_alive(x, tx, T), rel=1e-3)
    rep = summary[summary["frequency"] > 0]
    gg_ref = lifetimes.GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
    gg = fit_gamma_gamma(summary["frequency"], summary["monetary_value"])
    assert gg.p == pytest.approx(gg_ref.params_["p"], rel=1e-3)
    assert gg.v == pytest.approx(gg_ref.params_["v"], rel=1e-3)
