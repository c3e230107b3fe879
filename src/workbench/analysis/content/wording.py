"""The sentences of the content report, each derived from the numbers it states (and tested), in the
current language (`workbench.i18n`): whole messages with placeholders, plural forms by count."""

from __future__ import annotations

import pandas as pd

from workbench.analysis.performance.traffic import weekday_abbr
from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import compact, localize, month_label, pct, signed_pct, slot_label

__all__ = [
    "decay_status",
    "describe_ad_groups",
    "describe_best_times",
    "describe_decay",
    "describe_negatives",
    "describe_seasonality",
    "describe_topics",
    "describe_trends",
    "intent_word",
    "negative_reason",
    "what_to_write",
]


def decay_status(status: str) -> str:
    """A decay status code ('short-lived', 'evergreen', …) in the reader's words."""
    words = {
        "short-lived": pgettext("content decay", "short-lived"),
        "evergreen": pgettext("content decay", "evergreen"),
        "typical": pgettext("content decay", "typical"),
        "too new": pgettext("content decay", "too new"),
    }
    return words.get(str(status), str(status))


def intent_word(intent: str) -> str:
    """A search intent code in the reader's words."""
    words = {
        "commercial": pgettext("search intent", "commercial"),
        "informational": pgettext("search intent", "informational"),
        "navigational": pgettext("search intent", "navigational"),
        "unclear": pgettext("search intent", "unclear"),
    }
    return words.get(str(intent), str(intent))


def negative_reason(reason: str) -> str:
    """Why a word marks an irrelevant search ('free', 'jobs', …), in the reader's words."""
    words = {
        "free": pgettext("negative keyword reason", "free"),
        "download": pgettext("negative keyword reason", "download"),
        "diy": pgettext("negative keyword reason", "diy"),
        "jobs": pgettext("negative keyword reason", "jobs"),
        "second-hand": pgettext("negative keyword reason", "second-hand"),
        "study": pgettext("negative keyword reason", "study"),
    }
    return "; ".join(words.get(r, r) for r in str(reason).split("; "))


def what_to_write(by_topic: pd.DataFrame, overall_rate: float) -> str:
    """Topics whose engagement interval lies wholly above the overall rate are the ones to write
    more of; without such a topic, say that no topic stands out."""
    better = by_topic[by_topic["rate_low"] > overall_rate].sort_values("engagement_rate", ascending=False)
    if better.empty:
        return _(
            "No topic engages clearly more than the {rate} average: every topic's 95% interval includes it or "
            "lies below it."
        ).format(rate=pct(overall_rate, 1))
    parts = [
        ngettext(
            "«{topic}» ({rate}, 95% interval {low}–{high}, {n} item)",
            "«{topic}» ({rate}, 95% interval {low}–{high}, {n} items)",
            int(r["items"]),
        ).format(
            topic=r["topic_name"],
            rate=pct(r["engagement_rate"], 1),
            low=pct(r["rate_low"], 1),
            high=pct(r["rate_high"], 1),
            n=int(r["items"]),
        )
        for _i, r in better.head(3).iterrows()
    ]
    return _("Write more on {topics}: they engage above the {rate} average of all content.").format(
        topics="; ".join(parts), rate=pct(overall_rate, 1)
    )


def describe_decay(decay: pd.DataFrame, window: int) -> str:
    """How many items are short-lived and evergreen, with the clearest example of each."""
    counts = decay["status"].value_counts()
    short = decay[decay["status"] == "short-lived"].sort_values("window_views", ascending=False)
    ever = decay[decay["status"] == "evergreen"].sort_values("window_views", ascending=False)
    n = len(decay) - int(counts.get("too new", 0))
    text = ngettext(
        "Of {n} item with {window} days of history, {short} are short-lived and {ever} evergreen.",
        "Of {n} items with {window} days of history, {short} are short-lived and {ever} evergreen.",
        n,
    ).format(n=n, window=window, short=int(counts.get("short-lived", 0)), ever=int(counts.get("evergreen", 0)))
    if len(short):
        r = short.iloc[0]
        text += " " + _(
            "The biggest short-lived one, «{title}», earned half of its first {window} days' views in {days} days "
            "({share} in the first week)."
        ).format(
            title=r["title"],
            window=window,
            days=localize(f"{r['half_life_days']:.1f}"),
            share=pct(r["first_week_share"]),
        )
    if len(ever):
        r = ever.iloc[0]
        text += " " + _(
            "The biggest evergreen one, «{title}», needed {days} days for half of them ({share} in the first week): "
            "its traffic keeps coming."
        ).format(title=r["title"], days=localize(f"{r['half_life_days']:.0f}"), share=pct(r["first_week_share"]))
    return text


def describe_topics(k: int, silhouette: float, stability: float) -> str:
    """How many topics the titles fall into and how reproducible the split is."""
    if stability >= 0.8:
        verdict = pgettext("topic split", "stable")
    elif stability >= 0.6:
        verdict = pgettext("topic split", "fairly stable")
    else:
        verdict = pgettext("topic split", "unstable")
    return ngettext(
        "Titles fall into {k} topic (mean silhouette {silhouette}); refitted on random 80% samples the split "
        "agrees with itself at an adjusted Rand index of {ari} ({verdict}).",
        "Titles fall into {k} topics (mean silhouette {silhouette}); refitted on random 80% samples the split "
        "agrees with itself at an adjusted Rand index of {ari} ({verdict}).",
        k,
    ).format(k=k, silhouette=localize(f"{silhouette:.2f}"), ari=localize(f"{stability:.2f}"), verdict=verdict)


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
            out.append(
                _("{platform}: no slot engages clearly more than the platform's {rate}.").format(
                    platform=platform, rate=pct(r["platform_rate"], 1)
                )
            )
            continue
        values = {
            "platform": platform,
            "slot": slot_label(weekday_abbr(r["weekday_name"]), r["hour"]),
            "rate": pct(r["rate_shrunk"], 1),
            "platform_rate": pct(r["platform_rate"], 1),
            "posts": int(r["posts"]),
        }
        if active is None:
            text = ngettext(
                "{platform}: publish on {slot} — engagement {rate} against {platform_rate} for all {platform} posts "
                "({posts} post in that slot).",
                "{platform}: publish on {slot} — engagement {rate} against {platform_rate} for all {platform} posts "
                "({posts} posts in that slot).",
                values["posts"],
            )
        elif (int(r["weekday"]), int(r["hour"])) in active:
            text = ngettext(
                "{platform}: publish on {slot} — engagement {rate} against {platform_rate} for all {platform} posts "
                "({posts} post in that slot); the site's audience is among its most active then.",
                "{platform}: publish on {slot} — engagement {rate} against {platform_rate} for all {platform} posts "
                "({posts} posts in that slot); the site's audience is among its most active then.",
                values["posts"],
            )
        else:
            text = ngettext(
                "{platform}: publish on {slot} — engagement {rate} against {platform_rate} for all {platform} posts "
                "({posts} post in that slot); the site's audience is not at its most active then, so the slot suits "
                "the platform, not the site.",
                "{platform}: publish on {slot} — engagement {rate} against {platform_rate} for all {platform} posts "
                "({posts} posts in that slot); the site's audience is not at its most active then, so the slot "
                "suits the platform, not the site.",
                values["posts"],
            )
        out.append(text.format(**values))
    return out


def describe_trends(trends: pd.DataFrame) -> str:
    """Rising and falling groups with their change a year; the rest called flat."""
    rising = trends[trends["direction"] == "rising"]
    falling = trends[trends["direction"] == "falling"].sort_values("relative_slope_per_year")
    flat = trends[trends["direction"] == "flat"]

    def items(frame):
        return ", ".join(
            _("{group} ({change} a year)").format(group=r["group"], change=signed_pct(r["relative_slope_per_year"]))
            for _i, r in frame.iterrows()
        )

    parts = []
    if len(rising):
        parts.append(_("Rising: {groups}.").format(groups=items(rising)))
    if len(falling):
        parts.append(_("Falling: {groups}.").format(groups=items(falling)))
    if len(flat):
        parts.append(_("No lasting change beyond noise and season: {groups}.").format(groups=", ".join(flat["group"])))
    return " ".join(parts)


def describe_seasonality(calendar: pd.DataFrame) -> str:
    """Each seasonal group's peak month with its height above the usual level."""
    peaks = calendar.attrs.get("peaks", {})
    parts = [
        _("{group} in {month} ({change} on its usual level)").format(
            group=g, month=month_in(ms[0]), change=signed_pct(calendar.loc[g, ms[0]])
        )
        for g, ms in sorted(peaks.items(), key=lambda kv: -calendar.loc[kv[0], kv[1][0]] if kv[1] else 0)
        if ms
    ]
    if not parts:
        return _("No keyword group has a seasonal peak of 15% or more above its usual level.")
    return _("Demand peaks: {peaks}. Start campaigns and content a month before each peak.").format(
        peaks="; ".join(parts)
    )


def month_in(month: int) -> str:
    """A calendar month as it reads after "in" ('in June' / 'в июне')."""
    names = [
        pgettext("month, after 'in'", "January"),
        pgettext("month, after 'in'", "February"),
        pgettext("month, after 'in'", "March"),
        pgettext("month, after 'in'", "April"),
        pgettext("month, after 'in'", "May"),
        pgettext("month, after 'in'", "June"),
        pgettext("month, after 'in'", "July"),
        pgettext("month, after 'in'", "August"),
        pgettext("month, after 'in'", "September"),
        pgettext("month, after 'in'", "October"),
        pgettext("month, after 'in'", "November"),
        pgettext("month, after 'in'", "December"),
    ]
    month_label(month)  # validates 1-12 with a clear error
    return names[int(month) - 1]


def describe_ad_groups(groups: pd.DataFrame, n_keywords: int) -> str:
    """How the keywords were grouped, and the largest group."""
    if groups.empty:
        return _("No keyword could be put in an ad group.")
    top = groups.iloc[0]
    return ngettext(
        "{grouped} of {total} keywords fall into {n} ad group by shared lemmas and intent; the largest, «{group}» "
        "({intent}), holds {phrasings} phrasings with {demand} searches a month.",
        "{grouped} of {total} keywords fall into {n} ad groups by shared lemmas and intent; the largest, «{group}» "
        "({intent}), holds {phrasings} phrasings with {demand} searches a month.",
        len(groups),
    ).format(
        grouped=int(groups["n_keywords"].sum()),
        total=n_keywords,
        n=len(groups),
        group=top["ad_group"],
        intent=intent_word(top["intent"]),
        phrasings=int(top["n_keywords"]),
        demand=compact(top["demand"]),
    )


def describe_negatives(negatives: pd.DataFrame) -> str:
    """The suggested negative keywords with the searches they would block."""
    if negatives.empty:
        return _("No keyword holds a word that marks an irrelevant search (free, download, jobs …).")
    parts = [
        ngettext(
            "{word} ({reason}: {n} keyword, {demand} searches a month)",
            "{word} ({reason}: {n} keywords, {demand} searches a month)",
            int(r["n_keywords"]),
        ).format(
            word=r["negative_keyword"],
            reason=negative_reason(r["reason"]),
            n=int(r["n_keywords"]),
            demand=compact(r["demand"]),
        )
        for _i, r in negatives.iterrows()
    ]
    return _("Add as negative keywords: {words}.").format(words="; ".join(parts))
