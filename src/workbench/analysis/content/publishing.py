"""When to publish: engagement by weekday × hour of publication per platform, shrunk for thin slots.

A slot's engagement rate is the engagements (likes, comments, shares, saves) of the posts
published in it over the people they reached. Slots with few posts are noisy, so they are ranked
with the empirical-Bayes shrinkage of `workbench.analysis.stats.timing.best_times` (each platform
on its own table and prior). The audience's active hours come from sessions: a slot where the
audience is busy but posts engage poorly (or the reverse) is worth knowing.
"""

from __future__ import annotations

import pandas as pd

from workbench.analysis.stats.timing import best_times, hour_weekday_table
from workbench.memo import memoized

__all__ = ["ENGAGEMENT_COLUMNS", "audience_active_slots", "best_publish_times", "post_engagement"]

ENGAGEMENT_COLUMNS = ("likes", "comments", "shares", "saves")


def post_engagement(content: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    """One row per item with stats: content columns plus views, reach (views where reach is
    absent) and engagements (sum of the engagement columns present)."""
    eng = [c for c in ENGAGEMENT_COLUMNS if c in stats.columns]
    if not eng:
        raise ValueError(
            f"content_stats needs at least one of {list(ENGAGEMENT_COLUMNS)}; it has {list(stats.columns)}"
        )
    s = stats.assign(engagements=stats[eng].sum(axis=1))
    if "reach" not in s.columns:
        s = s.assign(reach=s["views"])
    per_item = s.groupby("content_id")[["views", "reach", "engagements"]].sum()
    return content.join(per_item, on="content_id", how="inner")


@memoized
def best_publish_times(posts: pd.DataFrame, top: int = 3, min_posts: int = 3) -> pd.DataFrame:
    """The `top` publication slots of each platform by shrunk engagement rate (engagements /
    reach). Columns: platform, platform_rate, weekday, weekday_name, hour, posts, n (reach),
    successes (engagements), rate, rate_low, rate_high, rate_shrunk, lift (shrunk rate / platform
    rate). A slot needs at least `min_posts` posts."""
    frames = []
    for platform, g in posts.groupby("platform", sort=True):
        slots = hour_weekday_table(g, "published_at", success_col="engagements", weight_col="reach")
        counts = g.groupby([g["published_at"].dt.day_of_week, g["published_at"].dt.hour]).size()
        slots["posts"] = [int(counts.get((d, h), 0)) for d, h in zip(slots["weekday"], slots["hour"], strict=True)]
        slots = slots[slots["posts"] >= min_posts]
        if int((slots["n"] > 0).sum()) < 2:
            continue
        ranked = best_times(slots, by="rate", top=top, min_n=0, min_share=0.0)
        rate = float(g["engagements"].sum() / g["reach"].sum())
        ranked.insert(0, "platform_rate", rate)
        ranked.insert(0, "platform", platform)
        ranked["lift"] = ranked["rate_shrunk"] / rate
        frames.append(ranked)
    if not frames:
        return pd.DataFrame(columns=["platform", "platform_rate", "weekday", "weekday_name", "hour", "posts"])
    return pd.concat(frames, ignore_index=True)


def audience_active_slots(sessions: pd.DataFrame, top_share: float = 0.2) -> pd.DataFrame:
    """Hour × weekday slots of sessions with their share of all visits; `active` marks the busiest
    `top_share` of the slots (0.2: the top fifth of slots by visits)."""
    from workbench.validation import check_fraction

    check_fraction("top_share", top_share, example="0.2")
    slots = hour_weekday_table(sessions, "started_at")
    slots["share"] = slots["n"] / slots["n"].sum()
    cutoff = slots["n"].quantile(1 - top_share)
    slots["active"] = slots["n"] >= cutoff
    return slots
