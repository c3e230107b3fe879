"""Analytics exports as they land in a warehouse, mapped to the sessions and touchpoints contracts.

GA4's BigQuery export (one row per event in daily `events_YYYYMMDD` tables, nested `event_params`,
`device`, `traffic_source`, `collected_traffic_source`, `ecommerce`) and Yandex Metrica's Logs API
visits (`ym:s:*` fields, one row per visit) become the workbench's `sessions` and `touchpoints` by
the expressions below, which run on the engine (BigQuery, ClickHouse, Spark, DuckDB).

GA4 session rules (documented by Google for the export): a session is `user_pseudo_id` +
the `ga_session_id` event parameter; its start is the earliest `event_timestamp` (microseconds, UTC);
its source / medium are the event-scoped `collected_traffic_source.manual_source / manual_medium` of its
earliest event that has them, else "(direct)" / "(none)"; the landing page is the `page_location`
parameter of its first `page_view`; pageviews count `page_view` events; a session converts when it has a
`purchase` event, and its revenue is the sum of `ecommerce.purchase_revenue` over those events.
"""

from __future__ import annotations

from typing import Any

from workbench.data.engines.expressions import require_columns

__all__ = ["METRICA_DEVICE_CODES", "METRICA_TRAFFIC_MEDIUM", "ga4_sessions", "ga4_touchpoints", "metrica_sessions"]


def _param(events: Any, key: str, field: str) -> Any:
    """The value of one `event_params` entry (None when the event lacks it)."""
    return events.event_params.filter(lambda p: p.key == key).map(lambda p: p.value[field])[0]


def _session_key(events: Any) -> Any:
    """GA4's session key: user_pseudo_id + "." + the ga_session_id event parameter."""
    return events.user_pseudo_id.cast("string") + "." + _param(events, "ga_session_id", "int_value").cast("string")


def ga4_sessions(events: Any) -> Any:
    """GA4 `events_*` rows → one row per session in the sessions contract (an Ibis expression)."""
    import ibis

    require_columns(events, ("event_timestamp", "event_name", "event_params", "user_pseudo_id", "device"), "GA4 events")
    ts = events.event_timestamp.cast("int64")
    has_cts = "collected_traffic_source" in events.columns
    src = events.collected_traffic_source.manual_source if has_cts else ibis.null("string")
    med = events.collected_traffic_source.manual_medium if has_cts else ibis.null("string")
    camp = events.collected_traffic_source.manual_campaign_name if has_cts else ibis.null("string")
    revenue = events.ecommerce.purchase_revenue.cast("float64") if "ecommerce" in events.columns else 0.0
    e = events.select(
        session_id=events.user_pseudo_id.cast("string")
        + "."
        + _param(events, "ga_session_id", "int_value").cast("string"),
        customer_id=events.user_id.cast("string") if "user_id" in events.columns else ibis.null("string"),
        ts=ts,
        device=events.device.category.cast("string"),
        source=src,
        medium=med,
        campaign=camp,
        page=ibis.ifelse(events.event_name == "page_view", _param(events, "page_location", "string_value"), None),
        is_view=(events.event_name == "page_view").cast("int64"),
        is_purchase=(events.event_name == "purchase").cast("int64"),
        revenue=ibis.ifelse(events.event_name == "purchase", revenue, 0.0),
    )
    e = e.filter(e.session_id.notnull())
    s = e.group_by("session_id").aggregate(
        start=e.ts.min(),
        end=e.ts.max(),
        customer_id=e.customer_id.max(),
        device=e.device.argmin(e.ts),
        source=e.source.argmin(e.ts, where=e.source.notnull()),
        medium=e.medium.argmin(e.ts, where=e.medium.notnull()),
        campaign=e.campaign.argmin(e.ts, where=e.campaign.notnull()),
        landing_page=e.page.argmin(e.ts, where=e.page.notnull()),
        pageviews=e.is_view.sum(),
        purchases=e.is_purchase.sum(),
        revenue=e.revenue.fill_null(0.0).sum(),
    )
    return s.select(
        "session_id",
        started_at=(s.start // 1_000_000).as_timestamp("s"),
        device=s.device.fill_null("(not set)"),
        source=s.source.fill_null("(direct)"),
        medium=s.medium.fill_null("(none)"),
        customer_id=s.customer_id,
        campaign=s.campaign,
        landing_page=s.landing_page,
        pageviews=s.pageviews.cast("int64"),
        duration_s=((s.end - s.start) // 1_000_000).cast("int64"),
        converted=s.purchases > 0,
        revenue=s.revenue,
    )


def ga4_touchpoints(events: Any) -> Any:
    """GA4 events → one touch per session: user_pseudo_id, session start, "source / medium" as the
    channel, converted and its value (the purchase revenue) — the input of path attribution."""
    s = ga4_sessions(events)
    users = events.select(session_id=_session_key(events), user_id=events.user_pseudo_id.cast("string")).distinct()
    j = s.join(users, "session_id")
    return j.select(
        user_id=j.user_id,
        touched_at=j.started_at,
        channel=j.source + " / " + j.medium,
        converted=j.converted,
        conversion_value=j.revenue,
    )


#: ym:s:deviceCategory codes (Logs API): 1 desktop, 2 smartphone, 3 tablet, 4 TV.
METRICA_DEVICE_CODES = {"1": "desktop", "2": "mobile", "3": "tablet", "4": "tv"}
#: ym:s:lastTrafficSource values read as a medium where the visit carries no UTM medium.
METRICA_TRAFFIC_MEDIUM = {
    "ad": "cpc",
    "organic": "organic",
    "direct": "(none)",
    "referral": "referral",
    "internal": "internal",
    "social": "social",
    "email": "email",
    "messenger": "messenger",
    "recommend": "recommendation",
    "saved": "saved",
}


def metrica_sessions(visits: Any) -> Any:
    """Metrica Logs API visits (`ym:s:*`) → the sessions contract (an Ibis expression).

    source = UTM source, else the traffic source name; medium = UTM medium, else the traffic source
    mapped by METRICA_TRAFFIC_MEDIUM; device from ym:s:deviceCategory codes; converted when the visit
    reached any goal (ym:s:goalsID not empty) and revenue from ym:s:purchaseRevenue when exported."""
    import ibis

    need = ("ym:s:visitID", "ym:s:dateTime", "ym:s:deviceCategory", "ym:s:lastTrafficSource")
    require_columns(visits, need, "Metrica visits")
    v = visits

    def col(name: str, default: Any = None) -> Any:
        return v[name] if name in v.columns else ibis.literal(default, type="string")

    traffic = v["ym:s:lastTrafficSource"].cast("string")
    utm_source, utm_medium = col("ym:s:lastUTMSource"), col("ym:s:lastUTMMedium")
    empty = ibis.literal("")
    out: dict[str, Any] = {
        "session_id": v["ym:s:visitID"].cast("string"),
        "started_at": v["ym:s:dateTime"].cast("timestamp"),
        "device": v["ym:s:deviceCategory"].cast("string").substitute(METRICA_DEVICE_CODES, else_="(not set)"),
        "source": ibis.ifelse(utm_source.fill_null(empty) != empty, utm_source, traffic),
        "medium": ibis.ifelse(
            utm_medium.fill_null(empty) != empty,
            utm_medium,
            traffic.substitute(METRICA_TRAFFIC_MEDIUM, else_=traffic),
        ),
    }
    if "ym:s:clientID" in v.columns:
        out["customer_id"] = v["ym:s:clientID"].cast("string")
    if "ym:s:lastUTMCampaign" in v.columns:
        out["campaign"] = v["ym:s:lastUTMCampaign"].cast("string")
    if "ym:s:startURL" in v.columns:
        out["landing_page"] = v["ym:s:startURL"].cast("string")
    if "ym:s:pageViews" in v.columns:
        out["pageviews"] = v["ym:s:pageViews"].cast("int64")
    if "ym:s:visitDuration" in v.columns:
        out["duration_s"] = v["ym:s:visitDuration"].cast("int64")
    if "ym:s:goalsID" in v.columns:
        out["converted"] = v["ym:s:goalsID"].length() > 0
    if "ym:s:purchaseRevenue" in v.columns:
        out["revenue"] = v["ym:s:purchaseRevenue"].map(lambda x: x.cast("float64")).sums().fill_null(0.0)
    return v.select(**out)
