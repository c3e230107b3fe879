"""Who is a real rival and what strategy each follows.

Competition score (0–1) = weighted mean of
  keyword overlap  – share of OUR ranking keywords' search volume for which they rank top 20,
  channel overlap  – Jaccard overlap of paid channels (ads_intel),
  audience overlap – Jaccard overlap of social networks where both have followers (social),
with weights 0.6 / 0.2 / 0.2 by default; a component whose input is absent is dropped and the
others are rescaled. Direct rival ≥ 0.45, indirect ≥ 0.20, else not a rival (settable).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.analysis.onpage import normalise_domain
from workbench.analysis.seo import latest_rankings

DEFAULT_COMPETITION_WEIGHTS = {"keywords": 0.6, "channels": 0.2, "audience": 0.2}
DEFAULT_THRESHOLDS = {"direct": 0.45, "indirect": 0.20}


@dataclass
class Roster:
    """The competitor list with normalised domains and the one brand that is us."""

    frame: pd.DataFrame   # brand, domain, is_us, price_index (when given)
    us: str               # our brand
    our_domain: str

    @property
    def rivals(self) -> list[str]:
        return [b for b in self.frame["brand"] if b != self.us]

    def brand_of_domain(self) -> dict[str, str]:
        return dict(zip(self.frame["domain"], self.frame["brand"]))


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
        raise ValueError(f"competitors: exactly one row must have is_us = true, found {int(is_us.sum())} "
                         f"({', '.join(frame.loc[is_us, 'brand']) or 'none'})")
    for col in ("brand", "domain"):
        dup = frame[col][frame[col].duplicated()]
        if len(dup):
            raise ValueError(f"competitors: {col} values must be unique, repeated: {', '.join(map(str, dup.unique()))}")
    us = frame.loc[is_us, "brand"].iloc[0]
    return Roster(frame.reset_index(drop=True), us, frame.loc[is_us, "domain"].iloc[0])


def _validate_weights(weights: Mapping[str, float] | None, defaults: Mapping[str, float], name: str) -> dict[str, float]:
    if weights is None:
        return dict(defaults)
    if not isinstance(weights, Mapping):
        raise ValueError(f"{name} must be a mapping, got {type(weights).__name__}")
    out = dict(defaults)
    for key, value in weights.items():
        if key not in defaults:
            raise ValueError(f"{name}: unknown key {key!r}; allowed: {', '.join(defaults)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
            raise ValueError(f"{name}[{key!r}] must be a non-negative number, got {value!r}")
        out[key] = float(value)
    if sum(out.values()) <= 0:
        raise ValueError(f"{name}: at least one weight must be positive")
    return out


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
        rows.append({"brand": brand, "shared_keywords": int(len(shared)), "our_keywords": int(len(vol)),
                     "keyword_overlap": float(shared.sum()) / total if total > 0 else np.nan})
    return pd.DataFrame(rows, columns=["brand", "shared_keywords", "our_keywords", "keyword_overlap"])


def _sets(frame: pd.DataFrame, key: str, active: pd.Series | None) -> dict[str, set[str]]:
    use = frame if active is None else frame[active.fillna(True).to_numpy()]
    return {b: set(g[key].astype(str).str.strip().str.lower()) for b, g in use.groupby("brand")}


def _jaccard(a: set[str], b: set[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else np.nan


def set_overlap(frame: pd.DataFrame, key: str, ros: Roster, active_col: str | None = None) -> pd.DataFrame:
    """Jaccard overlap of `key` values (channels or networks) between us and each rival."""
    active = None
    if active_col and active_col in frame.columns:
        active = pd.to_numeric(frame[active_col], errors="coerce").fillna(1) > 0
    sets = _sets(frame, key, active)
    mine = sets.get(ros.us, set())
    rows = [{"brand": b, "shared": len(mine & sets.get(b, set())), "union": len(mine | sets.get(b, set())),
             "overlap": _jaccard(mine, sets.get(b, set()))} for b in ros.rivals]
    return pd.DataFrame(rows, columns=["brand", "shared", "union", "overlap"])


def competition_scores(ros: Roster, rankings: pd.DataFrame | None = None, ads_intel: pd.DataFrame | None = None,
                       social: pd.DataFrame | None = None, weights: Mapping[str, float] | None = None,
                       thresholds: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Competition score and class per rival, with the reason in words (see module docstring)."""
    w = _validate_weights(weights, DEFAULT_COMPETITION_WEIGHTS, "competition_weights")
    t = _validate_weights(thresholds, DEFAULT_THRESHOLDS, "rival_thresholds")
    if t["direct"] < t["indirect"]:
        raise ValueError(f"rival_thresholds: direct ({t['direct']}) must be ≥ indirect ({t['indirect']})")
    out = pd.DataFrame({"brand": ros.rivals})
    parts: dict[str, pd.Series] = {}
    notes: dict[str, dict[str, str]] = {b: {} for b in ros.rivals}
    if rankings is not None and len(rankings):
        kw = keyword_overlap(rankings, ros).set_index("brand")
        parts["keywords"] = kw["keyword_overlap"]
        for r in kw.reset_index().itertuples():
            share = "n/a" if pd.isna(r.keyword_overlap) else f"{r.keyword_overlap:.0%}"
            notes[r.brand]["keywords"] = (f"ranks top 20 for {share} of our search demand "
                                          f"({r.shared_keywords} of our {r.our_keywords} keywords)")
    if ads_intel is not None and len(ads_intel):
        ch = set_overlap(ads_intel, "channel", ros, "est_monthly_spend").set_index("brand")
        parts["channels"] = ch["overlap"]
        for r in ch.reset_index().itertuples():
            notes[r.brand]["channels"] = f"shares {r.shared} of {r.union} paid channels (ours and theirs together)"
    if social is not None and len(social):
        so = set_overlap(social, "network", ros, "followers").set_index("brand")
        parts["audience"] = so["overlap"]
        for r in so.reset_index().itertuples():
            notes[r.brand]["audience"] = f"shares {r.shared} of {r.union} social networks (ours and theirs together)"
    for name in DEFAULT_COMPETITION_WEIGHTS:
        out[f"{name}_overlap"] = out["brand"].map(parts[name]) if name in parts else np.nan
    num = pd.Series(0.0, index=out.index)
    den = pd.Series(0.0, index=out.index)
    for name, weight in w.items():
        col = out[f"{name}_overlap"]
        num += weight * col.fillna(0.0)
        den += weight * col.notna()
    out["score"] = (num / den.where(den > 0)).round(3)
    classes, reasons = [], []
    for _, r in out.iterrows():
        if pd.isna(r.score):
            classes.append("unknown")
            reasons.append("no keyword, paid-channel or social data to compare")
            continue
        cls = "direct" if r.score >= t["direct"] else "indirect" if r.score >= t["indirect"] else "not a rival"
        bits = [notes[r.brand][k] for k in ("keywords", "channels", "audience") if k in notes[r.brand]]
        lead = {"direct": "Direct rival", "indirect": "Indirect rival", "not a rival": "Not a rival"}[cls]
        classes.append(cls)
        reasons.append(f"{lead} (score {r.score:.2f}): " + "; ".join(bits) + ".")
    out["classification"] = classes
    out["reason"] = reasons
    return out.sort_values("score", ascending=False, na_position="last", ignore_index=True)


def share_of_voice(ros: Roster, seo_visibility: pd.DataFrame | None = None, ads_intel: pd.DataFrame | None = None,
                   social: pd.DataFrame | None = None) -> pd.DataFrame:
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
    spend = pd.to_numeric(ads_intel.get("est_monthly_spend", pd.Series(1.0, index=ads_intel.index)),
                          errors="coerce").fillna(0.0)
    pivot = spend.groupby([ads_intel["brand"].astype(str), ads_intel["channel"].astype(str)]).sum().unstack(fill_value=0).astype(float)
    totals = pivot.sum(axis=1)
    return pivot.div(totals.where(totals > 0), axis=0).fillna(0.0)


def strategy_table(ros: Roster, social: pd.DataFrame | None = None, ads_intel: pd.DataFrame | None = None,
                   email_intel: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cadence and pricing per brand: posts and e-mails per 30 days, promo share, top paid channel,
    price index and price position (premium > 1.1 × median of the set, budget < 0.9 ×, else mid-market)."""
    out = ros.frame[["brand"]].copy()
    if social is not None and "posts_30d" in social.columns:
        out["posts_30d"] = out["brand"].map(pd.to_numeric(social["posts_30d"], errors="coerce")
                                            .groupby(social["brand"].astype(str)).sum())
    if ads_intel is not None and len(ads_intel):
        mix = channel_mix(ads_intel)
        out["top_paid_channel"] = out["brand"].map(mix.idxmax(axis=1).where(mix.max(axis=1) > 0))
        if "est_monthly_spend" in ads_intel.columns:
            out["paid_spend"] = out["brand"].map(pd.to_numeric(ads_intel["est_monthly_spend"], errors="coerce")
                                                 .groupby(ads_intel["brand"].astype(str)).sum())
    if email_intel is not None and len(email_intel):
        e = email_intel.assign(brand=email_intel["brand"].astype(str)).drop_duplicates("brand").set_index("brand")
        for col in ("emails_30d", "promo_share", "avg_discount"):
            if col in e.columns:
                out[col] = out["brand"].map(pd.to_numeric(e[col], errors="coerce"))
    if "price_index" in ros.frame.columns:
        price = pd.to_numeric(ros.frame["price_index"], errors="coerce")
        out["price_index"] = price.to_numpy()
        med = price.median()
        out["price_position"] = np.select([price > 1.1 * med, price < 0.9 * med], ["premium", "budget"],
                                          "mid-market") if pd.notna(med) else None
        out.loc[price.isna().to_numpy(), "price_position"] = None
    return out


def channel_gaps(ros: Roster, ads_intel: pd.DataFrame | None = None, social: pd.DataFrame | None = None) -> pd.DataFrame:
    """Paid channels and social networks rivals use and we do not: how many rivals, and what is at
    stake there (their combined estimated monthly spend, or their combined followers)."""
    rows = []
    for frame, key, size_col, kind in ((ads_intel, "channel", "est_monthly_spend", "paid channel"),
                                       (social, "network", "followers", "social network")):
        if frame is None or not len(frame):
            continue
        f = frame.assign(brand=frame["brand"].astype(str), key=frame[key].astype(str).str.strip().str.lower())
        size = pd.to_numeric(f[size_col], errors="coerce").fillna(0) if size_col in f.columns else pd.Series(1.0, index=f.index)
        f = f.assign(size=size)[size > 0] if size_col in f.columns else f.assign(size=size)
        ours = set(f.loc[f["brand"] == ros.us, "key"])
        theirs = f[(f["brand"] != ros.us) & ~f["key"].isin(ours) & f["brand"].isin(ros.rivals)]
        for k, g in theirs.groupby("key"):
            rows.append({"kind": kind, "channel": k, "rivals_using": int(g["brand"].nunique()),
                         "rivals": ", ".join(sorted(g["brand"].unique())),
                         "at_stake": float(g["size"].sum()),
                         "at_stake_unit": "est. monthly spend" if kind == "paid channel" else "followers"})
    out = pd.DataFrame(rows, columns=["kind", "channel", "rivals_using", "rivals", "at_stake", "at_stake_unit"])
    return out.sort_values(["kind", "rivals_using", "at_stake"], ascending=[True, False, False], ignore_index=True)
