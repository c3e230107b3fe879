"""Content that works: traffic, engagement rate with intervals, conversions and cost per result.

Engagement rate = engagements (likes + comments + shares + saves) / reach, with a Wilson 95%
interval, so a post with 40 reached people and 4 likes does not outrank one with 40,000 and 3,000.
Conversions come from two places: those the platform reports in content_stats, and for web
content the site's own sessions, joined by landing page:

* last touch: converting visits that landed on the page;
* first touch: conversions of customers whose first recorded visit landed on the page;
* assisted: conversions whose customer had landed on the page in an earlier visit, while the
  converting visit landed elsewhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.stats.proportions import wilson_interval

__all__ = ["group_performance", "item_performance", "web_conversions"]

_SUMS = ("views", "reach", "engagements", "clicks", "conversions", "cost")


def item_performance(posts: pd.DataFrame, stats: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per item (from publishing.post_engagement): engagement_rate with rate_low/rate_high, and
    clicks, conversions (platform-reported), cost per click and per conversion where known."""
    out = posts.copy()
    if stats is not None:
        extra = [c for c in ("clicks", "conversions") if c in stats.columns and c not in out.columns]
        if extra:
            out = out.join(stats.groupby("content_id")[extra].sum(), on="content_id")
    return _rates(out)


def _rates(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    n = out["reach"].to_numpy(dtype=float)
    k = np.minimum(out["engagements"].to_numpy(dtype=float), n)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["engagement_rate"] = np.where(n > 0, k / n, np.nan)
    lo, hi = wilson_interval(k, n)
    out["rate_low"], out["rate_high"] = lo, hi
    if "cost" in out.columns:
        for col, name in (("clicks", "cost_per_click"), ("conversions", "cost_per_conversion")):
            if col in out.columns:
                out[name] = out["cost"] / out[col].where(out[col] > 0)
    return out


def group_performance(items: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Items summed by `by` (type, platform, topic …): items, the sums present, the engagement
    rate of the group with its interval and costs per result. Sorted by views, largest first."""
    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in items.columns]
    if missing:
        raise ValueError(f"items lack column(s) {missing} to group by; columns are {list(items.columns)}")
    sums = [c for c in _SUMS if c in items.columns]
    out = items.groupby(keys, sort=False)[sums].sum()
    out.insert(0, "items", items.groupby(keys, sort=False).size())
    return _rates(out.reset_index()).sort_values("views", ascending=False).reset_index(drop=True)


def web_conversions(content: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Last-touch, first-touch and assisted conversions of web content (items whose `url`, or
    `content_id` when it starts with '/', is a landing page in sessions). Needs sessions with
    customer_id, landing_page and converted; one row per page found in sessions."""
    need = [c for c in ("customer_id", "landing_page", "converted") if c not in sessions.columns]
    if need:
        raise ValueError(f"sessions lack column(s) {need} needed to join content by landing page")
    url = (
        content["url"]
        if "url" in content.columns
        else content["content_id"].where(content["content_id"].astype(str).str.startswith("/"))
    )
    pages = pd.DataFrame({"content_id": content["content_id"], "page": url}).dropna()
    s = sessions[["customer_id", "started_at", "landing_page", "converted"]].copy()
    s["converted"] = s["converted"].astype(bool)
    last = s[s["converted"]].groupby("landing_page").size()
    known = s.dropna(subset=["customer_id"]).sort_values("started_at", kind="mergesort")
    first_page = known.groupby("customer_id")["landing_page"].first()
    conv_per_customer = known[known["converted"]].groupby("customer_id").size()
    first = conv_per_customer.groupby(first_page.reindex(conv_per_customer.index)).sum()
    visits = known[known["landing_page"].isin(pages["page"])]
    first_visit = visits.groupby(["customer_id", "landing_page"], as_index=False)["started_at"].min()
    conv = known[known["converted"]].reset_index(drop=True).reset_index(names="conv")
    pairs = conv.merge(first_visit, on="customer_id", suffixes=("", "_page"))
    pairs = pairs[
        (pairs["started_at_page"] < pairs["started_at"]) & (pairs["landing_page_page"] != pairs["landing_page"])
    ]
    assisted = pairs.groupby("landing_page_page")["conv"].nunique()
    out = pages.assign(
        visits=pages["page"].map(s.groupby("landing_page").size()),
        last_touch=pages["page"].map(last),
        first_touch=pages["page"].map(first),
        assisted=pages["page"].map(assisted),
    )
    out = out[out["visits"].notna()].fillna({"last_touch": 0, "first_touch": 0, "assisted": 0})
    return out.sort_values("visits", ascending=False).reset_index(drop=True)
