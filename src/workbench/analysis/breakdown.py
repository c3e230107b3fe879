"""Performance by channel, campaign, ad group or creative, with the uncertainty left in.

A creative with 4 clicks from 50 impressions "wins" on CTR by luck as often as not; each rate
carries a Wilson interval, and a leader whose interval overlaps the runner-up's, or that rests on
fewer than `min_n` trials, is flagged instead of celebrated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.proportions import wilson_interval

__all__ = ["breakdown"]

_LEVELS = ("channel", "campaign", "ad_group", "creative", "platform")


def breakdown(ad_stats: pd.DataFrame, by: str | list[str] = "channel", min_n: int = 100) -> pd.DataFrame:
    """Totals and rates per group: impressions, clicks, cost, [conversions, revenue], ctr and
    cvr (conversions / clicks) with Wilson intervals, cpc, cpa, roas, share_of_cost, and `flag`
    text for leaders that are not clearly ahead. Sorted by cost, largest first."""
    keys = [by] if isinstance(by, str) else list(by)
    bad = [k for k in keys if k not in _LEVELS]
    if bad or not keys:
        raise ValueError(f"by must be among {', '.join(_LEVELS)}; got {by!r}")
    absent = [k for k in keys if k not in ad_stats.columns]
    if absent:
        raise ValueError(f"ad_stats has no column(s) {absent} to break down by")
    if min_n < 0:
        raise ValueError(f"min_n must be non-negative; got {min_n!r}")
    cols = [c for c in ("impressions", "clicks", "cost", "conversions", "revenue") if c in ad_stats.columns]
    g = ad_stats.groupby(keys, dropna=False, sort=False)[cols].sum().reset_index()
    g["ctr"] = g["clicks"] / g["impressions"].where(g["impressions"] > 0)
    g["ctr_low"], g["ctr_high"] = wilson_interval(g["clicks"].to_numpy(), g["impressions"].to_numpy())
    g["cpc"] = g["cost"] / g["clicks"].where(g["clicks"] > 0)
    if "conversions" in g.columns:
        conv = np.minimum(g["conversions"].to_numpy(float), g["clicks"].to_numpy(float))
        g["cvr"] = conv / g["clicks"].where(g["clicks"] > 0)
        g["cvr_low"], g["cvr_high"] = wilson_interval(conv, g["clicks"].to_numpy())
        g["cpa"] = g["cost"] / g["conversions"].where(g["conversions"] > 0)
    if "revenue" in g.columns:
        g["roas"] = g["revenue"] / g["cost"].where(g["cost"] > 0)
    total_cost = g["cost"].sum()
    g["share_of_cost"] = g["cost"] / total_cost if total_cost else np.nan
    flags = [[] for _ in range(len(g))]
    for rate, n_col, label in (("ctr", "impressions", "CTR"), ("cvr", "clicks", "conversion rate")):
        if rate not in g.columns or g[rate].notna().sum() == 0:
            continue
        order = g[rate].fillna(-1).to_numpy().argsort()[::-1]
        lead = order[0]
        if g[n_col].iloc[lead] < min_n:
            flags[lead].append(f"{label} leader on a small sample ({int(g[n_col].iloc[lead]):,} {n_col})")
        elif len(order) > 1 and g[f"{rate}_low"].iloc[lead] <= g[f"{rate}_high"].iloc[order[1]]:
            flags[lead].append(f"{label} leader not clearly ahead (intervals overlap)")
    g["flag"] = ["; ".join(f) for f in flags]
    return g.sort_values("cost", ascending=False, kind="mergesort").reset_index(drop=True)
