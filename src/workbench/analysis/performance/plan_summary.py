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
from workbench.analysis.performance.plan_text import days_late, series_in, status_word
from workbench.i18n import _, ngettext
from workbench.report.format import date_pattern, interval, join_list, money, month, pct, signed_pct

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


def _goal_name(r: Any) -> str:
    return _("{metric} {period}").format(metric=label(r["metric"]), period=r["period"])


def _iso(value: Any) -> str:
    """A date as the plan's params write it (2026-06-30), the same in every language."""
    return str(pd.Timestamp(value).date())


def _range(metric: str, lo: Any, hi: Any) -> str:
    return interval(fmt(metric, lo), fmt(metric, hi))


def goal_sentences(progress: pd.DataFrame, as_of_date: pd.Timestamp, as_of_month: pd.Period) -> list[str]:
    """Status counts, this year's revenue, then every off-track and at-risk goal."""
    open_goals = progress[~progress["status"].isin(CLOSED)]
    n = open_goals["status"].value_counts()
    closed = progress[progress["status"].isin(["achieved", "missed"])]
    won, lost = int((closed["status"] == "achieved").sum()), int((closed["status"] == "missed").sum())
    out = [
        _("Review date {date} (data through {month}).").format(
            date=_iso(as_of_date), month=month(as_of_month.start_time)
        )
        + " "
        + ngettext(
            "Of {n} goal whose period is still running, {on} are on track, {risk} at risk and {off} off track;",
            "Of {n} goals whose period is still running, {on} are on track, {risk} at risk and {off} off track;",
            len(open_goals),
        ).format(n=len(open_goals), on=n.get("on track", 0), risk=n.get("at risk", 0), off=n.get("off track", 0))
        + " "
        + ngettext(
            "of {n} goal of finished periods, {won} were achieved and {lost} missed.",
            "of {n} goals of finished periods, {won} were achieved and {lost} missed.",
            len(closed),
        ).format(n=len(closed), won=won, lost=lost)
    ]
    year_rev = progress[(progress["period"] == str(as_of_month.year)) & (progress["metric"] == "revenue")]
    if len(year_rev):
        r = year_rev.iloc[0]
        out.append(
            _(
                "Revenue {year} to date: {actual} of the {target} target ({share} after {elapsed} of the year); "
                "forecast for the year {forecast} ({range}): {status}."
            ).format(
                year=as_of_month.year,
                actual=fmt("revenue", r["actual"]),
                target=fmt("revenue", r["target"]),
                share=pct(r["actual"] / r["target"]),
                elapsed=pct(r["elapsed"]),
                forecast=fmt("revenue", r["forecast"]),
                range=_range("revenue", r["lower"], r["upper"]),
                status=status_word(r["status"]),
            )
        )
    for _i, g in open_goals[open_goals["status"] == "off track"].iterrows():
        m = g["metric"]
        text = (
            _("Off track: {goal} — forecast {forecast} (range {range}) against a target of {target} (lower is better).")
            if g["better"] == "lower"
            else _("Off track: {goal} — forecast {forecast} (range {range}) against a target of {target}.")
        )
        out.append(
            text.format(
                goal=_goal_name(g),
                forecast=fmt(m, g["forecast"]),
                range=_range(m, g["lower"], g["upper"]),
                target=fmt(m, g["target"]),
            )
        )
    for _i, g in open_goals[open_goals["status"] == "at risk"].iterrows():
        text = (
            _(
                "At risk: {goal} — the target {target} is within the forecast range but above the central forecast "
                "{forecast}."
            )
            if g["better"] == "higher"
            else _(
                "At risk: {goal} — the target {target} is within the forecast range but below the central forecast "
                "{forecast}."
            )
        )
        out.append(
            text.format(
                goal=_goal_name(g), target=fmt(g["metric"], g["target"]), forecast=fmt(g["metric"], g["forecast"])
            )
        )
    return out


def budget_sentences(budget: pd.DataFrame | None, channel_label=str, currency: str = "RUB") -> list[str]:
    """One sentence per channel over or under its budget: spent (closed period) or projected."""
    if budget is None:
        return []
    out = []
    for _i, b in budget[budget["status"].isin(["over", "under"])].iterrows():
        ch, vs = channel_label(b["channel"]), signed_pct(b["projected_vs_plan"])
        spent, planned = money(b["spent"], currency, millions=False), money(b["planned"], currency, millions=False)
        if b["elapsed"] >= 1:  # a finished period: what was spent, not a projection
            text = _("Budget {period} (closed): {channel} spent {spent}, {change} against its budget of {planned}.")
        else:
            text = _(
                "Budget {period}: {channel} is on course to spend {change} against its budget ({spent} spent of "
                "{planned} after {elapsed} of the period)."
            )
        out.append(
            text.format(
                period=b["period"], channel=ch, spent=spent, change=vs, planned=planned, elapsed=pct(b["elapsed"])
            )
        )
    return out


def flight_sentence(flights: dict, models: dict[str, str]) -> str | None:
    """Which series a one-off campaign flight lifted (its lift estimated, not carried forward)."""
    if not flights:
        return None
    lifted = [b for b, f in models.items() if "one-off lift fitted" in f]
    spans = join_list(
        [
            _("{name} ({first} – {last})").format(
                name=n, first=date_pattern(a, "dd MMM"), last=date_pattern(z, "dd MMM y")
            )
            for n, (a, z) in flights.items()
        ]
    )
    if not lifted:
        return _(
            "Campaign flight {spans} is treated as a one-off: it lifted no series distinguishably, and it is not "
            "carried into the forecasts after its last day."
        ).format(spans=spans)
    return _(
        "Campaign flight {spans} is treated as a one-off: its lift in {series} is estimated as its own effect "
        "and not carried into the forecasts after its last day (in other series it was not distinguishable "
        "from no lift)."
    ).format(spans=spans, series=join_list([series_in(b) for b in lifted]))


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
            _("{name} ({owner}, due {deadline}, {late} late)").format(
                name=r["name"], owner=r["owner"], deadline=_iso(r["deadline"]), late=days_late(r["days_overdue"])
            )
            for _i, r in overdue.iterrows()
        )
        out.sentences.append(
            ngettext("{n} initiative overdue: {listed}.", "{n} initiatives overdue: {listed}.", len(overdue)).format(
                n=len(overdue), listed=listed
            )
        )
    n = progress[~progress["status"].isin(CLOSED)]["status"].value_counts()
    out.headline = {
        _("Open goals on track"): int(n.get("on track", 0)),
        _("At risk"): int(n.get("at risk", 0)),
        _("Off track"): int(n.get("off track", 0)),
    }
    year_rev = progress[(progress["period"] == str(as_of_month.year)) & (progress["metric"] == "revenue")]
    if len(year_rev):
        r = year_rev.iloc[0]
        out.headline[_("Revenue {year} YTD").format(year=as_of_month.year)] = _("{value} ({share} of target)").format(
            value=fmt("revenue", r["actual"]), share=pct(r["actual"] / r["target"])
        )
    over = budget[budget["status"] == "over"] if budget is not None else None
    if over is not None and len(over):
        worst = over.sort_values("projected_vs_plan").iloc[-1]
        out.headline[_("Over budget")] = _("{channel} {change} ({period})").format(
            channel=channel_label(worst["channel"]),
            change=signed_pct(worst["projected_vs_plan"]),
            period=worst["period"],
        )
    return out


def unavailable_sentence(unavailable: dict[str, list[str]]) -> str | None:
    """Goals left out because a dataset they need is absent (plan.goals_needing)."""
    if not unavailable:
        return None
    listed = "; ".join(
        _("{metric} (needs {series})").format(metric=label(m), series=", ".join(label(x).lower() for x in b))
        for m, b in unavailable.items()
    )
    return _("Goals left out because an input is absent: {listed}").format(listed=listed)
