"""Executive summary of a competitor audit: three to five findings in words, each taken from a
number computed elsewhere (never a canned sentence), most important first."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench.analysis.competitors import text
from workbench.analysis.competitors.scorecard import CHANNELS


def executive_summary(
    us: str,
    competition: pd.DataFrame | None = None,
    scores: pd.DataFrame | None = None,
    gap: pd.DataFrame | None = None,
    sov: pd.DataFrame | None = None,
    strengths: pd.DataFrame | None = None,
    max_items: int = 5,
) -> list[str]:
    """Findings from the tables the audit built; sections without data add nothing."""
    items: list[str] = []
    if competition is not None and len(competition) and competition["score"].notna().any():
        direct = competition[competition["classification"] == "direct"]
        top = competition.iloc[0]
        items.append(
            text.rivals_finding(len(direct), len(competition), top.brand, top.score, top.get("keywords_overlap"))
        )
    if scores is not None and us in scores.index and scores.loc[us, list(CHANNELS)].notna().any():
        leaders = channel_leaders(scores)
        if len(leaders):
            parts = [
                text.leader_part(r.channel, r.brand, r.score, r.brand == us, subject=True) for r in leaders.itertuples()
            ]
            items.append(text.leaders_finding(parts))
        standing = channel_standing(scores, us)
        if standing is not None:
            items.append(_standing_sentence(standing))
    seo_bits: list[str] = []
    if sov is not None and len(sov) and sov["organic_share"].notna().any():
        row = sov.set_index("brand")
        leader = row["organic_share"].idxmax()
        ours = row.loc[us, "organic_share"] if us in row.index else float("nan")
        seo_bits.append(text.organic_finding(leader, row.loc[leader, "organic_share"], ours, leader == us))
    if gap is not None and len(gap):
        first = gap.iloc[0]
        seo_bits.append(
            text.gap_finding(len(gap), float(gap["traffic_upside"].sum()), first.keyword, first.search_volume)
        )
    if seo_bits:
        items.append(" ".join(seo_bits))
    if strengths is not None and len(strengths) and len(items) < max_items:
        s = strengths.iloc[0]
        attribute = str(s.attribute).replace("_", " ")
        items.append(
            text.attribute_finding(attribute, s.our_score, s.best_rival, s.best_rival_brand, s.lead_over_best > 0)
        )
    return items[:max_items]


@dataclass(frozen=True)
class ChannelStanding:
    """Our channel scores against the best rival's: one source for the summary, the tiles and the headline."""

    mine: pd.Series  # our score per channel with data
    best: pd.Series  # the best rival's score per channel
    lead: pd.Series  # mine − best, per channel
    weakest: str  # the channel where our lead is smallest (most negative)
    strongest: str  # the channel where our lead is largest
    leader_of_weakest: str  # the rival that scores best in our weakest channel


def channel_standing(scores: pd.DataFrame, us: str) -> ChannelStanding | None:
    """Where we stand per channel against the best-scoring rival; None without comparable scores."""
    if us not in scores.index:
        return None
    mine = scores.loc[us, list(CHANNELS)].dropna().astype(float)
    rivals = scores.drop(index=us)[list(mine.index)]
    if mine.empty or not len(rivals) or not rivals.notna().any().any():
        return None
    best = rivals.max()
    lead = (mine - best).dropna()
    ordered = lead.sort_values(kind="mergesort")
    weakest, strongest = str(lead.idxmin()), str(ordered.index[-1])
    return ChannelStanding(mine, best, lead, weakest, strongest, str(rivals[weakest].idxmax()))


def _standing_sentence(s: ChannelStanding) -> str:
    w, b = s.weakest, s.strongest
    return text.standing_finding(
        w, s.mine[w], s.leader_of_weakest, s.best[w], b, s.mine[b], s.best[b], behind=bool(s.lead[w] < 0)
    )


def channel_leaders(scores: pd.DataFrame) -> pd.DataFrame:
    """The best-scoring brand of each channel (channel, brand, score); channels without data are left out."""
    rows = [
        {"channel": ch, "brand": scores[ch].idxmax(), "score": float(scores[ch].max())}
        for ch in CHANNELS
        if ch in scores and scores[ch].notna().any()
    ]
    return pd.DataFrame(rows, columns=["channel", "brand", "score"])
