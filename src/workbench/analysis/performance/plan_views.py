"""The marketing-plan report as a reader sees it: the history it is judged on, and its tables in words.

`prepare_plan` turns the loaded files and the params into what every section reads (the plan without
goals the data cannot measure, the monthly history up to the as-of date, the known campaign flights);
the `*_view` functions turn computed tables into readable ones. Numbers come from `plan.py`; nothing
here computes a statistic, so the notebook is narrative and calls and every cell stays short.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.analysis.performance import plan as P

__all__ = [
    "PlanInputs",
    "budget_view",
    "goal_tiles",
    "goals_record",
    "goals_view",
    "initiatives_view",
    "overdue_sentence",
    "prepare_plan",
    "revised_view",
    "review_view",
]


@dataclass
class PlanInputs:
    """What every section of the plan report reads, fixed once at the as-of date."""

    plan: P.Plan
    as_of_date: pd.Timestamp
    as_of_month: pd.Period
    history: pd.DataFrame  # monthly base series up to the as-of month
    unavailable: dict[str, list[str]]  # goals the data cannot measure: metric -> periods
    events: pd.DataFrame | None  # campaign-flight regressors, months × flights
    flights: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # flight -> (first, last day)


def _until(frame: pd.DataFrame | None, column: str, as_of: pd.Timestamp) -> pd.DataFrame | None:
    """Rows dated up to the end of the as-of day."""
    if frame is None:
        return None
    end = as_of + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    return frame[pd.to_datetime(frame[column]) <= end]


def prepare_plan(
    goals: Mapping,
    budget: Mapping | None,
    initiatives: list | None,
    orders: pd.DataFrame,
    sessions: pd.DataFrame | None,
    ad_stats: pd.DataFrame | None,
    as_of: str,
    campaign_flights: list[str],
) -> PlanInputs:
    """The validated plan judged on the data up to `as_of` (default: the last complete month)."""
    the_plan = P.validate_plan(goals, budget, initiatives)
    stamps = pd.concat([orders["order_date"]] + ([sessions["started_at"]] if sessions is not None else []))
    as_of_date, as_of_month = P.resolve_as_of(as_of, stamps)
    orders_, sessions_ = _until(orders, "order_date", as_of_date), _until(sessions, "started_at", as_of_date)
    ads_ = _until(ad_stats, "date", as_of_date)
    history = P.base_series(sessions_, orders_, ads_, through=as_of_month)
    unavailable = P.goals_needing(the_plan, set(history.columns))
    if unavailable:
        kept = {p: {m: t for m, t in g.items() if m not in unavailable} for p, g in the_plan.goals.items()}
        the_plan = P.validate_plan({p: g for p, g in kept.items() if g}, budget, initiatives)
    months_ahead = pd.period_range(history.index[0], pd.Period(f"{as_of_month.year + 1}-12", "M"), freq="M")
    events = (
        P.campaign_flights(ads_, list(campaign_flights), months_ahead)
        if ads_ is not None and campaign_flights
        else None
    )
    flights = {}
    if events is not None:
        for name in events.columns:
            days = ads_.loc[ads_["campaign"] == name, "date"]
            flights[name] = (days.min().date(), days.max().date())
    return PlanInputs(the_plan, as_of_date, as_of_month, history, unavailable, events, flights)


def _goal(metric: str, better: str) -> str:
    return P.metric_label(metric) + (" ↓" if better == "lower" else "")


def _with_range(metric: str, value: Any, lo: Any, hi: Any) -> str:
    fmt = P.format_metric
    return (
        fmt(metric, value)
        if pd.isna(lo) or lo == hi
        else f"{fmt(metric, value)} ({fmt(metric, lo)} – {fmt(metric, hi)})"
    )


def goals_view(progress: pd.DataFrame, level: float) -> pd.DataFrame:
    """Goals with target, actual, elapsed share, forecast with its interval and status."""
    fmt, rows = P.format_metric, progress.to_dict("records")
    return pd.DataFrame(
        {
            "Period": progress["period"],
            "Goal": [_goal(r["metric"], r["better"]) for r in rows],
            "Target": [fmt(r["metric"], r["target"]) for r in rows],
            "Actual to date": [fmt(r["metric"], r["actual"]) for r in rows],
            "Elapsed": progress["elapsed"],
            f"Forecast at period end ({level:.0%} range)": [
                _with_range(r["metric"], r["forecast"], r["lower"], r["upper"]) for r in rows
            ],
            "Status": progress["status"],
        }
    )


def goal_tiles(progress: pd.DataFrame) -> list[dict[str, Any]]:
    """One tile per goal still running: its forecast against the target, coloured by status."""
    fmt = P.format_metric
    current = progress[~progress["status"].isin(["achieved", "missed", "no data"])]
    return [
        {
            "label": f"{P.metric_label(r['metric'])} {r['period']}",
            "value": fmt(r["metric"], r["forecast"]),
            "note": f"forecast; target {fmt(r['metric'], r['target'])}",
            "status": r["status"],
        }
        for r in current.to_dict("records")
    ]


def goals_record(progress: pd.DataFrame) -> list[dict[str, Any]]:
    """The goals as results.json holds them."""
    keys = ("period", "metric", "better", "target", "actual", "forecast")
    return [
        {
            **{k: r[k] for k in keys},
            "interval": [r["lower"], r["upper"]],
            "elapsed": r["elapsed"],
            "status": r["status"],
        }
        for r in progress.to_dict("records")
    ]


def budget_view(budget_table: pd.DataFrame, channel_label: Callable[[str], str]) -> pd.DataFrame:
    """Budget by channel: planned, elapsed, planned and spent to date, projection at run-rate, status."""
    b = budget_table
    spent = [
        f"{s:,.0f} ({sh:.0%})" if pd.notna(sh) else f"{s:,.0f}"
        for s, sh in zip(b["spent"], b["spent_share"], strict=True)
    ]
    projected = [
        f"{p:,.0f} ({d:+.0%})" if pd.notna(d) else f"{p:,.0f}"
        for p, d in zip(b["projected"], b["projected_vs_plan"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Period": b["period"],
            "Channel": b["channel"].map(channel_label),
            "Budget, RUB": b["planned"],
            "Elapsed": b["elapsed"],
            "Planned to date, RUB": b["planned_to_date"],
            "Spent to date, RUB (share of budget)": spent,
            "Projected at run-rate, RUB (vs budget)": projected,
            "Status": b["status"],
        }
    )


def initiatives_view(inits: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Initiative": inits["name"],
            "Owner": inits["owner"],
            "Deadline": inits["deadline"],
            "Status": inits["status"].str.replace("_", " "),
            "Goal it serves": inits["goal"].map(lambda g: P.metric_label(g) if g else "–"),
            "Overdue": [f"{d} days" if o else "" for o, d in zip(inits["overdue"], inits["days_overdue"], strict=True)],
        }
    )


def overdue_sentence(overdue: pd.DataFrame) -> str:
    """'Overdue: Rebuild landing pages — Igor Smirnov, 12 days late; …'."""
    return "Overdue: " + "; ".join(
        f"{r['name']} — {r['owner']}, {r['days_overdue']} days late" for r in overdue.to_dict("records")
    )


def review_view(review: pd.DataFrame) -> pd.DataFrame:
    """Plan vs what happened by year: target, outcome (actual or forecast with its range), gap, status."""
    rows = review.to_dict("records")
    return pd.DataFrame(
        {
            "Year": review["period"],
            "Goal": [_goal(r["metric"], r["better"]) for r in rows],
            "Target": [P.format_metric(r["metric"], r["target"]) for r in rows],
            "Outcome": [
                _with_range(r["metric"], r["outcome"], r["lower"], r["upper"])
                + ("" if r["basis"] == "actual" else " forecast")
                for r in rows
            ],
            "Gap to target": review["gap"],
            "Status": review["status"],
        }
    )


def revised_view(revised: pd.DataFrame) -> pd.DataFrame:
    """Current targets against the forecast's central (50/50) and favourable-quartile (stretch) values."""
    fmt, rows = P.format_metric, revised.to_dict("records")
    return pd.DataFrame(
        {
            "Year": revised["period"],
            "Goal": [_goal(r["metric"], r["better"]) for r in rows],
            "Current target": [fmt(r["metric"], r["current_target"]) for r in rows],
            "Proposed (50/50)": [fmt(r["metric"], r["proposed"]) for r in rows],
            "Stretch (1 in 4)": [fmt(r["metric"], r["stretch"]) for r in rows],
            "Proposed vs current": revised["change_vs_current"],
        }
    )
