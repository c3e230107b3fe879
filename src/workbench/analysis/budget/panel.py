"""From the data contracts to the model's input: spend per channel per week from `ad_stats`
(cost summed over campaigns) and the outcome per week from `orders` (revenue or order count),
on the same weeks (Monday to Sunday). Weeks that either table covers only in part are left out,
so a half-loaded first or last week does not read as a drop in sales."""

from __future__ import annotations

import pandas as pd

__all__ = ["OUTCOMES", "weekly_panel"]

OUTCOMES = ("revenue", "orders")


def _weeks(dates: pd.Series) -> pd.Series:
    d = pd.to_datetime(dates).dt.normalize()
    return d - pd.to_timedelta(d.dt.day_of_week, unit="D")


def weekly_panel(
    ad_stats: pd.DataFrame,
    orders: pd.DataFrame,
    outcome: str = "revenue",
    channels: list[str] | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """(spend: weeks × channels, outcome: weeks) over the complete weeks both tables cover."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}; got {outcome!r}")
    known = sorted(ad_stats["channel"].astype(str).unique())
    if channels:
        unknown = [c for c in channels if c not in known]
        if unknown:
            raise ValueError(f"channels: {', '.join(unknown)} not in ad_stats; its channels are {', '.join(known)}")
        ad_stats = ad_stats[ad_stats["channel"].isin(channels)]
    spend = (
        ad_stats.assign(week=_weeks(ad_stats["date"]))
        .pivot_table(index="week", columns="channel", values="cost", aggfunc="sum", fill_value=0.0)
        .astype(float)
    )
    spend = spend[channels] if channels else spend
    o = orders.assign(week=_weeks(orders["order_date"]))
    y = o.groupby("week")["revenue"].sum() if outcome == "revenue" else o.groupby("week").size().astype(float)
    first = max(pd.Timestamp(ad_stats["date"].min()), pd.Timestamp(orders["order_date"].min()).normalize())
    last = min(pd.Timestamp(ad_stats["date"].max()), pd.Timestamp(orders["order_date"].max()).normalize())
    weeks = pd.date_range(_weeks(pd.Series([first]))[0], last, freq="7D")
    weeks = weeks[(weeks >= first) & (weeks + pd.Timedelta(days=6) <= last)]
    if len(weeks) < 20:
        raise ValueError(
            f"ad_stats and orders overlap in {len(weeks)} complete weeks ({first.date()} – {last.date()}); "
            "a media-mix model needs at least 20 (two years or more is better)"
        )
    spend = spend.reindex(weeks, fill_value=0.0)
    spend.columns.name = None
    spend.index.name = "week"
    return spend, y.reindex(weeks, fill_value=0.0).rename(outcome)
