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
from workbench.analysis.performance import plan_text as T
from workbench.i18n import _
from workbench.report.format import grouped, interval, localize_formatted, pct

__all__ = [
    "PlanInputs",
    "budget_view",
    "goal_tiles",
    "goals_record",
    "formats",
    "glossary_view",
    "goals_view",
    "models_view",
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
        else f"{fmt(metric, value)} ({interval(fmt(metric, lo), fmt(metric, hi))})"
    )


def _columns() -> dict[str, str]:
    """Column headers of the plan tables in the current language, by stable key."""
    return {
        "period": _("Period"),
        "goal": _("Goal"),
        "target": _("Target"),
        "actual": _("Actual to date"),
        "elapsed": _("Elapsed"),
        "status": _("Status"),
        "channel": _("Channel"),
        "budget": _("Budget, RUB"),
        "planned_to_date": _("Planned to date, RUB"),
        "spent": _("Spent to date, RUB (share of budget)"),
        "projected": _("Projected at run-rate, RUB (vs budget)"),
        "initiative": _("Initiative"),
        "owner": _("Owner"),
        "deadline": _("Deadline"),
        "serves": _("Goal it serves"),
        "overdue": _("Overdue"),
        "year": _("Year"),
        "outcome": _("Outcome"),
        "gap": _("Gap to target"),
        "current_target": _("Current target"),
        "proposed": _("Proposed (50/50)"),
        "stretch": _("Stretch (1 in 4)"),
        "vs_current": _("Proposed vs current"),
        "metric": _("Metric"),
        "formula": _("Formula"),
        "better": _("Better"),
        "series": _("Series"),
        "model": _("Model"),
    }


def formats(view: str) -> dict[str, str]:
    """The number formats of a view's columns, keyed by their headers in the current language."""
    c = _columns()
    specs = {
        "goals": {"elapsed": "{:.0%}"},
        "budget": {"budget": "{:,.0f}", "planned_to_date": "{:,.0f}", "elapsed": "{:.0%}"},
        "review": {"gap": "{:+.1%}"},
        "revised": {"vs_current": "{:+.1%}"},
    }
    return {c[k]: spec for k, spec in specs[view].items()}


def goals_view(progress: pd.DataFrame, level: float) -> pd.DataFrame:
    """Goals with target, actual, elapsed share, forecast with its interval and status."""
    fmt, rows, c = P.format_metric, progress.to_dict("records"), _columns()
    return pd.DataFrame(
        {
            c["period"]: progress["period"],
            c["goal"]: [_goal(r["metric"], r["better"]) for r in rows],
            c["target"]: [fmt(r["metric"], r["target"]) for r in rows],
            c["actual"]: [fmt(r["metric"], r["actual"]) for r in rows],
            c["elapsed"]: progress["elapsed"],
            _("Forecast at period end ({level} range)").format(level=pct(level)): [
                _with_range(r["metric"], r["forecast"], r["lower"], r["upper"]) for r in rows
            ],
            c["status"]: progress["status"].map(T.status_word),
        }
    )


def goal_tiles(progress: pd.DataFrame) -> list[dict[str, Any]]:
    """One tile per goal still running: its forecast against the target, coloured by status."""
    fmt = P.format_metric
    current = progress[~progress["status"].isin(["achieved", "missed", "no data"])]
    return [
        {
            "label": _("{metric} {period}").format(metric=P.metric_label(r["metric"]), period=r["period"]),
            "value": fmt(r["metric"], r["forecast"]),
            "note": _("forecast; target {target}").format(target=fmt(r["metric"], r["target"])),
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
    b, c = budget_table, _columns()
    spent = [
        f"{grouped(s)} ({pct(sh)})" if pd.notna(sh) else grouped(s)
        for s, sh in zip(b["spent"], b["spent_share"], strict=True)
    ]
    projected = [
        f"{grouped(p)} ({localize_formatted(f'{d:+.0%}')})" if pd.notna(d) else grouped(p)
        for p, d in zip(b["projected"], b["projected_vs_plan"], strict=True)
    ]
    return pd.DataFrame(
        {
            c["period"]: b["period"],
            c["channel"]: b["channel"].map(channel_label),
            c["budget"]: b["planned"],
            c["elapsed"]: b["elapsed"],
            c["planned_to_date"]: b["planned_to_date"],
            c["spent"]: spent,
            c["projected"]: projected,
            c["status"]: b["status"].map(T.status_word),
        }
    )


def initiatives_view(inits: pd.DataFrame) -> pd.DataFrame:
    c = _columns()
    return pd.DataFrame(
        {
            c["initiative"]: inits["name"],
            c["owner"]: inits["owner"],
            c["deadline"]: inits["deadline"],
            c["status"]: inits["status"].map(T.initiative_status),
            c["serves"]: inits["goal"].map(lambda g: P.metric_label(g) if g else "–"),
            c["overdue"]: [
                T.days_late(d) if o else "" for o, d in zip(inits["overdue"], inits["days_overdue"], strict=True)
            ],
        }
    )


def overdue_sentence(overdue: pd.DataFrame) -> str:
    """'Overdue: Rebuild landing pages — Igor Smirnov, 12 days late; …'."""
    return _("Overdue: {listed}").format(
        listed="; ".join(
            _("{name} — {owner}, {late} late").format(
                name=r["name"], owner=r["owner"], late=T.days_late(r["days_overdue"])
            )
            for r in overdue.to_dict("records")
        )
    )


def review_view(review: pd.DataFrame) -> pd.DataFrame:
    """Plan vs what happened by year: target, outcome (actual or forecast with its range), gap, status."""
    rows, c = review.to_dict("records"), _columns()
    outcome = [_with_range(r["metric"], r["outcome"], r["lower"], r["upper"]) for r in rows]
    return pd.DataFrame(
        {
            c["year"]: review["period"],
            c["goal"]: [_goal(r["metric"], r["better"]) for r in rows],
            c["target"]: [P.format_metric(r["metric"], r["target"]) for r in rows],
            c["outcome"]: [
                text if r["basis"] == "actual" else _("{outcome} forecast").format(outcome=text)
                for text, r in zip(outcome, rows, strict=True)
            ],
            c["gap"]: review["gap"],
            c["status"]: review["status"].map(T.status_word),
        }
    )


def revised_view(revised: pd.DataFrame) -> pd.DataFrame:
    """Current targets against the forecast's central (50/50) and favourable-quartile (stretch) values."""
    fmt, rows, c = P.format_metric, revised.to_dict("records"), _columns()
    return pd.DataFrame(
        {
            c["year"]: revised["period"],
            c["goal"]: [_goal(r["metric"], r["better"]) for r in rows],
            c["current_target"]: [fmt(r["metric"], r["current_target"]) for r in rows],
            c["proposed"]: [fmt(r["metric"], r["proposed"]) for r in rows],
            c["stretch"]: [fmt(r["metric"], r["stretch"]) for r in rows],
            c["vs_current"]: revised["change_vs_current"],
        }
    )


def glossary_view(glossary: pd.DataFrame) -> pd.DataFrame:
    """The plan metrics with their formulas and direction, in the reader's words."""
    c = _columns()
    return pd.DataFrame(
        {
            c["metric"]: glossary["metric"].map(P.metric_label),
            c["formula"]: [T.formula_words(m, f) for m, f in zip(glossary["metric"], glossary["formula"], strict=True)],
            c["better"]: glossary["better"].map(T.better_word),
        }
    )


def models_view(models: dict[str, str]) -> pd.DataFrame:
    """Which forecast model was fitted on each series, in the reader's words."""
    c = _columns()
    return pd.DataFrame(
        {c["series"]: [P.metric_label(b) for b in models], c["model"]: [T.model_words(m) for m in models.values()]}
    )
