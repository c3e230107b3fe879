"""Wins, losses and recommendations in words, derived from the computed tables.

Rules are deliberately simple and visible here, so a reader can trace every sentence at the top
of the report to a number further down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from workbench.report.format import confidence, signed_pct, slot_label

__all__ = ["Lessons", "derive_lessons"]


@dataclass
class Lessons:
    wins: list[str] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)


def _fmt(kpi: str, v: float) -> str:
    from workbench.analysis.campaigns.kpis import format_kpi

    return format_kpi(kpi, v)


_pct = signed_pct


def derive_lessons(
    kpi_table: pd.DataFrame | None = None,
    pacing: pd.DataFrame | None = None,
    experiment=None,
    attribution: pd.DataFrame | None = None,
    best_times: pd.DataFrame | None = None,
    email: pd.DataFrame | None = None,
    breakdown: pd.DataFrame | None = None,
    leaders: list[dict] | None = None,
    channel_cpa: pd.DataFrame | None = None,
    best_by_device: pd.DataFrame | None = None,
    roi: dict | None = None,
) -> Lessons:
    """Turn the report's tables into sentences; every input may be None (its section is not in
    the report, so it says nothing here either).

    leaders: results of breakdown.compare_leader (e.g. the best creative by CTR); channel_cpa:
    kpis.channel_cpa_vs_plan; best_by_device: timing.best_times_by(..., by="device"); roi:
    roi.response_roi. A KPI "on plan" (within ±1 %) counts as a win, worded as such."""
    out = Lessons()
    if kpi_table is not None:
        _kpi_lessons(out, kpi_table)
    if pacing is not None and len(pacing):
        _pacing_lessons(out, pacing)
    if channel_cpa is not None and len(channel_cpa):
        _cpa_lessons(out, channel_cpa)
    if breakdown is not None and "roas" in breakdown.columns and breakdown["roas"].notna().sum() >= 2:
        _roas_lessons(out, breakdown)
    for lead in leaders or []:
        if lead is not None and lead["clear"]:
            _leader_lesson(out, lead)
    if experiment is not None:
        _experiment_lessons(out, experiment)
    if attribution is not None and len(attribution):
        _attribution_lessons(out, attribution)
    if best_times is not None and len(best_times):
        out.recommendations.append(_best_time_sentence(best_times, best_by_device))
    if email is not None and len(email):
        _email_lessons(out, email)
    if roi is not None:
        (out.losses if roi["profit"] < 0 else out.wins).append(
            f"The response campaign's ROI was {roi['roi']:+.1%} ({roi['responses']:,} responses from "
            f"{roi['contacts']:,} contacts)"
        )
    return out


def _kpi_lessons(out: Lessons, kpi_table: pd.DataFrame) -> None:
    for r in kpi_table.itertuples(index=False):
        if r.status not in ("on track", "on plan", "off track", "at risk") or math.isnan(r.variance_pct):
            continue
        if r.status == "on plan":
            out.wins.append(
                f"{r.name} on plan: {_fmt(r.kpi, r.actual)} against {_fmt(r.kpi, r.target)} ({r.variance_pct:+.1%})"
            )
            continue
        text = f"{r.name}: {_fmt(r.kpi, r.actual)} against a target of {_fmt(r.kpi, r.target)} ({_pct(r.variance_pct)})"
        (out.wins if r.status == "on track" else out.losses).append(text)


def _pacing_lessons(out: Lessons, pacing: pd.DataFrame) -> None:
    for r in pacing.itertuples(index=False):
        if r.status == "over-delivering":
            out.losses.append(
                f"{r.channel} is heading to {r.projected:,.0f} against a budget of {r.budget:,.0f} "
                f"({r.projected_vs_budget - 1:+.0%})"
            )
            out.recommendations.append(f"Cap {r.channel}'s daily budget or bids: it overspends its plan.")
        elif r.status == "under-delivering":
            out.losses.append(
                f"{r.channel} spent {r.projected:,.0f} of a {r.budget:,.0f} budget ({r.projected_vs_budget - 1:+.0%})"
            )
            out.recommendations.append(f"Check {r.channel}'s targeting and bids: it could not spend its budget.")
        elif r.status == "unplanned spend":
            out.losses.append(f"{r.channel} spent {r.spent:,.0f} without a planned budget")


def _cpa_lessons(out: Lessons, channel_cpa: pd.DataFrame) -> None:
    worst = channel_cpa.iloc[0]
    if worst["variance_pct"] > 0.1:
        out.losses.append(
            f"{worst['channel']} has the CPA furthest above plan: {worst['cpa']:,.0f} against "
            f"{worst['cpa_target']:,.0f} planned ({_pct(worst['variance_pct'])})"
        )
        out.recommendations.append(
            f"Review {worst['channel']}'s bids and audiences: each conversion costs "
            f"{_pct(worst['variance_pct'])} more than planned."
        )


def _roas_lessons(out: Lessons, breakdown: pd.DataFrame) -> None:
    b = breakdown.dropna(subset=["roas"])
    best, worst = b.loc[b["roas"].idxmax()], b.loc[b["roas"].idxmin()]
    label = b.columns[0]
    out.wins.append(f"Best ROAS by {label}: {best.iloc[0]} at {best['roas']:.2f}")
    if worst["roas"] < 1:
        out.losses.append(f"{worst.iloc[0]} returned {worst['roas']:.2f} per unit spent (below break-even)")
        out.recommendations.append(
            f"Move budget from {worst.iloc[0]} (ROAS {worst['roas']:.2f}) "
            f"towards {best.iloc[0]} (ROAS {best['roas']:.2f})."
        )


def _leader_lesson(out: Lessons, lead: dict) -> None:
    what = "CTR" if lead["rate"] == "ctr" else "conversion rate"
    level = lead["level"].replace("_", " ")
    out.wins.append(
        f"{lead['leader']} has the best {what} of any {level}: {lead['leader_rate']:.2%} against "
        f"{lead['runner_up_rate']:.2%} for {lead['runner_up']}, {lead['lift']:+.0%} "
        f"({confidence(lead.get('alpha', 0.05))} CI {lead['lift_low']:+.0%} to {lead['lift_high']:+.0%})"
    )
    out.recommendations.append(f"Shift {level} rotation towards {lead['leader']} ({what} {lead['lift']:+.0%}).")


def _experiment_lessons(out: Lessons, experiment) -> None:
    v = experiment.verdict
    if v.startswith("ship "):
        comp = experiment.comparisons
        row = comp[(comp["variant"] == v[5:]) & (comp["metric"] == experiment.metrics[0])]
        lift = (
            f" ({experiment.labels.get(experiment.metrics[0], 'conversion rate')} {row['rel_lift'].iloc[0]:+.1%}, "
            f"{confidence(experiment.alpha)} CI {row['lift_low'].iloc[0]:+.1%} to {row['lift_high'].iloc[0]:+.1%})"
            if len(row)
            else ""
        )
        out.wins.append(f"The A/B test found a winner: {v[5:]}{lift}")
    elif v.startswith("stop"):
        out.losses.append("The experiment's traffic split does not match the plan (sample-ratio mismatch)")
    others = [f"{k}: {t}" for k, t in experiment.verdicts.items() if not v.startswith(f"ship {k}") and t != v]
    out.recommendations.append(f"A/B test: {v}." + (f" ({'; '.join(others)})" if others else ""))


def _attribution_lessons(out: Lessons, attribution: pd.DataFrame) -> None:
    piv = attribution.pivot_table(index="channel", columns="model", values="share", aggfunc="sum")
    if not {"last_touch", "markov"} <= set(piv.columns):
        return
    gap = (piv["markov"] - piv["last_touch"]).sort_values()
    if gap.iloc[-1] > 0.01:
        out.recommendations.append(
            f"{gap.index[-1]} earns {gap.iloc[-1] * 100:.1f} points more of the conversions under the "
            "data-driven model than under last touch: judge it on assisted conversions, not last clicks."
        )
    if gap.iloc[0] < -0.01:
        out.recommendations.append(
            f"{gap.index[0]} gets {-gap.iloc[0] * 100:.1f} points more credit under last touch than under "
            "Markov: it mostly closes journeys other channels opened."
        )


def _email_lessons(out: Lessons, email: pd.DataFrame) -> None:
    tot = email.iloc[-1]
    if tot.get("complaint_rate", 0) and tot["complaint_rate"] > 0.001:
        out.losses.append(
            f"E-mail complaint rate {tot['complaint_rate']:.2%} is above the 0.1 % that mailbox providers tolerate"
        )
        out.recommendations.append("Clean the mailing list and check consent before the next send.")


def _slot(r) -> str:
    return slot_label(r["weekday_name"], r["hour"])


def _best_time_sentence(best: pd.DataFrame, by_device: pd.DataFrame | None) -> str:
    """ "Publish on weekdays around 19–22 h: ..." when the top slots share weekdays (or the weekend)
    and a band of at most four hours, so the pattern is named and not only its single best cell;
    then the device whose best slot converts best, against its own overall rate."""
    b = best.iloc[0]
    if "rate" in best.columns:
        shrunk = f", {b['rate_shrunk']:.1%} after shrinkage" if "rate_shrunk" in best.columns else ""
        evidence = f" ({b['rate']:.1%} conversion over {int(b['n']):,} visits{shrunk})"
    else:
        evidence = f" ({int(b['n']):,} visits)"
    days, hours = best["weekday"].astype(int), best["hour"].astype(int)
    rest = [_slot(r) for _, r in best.iloc[1:].iterrows()]
    others = " and ".join([", ".join(rest[:-1]), rest[-1]] if len(rest) > 2 else rest)
    if len(best) > 1 and hours.max() - hours.min() <= 3 and ((days < 5).all() or (days >= 5).all()):
        when = "weekdays" if (days < 5).all() else "weekends"
        text = (
            f"Publish on {when} around {hours.min():02d}–{hours.max() + 1:02d} h: the best slot is "
            f"{_slot(b)}{evidence}, followed by {others}."
        )
    else:
        text = f"Publish around {_slot(b)}{evidence}" + (f"; next best: {others}." if others else ".")
    if by_device is not None and len(by_device) > 1 and "rate_shrunk" in by_device.columns:
        d = by_device.sort_values("rate_shrunk", ascending=False, kind="mergesort").iloc[0]
        key = by_device.columns[0]
        text += (
            f" By device, {d[key]} visits convert best at their best slot, {_slot(d)}: {d['rate']:.1%} over "
            f"{int(d['n']):,} visits against {d['group_rate']:.1%} for {d[key]} overall."
        )
    return text
