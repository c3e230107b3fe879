"""Budget pacing: is each channel spending its budget at the planned speed?

The plan spreads each channel's budget evenly over the flight's days (the usual default of ad
platforms' "standard delivery"). Projection to the end of the flight uses the recent run rate
(last `recent_days` days), because pacing problems usually start mid-flight, after a bid or
budget change, and an average over the whole flight hides them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from workbench.i18n import ngettext

__all__ = ["in_progress_sentence", "pacing_daily", "pacing_summary"]


def _flight(start: str, end: str) -> pd.DatetimeIndex:
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if e < s:
        raise ValueError(f"flight end {end!r} is before start {start!r}")
    return pd.date_range(s, e, freq="D")


def _check_budget(budget: Mapping[str, float]) -> dict[str, float]:
    if not budget:
        raise ValueError("budget_by_channel must name at least one channel with its budget")
    bad = {k: v for k, v in budget.items() if v is None or float(v) < 0}
    if bad:
        raise ValueError(f"budget_by_channel values must be non-negative numbers; got {bad}")
    return {str(k): float(v) for k, v in budget.items()}


def pacing_daily(
    ad_stats: pd.DataFrame, budget_by_channel: Mapping[str, float], start: str, end: str, as_of: str | None = None
) -> pd.DataFrame:
    """One row per channel × flight day: planned and actual daily and cumulative spend.

    Channels that spent without a budget appear with a planned spend of 0 (unplanned spend);
    spend outside the flight is ignored. Days after `as_of` (default: the last day with spend)
    have not happened yet in the data: their actual columns are NaN, not 0, so a chart of a
    flight still running does not draw a spend that stopped."""
    budget = _check_budget(budget_by_channel)
    days = _flight(start, end)
    ads = ad_stats.assign(date=pd.to_datetime(ad_stats["date"], errors="coerce").dt.normalize())
    ads = ads[(ads["date"] >= days[0]) & (ads["date"] <= days[-1])]
    spent = ads.groupby(["channel", "date"])["cost"].sum()
    channels = sorted(set(budget) | set(ads["channel"].astype(str)))
    grid = pd.MultiIndex.from_product([channels, days], names=["channel", "date"])
    out = pd.DataFrame(index=grid).reset_index()
    out["actual"] = spent.reindex(grid).fillna(0.0).to_numpy()
    out["planned"] = out["channel"].map(lambda c: budget.get(c, 0.0) / len(days))
    out["planned_cum"] = out.groupby("channel")["planned"].cumsum()
    out["actual_cum"] = out.groupby("channel")["actual"].cumsum()
    out["pacing"] = out["actual_cum"] / out["planned_cum"].where(out["planned_cum"] > 0)
    cut = _as_of(out, days, as_of)
    out.loc[out["date"] > cut, ["actual", "actual_cum", "pacing"]] = np.nan
    return out


def _as_of(daily: pd.DataFrame, days: pd.DatetimeIndex, as_of: str | None) -> pd.Timestamp:
    """The last day the data covers: `as_of` capped to the flight, else the last day with spend."""
    if as_of is None:
        with_spend = daily.loc[daily["actual"] > 0, "date"]
        return with_spend.max() if len(with_spend) else days[0]
    return min(max(pd.Timestamp(as_of).normalize(), days[0]), days[-1])


def pacing_summary(
    ad_stats: pd.DataFrame,
    budget_by_channel: Mapping[str, float],
    start: str,
    end: str,
    as_of: str | None = None,
    recent_days: int = 7,
    tolerance: float = 0.1,
) -> pd.DataFrame:
    """One row per channel: budget, planned_to_date, spent, pacing (spent / planned to date),
    projected (spend at flight end at the recent run rate), projected_vs_budget and status
    ("over-delivering" / "under-delivering" beyond ±tolerance, else "on pace").

    as_of defaults to the last day with spend (capped at the flight end)."""
    if recent_days < 1:
        raise ValueError(f"recent_days must be at least 1; got {recent_days!r}")
    daily = pacing_daily(ad_stats, budget_by_channel, start, end, as_of=as_of)
    budget = _check_budget(budget_by_channel)
    days = _flight(start, end)
    cut = _as_of(daily.fillna({"actual": 0.0}), days, as_of)
    elapsed = int((cut - days[0]).days) + 1
    remaining = len(days) - elapsed
    rows = []
    for ch, g in daily.groupby("channel", sort=True):
        upto = g[g["date"] <= cut]
        spent = float(upto["actual"].sum())
        planned = float(upto["planned"].sum())
        run_rate = float(upto["actual"].tail(recent_days).mean()) if len(upto) else 0.0
        projected = spent + run_rate * remaining
        b = budget.get(ch, 0.0)
        ratio = projected / b if b > 0 else np.nan
        pace = spent / planned if planned > 0 else np.nan
        if b == 0:
            status = "unplanned spend" if spent > 0 else "on pace"
        elif ratio > 1 + tolerance:
            status = "over-delivering"
        elif ratio < 1 - tolerance:
            status = "under-delivering"
        else:
            status = "on pace"
        rows.append(
            {
                "channel": ch,
                "budget": b,
                "planned_to_date": planned,
                "spent": spent,
                "pacing": pace,
                "run_rate": run_rate,
                "projected": projected,
                "projected_vs_budget": ratio,
                "overspend": projected - b,
                "status": status,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update({"as_of": cut.date().isoformat(), "days_elapsed": elapsed, "days_remaining": remaining})
    return out


def in_progress_sentence(pacing: pd.DataFrame) -> str | None:
    """The warning a flight still running needs (actuals to date against whole-flight targets), else None."""
    a = pacing.attrs
    if a.get("days_remaining", 0) <= 0:
        return None
    total = a["days_elapsed"] + a["days_remaining"]
    text = ngettext(
        "The flight is still running: the data end on {as_of}, {elapsed} of {total} day. Actuals are to date while "
        "the targets are for the whole flight, so counts (spend, clicks, conversions, revenue) will still grow; "
        "ratios (CTR, CPA, ROAS) are already comparable. Budget pacing below projects the spend at the flight's end.",
        "The flight is still running: the data end on {as_of}, {elapsed} of {total} days. Actuals are to date while "
        "the targets are for the whole flight, so counts (spend, clicks, conversions, revenue) will still grow; "
        "ratios (CTR, CPA, ROAS) are already comparable. Budget pacing below projects the spend at the flight's end.",
        total,
    )
    return text.format(as_of=a["as_of"], elapsed=a["days_elapsed"], total=total)
