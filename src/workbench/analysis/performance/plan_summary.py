"""What the marketing plan tracker says: executive-summary sentences and the index headline.

Every sentence is built here from the tables the plan analysis computed (goals_progress,
budget_status, initiatives_status), so each wording rule is written once and unit-tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.analysis.performance.plan import format_metric as fmt
from workbench.analysis.performance.plan import metric_label as label
from workbench.report.format import pct, signed_pct

__all__ = [
    "CLOSED",
    "PlanSummary",
    "budget_sentences",
    "flight_sentence",
    "goal_sentences",
    "plan_summary",
    "unavailable_sentence",
]

CLOSED = ("achieved", "missed", "no data")


@dataclass
class PlanSummary:
    sentences: list[str] = field(default_factory=list)
    headline: dict[str, Any] = field(default_factory=dict)


def _goal_name(r: pd.Series) -> str:
    return f"{label(r['metric'])} {r['period']}"


def goal_sentences(progress: pd.DataFrame, as_of_date: pd.Timestamp, as_of_month: pd.Period) -> list[str]:
    """Status counts, this year's revenue, then every off-track and at-risk goal."""
    open_goals = progress[~progress["status"].isin(CLOSED)]
    n = open_goals["status"].value_counts()
    closed = progress[progress["status"].isin(["achieved", "missed"])]
    won, lost = int((closed["status"] == "achieved").sum()), int((closed["status"] == "missed").sum())
    out = [
        f"Review date {as_of_date.date()} (data through {as_of_month:%B %Y}). Of {len(open_goals)} goals whose "
        f"period is still running, {n.get('on track', 0)} are on track, {n.get('at risk', 0)} at risk and "
        f"{n.get('off track', 0)} off track; of {len(closed)} goals of finished periods, "
        f"{won} were achieved and {lost} missed."
    ]
    year_rev = progress[(progress["period"] == str(as_of_month.year)) & (progress["metric"] == "revenue")]
    if len(year_rev):
        r = year_rev.iloc[0]
        out.append(
            f"Revenue {as_of_month.year} to date: {fmt('revenue', r['actual'])} of the {fmt('revenue', r['target'])} "
            f"target ({pct(r['actual'] / r['target'])} after {pct(r['elapsed'])} of the year); forecast for the "
            f"year {fmt('revenue', r['forecast'])} ({fmt('revenue', r['lower'])} – {fmt('revenue', r['upper'])}): "
            f"{r['status']}."
        )
    for _, g in open_goals[open_goals["status"] == "off track"].iterrows():
        m = g["metric"]
        out.append(
            f"Off track: {_goal_name(g)} — forecast {fmt(m, g['forecast'])} (range {fmt(m, g['lower'])} – "
            f"{fmt(m, g['upper'])}) against a target of {fmt(m, g['target'])}"
            + (" (lower is better)." if g["better"] == "lower" else ".")
        )
    for _, g in open_goals[open_goals["status"] == "at risk"].iterrows():
        side = "above" if g["better"] == "higher" else "below"
        out.append(
            f"At risk: {_goal_name(g)} — the target {fmt(g['metric'], g['target'])} is within the forecast range "
            f"but {side} the central forecast {fmt(g['metric'], g['forecast'])}."
        )
    return out


def budget_sentences(budget: pd.DataFrame | None, channel_label=str, currency: str = "RUB") -> list[str]:
    """One sentence per channel over or under its budget: spent (closed period) or projected."""
    if budget is None:
        return []
    out = []
    for _, b in budget[budget["status"].isin(["over", "under"])].iterrows():
        ch, vs = channel_label(b["channel"]), signed_pct(b["projected_vs_plan"])
        if b["elapsed"] >= 1:  # a finished period: what was spent, not a projection
            out.append(
                f"Budget {b['period']} (closed): {ch} spent {b['spent']:,.0f} {currency}, {vs} against its budget "
                f"of {b['planned']:,.0f} {currency}."
            )
        else:
            out.append(
                f"Budget {b['period']}: {ch} is on course to spend {vs} against its budget ({b['spent']:,.0f} "
                f"{currency} spent of {b['planned']:,.0f} {currency} after {pct(b['elapsed'])} of the period)."
            )
    return out


def flight_sentence(flights: dict, models: dict[str, str]) -> str | None:
    """Which series a one-off campaign flight lifted (its lift estimated, not carried forward)."""
    if not flights:
        return None
    lifted = [b for b, f in models.items() if "one-off lift fitted" in f]
    spans = ", ".join(f"{n} ({a:%d %b} – {z:%d %b %Y})" for n, (a, z) in flights.items())
    series = ", ".join(label(b).lower() for b in lifted) or "no series"
    return (
        f"Campaign flight {spans} is treated as a one-off: its lift in {series} is estimated as its own effect "
        "and not carried into the forecasts after its last day (in other series it was not distinguishable "
        "from no lift)."
    )


def plan_summary(
    progress: pd.DataFrame,
    as_of_date: pd.Timestamp,
    as_of_month: pd.Period,
    *,
    budget: pd.DataFrame | None = None,
    initiatives: pd.DataFrame | None = None,
    flights: dict | None = None,
    models: dict[str, str] | None = None,
    channel_label=str,
) -> PlanSummary:
    """Executive summary and headline of the plan tracker from its computed tables."""
    out = PlanSummary(goal_sentences(progress, as_of_date, as_of_month))
    out.sentences += budget_sentences(budget, channel_label)
    text = flight_sentence(flights or {}, models or {})
    if text:
        out.sentences.append(text)
    overdue = initiatives[initiatives["overdue"]] if initiatives is not None else pd.DataFrame()
    if len(overdue):
        listed = "; ".join(
            f"{r['name']} ({r['owner']}, due {r['deadline']}, {r['days_overdue']} days late)"
            for _, r in overdue.iterrows()
        )
        out.sentences.append(f"{len(overdue)} initiative(s) overdue: {listed}.")
    n = progress[~progress["status"].isin(CLOSED)]["status"].value_counts()
    out.headline = {
        "Open goals on track": int(n.get("on track", 0)),
        "At risk": int(n.get("at risk", 0)),
        "Off track": int(n.get("off track", 0)),
    }
    year_rev = progress[(progress["period"] == str(as_of_month.year)) & (progress["metric"] == "revenue")]
    if len(year_rev):
        r = year_rev.iloc[0]
        out.headline[f"Revenue {as_of_month.year} YTD"] = (
            f"{fmt('revenue', r['actual'])} ({pct(r['actual'] / r['target'])} of target)"
        )
    over = budget[budget["status"] == "over"] if budget is not None else None
    if over is not None and len(over):
        worst = over.sort_values("projected_vs_plan").iloc[-1]
        out.headline["Over budget"] = (
            f"{channel_label(worst['channel'])} {signed_pct(worst['projected_vs_plan'])} ({worst['period']})"
        )
    return out


def unavailable_sentence(unavailable: dict[str, list[str]]) -> str | None:
    """Goals left out because a dataset they need is absent (plan.goals_needing)."""
    if not unavailable:
        return None
    listed = ", ".join(f"{label(m)} (needs {', '.join(b)})" for m, b in unavailable.items())
    return f"Goals left out because an input is absent: {listed}"
