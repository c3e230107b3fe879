"""When things happen: hour × weekday tables, the best time to publish, and daily anomalies.

"Best time" is ranked by the Wilson lower bound of the success rate, not the raw rate, so a slot
with 2 conversions out of 2 visits does not beat one with 300 out of 1,000; slots below a minimum
sample size are left out and every row keeps its n so readers see the evidence behind it.
Anomalies use a robust z-score (median and MAD) because a single spike inflates the mean and
standard deviation enough to hide itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.proportions import wilson_interval

__all__ = ["WEEKDAY_NAMES", "best_times", "hour_weekday_table", "robust_anomalies"]

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MAD_FACTOR = 0.6745  # Iglewicz & Hoaglin (1993): makes MAD comparable to a standard deviation


def _require_columns(frame: pd.DataFrame, columns: dict[str, str | None]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"events must be a pandas DataFrame; got {type(frame).__name__}")
    for param, col in columns.items():
        if col is not None and col not in frame.columns:
            raise ValueError(f"{param}={col!r} is not a column of events; columns are {list(frame.columns)}")


def hour_weekday_table(events: pd.DataFrame, time_col: str, success_col: str | None = None,
                       weight_col: str | None = None) -> pd.DataFrame:
    """One row per (weekday 0=Mon…6, hour 0…23) present in `events`.

    Columns: weekday, weekday_name, hour, n; with `success_col` also successes, rate, rate_low,
    rate_high (Wilson 95%). `weight_col` makes each row count as that many trials (e.g. an
    e-mail send with `recipients`), and then `success_col` holds the number of successes of the row
    (e.g. `clicks`); without weights `success_col` is read as a 0/1 or boolean flag.
    """
    _require_columns(events, {"time_col": time_col, "success_col": success_col, "weight_col": weight_col})
    ts = pd.to_datetime(events[time_col], errors="coerce")
    if ts.isna().all() and len(ts):
        raise ValueError(f"time_col={time_col!r} holds no parseable timestamps")
    frame = pd.DataFrame({"weekday": ts.dt.day_of_week, "hour": ts.dt.hour})
    frame["n"] = pd.to_numeric(events[weight_col], errors="coerce").fillna(0) if weight_col else 1.0
    if success_col is not None:
        succ = events[success_col]
        if succ.dtype == bool or str(succ.dtype) == "boolean":
            succ = succ.astype(float)
        frame["successes"] = pd.to_numeric(succ, errors="coerce").fillna(0).astype(float)
    frame = frame.dropna(subset=["weekday", "hour"])
    agg = frame.groupby(["weekday", "hour"], as_index=False).sum(numeric_only=True)
    agg["weekday"] = agg["weekday"].astype(int)
    agg["hour"] = agg["hour"].astype(int)
    if not weight_col:
        agg["n"] = agg["n"].astype(int)
    agg.insert(1, "weekday_name", [WEEKDAY_NAMES[d] for d in agg["weekday"]])
    if success_col is not None:
        if (agg["successes"] > agg["n"]).any():
            raise ValueError(f"success_col={success_col!r} exceeds the number of trials in some slots; "
                             "pass weight_col when each row counts several trials")
        agg["rate"] = np.where(agg["n"] > 0, agg["successes"] / agg["n"].where(agg["n"] > 0), np.nan)
        low, high = wilson_interval(agg["successes"].to_numpy(), agg["n"].to_numpy())
        agg["rate_low"], agg["rate_high"] = low, high
    return agg.sort_values(["weekday", "hour"]).reset_index(drop=True)


def best_times(table: pd.DataFrame, by: str = "rate", top: int = 3, min_n: int = 30) -> pd.DataFrame:
    """The `top` slots of an hour × weekday table.

    by="rate" ranks by the Wilson lower bound (`rate_low`), honest with small samples; by="n" ranks
    by volume. Slots with n < min_n are excluded; the result keeps n (and rate columns) so a report
    shows the sample size behind each recommendation. An empty frame means no slot qualified.
    """
    if by not in ("rate", "n"):
        raise ValueError(f"by must be 'rate' or 'n'; got {by!r}")
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive integer; got {top!r}")
    if min_n < 0:
        raise ValueError(f"min_n must be non-negative; got {min_n!r}")
    needed = ["weekday", "hour", "n"] + (["rate_low"] if by == "rate" else [])
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks columns {missing}; build it with hour_weekday_table"
                         + (" and a success_col" if "rate_low" in missing else ""))
    eligible = table[table["n"] >= min_n]
    key = ["rate_low", "n"] if by == "rate" else ["n"]
    ranked = eligible.sort_values(key, ascending=False, kind="mergesort").head(int(top))
    return ranked.reset_index(drop=True)


def robust_anomalies(series: pd.Series, threshold: float = 3.5, window: int | None = None) -> pd.DataFrame:
    """Flag points whose robust z-score (median/MAD, 0.6745 factor) exceeds `threshold` in size.

    window=None scores against the whole series; an int scores each point against a centred
    rolling window of that many points (for series with a trend). Returns columns value, median,
    mad, robust_z, anomaly, direction ("high"/"low"/"") indexed like the series.
    """
    if not isinstance(series, pd.Series):
        raise TypeError(f"series must be a pandas Series; got {type(series).__name__}")
    if threshold <= 0:
        raise ValueError(f"threshold must be positive; got {threshold!r}")
    if window is not None and (not isinstance(window, (int, np.integer)) or window < 3):
        raise ValueError(f"window must be None or an integer >= 3; got {window!r}")
    x = pd.to_numeric(series, errors="coerce").astype(float)
    if window is None:
        centre = np.nanmedian(x) if x.notna().any() else np.nan
        med = pd.Series(centre, index=x.index)
        dev = (x - med).abs()
        mad = pd.Series(np.nanmedian(dev) if x.notna().any() else np.nan, index=x.index)
        meanad = pd.Series(np.nanmean(dev) if x.notna().any() else np.nan, index=x.index)
    else:
        min_periods = max(3, window // 2)
        med = x.rolling(window, center=True, min_periods=min_periods).median()
        dev = (x - med).abs()
        mad = dev.rolling(window, center=True, min_periods=min_periods).median()
        meanad = dev.rolling(window, center=True, min_periods=min_periods).mean()
    # MAD is zero when over half the points are equal; then scale the mean absolute deviation
    # (1.2533 = sqrt(pi/2), the IBM SPSS convention) so a spike in a flat series is still seen.
    scale = (mad / _MAD_FACTOR).where(mad > 0, 1.253314 * meanad)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = ((x - med) / scale.where(scale > 0)).where(scale > 0, 0.0)
    z = z.where(x.notna() & med.notna())
    anomaly = z.abs() > threshold
    direction = np.where(anomaly & (z > 0), "high", np.where(anomaly & (z < 0), "low", ""))
    return pd.DataFrame({"value": x, "median": med, "mad": mad, "robust_z": z,
                         "anomaly": anomaly.fillna(False).astype(bool), "direction": direction}, index=series.index)
