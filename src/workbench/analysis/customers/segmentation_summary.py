"""The segmentation report's executive summary: sentences derived from the computed numbers."""

from __future__ import annotations

import re

import pandas as pd

from workbench.analysis.customers.features import FEATURE_GROUP_NAMES, groups_used
from workbench.analysis.customers.segmentation_run import SegmentationRun
from workbench.report.format import money

__all__ = ["feature_groups_sentence", "holdout_note", "run_findings", "segmentation_findings"]


def run_findings(run: SegmentationRun, currency: str = "", forecast_months: int | None = None) -> list[str]:
    """`segmentation_findings` for a `SegmentationRun`: without orders only the segmentation itself
    (RFM, value and targets are not in the report, so not in its summary either)."""
    value, targeting = run.value, run.targeting
    if value is None or targeting is None:
        return segmentation_findings(run.seg, None, None, None, currency=currency)
    cal_end = value.calibration_end
    months = (run.as_of - cal_end).days / 30.4375
    period = f" ({months:.0f} months from {(cal_end + pd.Timedelta(days=1)).date()})"
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
    """Plain-language findings. ``seg`` is a SegmentationResult; the other frames come from rfm,
    sizing and customer_value in this package. ``holdout_period`` is inserted after "holdout period"
    (e.g. " (12 months from 2025-11-01)")."""
    out = []
    stab = seg.stability.get("ari_mean", float("nan"))
    stab_word = "stable" if stab >= 0.8 else "moderately stable" if stab >= 0.6 else "fragile"
    how = "fixed in the parameters" if seg.k_fixed else "chosen by the best silhouette"
    out.append(
        f"{seg.n_customers:,} customers fall into {seg.k} segments ({how}; silhouette {seg.silhouette:.2f}); "
        f"the segmentation is {stab_word} — re-clustering resampled data reproduces it with an adjusted "
        f"Rand index of {stab:.2f} on average."
    )
    if scored is not None and "share_revenue" in scored:
        top = scored.sort_values("share_revenue", ascending=False).iloc[0]
        out.append(
            f"Segment {top['segment']} ({top['name']}) holds {top['share_customers']:.0%} of customers "
            f"but {top['share_revenue']:.0%} of revenue."
        )
    if recommendations is not None and len(recommendations):
        first = recommendations.iloc[0]
        out.append(
            f"Recommended first target: segment {first['segment']} ({first['name']}), attractiveness "
            f"{first['attractiveness']:.0f}/100 — {first['reasons']}."
        )
        if len(recommendations) > 1:
            others = ", ".join(
                f"segment {r['segment']} ({r['name']}, {r['attractiveness']:.0f}/100)"
                for _, r in recommendations.iloc[1:].iterrows()
            )
            out.append(f"Next in line: {others}.")
    if rfm_summary is not None and len(rfm_summary):
        champ = rfm_summary.set_index("rfm_group")
        parts = []
        for g in ("Champions", "At risk", "Cannot lose them"):
            if g in champ.index and champ.loc[g, "customers"] > 0:
                parts.append(
                    f"{g}: {champ.loc[g, 'share_customers']:.0%} of buyers, "
                    f"{champ.loc[g, 'share_revenue']:.0%} of revenue"
                )
        if parts:
            out.append("RFM view — " + "; ".join(parts) + ".")
    if churn is not None and not churn.get("negligible", True):
        out.append(
            f"{churn['share_below']:.0%} of customers ({churn['customers_below']:,}) have probably stopped "
            f"buying (P(alive) below {churn['threshold']:.0%}); the mean P(alive) is "
            f"{churn['p_alive_mean']:.0%}."
        )
    if holdout is not None and len(holdout):
        tot = holdout.set_index("calibration_purchases").loc["total"]
        if tot["actual"] > 0:
            err = tot["predicted"] / tot["actual"] - 1
            out.append(
                f"The purchase model (BG/NBD) predicted {tot['predicted']:,.0f} repeat purchases in the "
                f"holdout period{holdout_period} against {tot['actual']:,.0f} actual ({err:+.0%})."
            )
    if forecast is not None and len(forecast):
        total = forecast["expected_revenue"].sum()
        months = forecast_months or forecast["month"].max()
        out.append(
            f"Existing customers are expected to bring {money(total, currency, millions=False)} of revenue over "
            f"the next {months} months (no new customers included)."
        )
    return out


def feature_groups_sentence(columns: list[str], has_orders: bool = True) -> str:
    """Which of the four groups of criteria the segments are formed on, and which are left out (and
    where behaviour then shows up), for the report's feature section."""
    used = groups_used(list(columns))
    parts = []
    for group, cols in used.items():
        if not cols:
            continue
        names, families = [], {}
        for c in cols:
            m = re.fullmatch(r"(interest|device)_(.+?)(_share)?", c)
            if m:
                families[m.group(1)] = families.get(m.group(1), 0) + 1
            else:
                names.append(c.replace("_", " "))
        names += [f"{n} {fam}{'s' if n > 1 else ''}" for fam, n in families.items()]
        parts.append(f"{'your own columns' if group == 'other' else group} ({', '.join(names)})")
    text = "Segments are formed on " + "; ".join(parts) + "."
    unused = [g for g in FEATURE_GROUP_NAMES if not used[g]]
    if unused:
        text += f" Not used to form them: {', '.join(unused)}."
    if "behaviour" in unused and has_orders:
        text += (
            " Behaviour (recency, frequency, spend, channels) is instead read off each segment in the "
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
    text = (
        f"Calibration: orders up to {cal.date()} ({customers:,} customers who had bought by then); holdout: "
        f"{start.date()} … {obs.date()} ({months} months). "
    )
    if months >= 12 and months % 12 == 0:
        text += (
            "The holdout spans whole years on purpose: BG/NBD has no seasonality, so over a full year the "
            "seasonal peaks (Black Friday, New Year) and the quiet months average out, as they do in the model's "
            "constant purchase rate."
        )
    else:
        text += (
            "The holdout is not a whole number of years and BG/NBD has no seasonality, so part of any gap "
            "between predicted and actual is the season the holdout happens to cover (a calibration that "
            "ends on a peak over-predicts a quiet holdout); set calibration_end so the holdout spans 12 months "
            "for a fair check."
        )
    return text
