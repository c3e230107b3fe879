"""Segment sizing and targeting: attractiveness, a per-segment sales forecast and recommendations.

Attractiveness: four criteria per segment, each rescaled to 0–100 across the segments (min → 0,
max → 100, all equal → 50), then averaged with the weights from params (criteria with no data drop
out and the remaining weights are renormalised):
    size          share of customers
    growth        segment revenue in the last ``growth_months`` ÷ the ``growth_months`` before − 1
    value         mean CLV per customer (falls back to revenue per customer)
    reachability  share of the segment whose channel (e.g. main_source) is one we can buy or send to
Min-max scaling makes the score relative: it ranks segments against each other, it is not absolute.

Forecast: BG/NBD expected purchases per month for every existing customer (conditional on their
history) × their Gamma-Gamma expected spend, summed per segment. It forecasts the current customer
base only — no new customers — and has no seasonality; it is the model the CLV uses, so the two agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.customers.customer_value import BGNBDFit, GammaGammaFit, _unit_days
from workbench.analysis.customers.text import fmt
from workbench.i18n import _

__all__ = [
    "DEFAULT_WEIGHTS",
    "attractiveness",
    "forecast_segments",
    "growth_from_customer_revenue",
    "growth_windows",
    "reachability",
    "recommend_targets",
    "segment_growth",
    "segment_table",
]

DEFAULT_WEIGHTS = {"size": 0.25, "growth": 0.2, "value": 0.35, "reachability": 0.2}


def segment_growth(
    orders: pd.DataFrame, segment_of: pd.Series, as_of: str | pd.Timestamp | None = None, months: int = 6
) -> pd.DataFrame:
    """Per segment: revenue in the last ``months`` months to ``as_of``, in the ``months`` before, growth.

    ``segment_of`` maps customer_id (index) to segment.
    """
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    dates = pd.to_datetime(orders["order_date"])
    end = (
        dates.max().normalize() + pd.Timedelta(days=1) if as_of is None else pd.Timestamp(as_of) + pd.Timedelta(days=1)
    )
    mid = end - pd.DateOffset(months=months)
    start = mid - pd.DateOffset(months=months)
    seg = orders["customer_id"].map(segment_of)
    rev = pd.to_numeric(orders["revenue"], errors="coerce").fillna(0.0)
    recent = rev[(dates >= mid) & (dates < end)].groupby(seg).sum()
    before = rev[(dates >= start) & (dates < mid)].groupby(seg).sum()
    return _growth(recent, before)


def growth_windows(as_of: pd.Timestamp, months: int) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """(start, mid, end) of `segment_growth`: [start, mid) is the period before, [mid, end) the recent one."""
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    mid = end - pd.DateOffset(months=months)
    return mid - pd.DateOffset(months=months), mid, end


def growth_from_customer_revenue(recent: pd.Series, before: pd.Series, segment_of: pd.Series) -> pd.DataFrame:
    """`segment_growth` from each customer's revenue in the two windows (index customer_id), e.g.
    summed on an engine: customers outside `segment_of` are left out, as there."""
    return _growth(
        recent.groupby(recent.index.map(segment_of)).sum(), before.groupby(before.index.map(segment_of)).sum()
    )


def _growth(recent: pd.Series, before: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame({"revenue_recent": recent, "revenue_before": before}).fillna(0.0)
    out["growth"] = np.where(
        out["revenue_before"] > 0,
        out["revenue_recent"] / out["revenue_before"].where(out["revenue_before"] > 0, 1) - 1,
        np.nan,
    )
    out.index.name = "segment"
    return out.reset_index()


def _scale(values: pd.Series) -> pd.Series:
    v = values.astype(float)
    if v.notna().sum() == 0:
        return v
    lo, hi = v.min(), v.max()
    return pd.Series(50.0, index=v.index).where(v.isna() | (hi == lo), (v - lo) / (hi - lo) * 100).where(v.notna())


def attractiveness(segments: pd.DataFrame, weights: dict | None = None) -> pd.DataFrame:
    """Score segments. ``segments`` has one row per segment with any of the columns share_customers
    (size), growth, clv_mean or revenue_per_customer (value), reachability. Returns the input with
    score_<criterion> (0–100), attractiveness (0–100) and rank (1 = most attractive)."""
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(weights) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValueError(
            f"attractiveness weights: unknown criteria {sorted(unknown)}; allowed: {list(DEFAULT_WEIGHTS)}"
        )
    if any((not isinstance(w, (int, float))) or w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError(f"attractiveness weights must be non-negative numbers with a positive sum, got {weights}")
    source = {
        "size": "share_customers",
        "growth": "growth",
        "value": "clv_mean" if "clv_mean" in segments.columns else "revenue_per_customer",
        "reachability": "reachability",
    }
    out = segments.copy()
    total = pd.Series(0.0, index=out.index)
    wsum = pd.Series(0.0, index=out.index)
    for crit, w in weights.items():
        col = source[crit]
        if col not in out.columns or w == 0:
            continue
        score = _scale(out[col])
        out[f"score_{crit}"] = score
        total += score.fillna(0) * w
        wsum += np.where(score.notna(), w, 0.0)
    out["attractiveness"] = (total / wsum.where(wsum > 0)).round(1)
    out["rank"] = out["attractiveness"].rank(ascending=False, method="min").astype("Int64")
    return out


def forecast_segments(
    summary: pd.DataFrame,
    segment_of: pd.Series,
    bgnbd: BGNBDFit,
    gamma_gamma: GammaGammaFit,
    months: int = 6,
    start: str | pd.Timestamp | None = None,
    time_unit: str = "W",
) -> pd.DataFrame:
    """Long table: segment, month (1…months), month_start, expected_orders, expected_revenue.

    ``summary`` is a `transaction_summary` up to the forecast start (frequency, recency, T,
    monetary_value, index customer_id); ``segment_of`` maps customer_id to segment.
    """
    if months < 1:
        raise ValueError(f"months must be >= 1, got {months}")
    unit = _unit_days(time_unit)
    month = 365.25 / 12 / unit
    x, tx, T = summary["frequency"].to_numpy(float), summary["recency"].to_numpy(float), summary["T"].to_numpy(float)
    cum = np.column_stack(
        [np.zeros_like(x)] + [bgnbd.expected_purchases(month * i, x, tx, T) for i in range(1, months + 1)]
    )
    per_month = np.diff(cum, axis=1)
    spend = gamma_gamma.conditional_expected_spend(x, summary["monetary_value"].to_numpy(float))
    seg = summary.index.map(segment_of)
    orders = pd.DataFrame(per_month, columns=range(1, months + 1)).groupby(np.asarray(seg)).sum()
    revenue = pd.DataFrame(per_month * spend[:, None], columns=range(1, months + 1)).groupby(np.asarray(seg)).sum()
    out = (
        orders.stack()
        .rename("expected_orders")
        .to_frame()
        .join(revenue.stack().rename("expected_revenue"))
        .reset_index()
    )
    out.columns = ["segment", "month", "expected_orders", "expected_revenue"]
    if start is not None:
        s0 = pd.Timestamp(start).normalize()
        out["month_start"] = [(s0 + pd.DateOffset(months=int(m) - 1)).date().isoformat() for m in out["month"]]
    return out


def recommend_targets(scored: pd.DataFrame, n: int = 2, name_col: str = "name") -> pd.DataFrame:
    """The ``n`` most attractive segments with reasons in words, built from the criteria where the
    segment beats the average segment. Returns segment, name, attractiveness, reasons."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    top = scored.sort_values("attractiveness", ascending=False).head(n)
    rows = []
    for _i, s in top.iterrows():
        reasons = []
        if "share_customers" in s and "share_revenue" in s and pd.notna(s.get("share_revenue")):
            reasons.append(
                _("{customers} of customers bring {revenue} of revenue").format(
                    customers=fmt("{:.0%}", s["share_customers"]), revenue=fmt("{:.0%}", s["share_revenue"])
                )
            )
        if pd.notna(s.get("clv_mean")) and "clv_mean" in scored:
            rel = s["clv_mean"] / scored["clv_mean"].mean() if scored["clv_mean"].mean() else np.nan
            reasons.append(
                _("expected CLV {clv} per customer ({relative}× the segment average)").format(
                    clv=fmt("{:,.0f}", s["clv_mean"]), relative=fmt("{:.1f}", rel)
                )
            )
        if pd.notna(s.get("growth")):
            growing = _("revenue growing {change} versus the previous period")
            shrinking = _("revenue shrinking {change} versus the previous period")
            reasons.append((growing if s["growth"] >= 0 else shrinking).format(change=fmt("{:+.0%}", s["growth"])))
        if pd.notna(s.get("reachability")):
            reasons.append(_("{share} reachable through our channels").format(share=fmt("{:.0%}", s["reachability"])))
        if pd.notna(s.get("p_alive_mean")):
            reasons.append(_("{share} probably still active").format(share=fmt("{:.0%}", s["p_alive_mean"])))
        rows.append(
            {
                "segment": s["segment"],
                "name": s.get(name_col, ""),
                "attractiveness": s["attractiveness"],
                "reasons": "; ".join(reasons),
            }
        )
    return pd.DataFrame(rows)


def reachability(frame: pd.DataFrame, labels: pd.Series, column: str, channels: list[str]) -> pd.Series:
    """Per segment: share of customers whose ``column`` (e.g. acquisition_channel) is one of ``channels``."""
    if column not in frame.columns:
        raise ValueError(f"reach column {column!r} is not in the customer table; available: {list(frame.columns)}")
    reach = frame[column].astype("string").str.lower().isin([c.lower() for c in channels]).astype(float)
    return reach.groupby(np.asarray(labels)).mean().rename("reachability")


def segment_table(
    profiles: pd.DataFrame,
    segment_of: pd.Series,
    values: pd.DataFrame | None = None,
    growth: pd.DataFrame | None = None,
    reach: pd.Series | None = None,
) -> pd.DataFrame:
    """Profiles joined with per-segment customer value (mean CLV, P(alive), expected revenue — from
    `customer_value` output indexed by customer_id), growth and reachability: the attractiveness input."""
    out = profiles.copy()
    out["revenue_per_customer"] = out["revenue"] / out["size"] if "revenue" in out else np.nan
    if values is not None:
        seg = values.index.map(segment_of)
        agg = values.groupby(np.asarray(seg)).agg(
            clv_mean=("clv", "mean"),
            clv_total=("clv", "sum"),
            p_alive_mean=("p_alive", "mean"),
            expected_revenue=("expected_revenue", "sum"),
        )
        out = out.merge(agg, left_on="segment", right_index=True, how="left")
    if growth is not None:
        out = out.merge(growth[["segment", "growth"]], on="segment", how="left")
    if reach is not None:
        out = out.merge(reach.rename("reachability"), left_on="segment", right_index=True, how="left")
    return out
