"""The segmentation report's executive summary: sentences derived from the computed numbers, in the
current language (whole messages; numbers in the English run as Python writes them)."""

from __future__ import annotations

import re

import pandas as pd

from workbench.analysis.customers.features import FEATURE_GROUP_NAMES, groups_used
from workbench.analysis.customers.segmentation_run import SegmentationRun
from workbench.analysis.customers.text import feature_name, fmt, group_name, rfm_group_name
from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import money

__all__ = ["feature_groups_sentence", "holdout_note", "run_findings", "segmentation_findings"]


def run_findings(run: SegmentationRun, currency: str = "", forecast_months: int | None = None) -> list[str]:
    """`segmentation_findings` for a `SegmentationRun`: without orders only the segmentation itself
    (RFM, value and targets are not in the report, so not in its summary either)."""
    value, targeting = run.value, run.targeting
    if value is None or targeting is None:
        return segmentation_findings(run.seg, None, None, None, currency=currency)
    cal_end = value.calibration_end
    months = round((run.as_of - cal_end).days / 30.4375)
    period = " " + ngettext("({months} month from {start})", "({months} months from {start})", months).format(
        months=months, start=(cal_end + pd.Timedelta(days=1)).date()
    )
    return segmentation_findings(
        run.seg,
        run.rfm_summary,
        targeting.scored,
        targeting.targets,
        targeting.forecast,
        value.holdout,
        currency,
        forecast_months,
        churn=value.churn,
        holdout_period=period,
    )


def _stability_word(stab: float) -> str:
    if stab >= 0.8:
        return pgettext("segmentation is", "stable")
    return pgettext("segmentation is", "moderately stable") if stab >= 0.6 else pgettext("segmentation is", "fragile")


def segmentation_findings(
    seg,
    rfm_summary: pd.DataFrame | None,
    scored: pd.DataFrame | None,
    recommendations: pd.DataFrame | None,
    forecast: pd.DataFrame | None = None,
    holdout: pd.DataFrame | None = None,
    currency: str = "",
    forecast_months: int | None = None,
    churn: dict | None = None,
    holdout_period: str = "",
) -> list[str]:
    """Plain-language findings in the current language. ``seg`` is a SegmentationResult; the other frames
    come from rfm, sizing and customer_value in this package. ``holdout_period`` is inserted after "holdout
    period" (e.g. " (12 months from 2025-11-01)")."""
    out = []
    stab = seg.stability.get("ari_mean", float("nan"))
    how = _("fixed in the parameters") if seg.k_fixed else _("chosen by the best silhouette")
    out.append(
        ngettext(
            "{customers} customers fall into {k} segment ({how}; silhouette {silhouette}); the segmentation is "
            "{stability} — re-clustering resampled data reproduces it with an adjusted Rand index of {ari} on "
            "average.",
            "{customers} customers fall into {k} segments ({how}; silhouette {silhouette}); the segmentation is "
            "{stability} — re-clustering resampled data reproduces it with an adjusted Rand index of {ari} on "
            "average.",
            seg.k,
        ).format(
            customers=fmt("{:,}", seg.n_customers),
            k=seg.k,
            how=how,
            silhouette=fmt("{:.2f}", seg.silhouette),
            stability=_stability_word(stab),
            ari=fmt("{:.2f}", stab),
        )
    )
    if scored is not None and "share_revenue" in scored:
        top = scored.sort_values("share_revenue", ascending=False).iloc[0]
        out.append(
            _("Segment {segment} ({name}) holds {customers} of customers but {revenue} of revenue.").format(
                segment=top["segment"],
                name=top["name"],
                customers=fmt("{:.0%}", top["share_customers"]),
                revenue=fmt("{:.0%}", top["share_revenue"]),
            )
        )
    if recommendations is not None and len(recommendations):
        first = recommendations.iloc[0]
        out.append(
            _("Recommended first target: segment {segment} ({name}), attractiveness {score}/100 — {reasons}.").format(
                segment=first["segment"],
                name=first["name"],
                score=fmt("{:.0f}", first["attractiveness"]),
                reasons=first["reasons"],
            )
        )
        if len(recommendations) > 1:
            others = ", ".join(
                _("segment {segment} ({name}, {score}/100)").format(
                    segment=r["segment"], name=r["name"], score=fmt("{:.0f}", r["attractiveness"])
                )
                for _i, r in recommendations.iloc[1:].iterrows()
            )
            out.append(_("Next in line: {segments}.").format(segments=others))
    if rfm_summary is not None and len(rfm_summary):
        champ = rfm_summary.set_index("rfm_group")
        parts = []
        for g in ("Champions", "At risk", "Cannot lose them"):
            if g in champ.index and champ.loc[g, "customers"] > 0:
                parts.append(
                    _("{group}: {buyers} of buyers, {revenue} of revenue").format(
                        group=rfm_group_name(g),
                        buyers=fmt("{:.0%}", champ.loc[g, "share_customers"]),
                        revenue=fmt("{:.0%}", champ.loc[g, "share_revenue"]),
                    )
                )
        if parts:
            out.append(_("RFM view — {groups}.").format(groups="; ".join(parts)))
    if churn is not None and not churn.get("negligible", True):
        out.append(
            _(
                "{share} of customers ({customers}) have probably stopped buying (P(alive) below {threshold}); the "
                "mean P(alive) is {mean}."
            ).format(
                share=fmt("{:.0%}", churn["share_below"]),
                customers=fmt("{:,}", churn["customers_below"]),
                threshold=fmt("{:.0%}", churn["threshold"]),
                mean=fmt("{:.0%}", churn["p_alive_mean"]),
            )
        )
    if holdout is not None and len(holdout):
        tot = holdout.set_index("calibration_purchases").loc["total"]
        if tot["actual"] > 0:
            err = tot["predicted"] / tot["actual"] - 1
            out.append(
                _(
                    "The purchase model (BG/NBD) predicted {predicted} repeat purchases in the holdout "
                    "period{period} against {actual} actual ({error})."
                ).format(
                    predicted=fmt("{:,.0f}", tot["predicted"]),
                    period=holdout_period,
                    actual=fmt("{:,.0f}", tot["actual"]),
                    error=fmt("{:+.0%}", err),
                )
            )
    if forecast is not None and len(forecast):
        total = forecast["expected_revenue"].sum()
        months = int(forecast_months or forecast["month"].max())
        out.append(
            ngettext(
                "Existing customers are expected to bring {amount} of revenue over the next {months} month (no "
                "new customers included).",
                "Existing customers are expected to bring {amount} of revenue over the next {months} months (no "
                "new customers included).",
                months,
            ).format(amount=money(total, currency, millions=False), months=months)
        )
    return out


def _feature_list(group: str, cols: list[str]) -> str:
    """One group's columns in words: plain columns by name, indicator families counted."""
    names, families = [], {}
    for c in cols:
        m = re.fullmatch(r"(interest|device)_(.+?)(_share)?", c)
        if m:
            families[m.group(1)] = families.get(m.group(1), 0) + 1
        else:
            names.append(feature_name(c))
    for fam, n in families.items():
        if fam == "interest":
            names.append(ngettext("{n} interest", "{n} interests", n).format(n=n))
        else:
            names.append(ngettext("{n} device", "{n} devices", n).format(n=n))
    label = _("your own columns") if group == "other" else group_name(group)
    return f"{label} ({', '.join(names)})"


def feature_groups_sentence(columns: list[str], has_orders: bool = True) -> str:
    """Which of the four groups of criteria the segments are formed on, and which are left out (and
    where behaviour then shows up), for the report's feature section."""
    used = groups_used(list(columns))
    parts = [_feature_list(group, cols) for group, cols in used.items() if cols]
    text = _("Segments are formed on {groups}.").format(groups="; ".join(parts))
    unused = [g for g in FEATURE_GROUP_NAMES if not used[g]]
    if unused:
        text += " " + _("Not used to form them: {groups}.").format(groups=", ".join(group_name(g) for g in unused))
    if "behaviour" in unused and has_orders:
        text += " " + _(
            "Behaviour (recency, frequency, spend, channels) is instead read off each segment in the "
            "profiles, RFM and value sections: segments then say who the customers are, which targeting can "
            "reach, and how each group buys is a result to compare, not an input that decides the groups."
        )
    return text


def holdout_note(calibration_end, observation_end, customers: int) -> str:
    """The calibration and holdout periods in words, and whether the holdout spans whole years. The
    purchase model has no seasonality, so only a holdout of whole years meets every season once; a
    shorter one tests the season it happens to cover as much as the model."""
    cal = pd.Timestamp(calibration_end).normalize()
    obs = pd.Timestamp(observation_end).normalize()
    start = cal + pd.Timedelta(days=1)
    months = round((obs - cal).days / (365.25 / 12))
    periods = ngettext(
        "Calibration: orders up to {end} ({customers} customers who had bought by then); holdout: {start} … "
        "{last} ({months} month).",
        "Calibration: orders up to {end} ({customers} customers who had bought by then); holdout: {start} … "
        "{last} ({months} months).",
        months,
    ).format(end=cal.date(), customers=fmt("{:,}", customers), start=start.date(), last=obs.date(), months=months)
    if months >= 12 and months % 12 == 0:
        verdict = _(
            "The holdout spans whole years on purpose: BG/NBD has no seasonality, so over a full year the "
            "seasonal peaks (Black Friday, New Year) and the quiet months average out, as they do in the model's "
            "constant purchase rate."
        )
    else:
        verdict = _(
            "The holdout is not a whole number of years and BG/NBD has no seasonality, so part of any gap "
            "between predicted and actual is the season the holdout happens to cover (a calibration that "
            "ends on a peak over-predicts a quiet holdout); set calibration_end so the holdout spans 12 months "
            "for a fair check."
        )
    return " ".join([periods, verdict])
