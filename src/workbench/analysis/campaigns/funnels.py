"""Funnels: how many are left after each step, and where most are lost.

Steps are counted from whichever inputs exist (impressions and clicks from ad_stats; sessions,
engaged sessions and conversions from sessions), so a report without sessions still shows the
top of the funnel instead of nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["SOURCE_ALIASES", "campaign_funnel_steps", "funnel_by", "funnel_table", "session_channels"]

# session sources that name a platform differently from ad_stats' platform column
SOURCE_ALIASES = {"facebook": "meta", "instagram": "meta", "fb": "meta", "ig": "meta", "vkontakte": "vk"}


def session_channels(ad_stats: pd.DataFrame, sessions: pd.DataFrame) -> pd.Series:
    """The ad channel of each session, or NaN: the sessions' own channel column when present;
    else the campaign's channel when the campaign runs on one channel; else the channel whose
    platform (or name) matches the session source within that campaign."""
    if "channel" in sessions.columns:
        return sessions["channel"]
    if "campaign" not in sessions.columns:
        return pd.Series(np.nan, index=sessions.index, dtype=object)
    per_campaign = ad_stats.groupby("campaign")["channel"].agg(lambda c: sorted(set(c)))
    single = per_campaign[per_campaign.map(len) == 1].map(lambda c: c[0])
    out = sessions["campaign"].map(single)
    if "source" in sessions.columns:
        src = sessions["source"].astype(str).str.lower().str.strip()
        src = src.map(lambda v: SOURCE_ALIASES.get(v, v))
        pairs = ad_stats[["campaign", "channel"]].drop_duplicates()
        plat = (
            ad_stats[["campaign", "channel", "platform"]].drop_duplicates()
            if "platform" in ad_stats.columns
            else pairs.assign(platform=pairs["channel"])
        )
        plat = plat.assign(key=plat["platform"].astype(str).str.lower())
        lookup = {(r.campaign, r.key): r.channel for r in plat.itertuples(index=False)}
        for r in pairs.itertuples(index=False):  # also "vk" matches "vk_ads"
            lookup.setdefault((r.campaign, str(r.channel).lower().split("_")[0]), r.channel)
        guess = pd.Series(
            [lookup.get(k) for k in zip(sessions["campaign"], src, strict=False)], index=sessions.index, dtype=object
        )
        out = out.where(out.notna(), guess)
    return out


def funnel_table(steps: Mapping[str, float]) -> pd.DataFrame:
    """Ordered step -> count into: step, count, rate_from_previous, drop_off (share lost at the
    step), rate_from_first. The biggest leak is the step with the largest drop_off."""
    if len(steps) < 2:
        raise ValueError("a funnel needs at least two steps")
    names = list(steps)
    counts = np.array([float(steps[s]) for s in names])
    if np.any(counts < 0):
        raise ValueError(f"funnel counts must be non-negative; got {dict(steps)}")
    prev = np.r_[np.nan, counts[:-1]]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(prev > 0, counts / prev, np.nan)
        first = counts / counts[0] if counts[0] > 0 else np.full_like(counts, np.nan)
    return pd.DataFrame(
        {"step": names, "count": counts, "rate_from_previous": rate, "drop_off": 1 - rate, "rate_from_first": first}
    )


def funnel_by(ad_stats: pd.DataFrame | None, sessions: pd.DataFrame | None, by: str = "channel") -> pd.DataFrame:
    """Funnel counts per group, wide: one row per group with a column per step present.

    by="channel": impressions, clicks (ad_stats), sessions and conversions (sessions whose
    campaign maps to a channel through ad_stats). by="device": sessions, engaged sessions
    (pageviews > 1), conversions — sessions only.
    """
    if by not in ("channel", "device"):
        raise ValueError(f"by must be 'channel' or 'device'; got {by!r}")
    if by == "device":
        if sessions is None or "device" not in sessions.columns:
            raise ValueError("a funnel by device needs sessions with a device column")
        g = sessions.groupby("device", sort=True)
        out = pd.DataFrame({"sessions": g.size()})
        if "pageviews" in sessions.columns:
            out["engaged_sessions"] = (
                (pd.to_numeric(sessions["pageviews"], errors="coerce") > 1).groupby(sessions["device"]).sum()
            )
        if "converted" in sessions.columns:
            out["conversions"] = sessions["converted"].astype(float).groupby(sessions["device"]).sum()
        return out.reset_index()
    if ad_stats is None:
        raise ValueError("a funnel by channel needs ad_stats")
    out = ad_stats.groupby("channel", sort=True)[["impressions", "clicks"]].sum()
    if sessions is not None and ("campaign" in sessions.columns or "channel" in sessions.columns):
        ch = session_channels(ad_stats, sessions)
        s = sessions[ch.notna()]
        ch = ch[ch.notna()]
        out["sessions"] = s.groupby(ch).size().reindex(out.index).fillna(0)
        if "pageviews" in s.columns:
            out["engaged_sessions"] = (
                (pd.to_numeric(s["pageviews"], errors="coerce") > 1).groupby(ch).sum().reindex(out.index).fillna(0)
            )
        if "converted" in s.columns:
            out["conversions"] = s["converted"].astype(float).groupby(ch).sum().reindex(out.index).fillna(0)
    elif "conversions" in ad_stats.columns:
        out["conversions"] = ad_stats.groupby("channel")["conversions"].sum()
    return out.reset_index()


def campaign_funnel_steps(
    kpis: dict, ads: pd.DataFrame, sessions: pd.DataFrame | None, start: str, end: str
) -> tuple[dict[str, float], pd.DataFrame | None]:
    """The campaign's funnel counts (impressions, clicks, then the flight's sessions of its
    campaigns, engaged sessions and conversions where sessions exist) and those sessions."""
    steps = {"impressions": kpis["impressions"], "clicks": kpis["clicks"]}
    if sessions is None:
        steps["conversions"] = kpis["conversions"]
        return steps, None
    camp = sessions[sessions["campaign"].isin(set(ads["campaign"]))] if "campaign" in sessions.columns else sessions
    when = camp["started_at"]
    camp = camp[(when >= pd.Timestamp(start)) & (when < pd.Timestamp(end) + pd.Timedelta(days=1))]
    steps["sessions"] = len(camp)
    if "pageviews" in camp.columns:
        steps["engaged sessions"] = int((camp["pageviews"] > 1).sum())
    steps["conversions"] = float(camp["converted"].sum()) if "converted" in camp.columns else kpis["conversions"]
    return steps, camp
