"""Wins, losses and recommendations in words, derived from the computed tables.

Rules are deliberately simple and visible here, so a reader can trace every sentence at the top
of the report to a number further down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from workbench.i18n import _, ngettext
from workbench.report.format import confidence, grouped, join_list, localize_formatted, pct, signed_pct, slot_label

__all__ = ["Lessons", "derive_lessons"]


@dataclass
class Lessons:
    wins: list[str] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)


def _p(value: float, spec: str) -> str:
    """A number Python formats with `spec`, in the report's language ('+4.2%' / '+4,2 %')."""
    return localize_formatted(format(value, spec))


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
        text = ngettext(
            "The response campaign's ROI was {roi} ({responses} response from {contacts} contacts)",
            "The response campaign's ROI was {roi} ({responses} responses from {contacts} contacts)",
            roi["responses"],
        ).format(roi=_p(roi["roi"], "+.1%"), responses=grouped(roi["responses"]), contacts=grouped(roi["contacts"]))
        (out.losses if roi["profit"] < 0 else out.wins).append(text)
    return out


def _kpi_lessons(out: Lessons, kpi_table: pd.DataFrame) -> None:
    for r in kpi_table.itertuples(index=False):
        if r.status not in ("on track", "on plan", "off track", "at risk") or math.isnan(r.variance_pct):
            continue
        if r.status == "on plan":
            out.wins.append(
                _("{kpi} on plan: {actual} against {target} ({variance})").format(
                    kpi=_(r.name),
                    actual=_fmt(r.kpi, r.actual),
                    target=_fmt(r.kpi, r.target),
                    variance=_p(r.variance_pct, "+.1%"),
                )
            )
            continue
        text = _("{kpi}: {actual} against a target of {target} ({variance})").format(
            kpi=_(r.name), actual=_fmt(r.kpi, r.actual), target=_fmt(r.kpi, r.target), variance=_pct(r.variance_pct)
        )
        (out.wins if r.status == "on track" else out.losses).append(text)


def _pacing_lessons(out: Lessons, pacing: pd.DataFrame) -> None:
    for r in pacing.itertuples(index=False):
        values = {
            "channel": r.channel,
            "projected": grouped(r.projected),
            "budget": grouped(r.budget),
            "change": _p(r.projected_vs_budget - 1, "+.0%"),
        }
        if r.status == "over-delivering":
            out.losses.append(
                _("{channel} is heading to {projected} against a budget of {budget} ({change})").format(**values)
            )
            out.recommendations.append(
                _("Cap {channel}'s daily budget or bids: it overspends its plan.").format(channel=r.channel)
            )
        elif r.status == "under-delivering":
            out.losses.append(_("{channel} spent {projected} of a {budget} budget ({change})").format(**values))
            out.recommendations.append(
                _("Check {channel}'s targeting and bids: it could not spend its budget.").format(channel=r.channel)
            )
        elif r.status == "unplanned spend":
            out.losses.append(
                _("{channel} spent {spent} without a planned budget").format(channel=r.channel, spent=grouped(r.spent))
            )


def _cpa_lessons(out: Lessons, channel_cpa: pd.DataFrame) -> None:
    worst = channel_cpa.iloc[0]
    if worst["variance_pct"] > 0.1:
        values = {
            "channel": worst["channel"],
            "cpa": grouped(worst["cpa"]),
            "target": grouped(worst["cpa_target"]),
            "variance": _pct(worst["variance_pct"]),
        }
        out.losses.append(
            _("{channel} has the CPA furthest above plan: {cpa} against {target} planned ({variance})").format(**values)
        )
        out.recommendations.append(
            _("Review {channel}'s bids and audiences: each conversion costs {variance} more than planned.").format(
                **values
            )
        )


def _roas_lessons(out: Lessons, breakdown: pd.DataFrame) -> None:
    b = breakdown.dropna(subset=["roas"])
    best, worst = b.loc[b["roas"].idxmax()], b.loc[b["roas"].idxmin()]
    from workbench.analysis.campaigns.text import level_name

    label = b.columns[0]
    best_roas, worst_roas = _p(best["roas"], ".2f"), _p(worst["roas"], ".2f")
    out.wins.append(
        _("Best ROAS by {level}: {best} at {roas}").format(level=level_name(label), best=best.iloc[0], roas=best_roas)
    )
    if worst["roas"] < 1:
        out.losses.append(
            _("{worst} returned {roas} per unit spent (below break-even)").format(worst=worst.iloc[0], roas=worst_roas)
        )
        out.recommendations.append(
            _("Move budget from {worst} (ROAS {worst_roas}) towards {best} (ROAS {best_roas}).").format(
                worst=worst.iloc[0], worst_roas=worst_roas, best=best.iloc[0], best_roas=best_roas
            )
        )


def _leader_lesson(out: Lessons, lead: dict) -> None:
    from workbench.analysis.campaigns.text import level_name

    level = level_name(lead["level"], "genitive")
    values = {
        "leader": lead["leader"],
        "level": level,
        "leader_rate": pct(lead["leader_rate"], 2),
        "runner_up_rate": pct(lead["runner_up_rate"], 2),
        "runner_up": lead["runner_up"],
        "lift": _p(lead["lift"], "+.0%"),
        "ci": localize_formatted(confidence(lead.get("alpha", 0.05))),
        "low": _p(lead["lift_low"], "+.0%"),
        "high": _p(lead["lift_high"], "+.0%"),
    }
    if lead["rate"] == "ctr":
        win = _(
            "{leader} has the best CTR of any {level}: {leader_rate} against {runner_up_rate} for {runner_up}, "
            "{lift} ({ci} CI {low} to {high})"
        )
        rec = _("Shift {level} rotation towards {leader} (CTR {lift}).")
    else:
        win = _(
            "{leader} has the best conversion rate of any {level}: {leader_rate} against {runner_up_rate} for "
            "{runner_up}, {lift} ({ci} CI {low} to {high})"
        )
        rec = _("Shift {level} rotation towards {leader} (conversion rate {lift}).")
    out.wins.append(win.format(**values))
    out.recommendations.append(rec.format(**values))


def _experiment_lessons(out: Lessons, experiment) -> None:
    from workbench.analysis.campaigns.verdicts import metric_label

    v = experiment.verdict  # English: the decision is read from it; the sentences use the shown readings
    shown = experiment.verdicts_shown or experiment.verdicts
    if v.startswith("ship "):
        comp = experiment.comparisons
        row = comp[(comp["variant"] == v[5:]) & (comp["metric"] == experiment.metrics[0])]
        if len(row):
            text = _("The A/B test found a winner: {variant} ({metric} {lift}, {ci} CI {low} to {high})").format(
                variant=v[5:],
                metric=metric_label(experiment, experiment.metrics[0]),
                lift=_p(row["rel_lift"].iloc[0], "+.1%"),
                ci=localize_formatted(confidence(experiment.alpha)),
                low=_p(row["lift_low"].iloc[0], "+.1%"),
                high=_p(row["lift_high"].iloc[0], "+.1%"),
            )
        else:
            text = _("The A/B test found a winner: {variant}").format(variant=v[5:])
        out.wins.append(text)
    elif v.startswith("stop"):
        out.losses.append(_("The experiment's traffic split does not match the plan (sample-ratio mismatch)"))
    others = [f"{k}: {shown[k]}" for k, t in experiment.verdicts.items() if not v.startswith(f"ship {k}") and t != v]
    verdict = experiment.verdict_shown or v
    text = _("A/B test: {verdict}.").format(verdict=verdict)
    out.recommendations.append(text + (f" ({'; '.join(others)})" if others else ""))


def _attribution_lessons(out: Lessons, attribution: pd.DataFrame) -> None:
    piv = attribution.pivot_table(index="channel", columns="model", values="share", aggfunc="sum")
    if not {"last_touch", "markov"} <= set(piv.columns):
        return
    gap = (piv["markov"] - piv["last_touch"]).sort_values()
    if gap.iloc[-1] > 0.01:
        out.recommendations.append(
            _(
                "{channel} earns {points} points more of the conversions under the data-driven model than under "
                "last touch: judge it on assisted conversions, not last clicks."
            ).format(channel=gap.index[-1], points=_p(gap.iloc[-1] * 100, ".1f"))
        )
    if gap.iloc[0] < -0.01:
        out.recommendations.append(
            _(
                "{channel} gets {points} points more credit under last touch than under Markov: it mostly closes "
                "journeys other channels opened."
            ).format(channel=gap.index[0], points=_p(-gap.iloc[0] * 100, ".1f"))
        )


def _email_lessons(out: Lessons, email: pd.DataFrame) -> None:
    tot = email.iloc[-1]
    if tot.get("complaint_rate", 0) and tot["complaint_rate"] > 0.001:
        out.losses.append(
            _("E-mail complaint rate {rate} is above the 0.1 % that mailbox providers tolerate").format(
                rate=pct(tot["complaint_rate"], 2)
            )
        )
        out.recommendations.append(_("Clean the mailing list and check consent before the next send."))


def _slot(r) -> str:
    from workbench.analysis.performance.traffic import weekday_abbr

    return slot_label(weekday_abbr(str(r["weekday_name"])), r["hour"])


def _best_time_sentence(best: pd.DataFrame, by_device: pd.DataFrame | None) -> str:
    """ "Publish on weekdays around 19–22 h: ..." when the top slots share weekdays (or the weekend)
    and a band of at most four hours, so the pattern is named and not only its single best cell;
    then the device whose best slot converts best, against its own overall rate."""
    b = best.iloc[0]
    if "rate" in best.columns and "rate_shrunk" in best.columns:
        evidence = ngettext(
            " ({rate} conversion over {n} visit, {shrunk} after shrinkage)",
            " ({rate} conversion over {n} visits, {shrunk} after shrinkage)",
            int(b["n"]),
        ).format(rate=pct(b["rate"], 1), n=grouped(int(b["n"])), shrunk=pct(b["rate_shrunk"], 1))
    elif "rate" in best.columns:
        evidence = ngettext(
            " ({rate} conversion over {n} visit)", " ({rate} conversion over {n} visits)", int(b["n"])
        ).format(rate=pct(b["rate"], 1), n=grouped(int(b["n"])))
    else:
        evidence = ngettext(" ({n} visit)", " ({n} visits)", int(b["n"])).format(n=grouped(int(b["n"])))
    days, hours = best["weekday"].astype(int), best["hour"].astype(int)
    rest = [_slot(r) for _, r in best.iloc[1:].iterrows()]
    others = join_list(rest)
    if len(best) > 1 and hours.max() - hours.min() <= 3 and ((days < 5).all() or (days >= 5).all()):
        if (days < 5).all():
            text = _(
                "Publish on weekdays around {start}–{end} h: the best slot is {slot}{evidence}, followed by {others}."
            )
        else:
            text = _(
                "Publish on weekends around {start}–{end} h: the best slot is {slot}{evidence}, followed by {others}."
            )
        text = text.format(
            start=f"{hours.min():02d}", end=f"{hours.max() + 1:02d}", slot=_slot(b), evidence=evidence, others=others
        )
    elif others:
        text = _("Publish around {slot}{evidence}; next best: {others}.").format(
            slot=_slot(b), evidence=evidence, others=others
        )
    else:
        text = _("Publish around {slot}{evidence}.").format(slot=_slot(b), evidence=evidence)
    if by_device is not None and len(by_device) > 1 and "rate_shrunk" in by_device.columns:
        from workbench.analysis.performance.labels import device_name

        d = by_device.sort_values("rate_shrunk", ascending=False, kind="mergesort").iloc[0]
        key = by_device.columns[0]
        name = device_name(d[key]) if key == "device" else d[key]
        text += " " + ngettext(
            "By device, {device} visits convert best at their best slot, {slot}: {rate} over {n} visit against "
            "{overall} for {device} overall.",
            "By device, {device} visits convert best at their best slot, {slot}: {rate} over {n} visits against "
            "{overall} for {device} overall.",
            int(d["n"]),
        ).format(
            device=name, slot=_slot(d), rate=pct(d["rate"], 1), n=grouped(int(d["n"])), overall=pct(d["group_rate"], 1)
        )
    return text
