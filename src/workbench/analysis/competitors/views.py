"""The competitor audit as a reader sees it: tiles, headline, captions and tables with readable labels.

Numbers come from `CompetitorAudit` (computed once in `audit.py`); this module only chooses what to show
and how it reads, so the notebook is narrative and calls, and every sentence is unit-tested here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.analysis.competitors import onpage, scorecard
from workbench.analysis.competitors.audit import CompetitorAudit
from workbench.analysis.competitors.summary import channel_leaders
from workbench.report.format import EMPTY, channel_label

__all__ = [
    "View",
    "channel_gaps_view",
    "competition_reason_view",
    "competition_view",
    "headline",
    "keyword_gap_view",
    "leaders_sentence",
    "missing_channel_reasons",
    "page_checks_view",
    "share_of_voice_view",
    "site_scores_view",
    "site_scores_with_brand",
    "strategy_view",
    "strengths_view",
    "tiles",
    "weakest_pages_view",
    "weights_sentence",
]


@dataclass
class View:
    """A table ready for `workbench.report.table(**view.table_args)`."""

    frame: pd.DataFrame
    caption: str
    formats: dict[str, str] = field(default_factory=dict)

    @property
    def table_args(self) -> dict[str, Any]:
        return {"frame": self.frame, "caption": self.caption, "formats": self.formats}


def tiles(audit: CompetitorAudit) -> list[dict[str, Any]]:
    """KPI tiles: competitors analysed, direct rivals, gap keywords, our overall rank."""
    comp, scores, gap, us = audit.competition, audit.scores, audit.gap, audit.us
    out: list[dict[str, Any]] = [{"label": "Competitors analysed", "value": len(audit.roster.rivals)}]
    if comp["score"].notna().any():
        out.append({"label": "Direct rivals", "value": int((comp["classification"] == "direct").sum())})
    else:
        out.append({"label": "Direct rivals", "value": EMPTY, "note": "no overlap data to judge"})
    if gap is not None:
        note = f"≈{gap['traffic_upside'].sum():,.0f} clicks/month upside"
        out.append({"label": "Gap keywords", "value": len(gap), "note": note})
    if scores["overall"].notna().any():
        rank = int(scores["overall"].rank(ascending=False, method="min")[us])
        status = "good" if rank == 1 else "warn" if rank <= len(scores) / 2 else "bad"
        out.append({"label": "Our overall rank", "value": f"{rank} of {len(scores)}", "status": status})
    return out


def headline(audit: CompetitorAudit) -> dict[str, Any]:
    """The index's headline: main rival, our organic share, gap upside, weakest channel, site score."""
    out: dict[str, Any] = {}
    comp, sov, gap, us = audit.competition, audit.share_of_voice, audit.gap, audit.us
    if comp["score"].notna().any():
        out["Main rival"] = comp.iloc[0]["brand"]
    if sov["organic_share"].notna().any():
        out["Our organic share of voice"] = f"{sov.set_index('brand').loc[us, 'organic_share']:.0%}"
    if gap is not None and len(gap):
        out["Keyword-gap upside"] = f"{gap['traffic_upside'].sum():,.0f} clicks/month"
    standing = audit.standing
    if standing is not None:
        w = standing.weakest
        out["Our weakest channel"] = f"{scorecard.AUDIT_CHANNEL_LABELS[w]} ({standing.mine[w]:.0f}/100)"
    site = audit.site_scores
    if site is not None and audit.roster.our_domain in set(site["domain"]):
        out["Our site audit score"] = round(float(site.set_index("domain").loc[audit.roster.our_domain, "score"]), 1)
    return out


def competition_view(competition: pd.DataFrame) -> View:
    labels = {
        "brand": "Brand",
        "classification": "Classification",
        "score": "Competition score",
        "keywords_overlap": "Keyword overlap",
        "channels_overlap": "Paid-spend overlap",
        "audience_overlap": "Social-audience overlap",
    }
    formats = {"Competition score": "{:.2f}"} | {labels[c]: "{:.0%}" for c in list(labels)[3:]}
    return View(
        competition[list(labels)].rename(columns=labels),
        "Competition score per competitor (overlaps 0–100 %; empty = input not given)",
        formats,
    )


def competition_reason_view(competition: pd.DataFrame) -> View:
    frame = competition[["brand", "reason"]].rename(
        columns={"brand": "Competitor", "reason": "Why it is classified so"}
    )
    return View(frame, "The reason for each class, from the three overlaps")


def share_of_voice_view(sov: pd.DataFrame) -> View:
    labels = {
        "brand": "Brand",
        "organic_share": "Organic clicks",
        "paid_share": "Paid spend",
        "social_share": "Social followers",
    }
    return View(
        sov.rename(columns=labels),
        "Share of voice: each brand's share of the set's total per channel",
        {c: "{:.1%}" for c in list(labels.values())[1:]},
    )


def strategy_view(strategy: pd.DataFrame, currency: str) -> View:
    labels = {
        "brand": "Brand",
        "posts_30d": "Social posts / 30 d",
        "top_paid_channel": "Main paid channel",
        "paid_spend": f"Est. paid spend / month, {currency}",
        "emails_30d": "E-mails / 30 d",
        "promo_share": "Promo e-mails",
        "avg_discount": "Avg discount",
        "price_index": "Price index",
        "price_position": "Price position",
    }
    shown = strategy.copy()
    if "top_paid_channel" in shown:
        shown["top_paid_channel"] = shown["top_paid_channel"].map(lambda c: channel_label(c) if pd.notna(c) else c)
    formats = {
        labels["promo_share"]: "{:.0%}",
        labels["avg_discount"]: "{:.0%}",
        labels["paid_spend"]: "{:,.0f}",
        labels["price_index"]: "{:.2f}",
        labels["posts_30d"]: "{:,.0f}",
        labels["emails_30d"]: "{:,.0f}",
    }
    return View(shown.rename(columns=labels), "Cadence, paid focus and price position", formats)


def weights_sentence(weights: Mapping[str, float] | None) -> str:
    """'Weights used for the overall score: site 0.2, SEO 0.3, …'."""
    used = scorecard.validate_channel_weights(weights)
    return (
        "Weights used for the overall score: "
        + ", ".join(f"{scorecard.AUDIT_CHANNEL_LABELS[k]} {v:g}" for k, v in used.items())
        + "."
    )


def leaders_sentence(scores: pd.DataFrame, us: str) -> str:
    """'site — us (100); SEO — Rival (87); …': the best brand of each channel with data."""
    leaders = channel_leaders(scores.drop(columns="overall"))
    parts = [
        f"{scorecard.AUDIT_CHANNEL_LABELS[r.channel]} — {'us' if r.brand == us else r.brand} ({r.score:.0f})"
        for r in leaders.itertuples()
    ]
    return "; ".join(parts) + "."


#: Why a channel of the scorecard has no score: the inputs it is computed from.
_MISSING_CHANNEL = {
    "site": "neither saved pages nor site metrics were given",
    "seo": "neither keyword rankings nor site metrics were given",
    "social": "no social file was given",
    "paid_search": "no search-ad platform in the ads intelligence (or no file)",
    "paid_social": "no social-ad platform in the ads intelligence (or no file)",
    "email": "no e-mail intelligence file was given",
}


def missing_channel_reasons(scores: pd.DataFrame) -> dict[str, str]:
    """{'the SEO score': reason} for every scorecard channel without any score."""
    return {
        f"the {scorecard.AUDIT_CHANNEL_LABELS[ch]} score": _MISSING_CHANNEL[ch]
        for ch in scorecard.CHANNELS
        if scores[ch].isna().all()
    }


def keyword_gap_view(gap: pd.DataFrame, brand_of: Mapping[str, str], top_n: int) -> View:
    labels = {
        "keyword": "Keyword",
        "search_volume": "Searches / month",
        "difficulty": "Difficulty 0–100",
        "our_position": "Our position",
        "best_competitor": "Best competitor",
        "best_position": "Their position",
        "competitors_top10": "Rivals in top 10",
        "priority": "Priority",
        "traffic_upside": "Upside, clicks / month",
    }
    shown = gap.head(top_n).assign(best_competitor=lambda d: d["best_competitor"].map(lambda x: brand_of.get(x, x)))
    caption = (
        f"Top {min(top_n, len(gap))} of {len(gap):,} gap keywords by priority (our position empty = we do not "
        "rank for it at all in the rankings data)"
    )
    formats = {labels[c]: "{:.0f}" for c in ("difficulty", "our_position", "best_position")} | {
        labels[c]: "{:,.0f}" for c in ("search_volume", "priority", "traffic_upside")
    }
    return View(shown[list(labels)].rename(columns=labels), caption, formats)


def channel_gaps_view(gaps: pd.DataFrame, currency: str, our_cpc: float | None) -> View:
    unit = {"paid channel": f"{currency} / month", "social network": "followers"}
    shown = gaps.assign(
        channel=gaps["channel"].map(channel_label),
        status=gaps["status"].map({"absent": "we are absent", "outweighed": "leader has 2×+ ours"}),
        leader=gaps["leader"] + gaps["leader_amount"].map(lambda v: "" if pd.isna(v) else f" ({v:,.0f})"),
        ours=[(EMPTY if pd.isna(v) else f"{v:,.0f}") for v in gaps["our_amount"]],
        shortfall=[
            (EMPTY if pd.isna(v) else f"{v:,.0f} {unit[k]}")
            for v, k in zip(gaps["shortfall"], gaps["kind"], strict=True)
        ],
    )
    labels = {
        "kind": "Kind",
        "channel": "Channel",
        "status": "Gap",
        "leader": "Leading competitor (amount)",
        "ours": "Ours",
        "shortfall": "Shortfall to the leader",
        "est_clicks_upside": "Est. extra clicks / month",
    }
    caption = "Channel gaps"
    if our_cpc and our_cpc == our_cpc:
        caption += f" (search-ad clicks at our average CPC of {our_cpc:,.1f} {currency})"
    return View(shown[list(labels)].rename(columns=labels), caption, {"Est. extra clicks / month": "{:,.0f}"})


def strengths_view(strengths: pd.DataFrame) -> tuple[View, bool]:
    """Our distinct strengths (attributes where no rival scores as high), or, when there are none, the
    three attributes where we come closest; the flag says which."""
    labels = {
        "attribute": "Attribute",
        "our_score": "Our score",
        "best_rival": "Best rival's score",
        "best_rival_brand": "Best rival",
        "rivals_mean": "Rivals' mean",
        "lead_over_best": "Lead over best rival",
        "lead_over_mean": "Lead over rivals' mean",
    }
    shown = strengths.assign(attribute=strengths["attribute"].astype(str).str.replace("_", " "))
    shown = shown[list(labels)].rename(columns=labels)
    fmt = {labels[c]: "{:.2f}" for c in ("our_score", "best_rival", "rivals_mean")} | {
        labels[c]: "{:+.2f}" for c in ("lead_over_best", "lead_over_mean")
    }
    lead = (strengths["lead_over_best"] > 0).to_numpy()
    if lead.any():
        caption = (
            "Our distinct strengths: perceived attributes where no competitor scores as high as we do "
            "(same scale as brand_attributes)"
        )
        return View(shown[lead], caption, fmt), True
    return View(shown.head(3), "Attributes where we come closest to the best rival", fmt), False


def site_scores_with_brand(site_scores: pd.DataFrame, brand_of: Mapping[str, str]) -> pd.DataFrame:
    """brand, domain, pages, score, top_issue per audited site (the recorded form)."""
    frame = site_scores.assign(brand=site_scores["domain"].map(brand_of))
    return frame[["brand", "domain", "pages", "score", "top_issue"]]


def site_scores_view(site_scores: pd.DataFrame, brand_of: Mapping[str, str]) -> View:
    labels = {
        "brand": "Brand",
        "domain": "Site",
        "pages": "Pages audited",
        "score": "Audit score 0–100",
        "top_issue": "Issue that costs most",
    }
    shown = site_scores_with_brand(site_scores, brand_of).rename(columns=labels)
    return View(shown, "On-page audit score per site", {"Audit score 0–100": "{:.1f}"})


def page_checks_view(page_audit: pd.DataFrame, domains: list[str], brand_of: Mapping[str, str]) -> View:
    """Check by check, the share of each site's pages that pass, and the typical page (sites as columns)."""
    summary = onpage.site_audit_summary(page_audit).set_index("domain")
    checks = {f"pass_{k}": f"Pages passing: {v}" for k, v in onpage.CHECK_LABELS.items()}
    checks["pass_image_alt"] = "Images with alt text (mean per page)"
    measures = {
        "median_words": "Visible words (median page)",
        "mean_internal_links": "Internal links (mean per page)",
        "mean_external_links": "External links (mean per page)",
        "median_kib": "HTML size, KiB (median page)",
    }
    order = [d for d in domains if d in summary.index] + [d for d in summary.index if d not in set(domains)]
    grid = summary.loc[order, list(checks) + list(measures)].rename(columns=checks | measures)
    grid.index = [brand_of.get(d, d) for d in grid.index]
    shown = grid.T.astype(object)
    for row in checks.values():
        shown.loc[row] = [(EMPTY if pd.isna(v) else f"{v:.0%}") for v in grid[row]]
    for row in measures.values():
        shown.loc[row] = [(EMPTY if pd.isna(v) else f"{v:,.0f}" if v >= 10 else f"{v:.1f}") for v in grid[row]]
    caption = "Check by check: share of each site's pages that pass, and the typical page"
    return View(shown.rename_axis("Check").reset_index(), caption)


def weakest_pages_view(page_audit: pd.DataFrame, brand_of: Mapping[str, str], n: int = 10) -> View:
    worst = page_audit.sort_values("score").head(n).assign(issues=lambda d: d["issues"].map("; ".join))
    worst = worst.assign(brand=worst["domain"].map(lambda d: brand_of.get(d, d)))
    labels = {
        "brand": "Brand",
        "page": "Saved page",
        "title": "Page title",
        "score": "Score 0–100",
        "issues": "Issues found",
    }
    caption = "The ten weakest pages and their issues" if n == 10 else f"The {n} weakest pages and their issues"
    return View(worst[list(labels)].rename(columns=labels), caption, {"Score 0–100": "{:.1f}"})
