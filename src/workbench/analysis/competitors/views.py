"""The competitor audit as a reader sees it: tiles, headline, captions and tables with readable labels,
in the report's language (numbers stay the analysis' own; only words and number formats change).

Numbers come from `CompetitorAudit` (computed once in `audit.py`); this module only chooses what to show
and how it reads, so the notebook is narrative and calls, and every sentence is unit-tested here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.analysis.competitors import onpage, rivals, scorecard, text
from workbench.analysis.competitors.audit import CompetitorAudit
from workbench.analysis.competitors.summary import channel_leaders
from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import EMPTY, channel_label, grouped, money, pct

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
    "strengths_weaknesses_view",
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
    out: list[dict[str, Any]] = [{"label": _("Competitors analysed"), "value": len(audit.roster.rivals)}]
    if comp["score"].notna().any():
        out.append({"label": _("Direct rivals"), "value": int((comp["classification"] == "direct").sum())})
    else:
        out.append({"label": _("Direct rivals"), "value": EMPTY, "note": _("no overlap data to judge")})
    if gap is not None:
        note = text.clicks_per_month(gap["traffic_upside"].sum(), approx=True)
        out.append({"label": _("Gap keywords"), "value": len(gap), "note": note})
    if scores["overall"].notna().any():
        rank = int(scores["overall"].rank(ascending=False, method="min")[us])
        status = "good" if rank == 1 else "warn" if rank <= len(scores) / 2 else "bad"
        value = _("{rank} of {total}").format(rank=rank, total=len(scores))
        out.append({"label": _("Our overall rank"), "value": value, "status": status})
    return out


def headline(audit: CompetitorAudit) -> dict[str, Any]:
    """The index's headline: main rival, our organic share, gap upside, weakest channel, site score."""
    out: dict[str, Any] = {}
    comp, sov, gap, us = audit.competition, audit.share_of_voice, audit.gap, audit.us
    if comp["score"].notna().any():
        out[_("Main rival")] = comp.iloc[0]["brand"]
    if sov["organic_share"].notna().any():
        out[_("Our organic share of voice")] = pct(sov.set_index("brand").loc[us, "organic_share"])
    if gap is not None and len(gap):
        out[_("Keyword-gap upside")] = text.clicks_per_month(gap["traffic_upside"].sum())
    standing = audit.standing
    if standing is not None:
        w = standing.weakest
        out[_("Our weakest channel")] = f"{text.channel_name(w)} ({grouped(standing.mine[w])}/100)"
    site = audit.site_scores
    if site is not None and audit.roster.our_domain in set(site["domain"]):
        score = round(float(site.set_index("domain").loc[audit.roster.our_domain, "score"]), 1)
        out[_("Our site audit score")] = score
    return out


def competition_view(competition: pd.DataFrame) -> View:
    labels = {
        "brand": _("Brand"),
        "classification": _("Classification"),
        "score": _("Competition score"),
        "keywords_overlap": _("Keyword overlap"),
        "channels_overlap": _("Paid-spend overlap"),
        "audience_overlap": _("Social-audience overlap"),
    }
    formats = {labels["score"]: "{:.2f}"} | {labels[c]: "{:.0%}" for c in list(labels)[3:]}
    shown = competition[list(labels)].assign(classification=competition["classification"].map(text.rival_class))
    caption = _("Competition score per competitor (overlaps 0–100 %; empty = input not given)")
    return View(shown.rename(columns=labels), caption, formats)


def competition_reason_view(competition: pd.DataFrame) -> View:
    frame = pd.DataFrame(
        {_("Competitor"): competition["brand"], _("Why it is classified so"): rivals.competition_reasons(competition)}
    )
    return View(frame, _("The reason for each class, from the three overlaps"))


def share_of_voice_view(sov: pd.DataFrame) -> View:
    labels = {
        "brand": _("Brand"),
        "organic_share": _("Organic clicks"),
        "paid_share": pgettext("share of voice", "Paid spend"),
        "social_share": _("Social followers"),
    }
    return View(
        sov.rename(columns=labels),
        _("Share of voice: each brand's share of the set's total per channel"),
        {c: "{:.1%}" for c in list(labels.values())[1:]},
    )


def strategy_view(strategy: pd.DataFrame, currency: str) -> View:
    labels = {
        "brand": _("Brand"),
        "posts_30d": _("Social posts / 30 d"),
        "top_paid_channel": _("Main paid channel"),
        "paid_spend": _("Est. paid spend / month, {currency}").format(currency=currency),
        "emails_30d": _("E-mails / 30 d"),
        "promo_share": _("Promo e-mails"),
        "avg_discount": _("Avg discount"),
        "price_index": _("Price index"),
        "price_position": _("Price position"),
    }
    shown = strategy.copy()
    if "top_paid_channel" in shown:
        shown["top_paid_channel"] = shown["top_paid_channel"].map(lambda c: channel_label(c) if pd.notna(c) else c)
    if "price_position" in shown:
        shown["price_position"] = shown["price_position"].map(text.price_position)
    formats = {
        labels["promo_share"]: "{:.0%}",
        labels["avg_discount"]: "{:.0%}",
        labels["paid_spend"]: "{:,.0f}",
        labels["price_index"]: "{:.2f}",
        labels["posts_30d"]: "{:,.0f}",
        labels["emails_30d"]: "{:,.0f}",
    }
    return View(shown.rename(columns=labels), _("Cadence, paid focus and price position"), formats)


def weights_sentence(weights: Mapping[str, float] | None) -> str:
    """'Weights used for the overall score: site 0.2, SEO 0.3, …'."""
    return text.weights_sentence(scorecard.validate_channel_weights(weights))


def leaders_sentence(scores: pd.DataFrame, us: str) -> str:
    """'site — us (100); SEO — Rival (87); …': the best brand of each channel with data."""
    leaders = channel_leaders(scores.drop(columns="overall"))
    return "; ".join(text.leader_part(r.channel, r.brand, r.score, r.brand == us) for r in leaders.itertuples()) + "."


def missing_channel_reasons(scores: pd.DataFrame) -> dict[str, str]:
    """{'the SEO score': reason} for every scorecard channel without any score."""
    return dict(text.missing(ch) for ch in scorecard.CHANNELS if scores[ch].isna().all())


def strengths_weaknesses_view(sw: pd.DataFrame) -> View:
    """Each rival's channels where it beats us and where we beat it, in words."""
    labels = {"brand": _("Competitor"), "strengths": _("Where they beat us"), "weaknesses": _("Where we beat them")}
    caption = _("Strengths and weaknesses of each competitor against us (differences of 10+ points on the 0–100 scale)")
    return View(sw[list(labels)].rename(columns=labels), caption)


def keyword_gap_view(gap: pd.DataFrame, brand_of: Mapping[str, str], top_n: int) -> View:
    labels = {
        "keyword": _("Keyword"),
        "search_volume": _("Searches / month"),
        "difficulty": _("Difficulty 0–100"),
        "our_position": _("Our position"),
        "best_competitor": _("Best competitor"),
        "best_position": _("Their position"),
        "competitors_top10": _("Rivals in top 10"),
        "priority": _("Priority"),
        "traffic_upside": _("Upside, clicks / month"),
    }
    shown = gap.head(top_n).assign(best_competitor=lambda d: d["best_competitor"].map(lambda x: brand_of.get(x, x)))
    caption = ngettext(
        "Top {shown} of {total} gap keywords by priority (our position empty = we do not rank for it at all in "
        "the rankings data)",
        "Top {shown} of {total} gap keywords by priority (our position empty = we do not rank for it at all in "
        "the rankings data)",
        len(gap),
    ).format(shown=min(top_n, len(gap)), total=grouped(len(gap)))
    formats = {labels[c]: "{:.0f}" for c in ("difficulty", "our_position", "best_position")} | {
        labels[c]: "{:,.0f}" for c in ("search_volume", "priority", "traffic_upside")
    }
    return View(shown[list(labels)].rename(columns=labels), caption, formats)


def _shortfall(value: float, kind: str, currency: str) -> str:
    if pd.isna(value):
        return EMPTY
    if kind == "paid channel":
        return _("{amount} / month").format(amount=money(value, currency, millions=False))
    n = int(round(value))
    return ngettext("{n} follower", "{n} followers", n).format(n=grouped(n))


def channel_gaps_view(gaps: pd.DataFrame, currency: str, our_cpc: float | None) -> View:
    kinds = {
        "paid channel": pgettext("gap kind", "paid channel"),
        "social network": pgettext("gap kind", "social network"),
    }
    statuses = {"absent": _("we are absent"), "outweighed": _("leader has 2×+ ours")}
    shown = gaps.assign(
        kind=gaps["kind"].map(lambda k: kinds.get(k, k)),
        channel=gaps["channel"].map(channel_label),
        status=gaps["status"].map(statuses),
        leader=gaps["leader"] + gaps["leader_amount"].map(lambda v: "" if pd.isna(v) else f" ({grouped(v)})"),
        ours=[grouped(v) for v in gaps["our_amount"]],
        shortfall=[_shortfall(v, k, currency) for v, k in zip(gaps["shortfall"], gaps["kind"], strict=True)],
    )
    labels = {
        "kind": _("Kind"),
        "channel": _("Channel"),
        "status": _("Gap"),
        "leader": _("Leading competitor (amount)"),
        "ours": _("Ours"),
        "shortfall": _("Shortfall to the leader"),
        "est_clicks_upside": _("Est. extra clicks / month"),
    }
    caption = _("Channel gaps")
    if our_cpc and our_cpc == our_cpc:
        caption = _("Channel gaps (search-ad clicks at our average CPC of {cpc})").format(
            cpc=money(our_cpc, currency, millions=False, digits=1)
        )
    return View(shown[list(labels)].rename(columns=labels), caption, {labels["est_clicks_upside"]: "{:,.0f}"})


def strengths_view(strengths: pd.DataFrame) -> tuple[View, bool]:
    """Our distinct strengths (attributes where no rival scores as high), or, when there are none, the
    three attributes where we come closest; the flag says which."""
    labels = {
        "attribute": _("Attribute"),
        "our_score": _("Our score"),
        "best_rival": _("Best rival's score"),
        "best_rival_brand": _("Best rival"),
        "rivals_mean": _("Rivals' mean"),
        "lead_over_best": _("Lead over best rival"),
        "lead_over_mean": _("Lead over rivals' mean"),
    }
    shown = strengths.assign(attribute=strengths["attribute"].astype(str).str.replace("_", " "))
    shown = shown[list(labels)].rename(columns=labels)
    fmt = {labels[c]: "{:.2f}" for c in ("our_score", "best_rival", "rivals_mean")} | {
        labels[c]: "{:+.2f}" for c in ("lead_over_best", "lead_over_mean")
    }
    lead = (strengths["lead_over_best"] > 0).to_numpy()
    if lead.any():
        caption = _(
            "Our distinct strengths: perceived attributes where no competitor scores as high as we do "
            "(same scale as brand_attributes)"
        )
        return View(shown[lead], caption, fmt), True
    return View(shown.head(3), _("Attributes where we come closest to the best rival"), fmt), False


def site_scores_with_brand(site_scores: pd.DataFrame, brand_of: Mapping[str, str]) -> pd.DataFrame:
    """brand, domain, pages, score, top_issue per audited site (the recorded form: top_issue in English)."""
    frame = site_scores.assign(brand=site_scores["domain"].map(brand_of))
    return frame[["brand", "domain", "pages", "score", "top_issue"]]


def site_scores_view(site_scores: pd.DataFrame, brand_of: Mapping[str, str]) -> View:
    labels = {
        "brand": _("Brand"),
        "domain": _("Site"),
        "pages": _("Pages audited"),
        "score": _("Audit score 0–100"),
        "top_issue": _("Issue that costs most"),
    }
    shown = site_scores_with_brand(site_scores, brand_of)
    if "top_check" in site_scores:
        fails = [
            site_scores.at[i, f"fail_{c}"] if isinstance(c, str) else None
            for i, c in zip(site_scores.index, site_scores["top_check"], strict=True)
        ]
        shown = shown.assign(
            top_issue=[text.top_issue(c, f) for c, f in zip(site_scores["top_check"], fails, strict=True)]
        )
    return View(shown.rename(columns=labels), _("On-page audit score per site"), {labels["score"]: "{:.1f}"})


def page_checks_view(page_audit: pd.DataFrame, domains: list[str], brand_of: Mapping[str, str]) -> View:
    """Check by check, the share of each site's pages that pass, and the typical page (sites as columns)."""
    summary = onpage.site_audit_summary(page_audit).set_index("domain")
    checks = {f"pass_{k}": _("Pages passing: {check}").format(check=v) for k, v in onpage.check_labels().items()}
    checks["pass_image_alt"] = _("Images with alt text (mean per page)")
    measures = {
        "median_words": _("Visible words (median page)"),
        "mean_internal_links": _("Internal links (mean per page)"),
        "mean_external_links": _("External links (mean per page)"),
        "median_kib": _("HTML size, KiB (median page)"),
    }
    order = [d for d in domains if d in summary.index] + [d for d in summary.index if d not in set(domains)]
    grid = summary.loc[order, list(checks) + list(measures)].rename(columns=checks | measures)
    grid.index = [brand_of.get(d, d) for d in grid.index]
    shown = grid.T.astype(object)
    for row in checks.values():
        shown.loc[row] = [pct(v) for v in grid[row]]
    for row in measures.values():
        shown.loc[row] = [grouped(v) if pd.isna(v) or v >= 10 else grouped(v, 1) for v in grid[row]]
    caption = _("Check by check: share of each site's pages that pass, and the typical page")
    return View(shown.rename_axis(_("Check")).reset_index(), caption)


def weakest_pages_view(page_audit: pd.DataFrame, brand_of: Mapping[str, str], n: int = 10) -> View:
    worst = page_audit.sort_values("score").head(n).assign(issues=lambda d: d["issues"].map("; ".join))
    worst = worst.assign(brand=worst["domain"].map(lambda d: brand_of.get(d, d)))
    labels = {
        "brand": _("Brand"),
        "page": _("Saved page"),
        "title": _("Page title"),
        "score": _("Score 0–100"),
        "issues": _("Issues found"),
    }
    caption = (
        _("The ten weakest pages and their issues")
        if n == 10
        else ngettext("The {n} weakest page and its issues", "The {n} weakest pages and their issues", n).format(n=n)
    )
    return View(worst[list(labels)].rename(columns=labels), caption, {labels["score"]: "{:.1f}"})
