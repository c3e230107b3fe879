"""The sentences of the content report, each derived from the numbers it states (and tested)."""

from __future__ import annotations

import pandas as pd

from workbench.report.format import compact, month_label, pct, signed_pct, slot_label

__all__ = [
    "describe_ad_groups",
    "describe_best_times",
    "describe_decay",
    "describe_negatives",
    "describe_seasonality",
    "describe_topics",
    "describe_trends",
    "what_to_write",
]


def what_to_write(by_topic: pd.DataFrame, overall_rate: float) -> str:
    """Topics whose engagement interval lies wholly above the overall rate are the ones to write
    more of; without such a topic, say that no topic stands out."""
    better = by_topic[by_topic["rate_low"] > overall_rate].sort_values("engagement_rate", ascending=False)
    if better.empty:
        return (
            f"No topic engages clearly more than the {pct(overall_rate, 1)} average: "
            "every topic's 95% interval includes it or lies below it."
        )
    parts = [
        f"«{r['topic_name']}» ({pct(r['engagement_rate'], 1)}, 95% interval {pct(r['rate_low'], 1)}–"
        f"{pct(r['rate_high'], 1)}, {int(r['items'])} items)"
        for _, r in better.head(3).iterrows()
    ]
    return f"Write more on {'; '.join(parts)}: they engage above the {pct(overall_rate, 1)} average of all content."


def describe_decay(decay: pd.DataFrame, window: int) -> str:
    """How many items are short-lived and evergreen, with the clearest example of each."""
    counts = decay["status"].value_counts()
    short = decay[decay["status"] == "short-lived"].sort_values("window_views", ascending=False)
    ever = decay[decay["status"] == "evergreen"].sort_values("window_views", ascending=False)
    text = f"Of {len(decay) - int(counts.get('too new', 0))} items with {window} days of history, "
    text += f"{int(counts.get('short-lived', 0))} are short-lived and {int(counts.get('evergreen', 0))} evergreen."
    if len(short):
        r = short.iloc[0]
        text += (
            f" The biggest short-lived one, «{r['title']}», earned half of its first {window} days' views "
            f"in {r['half_life_days']:.1f} days ({pct(r['first_week_share'])} in the first week)."
        )
    if len(ever):
        r = ever.iloc[0]
        text += (
            f" The biggest evergreen one, «{r['title']}», needed {r['half_life_days']:.0f} days for half of them "
            f"({pct(r['first_week_share'])} in the first week): its traffic keeps coming."
        )
    return text


def describe_topics(k: int, silhouette: float, stability: float) -> str:
    """How many topics the titles fall into and how reproducible the split is."""
    verdict = "stable" if stability >= 0.8 else ("fairly stable" if stability >= 0.6 else "unstable")
    return (
        f"Titles fall into {k} topics (mean silhouette {silhouette:.2f}); refitted on random 80% samples the "
        f"split agrees with itself at an adjusted Rand index of {stability:.2f} ({verdict})."
    )


def describe_best_times(best: pd.DataFrame, audience: pd.DataFrame | None = None) -> list[str]:
    """One sentence per platform: its best slot, the engagement there against the platform's, the
    number of posts behind it, and whether the site's audience is active then."""
    out = []
    active = None
    if audience is not None:
        active = {(int(d), int(h)) for d, h in zip(audience["weekday"], audience["hour"], strict=True)}
    for platform, g in best.groupby("platform", sort=True):
        r = g.iloc[0]
        if r["lift"] < 1.05:
            out.append(f"{platform}: no slot engages clearly more than the platform's {pct(r['platform_rate'], 1)}.")
            continue
        text = (
            f"{platform}: publish on {slot_label(r['weekday_name'], r['hour'])} — engagement "
            f"{pct(r['rate_shrunk'], 1)} against {pct(r['platform_rate'], 1)} for all {platform} posts "
            f"({int(r['posts'])} posts in that slot)"
        )
        if active is not None:
            busy = (int(r["weekday"]), int(r["hour"])) in active
            text += (
                "; the site's audience is among its most active then"
                if busy
                else (
                    "; the site's audience is not at its most active then, so the slot suits the platform, not the site"
                )
            )
        out.append(text + ".")
    return out


def describe_trends(trends: pd.DataFrame) -> str:
    """Rising and falling groups with their change a year; the rest called flat."""
    rising = trends[trends["direction"] == "rising"]
    falling = trends[trends["direction"] == "falling"].sort_values("relative_slope_per_year")
    flat = trends[trends["direction"] == "flat"]

    def items(frame):
        return ", ".join(
            f"{r['group']} ({signed_pct(r['relative_slope_per_year'])} a year)" for _, r in frame.iterrows()
        )

    parts = []
    if len(rising):
        parts.append(f"Rising: {items(rising)}.")
    if len(falling):
        parts.append(f"Falling: {items(falling)}.")
    if len(flat):
        parts.append(f"No lasting change beyond noise and season: {', '.join(flat['group'])}.")
    return " ".join(parts)


def describe_seasonality(calendar: pd.DataFrame) -> str:
    """Each seasonal group's peak month with its height above the usual level."""
    peaks = calendar.attrs.get("peaks", {})
    parts = [
        f"{g} in {month_label(ms[0])} ({signed_pct(calendar.loc[g, ms[0]])} on its usual level)"
        for g, ms in sorted(peaks.items(), key=lambda kv: -calendar.loc[kv[0], kv[1][0]] if kv[1] else 0)
        if ms
    ]
    if not parts:
        return "No keyword group has a seasonal peak of 15% or more above its usual level."
    return "Demand peaks: " + "; ".join(parts) + ". Start campaigns and content a month before each peak."


def describe_ad_groups(groups: pd.DataFrame, n_keywords: int) -> str:
    """How the keywords were grouped, and the largest group."""
    if groups.empty:
        return "No keyword could be put in an ad group."
    top = groups.iloc[0]
    return (
        f"{int(groups['n_keywords'].sum())} of {n_keywords} keywords fall into {len(groups)} ad groups "
        f"by shared lemmas and intent; the largest, «{top['ad_group']}» ({top['intent']}), "
        f"holds {int(top['n_keywords'])} phrasings with {compact(top['demand'])} searches a month."
    )


def describe_negatives(negatives: pd.DataFrame) -> str:
    """The suggested negative keywords with the searches they would block."""
    if negatives.empty:
        return "No keyword holds a word that marks an irrelevant search (free, download, jobs …)."
    parts = [
        f"{r['negative_keyword']} ({r['reason']}: {int(r['n_keywords'])} keyword{'s' if r['n_keywords'] != 1 else ''}, "
        f"{compact(r['demand'])} searches a month)"
        for _, r in negatives.iterrows()
    ]
    return "Add as negative keywords: " + "; ".join(parts) + "."
