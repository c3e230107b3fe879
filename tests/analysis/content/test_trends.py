"""Trends: Sen's slope against scipy, Mann-Kendall against pymannkendall, BH against statsmodels,
and the planted (sample) and real (Google Trends) facts found."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from workbench.analysis.content.trends import (
    demand_groups,
    forecast_groups,
    group_series,
    mann_kendall,
    seasonality_calendar,
    sens_slope,
    stl_decompose,
    trend_table,
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "trends" / "google_trends_diet_gym_finance_monthly.csv"


@pytest.mark.parametrize("seed", range(5))
def test_sens_slope_matches_scipy_theilslopes(seed):
    rng = np.random.default_rng(seed)
    y = np.cumsum(rng.normal(0.3, 2, 60)) + rng.standard_t(2, 60) * 5
    y[rng.integers(0, 60, 3)] = np.nan
    ok = ~np.isnan(y)
    expected = sps.theilslopes(y[ok], np.arange(60)[ok]).slope
    assert sens_slope(y) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_mann_kendall_matches_pymannkendall(seed):
    mk = pytest.importorskip("pymannkendall")
    rng = np.random.default_rng(seed)
    y = np.round(np.linspace(0, seed * 0.5, 48) + rng.normal(0, 3, 48))  # rounding makes ties
    ours, ref = mann_kendall(y), mk.original_test(y)
    assert ours.s == ref.s and ours.var_s == pytest.approx(ref.var_s)
    assert ours.z == pytest.approx(ref.z) and ours.p == pytest.approx(ref.p)
    assert ours.trend == ref.trend


def test_mann_kendall_hand_worked_example():
    # y = 1, 3, 2, 4: pairs (1,3)+ (1,2)+ (1,4)+ (3,2)- (3,4)+ (2,4)+ -> S = 4; Var = 4*3*13/18 = 8.667
    r = mann_kendall([1, 3, 2, 4])
    assert r.s == 4 and r.var_s == pytest.approx(26 / 3)
    assert r.z == pytest.approx(3 / np.sqrt(26 / 3))


def test_stl_components_add_up_and_match_statsmodels():
    from statsmodels.tsa.seasonal import STL

    idx = pd.period_range("2020-01", periods=48, freq="M")
    y = pd.Series(100 + 20 * np.cos(2 * np.pi * (idx.month - 6) / 12) + np.arange(48), index=idx)
    dec = stl_decompose(y)
    ref = STL(y.to_numpy(), period=12, robust=True).fit()
    np.testing.assert_allclose(dec["seasonal"], ref.seasonal)
    np.testing.assert_allclose(dec["trend"] + dec["seasonal"] + dec["resid"], y)
    with pytest.raises(ValueError, match="at least 24 months"):
        stl_decompose(y.iloc[:20])


def test_bh_adjustment_matches_statsmodels(content_sample):
    from statsmodels.stats.multitest import multipletests

    table = trend_table(group_series(content_sample["demand"]))
    np.testing.assert_allclose(table["p_adjusted"], multipletests(table["p_value"], method="fdr_bh")[1])


def test_planted_rising_falling_and_seasonal_groups(content_sample):
    truth = content_sample["truth"]
    wide = group_series(content_sample["demand"])
    table = trend_table(wide).set_index("group")
    assert table.loc[truth["rising_group"], "direction"] == "rising"
    assert table.loc[truth["rising_group"], "relative_slope_per_year"] > 0.2
    assert table.loc[truth["falling_group"], "direction"] == "falling"
    assert table.loc["палатка", "direction"] == "flat"  # planted without growth
    peaks = seasonality_calendar(wide).attrs["peaks"]
    assert peaks["палатка"][0] == truth["seasonal_peaks"]["палатка"]
    assert truth["seasonal_peaks"]["горнолыжный"] in peaks["горнолыжный"][:3]


def test_demand_groups_use_head_terms_not_intent_words():
    groups = demand_groups(["купить палатку", "как выбрать палатку", "палатки цена", "термобелье купить"])
    assert set(groups.values()) == {"палатка", "термобелье"}


def test_forecast_has_intervals_around_the_mean(content_sample):
    wide = group_series(content_sample["demand"])
    fc = forecast_groups(wide, horizon=12, groups=["палатка"])
    assert len(fc) == 12 and (fc["lower"] < fc["mean"]).all() and (fc["mean"] < fc["upper"]).all()
    june = fc[fc["month"].dt.month == 6]["mean"].iloc[0]
    january = fc[fc["month"].dt.month == 1]["mean"].iloc[0]
    assert june > 2 * january  # the season carries into the forecast


def test_real_google_trends_series():
    """multiTimeline.csv (diet, gym, finance; 2004-01 to 2023-02, French interface) from a public
    repository, see tests/fixtures/trends/SOURCE.md. 'diet' searches famously peak every January."""
    if not FIXTURE.is_file():
        pytest.skip(f"{FIXTURE} is absent")
    from workbench.data.search_demand_exports import read_google_trends

    demand = read_google_trends(FIXTURE)
    assert set(demand["keyword"]) == {"diet", "gym", "finance"} and len(demand) == 3 * 230
    wide = group_series(demand)
    peaks = seasonality_calendar(wide).attrs["peaks"]
    assert peaks["diet"][0] == 1 and peaks["gym"][0] == 1
    table = trend_table(wide).set_index("group")
    assert table.loc["gym", "mk_z"] > 0 and table.loc["gym", "p_adjusted"] < 0.05
    assert table.loc["diet", "mk_z"] < 0 and table.loc["diet", "p_adjusted"] < 0.05
