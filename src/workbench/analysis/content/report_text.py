"""Headings, explanations, captions and column headers of the content report, in the current language.

`content/text.py` is about the words of titles and queries (lemmas); this module holds the report's own
words, which the notebook used to write in markdown cells and f-strings, so a Russian report is Russian
throughout. The findings sentences are built in `content/wording.py`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from workbench.i18n import _, pgettext

__all__ = ["caption", "column_labels", "headline", "section_markdown", "shown"]


def section_markdown(section: str) -> str:
    """The heading and explanation of a content-report section, as Markdown in the current language."""
    sections = {
        "intro": lambda: _(
            "# Content, search demand and keywords\n\n"
            "Which content earns traffic, engagement and customers, how fast it fades, what it is about and "
            "when to publish it; where search demand is heading and when it peaks; and which keywords a paid "
            "search campaign should target, in ad groups ready to import into Yandex Direct and Google Ads Editor."
        ),
        "content": lambda: _(
            "## Content that works\n\n"
            "Traffic and engagement by platform, type and topic. Engagement rate = (likes + comments + shares + "
            "saves) / people reached, with its 95% Wilson interval; costs per click and per conversion use the "
            "items' costs and the conversions the platforms report."
        ),
        "decay": lambda: _(
            "## Content decay\n\n"
            "Half-life = the days after publication by which an item earned half of the views of its first "
            "days (the window below). Short-lived items earn their audience at once; evergreen ones keep "
            "earning it. The fitted half-life comes from a straight line through log daily views."
        ),
        "topics": lambda: _(
            "## Topics\n\n"
            "Titles are lemmatised (pymorphy3 for Russian, Snowball for English), weighted by TF-IDF and "
            "grouped with k-means; k is the one with the best silhouette, and the split is refitted on random "
            "subsamples to show how stable it is."
        ),
        "publish": lambda: _(
            "## When to publish\n\n"
            "Engagement rate by weekday and hour of publication, per platform. Thin slots are pulled towards "
            "the platform's rate (empirical Bayes), so a slot cannot win on a few lucky posts. The audience's "
            "active hours come from the site's sessions."
        ),
        "trends": lambda: _(
            "## Search-demand trends\n\n"
            "Monthly searches per keyword group (keywords sharing a head term). STL separates season, trend and "
            "noise; Sen's slope and the Mann-Kendall test measure the direction on the seasonally adjusted "
            "series, with p-values adjusted across groups (Benjamini-Hochberg). The 12-month forecasts carry a "
            "90% interval."
        ),
        "keywords": lambda: _(
            "## Keyword research for paid search\n\n"
            "Keywords grouped into ad groups by shared lemmas and intent (commercial, informational, "
            "navigational); keywords with irrelevant modifiers (free, download, jobs …) are left out and their "
            "words suggested as negative keywords. Expected clicks = searches × target click-through rate; "
            "cost = clicks × CPC. The files below import into Yandex Direct (Direct Commander) and Google Ads "
            "Editor."
        ),
        "data_quality": lambda: _(
            "## Data quality\n\n"
            "Rows of an input file that break its data contract stop the report, unless the params file opts in "
            "with `drop_invalid_rows`; then they are left out and listed here."
        ),
    }
    if section not in sections:
        raise ValueError(f"section must be one of {', '.join(sections)}; got {section!r}")
    return sections[section]()


def column_labels() -> dict[str, str]:
    """Column headers of the content tables in the current language, by column name (English as
    `report.format.label` would write them)."""
    return {
        "platform": _("Platform"),
        "type": _("Type"),
        "items": _("Items"),
        "views": _("Views"),
        "reach": _("Reach"),
        "engagements": _("Engagements"),
        "clicks": _("Clicks"),
        "conversions": _("Conversions"),
        "cost": _("Cost"),
        "engagement_rate": _("Engagement rate"),
        "rate_low": _("Rate low"),
        "rate_high": _("Rate high"),
        "cost_per_click": _("Cost per click"),
        "cost_per_conversion": _("Cost per conversion"),
        "content_id": _("Content ID"),
        "title": _("Title"),
        "page": _("Page"),
        "visits": _("Visits"),
        "last_touch": _("Last touch"),
        "first_touch": _("First touch"),
        "assisted": _("Assisted"),
        "window_views": _("Window views"),
        "half_life_days": _("Half life days"),
        "fitted_half_life_days": _("Fitted half life days"),
        "first_week_share": _("First week share"),
        "status": _("Status"),
        "topic_name": _("Topic name"),
        "weekday_name": _("Weekday name"),
        "hour": _("Hour"),
        "posts": _("Posts"),
        "rate": _("Rate"),
        "rate_shrunk": _("Rate shrunk"),
        "lift": _("Lift"),
        "group": _("Group"),
        "months": _("Months"),
        "level": _("Level"),
        "slope_per_year": _("Slope per year"),
        "relative_slope_per_year": _("Relative slope per year"),
        "mk_s": _("Mk s"),
        "mk_z": _("Mk z"),
        "seasonal_strength": _("Seasonal strength"),
        "p_value": _("p-value"),
        "adjusted": _("Adjusted"),
        "p_adjusted": _("p adjusted"),
        "direction": _("Direction"),
        "intent": _("Intent"),
        "core": _("Core"),
        "ad_group": _("Ad group"),
        "keywords": _("Keywords"),
        "n_keywords": _("n keywords"),
        "demand": _("Demand"),
        "cpc_used": _("CPC used"),
        "negative_keyword": _("Negative keyword"),
        "reason": _("Reason"),
        "examples": _("Examples"),
    }


def _value_words() -> dict[str, dict[Any, str]]:
    """Category values of the content tables in the reader's words, by column name."""
    from workbench.analysis.content.wording import decay_status, intent_word

    direction = {
        "rising": pgettext("trend direction", "rising"),
        "falling": pgettext("trend direction", "falling"),
        "flat": pgettext("trend direction", "flat"),
    }
    kinds = {
        "social_post": pgettext("content type", "social post"),
        "blog_post": pgettext("content type", "blog post"),
        "video": pgettext("content type", "video"),
        "article": pgettext("content type", "article"),
    }
    return {
        "status": {s: decay_status(s) for s in ("short-lived", "evergreen", "typical", "too new")},
        "intent": {s: intent_word(s) for s in ("commercial", "informational", "navigational", "unclear")},
        "direction": direction,
        "type": kinds,
        "platform": {"blog": pgettext("content platform", "blog"), "site": pgettext("content platform", "site")},
        "adjusted": {True: pgettext("yes/no", "yes"), False: pgettext("yes/no", "no")},
    }


def shown(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> dict[str, Any]:
    """A content table as the reader sees it, as `table()` arguments: category values and column
    headers in the current language, and the number formats keyed by those headers."""
    from workbench.analysis.content.wording import negative_reason
    from workbench.analysis.performance.traffic import weekday_abbr
    from workbench.report.format import label

    out = frame.copy()
    for column, words in _value_words().items():
        if column in out.columns:
            out[column] = out[column].map(lambda v, w=words: w.get(v, v))
    if "reason" in out.columns:
        out["reason"] = out["reason"].map(negative_reason)
    if "weekday_name" in out.columns:
        out["weekday_name"] = out["weekday_name"].map(weekday_abbr)
    names = column_labels()
    header = {c: names.get(str(c), label(c)) for c in out.columns}
    out = out.rename(columns=header)
    return {"frame": out, "formats": {header[k]: v for k, v in (formats or {}).items() if k in header}}


def caption(name: str, **values: Any) -> str:
    """Table captions and chart titles of the content report, by name; `values` fill the placeholders."""
    texts = {
        "by_platform": lambda: _("Performance by platform"),
        "by_type": lambda: _("Performance by type"),
        "top": lambda: _("Top 10 items by views"),
        "web": lambda: _("Web content: site visits and conversions (first touch, last touch, assisted)"),
        "decay": lambda: _("Clearest short-lived and evergreen items"),
        "decay_chart": lambda: _("Daily views after publication (first {days} days)").format(days=values["days"]),
        "what_to_write": lambda: _("What to write more of"),
        "by_topic": lambda: _("Performance by topic"),
        "slots": lambda: _("Best publication slots per platform"),
        "slot_heatmap": lambda: _("{platform}: engagement rate by publication slot").format(
            platform=values["platform"]
        ),
        "trends": lambda: _("Trend per keyword group"),
        "seasonality": lambda: _("Seasonal swing by month, relative to the usual level"),
        "ad_groups": lambda: _("Ad groups"),
        "negatives": lambda: _("Negative keywords"),
        "import_files": lambda: _("Import files: {links}").format(links=values["links"]),
    }
    if name not in texts:
        raise ValueError(f"caption must be one of {', '.join(texts)}; got {name!r}")
    return texts[name]()


def headline(items: int, engagement_rate: float, topics: int) -> dict[str, Any]:
    """The index headline: counts stay numbers, the rate is formatted in the current language."""
    from workbench.report.format import pct

    return {_("Items"): items, _("Engagement rate"): pct(engagement_rate, 2), _("Topics"): topics}
