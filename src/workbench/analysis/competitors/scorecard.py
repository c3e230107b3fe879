"""Channel scorecard: where each brand is stronger or weaker than us, on one 0–100 scale.

Each channel score is the mean of its available metric scores. A metric score compares a brand
with the best brand in the set ("share of best"): 100 × value / max for metrics where more is
better, 100 × min / value where less is better (load time, bounce rate), 100 / 0 for yes/no
flags; the on-page audit score is already 0–100. So 100 means "best in this set", and a score
does not depend on how many brands are compared. Formulas per channel: docs/competitor-audit.md.
The overall score is the weighted mean of the channel scores a brand has, weights from params.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from workbench.analysis.competitors import text
from workbench.analysis.competitors.weights import weight_value

CHANNELS = ("site", "seo", "social", "paid_search", "paid_social", "email")
DEFAULT_CHANNEL_WEIGHTS = {
    "site": 0.2,
    "seo": 0.3,
    "social": 0.15,
    "paid_search": 0.1,
    "paid_social": 0.1,
    "email": 0.15,
}
#: Readable channel names for reports.
AUDIT_CHANNEL_LABELS = {
    "site": "site",
    "seo": "SEO",
    "social": "social",
    "paid_search": "paid search",
    "paid_social": "paid social",
    "email": "e-mail",
    "overall": "overall",
}
#: Ad platforms by kind: search ads are bought on queries, social ads on audiences. Other names are
#: classified by the words they contain (see ad_channel_kind); anything else is not scored.
SEARCH_AD_CHANNELS = frozenset(
    {"google_ads", "yandex_direct", "bing_ads", "microsoft_ads", "apple_search_ads", "baidu_ads", "naver_ads"}
)
SOCIAL_AD_CHANNELS = frozenset(
    {
        "meta_ads",
        "facebook_ads",
        "instagram_ads",
        "vk_ads",
        "mytarget",
        "tiktok_ads",
        "telegram_ads",
        "linkedin_ads",
        "pinterest_ads",
        "snapchat_ads",
        "x_ads",
        "twitter_ads",
        "ok_ads",
        "youtube_ads",
    }
)


def ad_channel_kind(channel: object) -> str | None:
    """'paid_search', 'paid_social' or None (unknown) for an ads_intel channel name."""
    name = str(channel).strip().lower().replace(" ", "_").replace("-", "_")
    if name in SEARCH_AD_CHANNELS or "search" in name or "direct" in name:
        return "paid_search"
    if name in SOCIAL_AD_CHANNELS or any(
        w in name for w in ("meta", "facebook", "instagram", "vk", "tiktok", "telegram", "social")
    ):
        return "paid_social"
    return None


def validate_channel_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Channel weights must name known channels and be non-negative numbers, not all zero."""
    if weights is None:
        return dict(DEFAULT_CHANNEL_WEIGHTS)
    if not isinstance(weights, Mapping):
        raise ValueError(f"scorecard_weights must be a mapping channel -> weight, got {type(weights).__name__}")
    out = {c: 0.0 for c in CHANNELS}
    for key, value in weights.items():
        if key == "paid":  # older params: one paid weight, split evenly over search and social ads
            value = weight_value("scorecard_weights", key, value)
            out["paid_search"] += value / 2
            out["paid_social"] += value / 2
            continue
        if key not in CHANNELS:
            raise ValueError(f"scorecard_weights: unknown channel {key!r}; allowed: {', '.join(CHANNELS)}")
        out[key] += weight_value("scorecard_weights", key, value)
    if sum(out.values()) <= 0:
        raise ValueError("scorecard_weights: at least one channel needs a positive weight")
    return out


def share_of_best(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """100 × value / best (or best / value when lower is better); negatives count as 0, NaN stays NaN."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    if higher_is_better:
        v = v.clip(lower=0)
        best = v.max()
        return 100 * v / best if best and best > 0 else v * 0
    v = v.where(v > 0)
    best = v.min()
    return 100 * best / v if pd.notna(best) else v


def _flag(values: pd.Series) -> pd.Series:
    def conv(x: object) -> float:
        if x is None or (isinstance(x, float) and np.isnan(x)):
            return np.nan
        return 100.0 if str(x).strip().lower() in ("true", "1", "1.0", "yes", "y", "t") else 0.0

    return values.map(conv).astype(float)


def _mean(parts: list[pd.Series], index: pd.Index) -> pd.Series:
    if not parts:
        return pd.Series(np.nan, index=index)
    return pd.concat(parts, axis=1).mean(axis=1, skipna=True)


def _site_metrics_by_brand(site_metrics: pd.DataFrame | None, dom: pd.Series, idx: pd.Index) -> pd.DataFrame | None:
    """site_metrics reindexed by brand (through its normalised domain); None without rows."""
    if site_metrics is None or not len(site_metrics):
        return None
    from workbench.analysis.competitors.onpage import normalise_domain

    sm = (
        site_metrics.assign(domain=site_metrics["domain"].astype(str).map(normalise_domain))
        .drop_duplicates("domain")
        .set_index("domain")
        .reindex(dom.to_numpy())
    )
    sm.index = idx
    return sm


def _site_parts(site_audit: pd.DataFrame | None, sm: pd.DataFrame | None, dom: pd.Series, idx: pd.Index) -> list:
    """Site: on-page audit score, speed and engagement of visits, mobile and HTTPS flags."""
    parts: list[pd.Series] = []
    if site_audit is not None and len(site_audit):
        parts.append(dom.map(site_audit.set_index("domain")["score"]).astype(float).set_axis(idx))
    if sm is not None:
        for col, higher_is_better in (
            ("load_time_s", False),
            ("bounce_rate", False),
            ("pages_per_visit", True),
            ("visit_duration_s", True),
        ):
            if col in sm.columns:
                parts.append(share_of_best(sm[col], higher_is_better))
        parts += [_flag(sm[col]) for col in ("mobile_friendly", "https") if col in sm.columns]
    return parts


def _seo_parts(seo_visibility: pd.DataFrame | None, sm: pd.DataFrame | None, dom: pd.Series, idx: pd.Index) -> list:
    """SEO: estimated organic clicks and top-10 keywords, then link and index metrics."""
    parts: list[pd.Series] = []
    if seo_visibility is not None and len(seo_visibility):
        vis = seo_visibility.set_index("domain").reindex(dom.to_numpy())
        vis.index = idx
        parts += [share_of_best(vis["visibility"].fillna(0)), share_of_best(vis["top10"].fillna(0))]
    if sm is not None:
        parts += [share_of_best(sm[c]) for c in ("referring_domains", "authority", "indexed_pages") if c in sm.columns]
    return parts


def _social_parts(social: pd.DataFrame | None, idx: pd.Index) -> list:
    """Social: followers, posting cadence, follower-weighted engagement, growth (summed over networks)."""
    if social is None or not len(social):
        return []
    s = social.assign(brand=social["brand"].astype(str))
    num = {
        c: pd.to_numeric(s[c], errors="coerce")
        for c in ("followers", "posts_30d", "engagement_rate", "follower_growth_30d")
        if c in s.columns
    }
    g = pd.DataFrame(num).assign(brand=s["brand"])
    parts = [share_of_best(g.groupby("brand")["followers"].sum().reindex(idx).fillna(0))]
    if "posts_30d" in g:
        parts.append(share_of_best(g.groupby("brand")["posts_30d"].sum().reindex(idx)))
    if "engagement_rate" in g:  # follower-weighted engagement across networks
        wsum = (g["engagement_rate"] * g["followers"]).groupby(g["brand"]).sum()
        fsum = g["followers"].where(g["engagement_rate"].notna()).groupby(g["brand"]).sum()
        parts.append(share_of_best((wsum / fsum.where(fsum > 0)).reindex(idx)))
    if "follower_growth_30d" in g:
        parts.append(share_of_best(g.groupby("brand")["follower_growth_30d"].sum().reindex(idx)))
    return parts


def _paid_parts(ads_intel: pd.DataFrame | None, idx: pd.Index) -> dict[str, list]:
    """Paid search and paid social: spend, active ads, keywords bid (or the breadth of platforms used)."""
    paid: dict[str, list[pd.Series]] = {"paid_search": [], "paid_social": []}
    if ads_intel is None or not len(ads_intel):
        return paid
    a = ads_intel.assign(brand=ads_intel["brand"].astype(str), kind=ads_intel["channel"].map(ad_channel_kind))
    for kind, parts in paid.items():
        k = a[a["kind"] == kind]
        if k.empty:
            continue
        for col in ("est_monthly_spend", "active_ads", "keywords_bid"):
            values = pd.to_numeric(k[col], errors="coerce") if col in k.columns else None
            if values is not None and values.notna().any():
                parts.append(share_of_best(values.groupby(k["brand"]).sum().reindex(idx).fillna(0)))
        if not parts:  # only channel lists: breadth of channels of this kind
            parts.append(share_of_best(k.groupby("brand")["channel"].nunique().reindex(idx).fillna(0)))
    return paid


def _email_parts(email_intel: pd.DataFrame | None, idx: pd.Index) -> list:
    """E-mail: sends in 30 days and personalisation (a flag or a 0–1 share)."""
    if email_intel is None or not len(email_intel):
        return []
    e = email_intel.assign(brand=email_intel["brand"].astype(str)).drop_duplicates("brand").set_index("brand")
    e = e.reindex(idx)
    parts = [share_of_best(pd.to_numeric(e["emails_30d"], errors="coerce"))]
    if "personalization" in e.columns:
        p = pd.to_numeric(e["personalization"], errors="coerce")
        if p.notna().any() and e["personalization"].dropna().map(lambda x: isinstance(x, (bool, np.bool_))).all():
            p = _flag(e["personalization"])
        elif p.notna().any():
            p = share_of_best(p)
        else:
            p = _flag(e["personalization"])
        parts.append(p)
    return parts


def channel_scores(
    brands: list[str],
    domain_of: Mapping[str, str],
    *,
    site_audit: pd.DataFrame | None = None,
    site_metrics: pd.DataFrame | None = None,
    seo_visibility: pd.DataFrame | None = None,
    social: pd.DataFrame | None = None,
    ads_intel: pd.DataFrame | None = None,
    email_intel: pd.DataFrame | None = None,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Brand × channel scores 0–100 plus `overall`; a channel without data is NaN (not zero).

    One scorer per channel (`_site_parts`, `_seo_parts`, …) returns that channel's metric scores;
    the channel score is their mean and `overall` the weighted mean of the channels with data."""
    w = validate_channel_weights(weights)
    idx = pd.Index(brands, name="brand")
    dom = pd.Series({b: domain_of[b] for b in brands})
    sm = _site_metrics_by_brand(site_metrics, dom, idx)
    paid = _paid_parts(ads_intel, idx)
    out = pd.DataFrame(
        {
            "site": _mean(_site_parts(site_audit, sm, dom, idx), idx),
            "seo": _mean(_seo_parts(seo_visibility, sm, dom, idx), idx),
            "social": _mean(_social_parts(social, idx), idx),
            "paid_search": _mean(paid["paid_search"], idx),
            "paid_social": _mean(paid["paid_social"], idx),
            "email": _mean(_email_parts(email_intel, idx), idx),
        },
        index=idx,
    )
    weight = pd.Series(w)
    have = out[list(CHANNELS)].notna()
    num = (out[list(CHANNELS)].fillna(0) * weight).sum(axis=1)
    den = (have * weight).sum(axis=1)
    out["overall"] = num / den.where(den > 0)
    return out.round(1)


def strengths_weaknesses(scores: pd.DataFrame, us: str, margin: float = 10.0) -> pd.DataFrame:
    """For each rival, in words (current language): channels where they beat us (or trail us) by at least
    `margin` points."""
    if us not in scores.index:
        raise ValueError(f"scorecard has no row for our brand {us!r}")
    mine = scores.loc[us]
    rows = []
    for brand, r in scores.drop(index=us).iterrows():
        better, worse = [], []
        for ch in CHANNELS:
            if pd.isna(r[ch]) or pd.isna(mine[ch]):
                continue
            diff = r[ch] - mine[ch]
            if diff >= margin:
                better.append((diff, text.versus(ch, r[ch], mine[ch])))
            elif diff <= -margin:
                worse.append((diff, text.versus(ch, r[ch], mine[ch])))
        better.sort(reverse=True)
        worse.sort()
        rows.append(
            {
                "brand": brand,
                "strengths": text.strengths_sentence([t for _, t in better], margin),
                "weaknesses": text.weaknesses_sentence([t for _, t in worse], margin),
            }
        )
    return pd.DataFrame(rows, columns=["brand", "strengths", "weaknesses"])
