"""Search visibility and keyword gap from ranking data (keyword × domain × position × volume).

Visibility turns rankings into estimated monthly clicks: Σ search volume × CTR(position), with a
click-through-rate curve by position. The default curve is SISTRIX's 2020 CTR study where its
values could be verified, interpolated in between (see DEFAULT_CTR and docs/competitor-audit.md);
any curve can be passed in from params.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis.competitors.onpage import normalise_domain

#: Average organic CTR by Google position 1–10. Positions 1, 2, 3, 4 and 10 are SISTRIX's CTR study
#: (80 million keywords, July 2020): 28.5 %, 15.7 %, 11.0 %, 8.0 %, 2.5 % — verified against public
#: summaries of the study (URLs in docs/competitor-audit.md). Positions 5–9 are NOT study figures: we
#: could not retrieve the study's own values for them, so they are a geometric interpolation between
#: the published position-4 and position-10 values (ratio (2.5/8.0)^(1/6) ≈ 0.824 per step), rounded
#: to 0.1 percentage point.
DEFAULT_CTR: dict[int, float] = {
    1: 0.285,
    2: 0.157,
    3: 0.110,
    4: 0.080,
    5: 0.066,
    6: 0.054,
    7: 0.045,
    8: 0.037,
    9: 0.030,
    10: 0.025,
}
#: Positions with a published (verified) value in DEFAULT_CTR; the others are interpolated.
DEFAULT_CTR_VERIFIED = (1, 2, 3, 4, 10)
#: Page two: Backlinko's 2023 CTR study reports that 0.63 % of searchers click anything on the second
#: results page (SISTRIX: "significantly less than one percent" per position there); spread evenly
#: over positions 11–20. Beyond position 20 we assume no clicks.
DEFAULT_TAIL_CTR = 0.0063 / 10
MAX_POSITION = 100


def ctr_table(
    curve: Mapping[Any, float] | None = None, tail_ctr: float | None = None, tail_until: int = 20
) -> np.ndarray:
    """CTR by position as an array indexed by position (0 unused), positions 1..MAX_POSITION.

    Positions given in `curve` take its value; the remaining positions up to `tail_until` take
    `tail_ctr`; deeper positions get 0. Validates that CTRs are in [0, 1]."""
    given = DEFAULT_CTR if curve is None else curve
    tail = DEFAULT_TAIL_CTR if tail_ctr is None else tail_ctr
    if not isinstance(given, Mapping) or not given:
        raise ValueError(f"ctr_curve must be a non-empty mapping position -> CTR, got {given!r}")
    if isinstance(tail, bool) or not isinstance(tail, (int, float)) or not 0 <= tail <= 1:
        raise ValueError(f"ctr_tail must be a number in [0, 1], got {tail!r}")
    if isinstance(tail_until, bool) or not isinstance(tail_until, int) or not 0 <= tail_until <= MAX_POSITION:
        raise ValueError(f"ctr_tail_until must be an integer in [0, {MAX_POSITION}], got {tail_until!r}")
    table = np.zeros(MAX_POSITION + 1)
    table[1 : tail_until + 1] = tail
    for key, value in given.items():
        try:
            pos = int(key)
        except (TypeError, ValueError):
            raise ValueError(f"ctr_curve: position {key!r} is not an integer") from None
        if not 1 <= pos <= MAX_POSITION or str(pos) != str(key).strip():
            raise ValueError(f"ctr_curve: position must be an integer 1..{MAX_POSITION}, got {key!r}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ValueError(f"ctr_curve[{key!r}] must be a CTR in [0, 1], got {value!r}")
        table[pos] = float(value)
    return table


def ctr(positions: Any, table: np.ndarray | None = None) -> np.ndarray:
    """CTR for each position (floats are rounded; NaN/absent or beyond the table → 0)."""
    table = ctr_table() if table is None else table
    pos = np.asarray(positions, dtype=float)
    idx = np.where(np.isfinite(pos), np.rint(pos), 0).astype(np.int64)
    idx = np.where((idx >= 1) & (idx < len(table)), idx, 0)
    return np.where(idx > 0, table[idx], 0.0)


def latest_rankings(rankings: pd.DataFrame) -> pd.DataFrame:
    """One row per keyword × domain: the latest date when dates exist, then the best position.

    Domains are normalised ('www.' and scheme dropped) so they match the competitors list."""
    missing = {"keyword", "domain", "position", "search_volume"} - set(rankings.columns)
    if missing:
        raise ValueError(f"keyword_rankings is missing required columns: {', '.join(sorted(missing))}")
    cols = [
        c
        for c in ("keyword", "domain", "position", "search_volume", "difficulty", "cpc", "url", "date")
        if c in rankings.columns
    ]
    frame = rankings[cols].copy()
    codes, uniques = pd.factorize(frame["domain"].astype(str))  # normalise each distinct domain once
    frame["domain"] = (
        np.asarray([normalise_domain(u) for u in uniques], dtype=object)[codes]
        if len(uniques)
        else frame["domain"].astype(str)
    )
    frame["position"] = pd.to_numeric(frame["position"], errors="coerce").astype(float)  # NaN, not pd.NA
    frame["search_volume"] = pd.to_numeric(frame["search_volume"], errors="coerce").astype(float).fillna(0.0)
    frame = frame[frame["position"].notna() & (frame["position"] >= 1)]
    kcode = pd.factorize(frame["keyword"])[0].astype(np.int64)
    dcode, doms = pd.factorize(frame["domain"])
    key = pd.Series(kcode * max(len(doms), 1) + dcode, index=frame.index)
    if "date" in frame.columns:
        dates = pd.to_datetime(frame["date"], errors="coerce")
        last = dates.groupby(key).transform("max")
        keep = ((dates == last) | last.isna()).to_numpy()
        frame, key = frame[keep], key[keep]
    order = np.argsort(frame["position"].to_numpy(), kind="stable")
    first = ~key.iloc[order].duplicated().to_numpy()
    return frame.iloc[order[first]].reset_index(drop=True)


def visibility(rankings: pd.DataFrame, table: np.ndarray | None = None) -> pd.DataFrame:
    """Per domain: keywords ranked, in top 3/10/20, estimated monthly organic clicks
    (Σ volume × CTR) and its share among the domains given."""
    frame = latest_rankings(rankings)
    frame["clicks"] = frame["search_volume"].to_numpy() * ctr(frame["position"], table)
    pos = frame["position"]
    out = (
        frame.assign(top3=pos <= 3, top10=pos <= 10, top20=pos <= 20)
        .groupby("domain")
        .agg(
            keywords=("keyword", "size"),
            top3=("top3", "sum"),
            top10=("top10", "sum"),
            top20=("top20", "sum"),
            visibility=("clicks", "sum"),
        )
    )
    total = out["visibility"].sum()
    out["visibility_share"] = out["visibility"] / total if total > 0 else 0.0
    return out.reset_index().sort_values("visibility", ascending=False, ignore_index=True)


def normalised_difficulty(values: pd.Series) -> pd.Series:
    """Difficulty on a 0–1 scale. Tools report keyword difficulty 0–100 (Ahrefs, Semrush); if every
    value is ≤ 1 the column is taken as already 0–1. Missing values count as 0.5 (no information)."""
    d = pd.to_numeric(values, errors="coerce")
    known = d.dropna()
    if len(known) and (known.min() < 0 or known.max() > 100):
        raise ValueError(f"difficulty must lie in 0–100 (or 0–1); found values from {known.min()} to {known.max()}")
    if len(known) and known.max() > 1:
        d = d / 100.0
    return d.fillna(0.5)


def keyword_gap(
    rankings: pd.DataFrame,
    our_domain: str,
    competitor_domains: list[str] | None = None,
    table: np.ndarray | None = None,
    their_top: int = 10,
    our_beyond: int = 20,
) -> pd.DataFrame:
    """Keywords where a competitor ranks in their top `their_top` while we are absent or worse than
    `our_beyond`, one row per keyword, highest priority first.

    priority = volume × CTR(their best position) × (1 − difficulty on 0–1);
    traffic_upside = volume × (CTR(their best position) − CTR(our position)): the monthly clicks we
    would add by matching the best competitor."""
    for name, value in (("their_top", their_top), ("our_beyond", our_beyond)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    table = ctr_table() if table is None else table
    us = normalise_domain(our_domain)
    frame = latest_rankings(rankings)
    if competitor_domains is not None:
        allowed = {normalise_domain(d) for d in competitor_domains} - {us}
        them = frame[frame["domain"].isin(allowed)]
    else:
        them = frame[frame["domain"] != us]
    ours = frame.loc[frame["domain"] == us, ["keyword", "position"]].rename(columns={"position": "our_position"})
    top = them[them["position"] <= their_top]
    columns = [
        "keyword",
        "search_volume",
        "difficulty",
        "our_position",
        "best_competitor",
        "best_position",
        "competitors_top10",
        "priority",
        "traffic_upside",
    ]
    if top.empty:
        return pd.DataFrame(columns=columns)
    top = top.sort_values(["keyword", "position", "domain"], kind="stable")
    best = top.drop_duplicates("keyword", keep="first")
    counts = top.groupby("keyword", sort=False).size()
    volume = frame.groupby("keyword")["search_volume"].max()
    gap = best[["keyword", "domain", "position"]].rename(
        columns={"domain": "best_competitor", "position": "best_position"}
    )
    gap = gap.merge(ours, on="keyword", how="left")
    gap = gap[gap["our_position"].isna() | (gap["our_position"] > our_beyond)].copy()
    gap["search_volume"] = gap["keyword"].map(volume).to_numpy()
    gap["competitors_top10"] = gap["keyword"].map(counts).to_numpy()
    if "difficulty" in frame.columns:
        diff = frame.groupby("keyword")["difficulty"].max()
        gap["difficulty"] = gap["keyword"].map(diff).to_numpy()
        factor = 1.0 - normalised_difficulty(gap["difficulty"]).to_numpy()
    else:
        gap["difficulty"] = np.nan
        factor = 1.0
    their_ctr = ctr(gap["best_position"], table)
    gap["priority"] = gap["search_volume"].to_numpy() * their_ctr * factor
    gap["traffic_upside"] = gap["search_volume"].to_numpy() * np.clip(
        their_ctr - ctr(gap["our_position"], table), 0, None
    )
    return gap[columns].sort_values(["priority", "keyword"], ascending=[False, True], ignore_index=True)
