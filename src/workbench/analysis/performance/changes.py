"""A month's metrics against what the season and the recent growth led us to expect.

Every metric moves every month, and a retail January is always down on December: a report that
colours such moves red teaches its readers to ignore colour. So a month is compared with its
*expectation*: the same month a year earlier, grown by the metric's recent year-over-year change.
With r_t = ln(y_t / y_{t-12}) (or y_t − y_{t-12} for a metric that can be 0, such as a share),

    expected r_T = mean of r over the 11 months before T,
    t = (r_T − mean) / (s · sqrt(1 + 1/11)),  t ~ Student t with 10 degrees of freedom,

and the month is flagged when the two-sided p-value is below `alpha`. Why this form:
* the year-over-year change removes any seasonal shape, however peaked (November, December and
  January), without estimating it;
* growth is taken from the last year only, so a business whose growth slows or speeds up is read
  against its current pace, not a straight line through all its history;
* under a stable seasonal pattern, a slowly changing growth rate and independent monthly noise,
  r_T and the 11 earlier changes share no noise term (r_{T-j} = e_{T-j} − e_{T-j-12}, j = 1…11), so
  the t statistic is exact in small samples: when nothing changed a metric is flagged in `alpha` of
  months (1 % by default) and in at most 12 × `alpha` of metric-years of monthly reports (12 %; a
  flagged month widens the next months' windows, so the rate lies between 11.4 %, the figure for
  independent months, and 12 %). Measured (benchmarks/calibration_changes.py, 20,000 series per
  shape): 1.01 % ± 0.04 of months and 11.9 % ± 0.4 of series-years, identical for flat, smooth- and
  peaked-seasonal series (same noise, same flags: the statistic does not see the shape).

What the year-over-year change does not remove, and what that costs (same benchmark): a seasonal
swing whose amplitude changes (15 % growing to 30 % over four years: false flags 0.97 % of months,
but the spread of the changes grows, so a +20 % jump is caught in 19 % of series instead of 31 %),
and a growth rate that keeps changing (monthly growth climbing from −1 % to +2 % over four years:
the expectation lags behind, false flags 1.58 % of months, 18.3 % of series-years).

The test cannot see small changes in noisy data, and a report must say so rather than "no change":
`detectable` is the smallest change caught with probability `power` (80 %),
(t₁₋α/₂ + t_power) · s · sqrt(1 + 1/11), as a relative change on the log scale. It needs 23 months
before the month (the year-ago value and 11 earlier year-over-year changes); with fewer the change
is shown but not tested, and the note says why. A one-off event in the same month last year (a
campaign flight) moves the expectation with it: the note of the report says so.

Month-over-month and year-over-year changes are reported as plain descriptions next to the test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from workbench.analysis.stats.periods import monthly_frame
from workbench.validation import check_fraction

__all__ = ["CHANGE_COLUMNS", "MIN_HISTORY", "WINDOW", "change_flags", "expectation"]

WINDOW = 11  # earlier year-over-year changes that set the expected growth (none shares noise with this month's)
MIN_HISTORY = WINDOW + 12  # months before the tested month: the year-ago value and 11 earlier changes

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


def expectation(recent_changes: np.ndarray, alpha: float, power: float = 0.8) -> dict:
    """Expected year-over-year change from the `recent_changes` before the month, with its
    1 − alpha prediction half-width: keys expected, se, df, t_crit, half_width, detectable."""
    r = np.asarray(recent_changes, dtype=float)
    if r.size < 3 or not np.isfinite(r).all():
        raise ValueError(f"expectation needs at least 3 finite earlier changes; got {r.tolist()}")
    df = r.size - 1
    se = float(np.std(r, ddof=1) * np.sqrt(1 + 1 / r.size))
    t_crit = float(stats.t.ppf(1 - alpha / 2, df))
    return {
        "expected": float(r.mean()),
        "se": se,
        "df": df,
        "t_crit": t_crit,
        "half_width": t_crit * se,
        "detectable": (t_crit + float(stats.t.ppf(power, df))) * se,
    }


def _describe(s: pd.Series, pos: int, log: bool) -> dict:
    value = s.iloc[pos]
    out = {"value": value, "previous": s.iloc[pos - 1] if pos >= 1 else np.nan}
    out["year_ago"] = s.iloc[pos - 12] if pos >= 12 else np.nan
    for key, ref in (("mom_change", out["previous"]), ("yoy_change", out["year_ago"])):
        ok = pd.notna(ref) and pd.notna(value) and (not log or ref > 0)
        out[key] = (value / ref - 1 if log else value - ref) if ok else np.nan
    return out


def _test_metric(s: pd.Series, pos: int, alpha: float, power: float) -> dict:
    past = s.iloc[:pos]
    value = s.iloc[pos]
    log = bool(past.notna().any()) and bool((past.dropna() > 0).all()) and (pd.isna(value) or value > 0)
    out = _describe(s, pos, log) | {"scale": "log" if log else "difference", "flag": False, "note": ""}
    out["history_months"] = int(past.notna().sum())
    y = np.log(s.where(s > 0)) if log else s
    r = (y - y.shift(12)).iloc[pos - WINDOW : pos] if pos >= MIN_HISTORY else pd.Series(dtype=float)
    if pd.isna(value):
        out["note"] = "no value this month"
        return out
    if pos < MIN_HISTORY or r.isna().any() or pd.isna(y.iloc[pos - 12]):
        out["note"] = f"not tested: {out['history_months']} months of history (< {MIN_HISTORY} gap-free months)"
        return out
    e = expectation(r.to_numpy(), alpha, power)
    base, r_now = float(y.iloc[pos - 12]), float(y.iloc[pos] - y.iloc[pos - 12])
    back = np.exp if log else (lambda v: v)
    out.update(
        expected=float(back(base + e["expected"])),
        lower=float(back(base + e["expected"] - e["half_width"])),
        upper=float(back(base + e["expected"] + e["half_width"])),
        vs_expected=float(np.expm1(r_now - e["expected"])) if log else r_now - e["expected"],
        p_value=float(2 * stats.t.sf(abs(r_now - e["expected"]) / e["se"], e["df"])) if e["se"] > 0 else np.nan,
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
) -> pd.DataFrame:
    """One row per metric: its value in `month`, MoM and YoY change, and the test against expectation.

    `metrics`: monthly values, one column per metric, indexed by month (PeriodIndex or
    DatetimeIndex). Columns: see CHANGE_COLUMNS. expected / lower / upper: the month's expectation
    and its 1 − alpha prediction interval (original units); vs_expected and detectable are relative
    (0.12 = +12 %) on the "log" scale and absolute on the "difference" scale; flag: p_value < alpha.
    """
    check_fraction("alpha", alpha, example="0.01")
    check_fraction("power", power, example="0.8")
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
        rows.append({"metric": metric} | _test_metric(s, pos, alpha, power))
    out = pd.DataFrame(rows).reindex(columns=CHANGE_COLUMNS)
    out["flag"] = out["flag"].fillna(False).astype(bool)
    out.attrs.update(alpha=alpha, power=power)
    return out
