"""Wins, losses and recommendations in words, derived from the computed tables.

Rules are deliberately simple and visible here, so a reader can trace every sentence at the top
of the report to a number further down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Lessons", "derive_lessons"]


@dataclass
class Lessons:
    wins: list[str] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)


def _fmt(kpi: str, v: float) -> str:
    if kpi in ("ctr", "conversion_rate"):
        return f"{v:.2%}"
    if kpi in ("roas", "romi"):
        return f"{v:.2f}"
    return f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"


def derive_lessons(kpi_table: pd.DataFrame, pacing: pd.DataFrame | None = None, experiment=None,
                   attribution: pd.DataFrame | None = None, best_times: pd.DataFrame | None = None,
                   email: pd.DataFrame | None = None, breakdown: pd.DataFrame | None = None) -> Lessons:
    """Turn the report's tables into sentences (each optional input may be None)."""
    out = Lessons()
    for r in kpi_table.itertuples(index=False):
        if r.status not in ("on track", "off track", "at risk") or math.isnan(r.variance_pct):
            continue
        text = (f"{r.name}: {_fmt(r.kpi, r.actual)} against a target of {_fmt(r.kpi, r.target)} "
                f"({r.variance_pct:+.0%})")
        (out.wins if r.status == "on track" else out.losses).append(text)
    if pacing is not None and len(pacing):
        for r in pacing.itertuples(index=False):
            if r.status == "over-delivering":
                out.losses.append(f"{r.channel} is heading to {r.projected:,.0f} against a budget of {r.budget:,.0f} "
                                  f"({r.projected_vs_budget - 1:+.0%})")
                out.recommendations.append(f"Cap {r.channel}'s daily budget or bids: it overspends its plan.")
            elif r.status == "under-delivering":
                out.losses.append(f"{r.channel} spent {r.projected:,.0f} of a {r.budget:,.0f} budget "
                                  f"({r.projected_vs_budget - 1:+.0%})")
                out.recommendations.append(f"Check {r.channel}'s targeting and bids: it could not spend its budget.")
            elif r.status == "unplanned spend":
                out.losses.append(f"{r.channel} spent {r.spent:,.0f} without a planned budget")
    if breakdown is not None and "roas" in breakdown.columns and breakdown["roas"].notna().sum() >= 2:
        b = breakdown.dropna(subset=["roas"])
        best, worst = b.loc[b["roas"].idxmax()], b.loc[b["roas"].idxmin()]
        label = b.columns[0]
        out.wins.append(f"Best ROAS by {label}: {best.iloc[0]} at {best['roas']:.2f}")
        if worst["roas"] < 1:
            out.losses.append(f"{worst.iloc[0]} returned {worst['roas']:.2f} per unit spent (below break-even)")
            out.recommendations.append(f"Move budget from {worst.iloc[0]} (ROAS {worst['roas']:.2f}) "
                                       f"towards {best.iloc[0]} (ROAS {best['roas']:.2f}).")
    if experiment is not None:
        v = experiment.verdict
        if v.startswith("ship "):
            row = experiment.comparisons[(experiment.comparisons["variant"] == v[5:])
                                         & (experiment.comparisons["metric"] == "conversion_rate")]
            lift = f" (conversion rate {row['rel_lift'].iloc[0]:+.1%})" if len(row) else ""
            out.wins.append(f"The experiment found a winner: {v[5:]}{lift}")
        elif v.startswith("stop"):
            out.losses.append("The experiment's traffic split does not match the plan (sample-ratio mismatch)")
        out.recommendations.append(f"Experiment: {v}.")
    if attribution is not None and len(attribution):
        piv = attribution.pivot_table(index="channel", columns="model", values="share", aggfunc="sum")
        if {"last_touch", "markov"} <= set(piv.columns):
            gap = (piv["markov"] - piv["last_touch"]).sort_values()
            if gap.iloc[-1] > 0.05:
                out.recommendations.append(
                    f"{gap.index[-1]} earns {gap.iloc[-1]:.0%} more of the conversions under the data-driven model "
                    "than under last touch: judge it on assisted conversions, not last clicks.")
            if gap.iloc[0] < -0.05:
                out.recommendations.append(
                    f"{gap.index[0]} looks {-gap.iloc[0]:.0%} better under last touch than under Markov: "
                    "it mostly closes journeys other channels opened.")
    if best_times is not None and len(best_times):
        b = best_times.iloc[0]
        rate = f" ({b['rate']:.1%} over {int(b['n']):,})" if "rate" in best_times.columns else ""
        out.recommendations.append(f"Publish around {b['weekday_name']} {int(b['hour']):02d}:00{rate}.")
    if email is not None and len(email):
        tot = email.iloc[-1]
        if tot.get("complaint_rate", 0) and tot["complaint_rate"] > 0.001:
            out.losses.append(f"E-mail complaint rate {tot['complaint_rate']:.2%} is above the 0.1 % that mailbox "
                              "providers tolerate")
            out.recommendations.append("Clean the mailing list and check consent before the next send.")
    return out
