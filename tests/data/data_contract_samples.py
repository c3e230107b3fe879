"""Small valid tables for every contract (3 rows each), as text, shared by the data tests."""

GOOD = {
    "customers": {
        "customer_id": ["c1", "c2", "c3"],
        "signup_date": ["2024-01-05", "2024-02-01", "2025-03-31"],
        "country": ["RU", "RU", "KZ"],
        "age": ["30", "41", "25"],
        "interests": ["run;ski", "bbq", ""],
    },
    "orders": {
        "order_id": ["o1", "o2", "o3"],
        "customer_id": ["c1", "c2", "c1"],
        "order_date": ["2024-01-06", "2024-02-03 10:00:00", "2025-04-01"],
        "revenue": ["12.5", "100", "7.25"],
        "items": ["1", "2", "3"],
    },
    "sessions": {
        "session_id": ["s1", "s2", "s3"],
        "started_at": ["2024-01-06 10:00", "2024-01-06 11:00", "2024-01-07 23:59"],
        "device": ["mobile", "desktop", "mobile"],
        "source": ["google", "(direct)", "vk"],
        "medium": ["cpc", "(none)", "social"],
        "pageviews": ["1", "5", "2"],
        "converted": ["false", "true", "false"],
        "revenue": ["0", "120.5", "0"],
    },
    "survey": {
        "respondent_id": ["r1", "r2", "r3"],
        "familiarity": ["aware", "tried", "regular"],
        "likert_quality": ["3", "4", "5"],
        "nps_score": ["7", "9", "10"],
    },
    "ad_stats": {
        "date": ["2024-01-01", "2024-01-01", "2024-01-02"],
        "campaign": ["a", "b", "a"],
        "channel": ["google_ads", "google_ads", "google_ads"],
        "impressions": ["100", "200", "150"],
        "clicks": ["5", "10", "0"],
        "cost": ["12.5", "30", "0"],
    },
    "touchpoints": {
        "user_id": ["u1", "u1", "u2"],
        "touched_at": ["2024-01-01 10:00", "2024-01-02 10:00", "2024-01-03"],
        "channel": ["email", "direct", "vk_ads"],
        "converted": ["false", "true", "false"],
        "conversion_value": ["0", "99.9", "0"],
    },
    "paths": {
        "path": ["a", "a > b", "b"],
        "conversions": ["3", "1", "0"],
        "non_conversions": ["10", "2", "5"],
        "value": ["30", "10", "0"],
    },
    "experiment": {
        "unit_id": ["u1", "u2", "u3"],
        "variant": ["control", "treatment_a", "control"],
        "converted": ["1", "0", "0"],
        "revenue": ["10", "0", "0"],
    },
    "email_sends": {
        "campaign": ["n1", "n2", "n3"],
        "sent_at": ["2024-01-04 10:00", "2024-01-11 10:00", "2024-01-18 10:00"],
        "recipients": ["100", "100", "100"],
        "delivered": ["98", "97", "99"],
        "opens": ["20", "25", "30"],
        "clicks": ["2", "3", "4"],
    },
    "competitors": {
        "brand": ["Us", "Them", "Other"],
        "domain": ["us.example", "them.example", "other.example"],
        "is_us": ["true", "false", "false"],
    },
    "keyword_rankings": {
        "keyword": ["tent", "tent", "boots"],
        "domain": ["us.example", "them.example", "us.example"],
        "position": ["3", "", "17"],
        "search_volume": ["1000", "1000", "50"],
    },
    "site_metrics": {
        "domain": ["us.example", "them.example", "other.example"],
        "monthly_visits": ["1000", "2000", "3000"],
        "bounce_rate": ["0.4", "45%", "0.5"],
    },
    "social": {"brand": ["Us", "Us", "Them"], "network": ["vk", "telegram", "vk"], "followers": ["10", "20", "30"]},
    "ads_intel": {
        "brand": ["Us", "Them", "Them"],
        "channel": ["vk_ads", "vk_ads", "google_ads"],
        "est_monthly_spend": ["1000", "2000", "500"],
    },
    "email_intel": {"brand": ["Us", "Them", "Other"], "emails_30d": ["4", "10", "0"]},
    "brand_attributes": {
        "brand": ["Us", "Us", "Them"],
        "attribute": ["price", "quality", "price"],
        "score": ["3.5", "4", "2.5"],
    },
    "content": {
        "content_id": ["p1", "p2", "/blog/tent"],
        "type": ["social_post", "social_post", "blog_post"],
        "platform": ["vk", "telegram", "blog"],
        "published_at": ["2024-01-02 19:00", "2024-01-03 09:30", "2024-01-04"],
        "title": ["Как выбрать палатку", "Winter layering tips", "Палатки: обзор"],
        "cost": ["1000", "0", "2500.5"],
    },
    "content_stats": {
        "content_id": ["p1", "p1", "p2"],
        "date": ["2024-01-02", "2024-01-03", "2024-01-03"],
        "views": ["1200", "300", "800"],
        "reach": ["1000", "250", "700"],
        "likes": ["40", "5", "12"],
    },
    "search_demand": {
        "keyword": ["купить палатку", "купить палатку", "tent"],
        "month": ["2024-01", "2024-02", "2024-01"],
        "demand": ["1200", "1500", "35"],
        "cpc": ["14.5", "15", ""],
    },
}

# For each dataset: (numeric column to break, unique key column, date column or None)
PROBES = {
    "customers": ("age", "customer_id", "signup_date"),
    "orders": ("revenue", "order_id", "order_date"),
    "sessions": ("pageviews", "session_id", "started_at"),
    "survey": ("nps_score", "respondent_id", None),
    "ad_stats": ("cost", None, "date"),
    "touchpoints": ("conversion_value", None, "touched_at"),
    "paths": ("conversions", None, None),  # a path may repeat (rows add up)
    "experiment": ("revenue", "unit_id", None),
    "email_sends": ("recipients", None, "sent_at"),
    "competitors": ("is_us", "brand", None),
    "keyword_rankings": ("search_volume", None, None),
    "site_metrics": ("monthly_visits", "domain", None),
    "social": ("followers", None, None),
    "ads_intel": ("est_monthly_spend", None, None),
    "email_intel": ("emails_30d", "brand", None),
    "brand_attributes": ("score", None, None),
    "content": ("cost", "content_id", "published_at"),
    "content_stats": ("views", None, "date"),
    "search_demand": ("demand", None, "month"),
}


def to_csv_text(table: dict, sep: str = ",") -> str:
    """CSV text with minimal quoting (fields holding the delimiter are quoted)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    cols = list(table)
    w.writerow(cols)
    for i in range(len(table[cols[0]])):
        w.writerow([table[c][i] for c in cols])
    return buf.getvalue()
