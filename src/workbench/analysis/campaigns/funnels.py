"""Funnels: how many are left after each step, and where most are lost.

Steps are counted from whichever inputs exist (impressions and clicks from ad_stats; sessions,
engaged sessions and conversions from sessions), so a report without sessions still shows the
top of the funnel instead of nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from workbench.analysis.campaigns.flight_sessions import FlightSessions, weighted_sessions

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


def funnel_by(
    ad_stats: pd.DataFrame | None, sessions: pd.DataFrame | FlightSessions | None, by: str = "channel"
) -> pd.DataFrame:
    """Funnel counts per group, wide: one row per group with a column per step present.

    by="channel": impressions, clicks (ad_stats), sessions and conversions (sessions whose
    campaign maps to a channel through ad_stats). by="device": sessions, engaged sessions
    (pageviews > 1), conversions — sessions only. Sessions are rows or counted groups (FlightSessions).
    """
    if by not in ("channel", "device"):
        raise ValueError(f"by must be 'channel' or 'device'; got {by!r}")
    w = weighted_sessions(sessions) if sessions is not None else None
    steps = [c for c in ("sessions", "engaged_sessions", "conversions") if w is not None and c in w.columns]
    if by == "device":
        if w is None or "device" not in w.columns:
            raise ValueError("a funnel by device needs sessions with a device column")
        return _as_counts(w.groupby("device", sort=True)[steps].sum()).reset_index()
    if ad_stats is None:
        raise ValueError("a funnel by channel needs ad_stats")
    out = ad_stats.groupby("channel", sort=True)[["impressions", "clicks"]].sum()
    if w is not None and ("campaign" in w.columns or "channel" in w.columns):
        ch = session_channels(ad_stats, w)
        s, ch = w[ch.notna()], ch[ch.notna()]
        counted = _as_counts(s[steps].groupby(ch).sum())
        for step in steps:
            out[step] = counted[step].reindex(out.index).fillna(0)
    elif "conversions" in ad_stats.columns:
        out["conversions"] = ad_stats.groupby("channel")["conversions"].sum()
    return out.reset_index()


def _as_counts(sums: pd.DataFrame) -> pd.DataFrame:
    """Summed steps as whole counts (sessions, engaged sessions) and conversions as floats."""
    whole = {c: "int64" for c in ("sessions", "engaged_sessions") if c in sums.columns}
    return sums.astype({**whole, **({"conversions": float} if "conversions" in sums.columns else {})})


def campaign_funnel_steps(
    kpis: dict, ads: pd.DataFrame, sessions: pd.DataFrame | FlightSessions | None, start: str, end: str
) -> tuple[dict[str, float], pd.DataFrame | FlightSessions | None]:
    """The campaign's funnel counts (impressions, clicks, then the flight's sessions of its
    campaigns, engaged sessions and conversions where sessions exist) and those sessions (rows, or
    the flight's counts restricted to the campaigns)."""
    steps = {"impressions": kpis["impressions"], "clicks": kpis["clicks"]}
    if sessions is None:
        steps["conversions"] = kpis["conversions"]
        return steps, None
    if isinstance(sessions, FlightSessions):
        sessions.check_window(start, end)  # counted for the flight already
        camp: pd.DataFrame | FlightSessions = sessions.of_campaigns(ads["campaign"])
    else:
        rows = sessions[sessions["campaign"].isin(set(ads["campaign"]))] if "campaign" in sessions.columns else sessions
        when = rows["started_at"]
        camp = rows[(when >= pd.Timestamp(start)) & (when < pd.Timestamp(end) + pd.Timedelta(days=1))]
    w = weighted_sessions(camp)
    steps["sessions"] = int(w["sessions"].sum())
    if "engaged_sessions" in w.columns:
        steps["engaged sessions"] = int(w["engaged_sessions"].sum())
    steps["conversions"] = float(w["conversions"].sum()) if "conversions" in w.columns else kpis["conversions"]
    return steps, camp
