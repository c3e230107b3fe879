"""Month-over-month and year-over-year changes, flagged only when larger than normal variation.

Every metric moves every month; a report that colours every move red teaches its readers to
ignore colour. A change is flagged only when it is unusual *for that metric*: its size is
compared with the distribution of the metric's own past changes of the same kind (all earlier
month-over-month changes for MoM, all earlier year-over-year changes for YoY) through a robust
z-score, z = (change - median) / (MAD / 0.6745), and flagged when |z| > threshold (3.5 by
default, the Iglewicz & Hoaglin cut-off). Median and MAD, not mean and standard deviation, so
one past spike does not widen "normal" enough to hide the next.

Changes are measured as log ratios (log(value / previous)) for metrics that are always
positive — a +10% move means the same for 100 visits and for 100,000 — and as plain
differences otherwise (e.g. a share that can be 0). The comparison needs at least
`min_history` past changes; with fewer the change is shown but never flagged, and the note says
why. Seasonal swings that recur every year show up in the MoM history too, so they widen
"normal" rather than being flagged; the YoY change is the seasonality-free view.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.stats.periods import monthly_frame

__all__ = ["MAD_FACTOR", "change_flags", "robust_z"]

MAD_FACTOR = 0.6745


def robust_z(value: float, history: np.ndarray | pd.Series) -> float:
    """Robust z-score of `value` against `history` (median / scaled MAD).

    When the MAD is zero (over half the history equal) the scaled mean absolute deviation
    (x 1.2533) is used; when that is zero too, any difference from the median is infinite.
    """
    h = np.asarray(history, dtype=float)
    h = h[np.isfinite(h)]
    if len(h) == 0 or not np.isfinite(value):
        return float("nan")
    med = float(np.median(h))
    dev = np.abs(h - med)
    scale = float(np.median(dev)) / MAD_FACTOR
    if scale == 0:
        scale = 1.253314 * float(np.mean(dev))
    if scale == 0:
        return 0.0 if value == med else float(np.sign(value - med) * np.inf)
    return (value - med) / scale


def _changes(values: pd.Series, lag: int, log: bool) -> pd.Series:
    prev = values.shift(lag)
    if log:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(values / prev)
    return values - prev


def change_flags(
    metrics: pd.DataFrame | pd.Series, month, threshold: float = 3.5, min_history: int = 6
) -> pd.DataFrame:
    """One row per metric: its value in `month`, MoM and YoY change, robust z and flag.

    `metrics`: monthly values, one column per metric, indexed by month (PeriodIndex or
    DatetimeIndex, gap-free). Columns of the result: metric, value, previous, mom_change
    (relative, e.g. 0.12 = +12%), mom_z, mom_flag, year_ago, yoy_change, yoy_z, yoy_flag, scale
    ("log" or "difference"), note. For the "difference" scale mom_change/yoy_change are absolute.
    """
    if threshold <= 0:
        raise ValueError(f"threshold must be positive; got {threshold!r}")
    if not isinstance(min_history, (int, np.integer)) or min_history < 2:
        raise ValueError(f"min_history must be an integer >= 2; got {min_history!r}")
    frame = monthly_frame(metrics, "metrics")
    full = pd.period_range(frame.index.min(), frame.index.max(), freq="M")
    frame = frame.reindex(full)
    month = pd.Period(month, "M")
    if month not in frame.index:
        raise ValueError(f"month {month} is outside the metrics' range {full[0]} … {full[-1]}")
    rows = []
    pos = frame.index.get_loc(month)
    for metric in frame.columns:
        s = pd.to_numeric(frame[metric], errors="coerce").astype(float)
        past = s.iloc[: pos + 1].dropna()
        log = bool(len(past)) and bool((past > 0).all())
        row: dict = {"metric": metric, "value": s.iloc[pos], "scale": "log" if log else "difference"}
        notes = []
        for kind, lag in (("mom", 1), ("yoy", 12)):
            ch = _changes(s, lag, log)
            current = ch.iloc[pos]
            history = ch.iloc[:pos].replace([np.inf, -np.inf], np.nan).dropna()
            ref = s.iloc[pos - lag] if pos - lag >= 0 else np.nan
            row["previous" if kind == "mom" else "year_ago"] = ref
            row[f"{kind}_change"] = (
                (float(np.expm1(current)) if log else float(current)) if np.isfinite(current) else np.nan
            )
            if not np.isfinite(current):
                row[f"{kind}_z"], row[f"{kind}_flag"] = np.nan, False
                notes.append(f"no {kind.upper()} comparison (no value {lag} month{'s' if lag > 1 else ''} earlier)")
            elif len(history) < min_history:
                row[f"{kind}_z"], row[f"{kind}_flag"] = np.nan, False
                notes.append(f"{kind.upper()} not tested: {len(history)} past changes (< {min_history})")
            else:
                z = robust_z(float(current), history.to_numpy())
                row[f"{kind}_z"], row[f"{kind}_flag"] = z, bool(abs(z) > threshold)
        row["note"] = "; ".join(notes)
        rows.append(row)
    cols = [
        "metric",
        "value",
        "previous",
        "mom_change",
        "mom_z",
        "mom_flag",
        "year_ago",
        "yoy_change",
        "yoy_z",
        "yoy_flag",
        "scale",
        "note",
    ]
    return pd.DataFrame(rows, columns=cols)
