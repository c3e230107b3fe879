"""Executive summary of a competitor audit: three to five findings in words, each taken from a
number computed elsewhere (never a canned sentence), most important first."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench.analysis.competitors.scorecard import AUDIT_CHANNEL_LABELS, CHANNELS
from workbench.report.format import pct


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
        if len(direct):
            items.append(
                f"{len(direct)} of {len(competition)} listed competitors are direct rivals; the closest is "
                f"{top.brand} (competition score {top.score:.2f}, keyword overlap "
                f"{_pct(top.get('keywords_overlap'))})."
            )
        else:
            items.append(
                f"No listed competitor is a direct rival; the closest is {top.brand} "
                f"(competition score {top.score:.2f})."
            )
    if scores is not None and us in scores.index and scores.loc[us, list(CHANNELS)].notna().any():
        leaders = channel_leaders(scores)
        if len(leaders):
            parts = [
                f"{AUDIT_CHANNEL_LABELS[r.channel]} — {'we' if r.brand == us else r.brand} ({r.score:.0f})"
                for r in leaders.itertuples()
            ]
            items.append("Channel leaders (scorecard, 100 = best in the set): " + "; ".join(parts) + ".")
        standing = channel_standing(scores, us)
        if standing is not None:
            items.append(_standing_sentence(standing))
    seo_bits: list[str] = []
    if sov is not None and len(sov) and sov["organic_share"].notna().any():
        row = sov.set_index("brand")
        leader = row["organic_share"].idxmax()
        ours = row.loc[us, "organic_share"] if us in row.index else float("nan")
        if leader == us:
            seo_bits.append(
                f"We hold the largest organic share of voice ({_pct(ours)} of the set's estimated organic clicks)."
            )
        else:
            seo_bits.append(
                f"{leader} takes {_pct(row.loc[leader, 'organic_share'])} of the set's estimated organic "
                f"clicks, we {_pct(ours)}."
            )
    if gap is not None and len(gap):
        upside = float(gap["traffic_upside"].sum())
        first = gap.iloc[0]
        seo_bits.append(
            f"{len(gap):,} keywords rank in a competitor's top 10 where we are absent or below 20; "
            f"matching the best competitor on them would add about {upside:,.0f} organic clicks a "
            f"month (top priority: \u201c{first.keyword}\u201d, {first.search_volume:,.0f} "
            f"searches/month)."
        )
    if seo_bits:
        items.append(" ".join(seo_bits))
    if strengths is not None and len(strengths) and len(items) < max_items:
        s = strengths.iloc[0]
        if s.lead_over_best > 0:
            items.append(
                f"Our most distinct perceived strength is {str(s.attribute).replace('_', ' ')}: "
                f"{s.our_score:.1f} against at most {s.best_rival:.1f} for any rival."
            )
        else:
            items.append(
                f"No perceived attribute where we beat every rival; closest is {str(s.attribute).replace('_', ' ')} "
                f"({s.our_score:.1f} vs {s.best_rival:.1f} for {s.best_rival_brand})."
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
    text = ""
    if s.lead[w] < 0:
        text = (
            f"Our weakest channel against the field is {AUDIT_CHANNEL_LABELS[w]}: we score "
            f"{s.mine[w]:.0f} of 100 while {s.leader_of_weakest} scores {s.best[w]:.0f}. "
        )
    if s.lead[b] >= 0:
        text += (
            f"We lead every listed competitor in {AUDIT_CHANNEL_LABELS[b]} ({s.mine[b]:.0f} vs the "
            f"best rival's {s.best[b]:.0f})."
        )
    else:
        text += (
            f"Even our strongest channel, {AUDIT_CHANNEL_LABELS[b]} ({s.mine[b]:.0f}), is "
            f"{-s.lead[b]:.0f} points behind the best rival there."
        )
    return text.strip()


def _pct(value: object) -> str:
    return pct(value, empty="n/a")


def channel_leaders(scores: pd.DataFrame) -> pd.DataFrame:
    """The best-scoring brand of each channel (channel, brand, score); channels without data are left out."""
    rows = [
        {"channel": ch, "brand": scores[ch].idxmax(), "score": float(scores[ch].max())}
        for ch in CHANNELS
        if ch in scores and scores[ch].notna().any()
    ]
    return pd.DataFrame(rows, columns=["channel", "brand", "score"])
