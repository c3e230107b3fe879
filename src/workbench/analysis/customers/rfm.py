"""RFM scoring: recency, frequency and monetary value per customer, as 1–5 scores and named groups.

Why this shape: RFM is the marketer's lingua franca — a customer's "545" is read the same way in every
CRM — so the scores follow the textbook definition and the groups the common R × FM grid.

Values (per customer, orders up to and including ``as_of``)
    recency_days  days from the customer's last order to ``as_of`` (default: the last order date in the data)
    frequency     number of distinct orders
    monetary      total revenue

Scores — fifths of the ranking, with ties kept together
    Every customer gets ``score = 1 + floor(5 × share of customers with a strictly worse value)``;
    "worse" means lower frequency / lower monetary / *longer* recency (recency is inverted, so the most
    recent buyers score 5). With distinct values each score holds ⌊n/5⌋ or ⌈n/5⌉ customers — exactly
    the quintile (n/5 each) only when n is a multiple of 5 (n = 10 → 1,1,2,2,…,5,5; n = 7 → 1,1,2,3,3,4,5,
    sizes 2,1,2,1,1). With ties, equal values always get equal scores, and a value shared by many
    customers takes the score of the lowest rank it covers. On real data half the customers buy once:
    they all get F = 1, the two-time buyers start at the fifth their rank reaches (e.g. F = 3 when 50 %
    bought once) and no fifth is invented by splitting a tie arbitrarily (as
    ``pd.qcut(rank(method="first"))`` would). Scores can therefore skip values; they never exceed 5.

Groups — the R × FM grid (FM = (F + M) / 2 rounded half up)
    ======  ==============  ===================  ===================  ================  ================
    R \\ FM  1               2                    3                    4                 5
    ======  ==============  ===================  ===================  ================  ================
    5       New             Potential loyalists  Potential loyalists  Champions         Champions
    4       Promising       Potential loyalists  Potential loyalists  Loyal             Champions
    3       About to sleep  About to sleep       Need attention       Loyal             Loyal
    2       Hibernating     Hibernating          At risk              At risk           Cannot lose them
    1       Lost            Lost                 At risk              At risk           Cannot lose them
    ======  ==============  ===================  ===================  ================  ================

``rfm_group_rules()`` returns that grid as a long table for reports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "RFM_GROUPS",
    "rfm_group",
    "rfm_group_rules",
    "rfm_group_summary",
    "rfm_from_totals",
    "score_rfm",
    "tie_aware_quintile",
]

# Grid rows: R = 5 … 1; columns: FM = 1 … 5.
_GRID = {
    5: ["New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"],
    4: ["Promising", "Potential loyalists", "Potential loyalists", "Loyal", "Champions"],
    3: ["About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"],
    2: ["Hibernating", "Hibernating", "At risk", "At risk", "Cannot lose them"],
    1: ["Lost", "Lost", "At risk", "At risk", "Cannot lose them"],
}

#: Groups from best to worst (the order reports show them in).
RFM_GROUPS = [
    "Champions",
    "Loyal",
    "Potential loyalists",
    "New",
    "Promising",
    "Need attention",
    "About to sleep",
    "At risk",
    "Cannot lose them",
    "Hibernating",
    "Lost",
]

_DESCRIPTIONS = {
    "Champions": "bought recently, buy often and spend the most",
    "Loyal": "buy regularly and spend well; responsive to loyalty offers",
    "Potential loyalists": "recent buyers with average frequency; could become loyal",
    "New": "bought very recently, for the first time or little so far",
    "Promising": "fairly recent but low-frequency, low-spend buyers",
    "Need attention": "middle of the road on every axis; slipping without a nudge",
    "About to sleep": "below-average recency and value; will be lost without reactivation",
    "At risk": "spent well and often, but long ago",
    "Cannot lose them": "used to be among the best customers, have not bought for a long time",
    "Hibernating": "low value, last purchase long ago",
    "Lost": "lowest recency, frequency and value",
}


def tie_aware_quintile(values: pd.Series | np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """1–5 score: ``1 + floor(5 × share of values strictly worse)``; equal values get equal scores.
    With n distinct values each score holds ⌊n/5⌋ or ⌈n/5⌉ of them (n/5 exactly when 5 divides n)."""
    v = np.asarray(values, dtype=float)
    n = v.size
    if n == 0:
        return np.empty(0, dtype=np.int8)
    if np.isnan(v).any():
        raise ValueError("tie_aware_quintile: values contain NaN; impute or drop them first")
    key = v if higher_is_better else -v
    strictly_worse = np.searchsorted(np.sort(key), key, side="left")
    return (1 + np.floor(5 * strictly_worse / n)).astype(np.int8)


def rfm_group(
    r_score: pd.Series | np.ndarray, f_score: pd.Series | np.ndarray, m_score: pd.Series | np.ndarray
) -> np.ndarray:
    """Named group for each (R, F, M) from the R × FM grid in the module docstring."""
    r = np.asarray(r_score, dtype=int)
    fm = (np.asarray(f_score, dtype=int) + np.asarray(m_score, dtype=int) + 1) // 2
    if r.size and (r.min() < 1 or r.max() > 5 or fm.min() < 1 or fm.max() > 5):
        raise ValueError("rfm_group: scores must be integers 1–5")
    lookup = np.empty((6, 6), dtype=object)
    for rr, row in _GRID.items():
        for j, name in enumerate(row, start=1):
            lookup[rr, j] = name
    return lookup[r, fm] if r.size else np.empty(0, dtype=object)


def rfm_group_rules() -> pd.DataFrame:
    """The grouping rules as a table: group, the R scores and FM scores it covers, description."""
    rows = []
    for group in RFM_GROUPS:
        cells = [(r, fm) for r, row in _GRID.items() for fm, name in enumerate(row, start=1) if name == group]
        rs = sorted({r for r, _ in cells})
        fms = sorted({fm for _, fm in cells})
        cell_txt = ", ".join(f"R{r}·FM{fm}" for r, fm in sorted(cells, reverse=True))
        rows.append(
            {
                "rfm_group": group,
                "r_scores": _span(rs),
                "fm_scores": _span(fms),
                "cells": cell_txt,
                "description": _DESCRIPTIONS[group],
            }
        )
    return pd.DataFrame(rows)


def _span(values: list[int]) -> str:
    return (
        str(values[0])
        if len(values) == 1
        else (
            f"{values[0]}–{values[-1]}"
            if values == list(range(values[0], values[-1] + 1))
            else ", ".join(map(str, values))
        )
    )


def score_rfm(orders: pd.DataFrame, as_of: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """One row per customer with orders up to ``as_of``.

    Columns: customer_id, recency_days, frequency, monetary, r_score, f_score, m_score (1–5, see the
    module docstring for the tie rule), rfm_score (e.g. "545"), rfm_group. ``as_of`` defaults to the
    last order date; orders after ``as_of`` are ignored. Sorted by customer_id, RangeIndex.
    """
    missing = [c for c in ("customer_id", "order_date", "revenue") if c not in orders.columns]
    if missing:
        raise ValueError(f"score_rfm: orders lack required column(s) {missing}; found {list(orders.columns)}")
    dates = pd.to_datetime(orders["order_date"])
    if as_of is None:
        if dates.notna().sum() == 0:
            raise ValueError("score_rfm: orders have no valid order_date")
        as_of_ts = dates.max().normalize()
    else:
        try:
            as_of_ts = pd.Timestamp(as_of)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"score_rfm: as_of must be a date or ISO string, got {as_of!r}") from exc
    keep = dates.notna() & (dates <= as_of_ts + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1))
    frame = pd.DataFrame(
        {
            "customer_id": orders.loc[keep, "customer_id"].to_numpy(),
            "order_date": dates[keep].to_numpy(),
            "revenue": pd.to_numeric(orders.loc[keep, "revenue"], errors="coerce").fillna(0.0).to_numpy(),
        }
    )
    if "order_id" in orders.columns:
        frame["order_id"] = orders.loc[keep, "order_id"].to_numpy()
        count = ("order_id", "nunique")
    else:
        count = ("order_date", "size")
    grouped = frame.groupby("customer_id", sort=True).agg(
        last=("order_date", "max"), frequency=count, monetary=("revenue", "sum")
    )
    return rfm_from_totals(grouped, as_of_ts)


def rfm_from_totals(grouped: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """`score_rfm` from per-customer totals already summed (index customer_id, sorted; columns last,
    frequency, monetary over the orders up to as_of), e.g. computed on an engine."""
    as_of_ts = pd.Timestamp(as_of)
    out = pd.DataFrame({"customer_id": grouped.index.to_numpy()})
    out["recency_days"] = ((as_of_ts.normalize() - grouped["last"].dt.normalize()).dt.days).to_numpy()
    out["frequency"] = grouped["frequency"].to_numpy().astype(int)
    out["monetary"] = grouped["monetary"].to_numpy().astype(float)
    out["r_score"] = tie_aware_quintile(out["recency_days"], higher_is_better=False)
    out["f_score"] = tie_aware_quintile(out["frequency"])
    out["m_score"] = tie_aware_quintile(out["monetary"])
    out["rfm_score"] = out["r_score"].astype(str) + out["f_score"].astype(str) + out["m_score"].astype(str)
    out["rfm_group"] = pd.Categorical(rfm_group(out["r_score"], out["f_score"], out["m_score"]), categories=RFM_GROUPS)
    return out


def rfm_group_summary(rfm: pd.DataFrame) -> pd.DataFrame:
    """Per RFM group: customers, share of customers, share of revenue, mean recency/frequency/monetary."""
    total_rev = rfm["monetary"].sum()
    g = rfm.groupby("rfm_group", observed=False)
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "recency_days": g["recency_days"].mean(),
            "frequency": g["frequency"].mean(),
            "monetary": g["monetary"].mean(),
            "revenue": g["monetary"].sum(),
        }
    )
    out["share_customers"] = out["customers"] / max(len(rfm), 1)
    out["share_revenue"] = out["revenue"] / total_rev if total_rev else np.nan
    out = out.reset_index()
    out["rfm_group"] = out["rfm_group"].astype(str)
    return out[["rfm_group", "customers", "share_customers", "share_revenue", "recency_days", "frequency", "monetary"]]
