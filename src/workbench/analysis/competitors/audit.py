"""The whole competitor audit computed once, from the loaded inputs and the report's parameters.

Why one entry point: every number the audit states (a tile, a headline, a sentence of the executive
summary, a table) must come from one computation, so that two sections can never disagree. The notebook
calls `build_audit` and then only displays what it returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench.analysis.competitors import onpage, positioning, rivals, scorecard, seo, summary

__all__ = ["CompetitorAudit", "build_audit"]


@dataclass
class CompetitorAudit:
    """Every table of the audit; a table is None where its inputs were not given."""

    roster: rivals.Roster
    competition: pd.DataFrame
    share_of_voice: pd.DataFrame
    strategy: pd.DataFrame
    scores: pd.DataFrame
    strengths_weaknesses: pd.DataFrame
    channel_gaps: pd.DataFrame
    summary: list[str]
    visibility: pd.DataFrame | None = None
    page_audit: pd.DataFrame | None = None
    site_scores: pd.DataFrame | None = None
    gap: pd.DataFrame | None = None
    our_cpc: float | None = None
    positioning: positioning.PositioningMap | None = None
    strengths: pd.DataFrame | None = None

    @property
    def us(self) -> str:
        return self.roster.us

    @property
    def standing(self) -> summary.ChannelStanding | None:
        """Where we stand per channel against the best rival (None without channel scores for us)."""
        return summary.channel_standing(self.scores, self.us)


def build_audit(
    competitors: pd.DataFrame,
    *,
    rankings: pd.DataFrame | None = None,
    site_metrics: pd.DataFrame | None = None,
    social: pd.DataFrame | None = None,
    ads_intel: pd.DataFrame | None = None,
    email_intel: pd.DataFrame | None = None,
    brand_attributes: pd.DataFrame | None = None,
    pages: Sequence[tuple[str, str, bytes]] = (),
    ctr_curve: Mapping[str, float] | None = None,
    ctr_tail: float | None = None,
    competition_weights: Mapping[str, float] | None = None,
    rival_thresholds: Mapping[str, float] | None = None,
    scorecard_weights: Mapping[str, float] | None = None,
    onpage_weights: Mapping[str, float] | None = None,
    positioning_method: str = "auto",
    quality_attribute: str = "quality",
) -> CompetitorAudit:
    """Compute every section of the audit.

    Parameters
    ----------
    competitors
        The competitor list (brand, domain, is_us; price_index optional).
    rankings, site_metrics, social, ads_intel, email_intel, brand_attributes
        Optional inputs; a section whose inputs are None is left as None (or empty).
    pages
        Saved HTML pages as (domain, file name, bytes).
    ctr_curve, ctr_tail
        CTR by organic position 1–10 and for each of positions 11–20.
    competition_weights, rival_thresholds
        Weights of the three overlaps and the direct/indirect rival thresholds.
    scorecard_weights, onpage_weights
        Channel weights of the overall score; overrides of on-page check weights.
    positioning_method, quality_attribute
        How the positioning map is drawn (auto, price_quality or pca) and the attribute read as quality.
    """
    ros = rivals.roster(competitors)
    ctr = seo.ctr_table(ctr_curve, tail_ctr=ctr_tail)
    vis = seo.visibility(rankings, ctr) if rankings is not None else None
    https = _https_flags(site_metrics)
    page_audit = onpage.audit_pages(list(pages), https, onpage_weights or None) if pages else None
    site_scores = onpage.domain_audit_scores(page_audit) if page_audit is not None else None
    domain_of = dict(zip(ros.frame["brand"], ros.frame["domain"], strict=True))
    scores = scorecard.channel_scores(
        list(ros.frame["brand"]),
        domain_of,
        site_audit=site_scores,
        site_metrics=site_metrics,
        seo_visibility=vis,
        social=social,
        ads_intel=ads_intel,
        email_intel=email_intel,
        weights=scorecard_weights,
    )
    gap = seo.keyword_gap(rankings, ros.our_domain, list(ros.frame["domain"]), ctr) if rankings is not None else None
    our_cpc = rivals.average_cpc(rankings, ros.our_domain) if rankings is not None else None
    competition = rivals.competition_scores(ros, rankings, ads_intel, social, competition_weights, rival_thresholds)
    sov = rivals.share_of_voice(ros, vis, ads_intel, social)
    pmap, strengths = _positioning(brand_attributes, ros, positioning_method, quality_attribute)
    return CompetitorAudit(
        roster=ros,
        competition=competition,
        share_of_voice=sov,
        strategy=rivals.strategy_table(ros, social, ads_intel, email_intel),
        scores=scores,
        strengths_weaknesses=scorecard.strengths_weaknesses(scores, ros.us),
        channel_gaps=rivals.channel_gaps(ros, ads_intel, social, cpc=our_cpc),
        summary=summary.executive_summary(ros.us, competition, scores, gap, sov, strengths),
        visibility=vis,
        page_audit=page_audit,
        site_scores=site_scores,
        gap=gap,
        our_cpc=our_cpc,
        positioning=pmap,
        strengths=strengths,
    )


def _https_flags(site_metrics: pd.DataFrame | None) -> dict[str, Any]:
    if site_metrics is None or "https" not in site_metrics:
        return {}
    return dict(zip(site_metrics["domain"], site_metrics["https"], strict=True))


def _positioning(
    attrs: pd.DataFrame | None, ros: rivals.Roster, method: str, quality: str
) -> tuple[positioning.PositioningMap | None, pd.DataFrame | None]:
    if attrs is None:
        return None, None
    price = ros.frame.set_index("brand")["price_index"] if "price_index" in ros.frame else None
    return (
        positioning.positioning_map(attrs, ros.us, price, method, quality),
        positioning.distinct_strengths(attrs, ros.us, top=0),
    )
