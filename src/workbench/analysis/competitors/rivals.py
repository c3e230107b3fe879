"""Who is a real rival and what strategy each follows.

Competition score (0–1) = weighted mean of three overlaps, each "how much of OURS do they contest":
  keyword overlap  – share of our ranking keywords' search volume for which they rank top 20,
  channel overlap  – share of our paid spend they match in the same channels: Σ over channels of
                     min(our spend, their spend) / our total spend (ads_intel),
  audience overlap – the same with followers per social network (social),
with weights 0.6 / 0.2 / 0.2 by default; a component whose input is absent is dropped and the
others are rescaled. Direct rival ≥ 0.45, indirect ≥ 0.20, else not a rival (settable).

Why matched amounts and not a yes/no overlap of channel lists: brands in one market tend to use
the same handful of platforms, so "both use VK" is true of everyone and tells nothing; a rival
that spends or has an audience on our platforms on our scale takes the same auctions and the same
attention, one with a tenth of our budget there barely does. Capping at our amount keeps the
measure in 0–1 and read from our side, like the keyword overlap. Without spend (or followers) the
overlap falls back to the share of our channels (networks) they are present in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis.competitors import text
from workbench.analysis.competitors.onpage import normalise_domain
from workbench.analysis.competitors.seo import latest_rankings
from workbench.analysis.competitors.weights import merge_weights
from workbench.i18n import language

DEFAULT_COMPETITION_WEIGHTS = {"keywords": 0.6, "channels": 0.2, "audience": 0.2}
DEFAULT_THRESHOLDS = {"direct": 0.45, "indirect": 0.20}


@dataclass
class Roster:
    """The competitor list with normalised domains and the one brand that is us."""

    frame: pd.DataFrame  # brand, domain, is_us, price_index (when given)
    us: str  # our brand
    our_domain: str

    @property
    def rivals(self) -> list[str]:
        return [b for b in self.frame["brand"] if b != self.us]

    def brand_of_domain(self) -> dict[str, str]:
        return dict(zip(self.frame["domain"], self.frame["brand"], strict=False))


def roster(competitors: pd.DataFrame) -> Roster:
    """Validate the competitors table: exactly one row with is_us true, unique brands and domains."""
    missing = {"brand", "domain", "is_us"} - set(competitors.columns)
    if missing:
        raise ValueError(f"competitors is missing required columns: {', '.join(sorted(missing))}")
    frame = competitors.copy()
    frame["brand"] = frame["brand"].astype(str).str.strip()
    frame["domain"] = frame["domain"].astype(str).map(normalise_domain)
    is_us = frame["is_us"].map(lambda v: str(v).strip().lower() in ("true", "1", "yes", "y", "t", "1.0"))
    frame["is_us"] = is_us
    if is_us.sum() != 1:
        raise ValueError(
            f"competitors: exactly one row must have is_us = true, found {int(is_us.sum())} "
            f"({', '.join(frame.loc[is_us, 'brand']) or 'none'})"
        )
    for col in ("brand", "domain"):
        dup = frame[col][frame[col].duplicated()]
        if len(dup):
            raise ValueError(f"competitors: {col} values must be unique, repeated: {', '.join(map(str, dup.unique()))}")
    us = frame.loc[is_us, "brand"].iloc[0]
    return Roster(frame.reset_index(drop=True), us, frame.loc[is_us, "domain"].iloc[0])


def _validate_weights(
    weights: Mapping[str, float] | None, defaults: Mapping[str, float], name: str
) -> dict[str, float]:
    return merge_weights(weights, defaults, name)


def keyword_overlap(rankings: pd.DataFrame, ros: Roster, top: int = 20) -> pd.DataFrame:
    """Per rival: volume-weighted share of our ranking keywords where they rank within `top`."""
    frame = latest_rankings(rankings)
    ours = frame[frame["domain"] == ros.our_domain]
    vol = ours.groupby("keyword")["search_volume"].max()
    total = float(vol.sum())
    brands = ros.brand_of_domain()
    rows = []
    for domain, brand in brands.items():
        if brand == ros.us:
            continue
        theirs = frame[(frame["domain"] == domain) & (frame["position"] <= top)]
        shared = vol[vol.index.isin(theirs["keyword"])]
        rows.append(
            {
                "brand": brand,
                "shared_keywords": int(len(shared)),
                "our_keywords": int(len(vol)),
                "keyword_overlap": float(shared.sum()) / total if total > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["brand", "shared_keywords", "our_keywords", "keyword_overlap"])


def matched_share(frame: pd.DataFrame, key: str, ros: Roster, size_col: str | None = None) -> pd.DataFrame:
    """Per rival: the share of our amount (spend, followers) they match in the same `key` values
    (channels, networks) — Σ_k min(ours_k, theirs_k) / Σ_k ours_k — with the number of our `key`
    values they are present in. Rows with a size ≤ 0 are inactive. When `size_col` is absent or
    has gaps, every active row counts 1 (the share of our channels they are present in);
    `sized` says which was used."""
    f = pd.DataFrame(
        {"brand": frame["brand"].astype(str).str.strip(), "key": frame[key].astype(str).str.strip().str.lower()}
    )
    size = pd.to_numeric(frame[size_col], errors="coerce") if size_col and size_col in frame.columns else None
    sized = size is not None and bool(size.notna().all()) and len(size) > 0
    if size is not None:
        f = f[(size.isna() | (size > 0)).to_numpy()]
        size = size[(size.isna() | (size > 0)).to_numpy()]
    f["size"] = size.to_numpy(dtype=float) if sized else 1.0
    amounts = f.groupby(["brand", "key"])["size"].sum()
    if not sized:
        amounts = amounts.clip(upper=1.0)
    mine = amounts.loc[ros.us] if ros.us in amounts.index.get_level_values(0) else pd.Series(dtype=float)
    total = float(mine.sum())
    rows = []
    for b in ros.rivals:
        theirs = amounts.loc[b] if b in amounts.index.get_level_values(0) else pd.Series(dtype=float)
        theirs = theirs.reindex(mine.index).fillna(0.0)
        matched = float(np.minimum(mine, theirs).sum())
        rows.append(
            {
                "brand": b,
                "present": int((theirs > 0).sum()),
                "ours": int(len(mine)),
                "overlap": matched / total if total > 0 else np.nan,
                "sized": sized,
            }
        )
    return pd.DataFrame(rows, columns=["brand", "present", "ours", "overlap", "sized"])


def competition_scores(
    ros: Roster,
    rankings: pd.DataFrame | None = None,
    ads_intel: pd.DataFrame | None = None,
    social: pd.DataFrame | None = None,
    weights: Mapping[str, float] | None = None,
    thresholds: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Competition score and class per rival, with the reason in words (see module docstring)."""
    w = _validate_weights(weights, DEFAULT_COMPETITION_WEIGHTS, "competition_weights")
    t = _validate_weights(thresholds, DEFAULT_THRESHOLDS, "rival_thresholds")
    if t["direct"] < t["indirect"]:
        raise ValueError(f"rival_thresholds: direct ({t['direct']}) must be ≥ indirect ({t['indirect']})")
    out = pd.DataFrame({"brand": ros.rivals})
    parts: dict[str, pd.Series] = {}
    notes: dict[str, dict[str, dict[str, Any]]] = {b: {} for b in ros.rivals}  # the overlaps' numbers
    if rankings is not None and len(rankings):
        kw = keyword_overlap(rankings, ros).set_index("brand")
        parts["keywords"] = kw["keyword_overlap"]
        for r in kw.reset_index().itertuples():
            notes[r.brand]["keywords"] = {
                "share": r.keyword_overlap,
                "shared": r.shared_keywords,
                "ours": r.our_keywords,
            }
    for frame, key, size_col, part in (
        (ads_intel, "channel", "est_monthly_spend", "channels"),
        (social, "network", "followers", "audience"),
    ):
        if frame is None or not len(frame):
            continue
        ov = matched_share(frame, key, ros, size_col).set_index("brand")
        parts[part] = ov["overlap"]
        for r in ov.reset_index().itertuples():
            notes[r.brand][part] = {"share": r.overlap, "present": r.present, "ours": r.ours, "sized": bool(r.sized)}
    for name in DEFAULT_COMPETITION_WEIGHTS:
        out[f"{name}_overlap"] = out["brand"].map(parts[name]) if name in parts else np.nan
    num = pd.Series(0.0, index=out.index)
    den = pd.Series(0.0, index=out.index)
    for name, weight in w.items():
        col = out[f"{name}_overlap"]
        num += weight * col.fillna(0.0)
        den += weight * col.notna()
    out["score"] = (num / den.where(den > 0)).round(3)
    classes = []
    for _, r in out.iterrows():
        if pd.isna(r.score):
            classes.append("unknown")
            continue
        classes.append(
            "direct" if r.score >= t["direct"] else "indirect" if r.score >= t["indirect"] else "not a rival"
        )
    out["classification"] = classes
    with language("en"):  # recorded in results.json, which reads the same in every report language
        out["reason"] = [
            text.competition_reason(c, s, notes[b]) for b, c, s in zip(out["brand"], classes, out["score"], strict=True)
        ]
    out = out.sort_values("score", ascending=False, na_position="last", ignore_index=True)
    out.attrs["overlaps"] = notes  # for competition_reasons: the reason in the report's language
    return out


def competition_reasons(competition: pd.DataFrame) -> list[str]:
    """The reason for each row's class in the current language (the `reason` column is English)."""
    notes = competition.attrs.get("overlaps")
    if notes is None:
        return list(competition["reason"])
    return [
        text.competition_reason(c, s, notes.get(b, {}))
        for b, c, s in zip(competition["brand"], competition["classification"], competition["score"], strict=True)
    ]


def share_of_voice(
    ros: Roster,
    seo_visibility: pd.DataFrame | None = None,
    ads_intel: pd.DataFrame | None = None,
    social: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each brand's share of organic visibility (est. clicks), paid spend and social reach (followers)."""
    out = ros.frame[["brand"]].copy()
    if seo_visibility is not None and len(seo_visibility):
        vis = seo_visibility.assign(brand=seo_visibility["domain"].map(ros.brand_of_domain())).dropna(subset=["brand"])
        v = vis.groupby("brand")["visibility"].sum()
        out["organic_share"] = out["brand"].map(v / v.sum() if v.sum() > 0 else v * 0).fillna(0.0)
    else:
        out["organic_share"] = np.nan
    for frame, col, name in ((ads_intel, "est_monthly_spend", "paid_share"), (social, "followers", "social_share")):
        if frame is not None and len(frame) and col in frame.columns:
            s = pd.to_numeric(frame[col], errors="coerce").fillna(0).groupby(frame["brand"].astype(str)).sum()
            s = s[s.index.isin(out["brand"])]
            out[name] = out["brand"].map(s / s.sum() if s.sum() > 0 else s * 0).fillna(0.0)
        else:
            out[name] = np.nan
    return out


def channel_mix(ads_intel: pd.DataFrame) -> pd.DataFrame:
    """Brand × channel share of each brand's estimated paid spend (rows sum to 1)."""
    spend = pd.to_numeric(
        ads_intel.get("est_monthly_spend", pd.Series(1.0, index=ads_intel.index)), errors="coerce"
    ).fillna(0.0)
    pivot = (
        spend.groupby([ads_intel["brand"].astype(str), ads_intel["channel"].astype(str)])
        .sum()
        .unstack(fill_value=0)
        .astype(float)
    )
    totals = pivot.sum(axis=1)
    return pivot.div(totals.where(totals > 0), axis=0).fillna(0.0)


def strategy_table(
    ros: Roster,
    social: pd.DataFrame | None = None,
    ads_intel: pd.DataFrame | None = None,
    email_intel: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Cadence and pricing per brand: posts and e-mails per 30 days, promo share, top paid channel,
    price index and price position (premium > 1.1 × median of the set, budget < 0.9 ×, else mid-market)."""
    out = ros.frame[["brand"]].copy()
    if social is not None and "posts_30d" in social.columns:
        out["posts_30d"] = out["brand"].map(
            pd.to_numeric(social["posts_30d"], errors="coerce").groupby(social["brand"].astype(str)).sum()
        )
    if ads_intel is not None and len(ads_intel):
        mix = channel_mix(ads_intel)
        out["top_paid_channel"] = out["brand"].map(mix.idxmax(axis=1).where(mix.max(axis=1) > 0))
        if "est_monthly_spend" in ads_intel.columns:
            out["paid_spend"] = out["brand"].map(
                pd.to_numeric(ads_intel["est_monthly_spend"], errors="coerce")
                .groupby(ads_intel["brand"].astype(str))
                .sum()
            )
    if email_intel is not None and len(email_intel):
        e = email_intel.assign(brand=email_intel["brand"].astype(str)).drop_duplicates("brand").set_index("brand")
        for col in ("emails_30d", "promo_share", "avg_discount"):
            if col in e.columns:
                out[col] = out["brand"].map(pd.to_numeric(e[col], errors="coerce"))
    if "price_index" in ros.frame.columns:
        price = pd.to_numeric(ros.frame["price_index"], errors="coerce")
        out["price_index"] = price.to_numpy()
        med = price.median()
        out["price_position"] = (
            np.select([price > 1.1 * med, price < 0.9 * med], ["premium", "budget"], "mid-market")
            if pd.notna(med)
            else None
        )
        out.loc[price.isna().to_numpy(), "price_position"] = None
    return out


def average_cpc(rankings: pd.DataFrame, our_domain: str) -> float:
    """Search-volume-weighted mean cost per click of our ranking keywords (NaN without a cpc column):
    what one more paid-search click would cost us on our own keyword set."""
    if "cpc" not in rankings.columns:
        return float("nan")
    frame = latest_rankings(rankings)
    ours = frame[(frame["domain"] == normalise_domain(our_domain))]
    cpc = pd.to_numeric(ours["cpc"], errors="coerce")
    keep = cpc.notna() & (cpc > 0) & (ours["search_volume"] > 0)
    if not keep.any():
        return float("nan")
    return float(np.average(cpc[keep], weights=ours.loc[keep, "search_volume"]))


def channel_gaps(
    ros: Roster,
    ads_intel: pd.DataFrame | None = None,
    social: pd.DataFrame | None = None,
    cpc: float | None = None,
    min_ratio: float = 2.0,
) -> pd.DataFrame:
    """Paid channels and social networks where we are absent while rivals are there, or where the
    leading rival has at least `min_ratio` × our spend (followers).

    shortfall = leader's amount − ours: what matching the leader would take (monthly spend) or
    reach (followers); for absent channels `rivals_amount` adds up every rival there.
    est_clicks_upside (paid search only, when `cpc` is given) = spend shortfall / cpc: the extra
    monthly clicks that budget buys at our average cost per click — an upper estimate, since CPCs
    rise as a budget grows. Social-ad and follower gaps have no click estimate (no CPC for them)."""
    if isinstance(min_ratio, bool) or not isinstance(min_ratio, (int, float)) or not min_ratio >= 1:
        raise ValueError(f"min_ratio must be a number ≥ 1, got {min_ratio!r}")
    from workbench.analysis.competitors.scorecard import ad_channel_kind

    rows = []
    for frame, key, size_col, kind in (
        (ads_intel, "channel", "est_monthly_spend", "paid channel"),
        (social, "network", "followers", "social network"),
    ):
        if frame is None or not len(frame):
            continue
        f = frame.assign(
            brand=frame["brand"].astype(str).str.strip(), key=frame[key].astype(str).str.strip().str.lower()
        )
        sized = size_col in f.columns
        f = f.assign(size=pd.to_numeric(f[size_col], errors="coerce") if sized else np.nan)
        f = f[f["size"].isna() | (f["size"] > 0)]
        amounts = f.groupby(["key", "brand"])["size"].sum(min_count=1)
        for k, per_brand in amounts.groupby(level=0):
            per_brand = per_brand.droplevel(0)
            rivals = per_brand[per_brand.index.isin(ros.rivals)]
            if rivals.empty:
                continue
            ours = per_brand.get(ros.us)
            absent = ros.us not in per_brand.index
            leader = rivals.idxmax() if rivals.notna().any() else rivals.index[0]
            lead_amount = rivals.max()
            if not absent and not (pd.notna(ours) and pd.notna(lead_amount) and lead_amount >= min_ratio * ours):
                continue
            shortfall = float(lead_amount - (0.0 if absent else ours)) if pd.notna(lead_amount) else np.nan
            clicks = np.nan
            if kind == "paid channel" and ad_channel_kind(k) == "paid_search" and cpc and cpc == cpc and cpc > 0:
                clicks = shortfall / cpc
            rows.append(
                {
                    "kind": kind,
                    "channel": k,
                    "status": "absent" if absent else "outweighed",
                    "rivals_using": int(len(rivals)),
                    "rivals": ", ".join(sorted(rivals.index)),
                    "rivals_amount": float(rivals.sum()) if rivals.notna().any() else np.nan,
                    "leader": leader,
                    "leader_amount": float(lead_amount) if pd.notna(lead_amount) else np.nan,
                    "our_amount": np.nan if absent else float(ours) if pd.notna(ours) else np.nan,
                    "shortfall": shortfall,
                    "est_clicks_upside": clicks,
                    "unit": "est. monthly spend" if kind == "paid channel" else "followers",
                }
            )
    cols = [
        "kind",
        "channel",
        "status",
        "rivals_using",
        "rivals",
        "rivals_amount",
        "leader",
        "leader_amount",
        "our_amount",
        "shortfall",
        "est_clicks_upside",
        "unit",
    ]
    out = pd.DataFrame(rows, columns=cols)
    out["_absent"] = out["status"] == "absent"
    return out.sort_values(["kind", "_absent", "shortfall"], ascending=[True, False, False], ignore_index=True).drop(
        columns="_absent"
    )
