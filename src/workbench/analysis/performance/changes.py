"""A month's metrics against what the season and the trend led us to expect, flagged only beyond that.

Every metric moves every month, and a retail January is always down on December: a report that
colours such moves red teaches its readers to ignore colour. So the month is compared with its
*expectation*: a regression of the metric's history before the month (at most `max_history`
months) on a linear trend and one level per calendar month (deterministic seasonality),

    y_t = b0 + b1 t + s_month(t) + e_t,  e_t ~ N(0, σ²) independent,

on log values when the metric is always positive (a +10 % move means the same at 100 and 100,000
visits), on the values otherwise (a share that can be 0). The month's value is then read against
the ordinary-least-squares *prediction interval* for that month: t = (y − ŷ) / se_pred with
se_pred² = s² (1 + x₀ (XᵀX)⁻¹ x₀ᵀ), which includes the uncertainty of the estimated trend and
seasonal levels, and the t distribution with n − 13 degrees of freedom makes it exact in small
samples. A month is flagged when the two-sided p-value is below `alpha`: when nothing changed this
happens in `alpha` of metric-months (1 % by default, about 11 % of metric-years of monthly reports),
whatever the seasonal pattern (benchmarks/calibrate.py measures it on flat, smooth- and
peaked-seasonal series).

The test cannot see small changes in a short, noisy history, and a report must say so rather
than "no change": `detectable` is the smallest change the test catches with probability `power`
(80 %), (t₁₋α/₂ + t_power) · se_pred, given as a relative change on the log scale. It shrinks
as history accumulates. Seasonal levels need at least two years: with fewer than `min_history`
(24) months before the month, the change is shown but not tested, and the note says why.

Month-over-month and year-over-year changes are reported as plain descriptions next to the test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from workbench.analysis.stats.periods import monthly_frame
from workbench.validation import check_fraction

__all__ = ["CHANGE_COLUMNS", "MIN_HISTORY", "change_flags", "expectation"]

MIN_HISTORY = 24  # two seasons: each calendar month's level is seen at least twice

CHANGE_COLUMNS = [
    "metric",
    "value",
    "previous",
    "mom_change",
    "year_ago",
    "yoy_change",
    "expected",
    "lower",
    "upper",
    "vs_expected",
    "p_value",
    "flag",
    "detectable",
    "history_months",
    "scale",
    "note",
]


def _design(months: pd.PeriodIndex, origin: pd.Period) -> np.ndarray:
    """Intercept, trend (months since `origin`) and 11 calendar-month dummies (January is the base)."""
    t = (months.asi8 - origin.ordinal).astype(float)
    cal = np.asarray(months.month)
    dummies = (cal[:, None] == np.arange(2, 13)[None, :]).astype(float)
    return np.column_stack([np.ones(len(months)), t, dummies])


def expectation(history: pd.Series, month: pd.Period, alpha: float, power: float = 0.8) -> dict:
    """Expected value of `month` from `history` (monthly values before it, gap-free, already on the
    scale of the test) with its 1 − alpha prediction interval: keys expected, lower, upper,
    se, df, t_crit, detectable (on the scale of the test)."""
    X = _design(history.index, history.index[0])
    y = history.to_numpy(dtype=float)
    df = len(y) - X.shape[1]
    if df < 1:
        raise ValueError(f"expectation needs more than {X.shape[1]} months of history; got {len(y)}")
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    s2 = float(resid @ resid) / df
    x0 = _design(pd.PeriodIndex([month]), history.index[0])[0]
    xtx_inv = np.linalg.pinv(X.T @ X)
    se = float(np.sqrt(s2 * (1.0 + x0 @ xtx_inv @ x0)))
    t_crit = float(stats.t.ppf(1 - alpha / 2, df))
    mean = float(x0 @ beta)
    detectable = (t_crit + float(stats.t.ppf(power, df))) * se
    return {
        "expected": mean,
        "lower": mean - t_crit * se,
        "upper": mean + t_crit * se,
        "se": se,
        "df": df,
        "t_crit": t_crit,
        "detectable": detectable,
    }


def _test_metric(s: pd.Series, pos: int, alpha: float, power: float, min_history: int, max_history: int) -> dict:
    month = s.index[pos]
    past = s.iloc[max(0, pos - max_history) : pos]
    value = s.iloc[pos]
    log = bool(len(past.dropna())) and bool((past.dropna() > 0).all()) and (pd.isna(value) or value > 0)
    out: dict = {
        "value": value,
        "previous": s.iloc[pos - 1] if pos >= 1 else np.nan,
        "year_ago": s.iloc[pos - 12] if pos >= 12 else np.nan,
        "scale": "log" if log else "difference",
        "history_months": int(past.notna().sum()),
        "flag": False,
        "note": "",
    }
    for key, ref in (("mom_change", out["previous"]), ("yoy_change", out["year_ago"])):
        if pd.isna(ref) or pd.isna(value):
            out[key] = np.nan
        else:
            out[key] = value / ref - 1 if log else value - ref
    # the longest gap-free stretch of history that ends just before the month
    gap = past.isna().to_numpy()
    if gap.any():
        past = past.iloc[int(np.flatnonzero(gap)[-1]) + 1 :]
    if pd.isna(value):
        out["note"] = "no value this month"
        return out
    if len(past) < min_history:
        out["note"] = f"not tested: {len(past)} months of history (< {min_history}, two seasons)"
        return out
    y = np.log(past) if log else past
    e = expectation(y, month, alpha, power)
    y0 = float(np.log(value)) if log else float(value)
    back = np.exp if log else (lambda v: v)
    out.update(
        expected=float(back(e["expected"])),
        lower=float(back(e["lower"])),
        upper=float(back(e["upper"])),
        vs_expected=float(np.expm1(y0 - e["expected"])) if log else y0 - e["expected"],
        p_value=float(2 * stats.t.sf(abs(y0 - e["expected"]) / e["se"], e["df"])) if e["se"] > 0 else np.nan,
        detectable=float(np.expm1(e["detectable"])) if log else e["detectable"],
    )
    out["flag"] = bool(out["p_value"] < alpha)
    return out


def change_flags(
    metrics: pd.DataFrame | pd.Series,
    month,
    alpha: float = 0.01,
    *,
    power: float = 0.8,
    min_history: int = MIN_HISTORY,
    max_history: int = 48,
) -> pd.DataFrame:
    """One row per metric: its value in `month`, MoM and YoY change, and the test against expectation.

    `metrics`: monthly values, one column per metric, indexed by month (PeriodIndex or
    DatetimeIndex). Columns: see CHANGE_COLUMNS. expected / lower / upper: the month's expectation
    and its 1 − alpha prediction interval (original units); vs_expected and detectable are relative
    (0.12 = +12 %) on the "log" scale and absolute on the "difference" scale; flag: p_value < alpha.
    """
    check_fraction("alpha", alpha, example="0.01")
    check_fraction("power", power, example="0.8")
    if not isinstance(min_history, (int, np.integer)) or min_history < 14:
        raise ValueError(f"min_history must be an integer >= 14 (13 parameters are fitted); got {min_history!r}")
    if not isinstance(max_history, (int, np.integer)) or max_history < min_history:
        raise ValueError(f"max_history must be an integer >= min_history ({min_history}); got {max_history!r}")
    frame = monthly_frame(metrics, "metrics")
    if frame.index.has_duplicates:
        raise ValueError("metrics has duplicate months; aggregate to one row per month first")
    full = pd.period_range(frame.index.min(), frame.index.max(), freq="M")
    frame = frame.reindex(full)
    month = pd.Period(month, "M")
    if month not in frame.index:
        raise ValueError(f"month {month} is outside the metrics' range {full[0]} … {full[-1]}")
    pos = frame.index.get_loc(month)
    rows = []
    for metric in frame.columns:
        s = pd.to_numeric(frame[metric], errors="coerce").astype(float)
        rows.append({"metric": metric} | _test_metric(s, pos, alpha, power, min_history, max_history))
    out = pd.DataFrame(rows).reindex(columns=CHANGE_COLUMNS)
    out["flag"] = out["flag"].fillna(False).astype(bool)
    out.attrs.update(alpha=alpha, power=power)
    return out
