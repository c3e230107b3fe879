"""Content decay: how fast an item's traffic fades after publication, and which items stay evergreen.

The measure is the *half-life*: the days after publication by which an item earned half of the
views of its first `window` days (linear within a day). It needs no model and reads the same for a
news post (half its first-90-day views within 2 days) and a guide (half only after ~45 days,
because views arrive evenly). For a pure exponential decay with half-life h the measure equals
−h·log2(½ + ½·2^(−window/h)) ≈ h when h is much shorter than the window, so it also estimates
the decay rate itself. Items observed for less than the full window are marked "too new".

Evidence kept with every verdict: the views of the window, the share earned in the first week,
and the exponential half-life fitted by least squares on log daily views (days with views only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["STATUSES", "decay_table"]

STATUSES = ("short-lived", "steady decline", "evergreen", "too new")


def _check(content: pd.DataFrame, stats: pd.DataFrame) -> None:
    for name, frame, cols in (
        ("content", content, ("content_id", "published_at")),
        ("content_stats", stats, ("content_id", "date", "views")),
    ):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} lacks column(s) {missing}; it has {list(frame.columns)}")


def decay_table(
    content: pd.DataFrame,
    stats: pd.DataFrame,
    window: int = 90,
    short_days: float = 7.0,
    evergreen_share: float = 0.35,
    as_of=None,
) -> pd.DataFrame:
    """One row per item with stats: half_life_days, fitted_half_life_days, window_views,
    first_week_share, observed_days and status (see STATUSES): short-lived when the half-life
    is at most `short_days`, evergreen when it is at least `evergreen_share` × `window` (a flat
    series gives ½ × window), steady decline between. `as_of`: the last day of data (default:
    the latest stats date)."""
    _check(content, stats)
    if not (isinstance(window, (int, np.integer)) and window >= 7):
        raise ValueError(f"window must be a whole number of days, at least 7; got {window!r}")
    if not 0 < evergreen_share < 0.5:
        raise ValueError(
            f"evergreen_share must lie between 0 and 0.5 (a flat series reads 0.5); got {evergreen_share!r}"
        )
    pub = content.set_index("content_id")["published_at"].dt.normalize()
    as_of = pd.Timestamp(as_of) if as_of is not None else stats["date"].max()
    frame = pd.DataFrame({"content_id": stats["content_id"], "views": stats["views"].astype(float)})
    frame["age"] = (stats["date"].dt.normalize() - stats["content_id"].map(pub)).dt.days
    frame = frame[(frame["age"] >= 0) & (frame["age"] < window)]
    # Daily views by age on a dense grid (missing days are zero views).
    ids = pd.Index(frame["content_id"].unique())
    code = ids.get_indexer(frame["content_id"])
    grid = np.zeros((len(ids), window))
    np.add.at(grid, (code, frame["age"].to_numpy().astype(int)), frame["views"].to_numpy())
    total = grid.sum(axis=1)
    cum = np.cumsum(grid, axis=1)
    half = total / 2
    day = (cum < half[:, None]).sum(axis=1).clip(max=window - 1)  # first day whose end reaches half
    before = np.where(day > 0, cum[np.arange(len(ids)), np.maximum(day - 1, 0)], 0.0)
    on_day = grid[np.arange(len(ids)), day]
    with np.errstate(invalid="ignore", divide="ignore"):
        half_life = np.where(total > 0, day + (half - before) / np.where(on_day > 0, on_day, 1), np.nan)
        week = np.where(total > 0, cum[:, min(6, window - 1)] / total, np.nan)
    observed = (as_of.normalize() - pub.reindex(ids)).dt.days.to_numpy() + 1
    out = pd.DataFrame(
        {
            "content_id": ids,
            "window_views": total,
            "half_life_days": half_life,
            "fitted_half_life_days": _fitted_half_life(grid),
            "first_week_share": week,
            "observed_days": observed,
        }
    )
    status = np.select(
        [observed < window, half_life <= short_days, half_life >= evergreen_share * window],
        ["too new", "short-lived", "evergreen"],
        "steady decline",
    )
    out["status"] = np.where(total > 0, status, "too new")
    keep = [c for c in ("type", "platform", "title") if c in content.columns]
    info = content.set_index("content_id")[keep]
    return out.join(info, on="content_id").sort_values("half_life_days", kind="mergesort").reset_index(drop=True)


def _fitted_half_life(grid: np.ndarray) -> np.ndarray:
    """ln 2 / −slope of log daily views on age (days with views), per row; NaN where flat or rising."""
    age = np.broadcast_to(np.arange(grid.shape[1], dtype=float), grid.shape)
    w = grid > 0
    logv = np.log(np.where(w, grid, 1.0))
    n = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = (age * w).sum(axis=1) / n
        my = (logv * w).sum(axis=1) / n
        sxy = ((age - mx[:, None]) * (logv - my[:, None]) * w).sum(axis=1)
        sxx = (((age - mx[:, None]) ** 2) * w).sum(axis=1)
        slope = sxy / sxx
        return np.where((n >= 3) & (slope < 0), np.log(2) / -slope, np.nan)
