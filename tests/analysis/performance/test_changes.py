"""A month is flagged only beyond its seasonal, trend-aware expectation; the test's reach is stated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from workbench.analysis.performance.changes import change_flags, expectation

# Retail seasonality of issue 16: November +25 %, December +45 %, January −20 %.
PEAKED = np.array([0.8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.25, 1.45])


def _months(n: int, start: str = "2022-01") -> pd.PeriodIndex:
    return pd.period_range(start, periods=n, freq="M")


def _series(rng, n=37, sd=0.05, season=PEAKED, start="2022-02"):
    idx = _months(n, start)
    factor = season[[p.month - 1 for p in idx]]
    return pd.Series(1000 * 1.005 ** np.arange(n) * factor * np.exp(rng.normal(0, sd, n)), index=idx)


def _yoy(s: pd.Series) -> np.ndarray:
    return np.log(s.to_numpy()[12:] / s.to_numpy()[:-12])


def test_expectation_matches_statsmodels_ols_prediction_interval():
    # the expected change is an intercept-only regression on the 11 earlier year-over-year changes
    rng = np.random.default_rng(1)
    r = _yoy(_series(rng))[-12:-1]
    got = expectation(r, alpha=0.05)
    frame = sm.OLS(r, np.ones((11, 1))).fit().get_prediction(np.ones((1, 1))).summary_frame(alpha=0.05)
    assert got["expected"] == pytest.approx(frame["mean"].iloc[0], rel=1e-10)
    assert got["expected"] - got["half_width"] == pytest.approx(frame["obs_ci_lower"].iloc[0], rel=1e-10)
    assert got["expected"] + got["half_width"] == pytest.approx(frame["obs_ci_upper"].iloc[0], rel=1e-10)


def test_p_value_equals_the_t_test_of_a_one_month_dummy_in_statsmodels():
    # the studentised prediction error is the t statistic of an indicator for the tested month
    rng = np.random.default_rng(2)
    s = _series(rng)
    s.iloc[-1] *= 1.3
    res = change_flags(s.to_frame("sessions"), s.index[-1]).iloc[0]
    r = _yoy(s)[-12:]
    ols = sm.OLS(r, np.column_stack([np.ones(12), np.r_[np.zeros(11), 1.0]])).fit()
    assert res["p_value"] == pytest.approx(ols.pvalues[-1], rel=1e-8)
    assert res["vs_expected"] == pytest.approx(np.expm1(ols.params[-1]), rel=1e-8)
    assert res["expected"] == pytest.approx(s.iloc[-13] * np.exp(ols.params[0]), rel=1e-8)
    assert res["flag"] and res["mom_change"] == pytest.approx(s.iloc[-1] / s.iloc[-2] - 1)
    assert res["yoy_change"] == pytest.approx(s.iloc[-1] / s.iloc[-13] - 1)


def test_growth_that_slows_down_is_read_against_the_recent_pace():
    # a start-up ramp (growth halving every year) with peaked retail seasonality: no false flag
    rng = np.random.default_rng(9)
    idx = _months(40, "2022-01")
    level = np.cumsum(0.08 * 0.5 ** (np.arange(40) / 12))
    s = pd.Series(1000 * np.exp(level) * PEAKED[idx.month - 1] * np.exp(rng.normal(0, 0.03, 40)), index=idx)
    res = change_flags(s.to_frame("revenue"), s.index[-1]).iloc[0]
    assert not res["flag"] and res["detectable"] < 0.3


def test_seasonal_january_is_not_flagged_and_false_flags_stay_at_alpha():
    # issue 16: January's seasonal drop was flagged in 99.6 % of no-change series
    rng = np.random.default_rng(7)
    flags = [change_flags(_series(rng).to_frame("revenue"), "2025-02", alpha=0.01)["flag"].iloc[0] for _ in range(250)]
    januaries = [
        change_flags(_series(rng, n=36, start="2022-02").to_frame("r"), "2025-01", alpha=0.01)["flag"].iloc[0]
        for _ in range(250)
    ]
    # binomial(250, 0.01): mean 2.5, P(X > 9) < 1e-3
    assert sum(flags) <= 9 and sum(januaries) <= 9, (sum(flags), sum(januaries))


def test_stated_detectable_change_is_caught_about_as_often_as_promised():
    rng = np.random.default_rng(11)
    hits, sizes = [], []
    for _ in range(200):
        s = _series(rng)
        size = change_flags(s.to_frame("x"), s.index[-1])["detectable"].iloc[0]  # from the history only
        s.iloc[-1] *= 1 + size
        hits.append(change_flags(s.to_frame("x"), s.index[-1])["flag"].iloc[0])
        sizes.append(size)
    # the stated size is the change caught with 80 % probability at this length and noise (5 % a month)
    assert 0.7 <= np.mean(hits) <= 0.9, np.mean(hits)
    assert 0.2 < np.median(sizes) < 0.45


def test_share_with_zero_uses_differences_and_short_history_is_not_tested():
    rng = np.random.default_rng(3)
    share = pd.Series(np.clip(0.2 + rng.normal(0, 0.01, 30), 0, 1), index=_months(30))
    share.iloc[5] = 0.0  # a share can be 0: differences, not log ratios
    share.iloc[-1] = 0.3
    res = change_flags(share.to_frame("organic_share"), share.index[-1]).iloc[0]
    assert res["scale"] == "difference" and res["vs_expected"] == pytest.approx(0.3 - res["expected"])
    assert res["flag"] and res["history_months"] == 29
    short = change_flags(share.iloc[:20].to_frame("x"), share.index[19]).iloc[0]
    assert not short["flag"] and "not tested: 19 months of history (< 23" in short["note"]
    assert np.isnan(short["p_value"]) and short["mom_change"] == pytest.approx(share.iloc[19] - share.iloc[18])


def test_bad_inputs():
    s = pd.Series([1.0, 2.0, 3.0], index=_months(3))
    with pytest.raises(ValueError, match="outside"):
        change_flags(s, "2030-01")
    with pytest.raises(ValueError, match="alpha must be between 0 and 1"):
        change_flags(s, "2022-02", alpha=3.5)
    with pytest.raises(ValueError, match="indexed by month"):
        change_flags(pd.Series([1.0, 2.0]), 1)


def test_fixed_seasonal_shape_and_constant_growth_do_not_change_the_test():
    """On the log scale the year-over-year change removes any fixed seasonal shape and a constant
    growth rate exactly: the same noise gives the same p-values whatever the shape and growth."""
    rng = np.random.default_rng(16)
    idx = _months(48, "2021-01")
    noise = np.exp(rng.normal(0, 0.05, (48, 20)))
    smooth = 1 + 0.15 * np.sin(2 * np.pi * np.arange(12) / 12)
    pvals = []
    for shape, growth in ((np.ones(12), 1.0), (PEAKED, 1.005), (smooth, 1.02)):
        level = 1000 * growth ** np.arange(48) * shape[idx.month - 1]
        frame = pd.DataFrame(level[:, None] * noise, index=idx)
        pvals.append(np.array([change_flags(frame, m)["p_value"].to_numpy() for m in idx[36:]]))
    np.testing.assert_allclose(pvals[1], pvals[0], rtol=1e-9)
    np.testing.assert_allclose(pvals[2], pvals[0], rtol=1e-9)


def test_a_drifting_growth_rate_is_not_removed():
    """The limit stated in the docstring: a growth rate that keeps changing shifts the year-over-year
    change away from the mean of the 11 before it, so the same noise gives other p-values."""
    rng = np.random.default_rng(16)
    idx = _months(48, "2021-01")
    noise = rng.normal(0, 0.05, 48)
    steady = pd.DataFrame({"x": np.exp(np.log(1000) + 0.005 * np.arange(48) + noise)}, index=idx)
    growth = -0.01 + 0.03 * np.arange(48) / 47
    drifting = pd.DataFrame({"x": np.exp(np.log(1000) + np.cumsum(growth) + noise)}, index=idx)
    p_steady = change_flags(steady, idx[-1])["p_value"].iloc[0]
    p_drifting = change_flags(drifting, idx[-1])["p_value"].iloc[0]
    assert abs(p_drifting - p_steady) > 1e-3
