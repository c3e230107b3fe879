"""Changes are flagged only beyond the metric's normal variation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.performance.changes import change_flags, robust_z


def _months(n: int, start: str = "2023-01") -> pd.PeriodIndex:
    return pd.period_range(start, periods=n, freq="M")


def _noisy(rng, n=36, level=1000.0, sd=0.05, season=True):
    t = np.arange(n)
    seasonal = 0.15 * np.sin(2 * np.pi * t / 12) if season else 0.0
    return pd.Series(level * np.exp(seasonal + rng.normal(0, sd, n)), index=_months(n))


def test_robust_z_hand_computed():
    # history 1..5: median 3, |dev| = 2,1,0,1,2 -> MAD 1 -> scale 1/0.6745
    assert robust_z(7.0, [1, 2, 3, 4, 5]) == pytest.approx((7 - 3) * 0.6745)
    # MAD zero -> mean absolute deviation x 1.253314: history 5,5,5,5,9: mean |dev| = 0.8
    assert robust_z(9.0, [5, 5, 5, 5, 9]) == pytest.approx(4 / (1.253314 * 0.8))
    assert np.isnan(robust_z(1.0, []))


def test_no_real_change_raises_no_flag_across_many_series():
    rng = np.random.default_rng(7)
    flags = 0
    for _ in range(200):
        s = _noisy(rng)
        res = change_flags(s.rename("sessions"), s.index[-1])
        flags += int(res["mom_flag"].iloc[0]) + int(res["yoy_flag"].iloc[0])
    # 400 tests of series without any real change: at most a handful of false alarms
    assert flags <= 8, flags


def test_planted_jump_is_flagged_in_both_directions():
    rng = np.random.default_rng(3)
    s = _noisy(rng)
    up = s.copy()
    up.iloc[-1] *= 1.6
    res = change_flags(pd.DataFrame({"sessions": up}), up.index[-1]).iloc[0]
    assert res["mom_flag"] and res["yoy_flag"] and res["mom_z"] > 3.5
    assert res["mom_change"] == pytest.approx(up.iloc[-1] / up.iloc[-2] - 1)
    assert res["yoy_change"] == pytest.approx(up.iloc[-1] / up.iloc[-13] - 1)
    down = s.copy()
    down.iloc[-1] *= 0.5
    res = change_flags(down.to_frame("revenue"), down.index[-1]).iloc[0]
    assert res["mom_flag"] and res["mom_z"] < -3.5
    # the same series a month earlier (before the jump) raises nothing
    assert not change_flags(up.to_frame("x"), up.index[-2])[["mom_flag", "yoy_flag"]].any(axis=None)


def test_share_with_zero_uses_differences_and_short_history_is_not_tested():
    s = pd.Series([0.0, 0.1, 0.12, 0.11, 0.1, 0.13, 0.12, 0.11, 0.5], index=_months(9))
    res = change_flags(s.to_frame("organic_share"), s.index[-1]).iloc[0]
    assert res["scale"] == "difference" and res["mom_change"] == pytest.approx(0.39)
    assert res["mom_flag"]  # 7 earlier changes, all within ±0.1
    assert not res["yoy_flag"] and "no YOY comparison" in res["note"]
    short = change_flags(s.iloc[:5].to_frame("x"), s.index[4]).iloc[0]
    assert not short["mom_flag"] and "not tested" in short["note"]


def test_bad_inputs():
    s = pd.Series([1.0, 2.0, 3.0], index=_months(3))
    with pytest.raises(ValueError, match="outside"):
        change_flags(s, "2030-01")
    with pytest.raises(ValueError, match="threshold"):
        change_flags(s, "2023-02", threshold=0)
    with pytest.raises(ValueError, match="indexed by month"):
        change_flags(pd.Series([1.0, 2.0]), 1)
