"""The segmentation report's executive summary: sentences derived from the computed numbers."""

from __future__ import annotations

import pandas as pd

__all__ = ["segmentation_findings"]


def segmentation_findings(seg, rfm_summary: pd.DataFrame, scored: pd.DataFrame, recommendations: pd.DataFrame,
                          forecast: pd.DataFrame | None = None, holdout: pd.DataFrame | None = None,
                          currency: str = "", forecast_months: int | None = None,
                          churn: dict | None = None) -> list[str]:
    """Plain-language findings. ``seg`` is a SegmentationResult; the other frames come from rfm,
    sizing and customer_value in this package."""
    cur = f" {currency}" if currency else ""
    out = []
    stab = seg.stability.get("ari_mean", float("nan"))
    stab_word = "stable" if stab >= 0.8 else "moderately stable" if stab >= 0.6 else "fragile"
    how = "fixed in the parameters" if seg.k_fixed else "chosen by the best silhouette"
    out.append(f"{seg.n_customers:,} customers fall into {seg.k} segments ({how}; silhouette {seg.silhouette:.2f}); "
               f"the segmentation is {stab_word} — re-clustering resampled data reproduces it with an adjusted "
               f"Rand index of {stab:.2f} on average.")
    if "share_revenue" in scored:
        top = scored.sort_values("share_revenue", ascending=False).iloc[0]
        out.append(f"Segment {top['segment']} ({top['name']}) holds {top['share_customers']:.0%} of customers "
                   f"but {top['share_revenue']:.0%} of revenue.")
    if len(recommendations):
        first = recommendations.iloc[0]
        out.append(f"Recommended first target: segment {first['segment']} ({first['name']}), attractiveness "
                   f"{first['attractiveness']:.0f}/100 — {first['reasons']}.")
        if len(recommendations) > 1:
            others = ", ".join(f"segment {r['segment']} ({r['name']}, {r['attractiveness']:.0f}/100)"
                               for _, r in recommendations.iloc[1:].iterrows())
            out.append(f"Next in line: {others}.")
    if len(rfm_summary):
        champ = rfm_summary.set_index("rfm_group")
        parts = []
        for g in ("Champions", "At risk", "Cannot lose them"):
            if g in champ.index and champ.loc[g, "customers"] > 0:
                parts.append(f"{g}: {champ.loc[g, 'share_customers']:.0%} of buyers, "
                             f"{champ.loc[g, 'share_revenue']:.0%} of revenue")
        if parts:
            out.append("RFM view — " + "; ".join(parts) + ".")
    if churn is not None and not churn.get("negligible", True):
        out.append(f"{churn['share_below']:.0%} of customers ({churn['customers_below']:,}) have probably stopped "
                   f"buying (P(alive) below {churn['threshold']:.0%}); the mean P(alive) is "
                   f"{churn['p_alive_mean']:.0%}.")
    if holdout is not None and len(holdout):
        tot = holdout.set_index("calibration_purchases").loc["total"]
        if tot["actual"] > 0:
            err = tot["predicted"] / tot["actual"] - 1
            out.append(f"The purchase model (BG/NBD) predicted {tot['predicted']:,.0f} repeat purchases in the "
                       f"holdout period against {tot['actual']:,.0f} actual ({err:+.0%}).")
    if forecast is not None and len(forecast):
        total = forecast["expected_revenue"].sum()
        months = forecast_months or forecast["month"].max()
        out.append(f"Existing customers are expected to bring {total:,.0f}{cur} of revenue over the next "
                   f"{months} months (no new customers included).")
    return out
