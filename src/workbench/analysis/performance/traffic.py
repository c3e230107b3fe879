"""Site traffic for a month: which month, breakdowns, new vs returning visitors, top movers.

The report month defaults to the last *complete* month in the data, not the wall clock, so a
report on a data export always describes a whole month that the export covers.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from workbench.analysis.performance.session_counts import SessionCounts, slot_table, visitors_table
from workbench.i18n import pgettext

__all__ = [
    "CHANGE_METRICS",
    "best_slots_by",
    "first_orders_by_month",
    "sessions_window",
    "with_source_medium",
    "describe_slots",
    "traffic_breakdown",
    "last_complete_month",
    "live_campaigns",
    "monthly_metrics",
    "new_vs_returning",
    "parse_month",
    "resolve_month",
    "top_movers",
]

_MONTH_RE = re.compile(r"^\d{4}-\d{2}$")

#: The metrics the monthly report tests against their expectation, in the order it lists them.
CHANGE_METRICS = (
    "sessions",
    "conversions",
    "conversion_rate",
    "revenue",
    "orders",
    "aov",
    "new_customers",
    "organic_share",
    "ad_cost",
)


def first_orders_by_month(orders: pd.DataFrame, months: pd.PeriodIndex) -> pd.Series:
    """New customers per month: customers whose first order ever falls in the month (KPI glossary)."""
    if "new_customers" in orders.columns:  # already counted per month (report_inputs.orders_monthly_input)
        return orders["new_customers"].reindex(months, fill_value=0.0).astype(float)
    first = orders.groupby("customer_id")["order_date"].min()
    counts = pd.to_datetime(first, errors="coerce").dt.to_period("M").value_counts()
    return counts.reindex(months, fill_value=0).astype(float)


def with_source_medium(sessions: pd.DataFrame | SessionCounts) -> pd.DataFrame | SessionCounts:
    """Sessions with a `source_medium` column ('google / cpc'), the key the top movers are ranked by."""
    if isinstance(sessions, SessionCounts):
        g = sessions.groups
        return replace(sessions, groups=g.assign(source_medium=g["source"] + " / " + g["medium"]))
    return sessions.assign(source_medium=sessions["source"].astype(str) + " / " + sessions["medium"].astype(str))


def sessions_window(sessions: pd.DataFrame | SessionCounts, month, months: int) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Sessions of the `months` months ending with `month` (the best-time window) and its first day;
    from counts, the window's device × weekday × hour counts (columns sessions, conversions)."""
    if not isinstance(months, (int, np.integer)) or months < 1:
        raise ValueError(f"best_time_window_months must be a positive integer; got {months!r}")
    month = pd.Period(month, "M")
    if isinstance(sessions, SessionCounts):
        if (sessions.month, sessions.window_months) != (month, months):
            raise ValueError(
                f"the sessions were counted for {sessions.month} with a {sessions.window_months}-month window; "
                f"asked for {month} and {months}"
            )
        return sessions.slots, sessions.window_start
    start = (month - (months - 1)).start_time
    ts = pd.to_datetime(sessions["started_at"], errors="coerce")
    return sessions[(ts >= start) & (ts <= month.end_time)], start


def parse_month(month: str) -> pd.Period | None:
    """'YYYY-MM' -> Period; '' -> None (meaning: the last complete month in the data)."""
    if month is None or str(month).strip() == "":
        return None
    text = str(month).strip()
    if not _MONTH_RE.match(text) or not 1 <= int(text[5:]) <= 12:
        raise ValueError(f"month must be 'YYYY-MM' (e.g. '2026-06') or '' for the last complete month; got {month!r}")
    return pd.Period(text, "M")


def last_complete_month(timestamps: pd.Series) -> pd.Period:
    """The last month the data covers to its final day (the month of the last timestamp when
    that timestamp falls on the month's last day, else the month before)."""
    ts = pd.to_datetime(pd.Series(timestamps), errors="coerce").dropna()
    if ts.empty:
        raise ValueError("no valid timestamps: cannot tell the last complete month")
    last = ts.max()
    month = last.to_period("M")
    return month if last.normalize() == month.end_time.normalize() else month - 1


def resolve_month(month: str, timestamps: pd.Series) -> pd.Period:
    """The report month: the given 'YYYY-MM' (checked against the data's range) or the last
    complete month."""
    asked = parse_month(month)
    ts = pd.to_datetime(pd.Series(timestamps), errors="coerce").dropna()
    if ts.empty:
        raise ValueError("no valid timestamps in the data")
    if asked is None:
        return last_complete_month(ts)
    first, last = ts.min().to_period("M"), ts.max().to_period("M")
    if not first <= asked <= last:
        raise ValueError(f"month={month!r} is outside the data, which covers {first} … {last}")
    return asked


def _check(sessions: pd.DataFrame, cols: list[str]) -> None:
    missing = [c for c in cols if c not in sessions.columns]
    if missing:
        raise ValueError(f"sessions lacks column(s) {missing}; it has {list(sessions.columns)}")


def _month_of(sessions: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(sessions["started_at"], errors="coerce").dt.to_period("M")


def _agg(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    g = frame.groupby(by, dropna=False, observed=True)
    out = g.size().rename("sessions").to_frame()
    if "converted" in frame.columns:
        out["conversions"] = g["converted"].sum().astype(float)
    if "revenue" in frame.columns:
        out["revenue"] = g["revenue"].sum().astype(float)
    return out


def _agg_counts(counts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """`_agg` over rows already counted per group (sessions, conversions, revenue)."""
    cols = [c for c in ("sessions", "conversions", "revenue") if c in counts.columns]
    out = counts.groupby(by, dropna=False, observed=True)[cols].sum()
    return out.astype({c: float for c in cols if c != "sessions"})


def traffic_breakdown(sessions: pd.DataFrame | SessionCounts, by: str | list[str], month) -> pd.DataFrame:
    """Sessions, share, conversions, conversion rate and revenue per group in `month`, with the
    previous month's sessions and the relative change. Sorted by sessions, largest first."""
    by = [by] if isinstance(by, str) else list(by)
    month = pd.Period(month, "M")
    if isinstance(sessions, SessionCounts):  # already counted per month × group: sum the groups asked for
        g = sessions.groups
        _check(g, ["month", *by])
        cur, prev = (_agg_counts(g[g["month"] == m], by) for m in (month, month - 1))
        prev = prev["sessions"].rename("prev_sessions")
    else:
        _check(sessions, ["started_at", *by])
        months = _month_of(sessions)
        frame = sessions.assign(**{c: sessions[c].astype("string").fillna("(not set)") for c in by})
        cur = _agg(frame[months == month], by)
        prev = _agg(frame[months == month - 1], by)["sessions"].rename("prev_sessions")
    out = cur.join(prev, how="outer").fillna({"sessions": 0, "prev_sessions": 0})
    for col in ("conversions", "revenue"):
        if col in out.columns:
            out[col] = out[col].fillna(0.0)
    out["share"] = out["sessions"] / out["sessions"].sum() if out["sessions"].sum() else np.nan
    if "conversions" in out.columns:
        out["conversion_rate"] = out["conversions"] / out["sessions"].where(out["sessions"] > 0)
    out["mom_change"] = out["sessions"] / out["prev_sessions"].where(out["prev_sessions"] > 0) - 1
    out = out.reset_index().sort_values("sessions", ascending=False, kind="mergesort").reset_index(drop=True)
    out["sessions"] = out["sessions"].astype(int)
    out["prev_sessions"] = out["prev_sessions"].astype(int)
    cols = [*by, "sessions", "share", "conversions", "conversion_rate", "revenue", "prev_sessions", "mom_change"]
    return out[[c for c in cols if c in out.columns]]


def new_vs_returning(sessions: pd.DataFrame | SessionCounts, month) -> pd.DataFrame:
    """Identified visitors (customer_id) in `month`: new = their first session in the data falls in
    the month, returning = they visited before. Sessions without customer_id are counted as
    "not identified" (no visitor can be told apart there). Columns: visitor_type, visitors,
    sessions, conversions, conversion_rate, revenue."""
    month = pd.Period(month, "M")
    if isinstance(sessions, SessionCounts):
        if sessions.visitors is None or sessions.month != month:
            raise ValueError(f"the sessions were counted for {sessions.month}, without customer_id or another month")
        return visitors_table(sessions.visitors)
    _check(sessions, ["started_at", "customer_id"])
    months = _month_of(sessions)
    ident = sessions["customer_id"].notna() & (sessions["customer_id"].astype("string").str.strip() != "")
    first = pd.to_datetime(sessions.loc[ident, "started_at"]).groupby(sessions.loc[ident, "customer_id"]).min()
    first_month = sessions["customer_id"].map(first.dt.to_period("M"))
    in_month = months == month
    kind = pd.Series("not identified", index=sessions.index, dtype="object")
    kind[ident & (first_month == month)] = "new"
    kind[ident & (first_month < month)] = "returning"
    frame = sessions[in_month].assign(visitor_type=kind[in_month])
    out = _agg(frame, ["visitor_type"])
    out["visitors"] = frame[frame["visitor_type"] != "not identified"].groupby("visitor_type")["customer_id"].nunique()
    out = out.reindex(["new", "returning", "not identified"]).dropna(how="all").reset_index()
    out["sessions"] = out["sessions"].fillna(0).astype(int)
    if "conversions" in out.columns:
        out["conversion_rate"] = out["conversions"] / out["sessions"].where(out["sessions"] > 0)
    cols = ["visitor_type", "visitors", "sessions", "conversions", "conversion_rate", "revenue"]
    return out[[c for c in cols if c in out.columns]]


def monthly_metrics(
    sessions: pd.DataFrame | SessionCounts,
    orders: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    ad_stats: pd.DataFrame | None = None,
    organic_mediums: tuple[str, ...] = ("organic",),
) -> pd.DataFrame:
    """Site-wide metrics per month (gap-free PeriodIndex): sessions, conversions, conversion_rate,
    organic_sessions, organic_share, session revenue; with orders: orders, revenue (orders),
    aov; with customers: new_customers (sign-ups); with ad_stats: ad_cost."""
    if isinstance(sessions, SessionCounts):
        g = sessions.groups
        months, n = g["month"], g["sessions"]
        converted, organic = g.get("conversions"), n.where(g["medium"].isin(organic_mediums), 0)
    else:
        _check(sessions, ["started_at", "medium"])
        g, months, n = sessions, _month_of(sessions), pd.Series(1, index=sessions.index)
        converted, organic = g.get("converted"), sessions["medium"].isin(organic_mediums)
    out = pd.DataFrame({"sessions": n.groupby(months).sum()})
    if converted is not None:
        out["conversions"] = converted.astype(float).groupby(months).sum()
        out["conversion_rate"] = out["conversions"] / out["sessions"]
    out["organic_sessions"] = organic.groupby(months).sum().astype(float)
    out["organic_share"] = out["organic_sessions"] / out["sessions"]
    if orders is not None and "order_date" not in orders.columns:  # per month (orders_monthly_input)
        out["orders"], out["revenue"] = orders["orders"], orders["revenue"]
    elif orders is not None:
        om = pd.to_datetime(orders["order_date"], errors="coerce").dt.to_period("M")
        out["orders"] = orders.groupby(om).size()
        out["revenue"] = orders["revenue"].astype(float).groupby(om).sum()
    elif "revenue" in g.columns:
        out["revenue"] = g["revenue"].astype(float).groupby(months).sum()
    if customers is not None:
        cm = pd.to_datetime(customers["signup_date"], errors="coerce").dt.to_period("M")
        out["new_customers"] = customers.groupby(cm).size()
    if ad_stats is not None:
        am = pd.to_datetime(ad_stats["date"], errors="coerce").dt.to_period("M")
        out["ad_cost"] = ad_stats["cost"].astype(float).groupby(am).sum()
    out = out[out.index.notna()]
    full = pd.period_range(out.index.min(), out.index.max(), freq="M")
    counts = [c for c in out.columns if c not in ("conversion_rate", "organic_share")]
    out = out.reindex(full)
    out[counts] = out[counts].fillna(0.0)
    if "orders" in out.columns:
        out["aov"] = out["revenue"] / out["orders"].where(out["orders"] > 0)
    out.index.name = "month"
    return out.astype(float)


def top_movers(sessions: pd.DataFrame, by: str, month, top: int = 5, min_sessions: int = 30) -> pd.DataFrame:
    """Groups with the largest change in sessions vs the previous month (by absolute change),
    split into risers and fallers. Groups with fewer than `min_sessions` in both months are left
    out (a jump from 2 to 6 visits is not a story). Column `direction`: "up" / "down"."""
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive integer; got {top!r}")
    table = traffic_breakdown(sessions, by, month)
    table = table[(table["sessions"] >= min_sessions) | (table["prev_sessions"] >= min_sessions)].copy()
    table["change"] = table["sessions"] - table["prev_sessions"]
    up = table[table["change"] > 0].nlargest(top, "change").assign(direction="up")
    down = table[table["change"] < 0].nsmallest(top, "change").assign(direction="down")
    cols = [by, "direction", "prev_sessions", "sessions", "change", "mom_change"]
    return pd.concat([up, down], ignore_index=True)[cols]


#: The KPIs of a live campaign, in the order its table shows them.
_CAMPAIGN_KPIS = ("cost", "impressions", "clicks", "ctr", "cpc", "conversions", "cpa", "revenue", "roas", "romi")


def live_campaigns(ad_stats: pd.DataFrame, month, gross_margin: float = 1.0) -> pd.DataFrame:
    """Ad campaigns with spend or impressions in `month`, with their KPIs for the month's days,
    computed by the KPI glossary (workbench.analysis.campaigns.kpis.compute_kpis) from ad_stats alone
    (conversions and revenue as attributed by the ad platforms). Sorted by cost."""
    from workbench.analysis.campaigns.kpis import compute_kpis

    month = pd.Period(month, "M")
    dates = pd.to_datetime(ad_stats["date"], errors="coerce")
    in_month = ad_stats[dates.dt.to_period("M") == month]
    active = in_month.groupby("campaign")[["cost", "impressions"]].sum()
    active = active[(active["cost"] > 0) | (active["impressions"] > 0)].index
    rows = []
    start, end = str(month.start_time.date()), str(month.end_time.date())
    for campaign in active:
        part = in_month[in_month["campaign"] == campaign]
        k = compute_kpis(part, start=start, end=end, gross_margin=gross_margin)
        d = pd.to_datetime(part["date"])
        rows.append(
            {
                "campaign": campaign,
                "channels": ", ".join(sorted(part["channel"].astype(str).unique())),
                "first_day": d.min().date(),
                "last_day": d.max().date(),
                **{c: k.get(c) for c in _CAMPAIGN_KPIS},
            }
        )
    out = pd.DataFrame(rows, columns=["campaign", "channels", "first_day", "last_day", *_CAMPAIGN_KPIS])
    return out.sort_values("cost", ascending=False, kind="mergesort").reset_index(drop=True)


_DAY_ABBR = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_PARTS = [("nights", 0, 5), ("mornings", 6, 11), ("afternoons", 12, 16), ("evenings", 17, 23)]


def weekday_abbr(name: str) -> str:
    """A weekday as timing.best_times writes it ('Tuesday' or 'Tue') in the current language ('вт');
    English keeps it as written."""
    names = {
        "Mon": pgettext("weekday", "Mon"),
        "Tue": pgettext("weekday", "Tue"),
        "Wed": pgettext("weekday", "Wed"),
        "Thu": pgettext("weekday", "Thu"),
        "Fri": pgettext("weekday", "Fri"),
        "Sat": pgettext("weekday", "Sat"),
        "Sun": pgettext("weekday", "Sun"),
    }
    text = str(name)
    translated = names.get(text[:3], text)
    return text if translated == text[:3] else translated  # English keeps the name as timing wrote it


def _slot_kind(kind: str, part: str) -> str:
    """The label of a set of slots, one whole phrase per combination ('weekday evenings')."""
    labels = {
        ("weekday", "nights"): pgettext("slots", "weekday nights"),
        ("weekday", "mornings"): pgettext("slots", "weekday mornings"),
        ("weekday", "afternoons"): pgettext("slots", "weekday afternoons"),
        ("weekday", "evenings"): pgettext("slots", "weekday evenings"),
        ("weekday", ""): pgettext("slots", "weekdays"),
        ("weekend", "nights"): pgettext("slots", "weekend nights"),
        ("weekend", "mornings"): pgettext("slots", "weekend mornings"),
        ("weekend", "afternoons"): pgettext("slots", "weekend afternoons"),
        ("weekend", "evenings"): pgettext("slots", "weekend evenings"),
        ("weekend", ""): pgettext("slots", "weekends"),
        ("", "nights"): pgettext("slots", "nights"),
        ("", "mornings"): pgettext("slots", "mornings"),
        ("", "afternoons"): pgettext("slots", "afternoons"),
        ("", "evenings"): pgettext("slots", "evenings"),
    }
    return labels.get((kind, part), "")


def describe_slots(slots: pd.DataFrame) -> str:
    """Hour × weekday slots (columns weekday 0=Mon…6, hour) in words for a summary, e.g.
    "weekday evenings (Mon–Wed, Fri, 19:00–22:00)": the days as ranges, the hours from the
    earliest slot's start to the latest slot's end, and a label when all days are weekdays (or
    all weekend) and all hours fall in one part of the day. Empty input: ""."""
    missing = [c for c in ("weekday", "hour") if c not in slots.columns]
    if missing:
        raise ValueError(f"slots lacks column(s) {missing}; build it with timing.best_times")
    if slots.empty:
        return ""
    days = sorted({int(d) for d in slots["weekday"]})
    hours = sorted({int(h) for h in slots["hour"]})
    if not all(0 <= d <= 6 for d in days) or not all(0 <= h <= 23 for h in hours):
        raise ValueError("slots must hold weekday 0…6 and hour 0…23")
    runs, start = [], days[0]
    for prev, d in zip(days, days[1:] + [None], strict=False):
        if d != prev + 1 if d is not None else True:
            first, last = weekday_abbr(_DAY_ABBR[start]), weekday_abbr(_DAY_ABBR[prev])
            runs.append(first if start == prev else f"{first}{'–' if prev - start > 1 else ', '}{last}")
            start = d
    span = f"{hours[0]:02d}:00–{(hours[-1] + 1) % 24:02d}:00"
    kind = "weekday" if days[-1] <= 4 else "weekend" if days[0] >= 5 else ""
    part = next((name for name, lo, hi in _PARTS if lo <= hours[0] and hours[-1] <= hi), "")
    label = _slot_kind(kind, part)
    text = f"{', '.join(runs)}, {span}"
    return f"{label} ({text})" if label else text


def best_slots_by(
    sessions: pd.DataFrame, by: str, top: int = 3, min_n: int = 30, evidence_alpha: float | None = None
) -> pd.DataFrame:
    """The `top` hour × weekday slots by conversion rate within each group of `by` (e.g. device),
    ranked as timing.best_times does (empirical-Bayes shrunk rate, minimum slot size). Columns:
    the group, weekday, weekday_name, hour, n, successes, rate, rate_low, rate_high, rate_shrunk,
    group_rate (the group's overall conversion rate) and lift (rate_shrunk / group_rate). With
    `evidence_alpha` a group whose slots do not differ beyond chance names no slot."""
    from workbench.analysis.stats.timing import best_times, hour_weekday_table

    counted = "started_at" not in sessions.columns  # slot counts (sessions_window of SessionCounts)
    _check(sessions, ["weekday", "hour", "sessions", "conversions", by] if counted else ["started_at", "converted", by])
    parts = []
    for group, frame in sessions.groupby(sessions[by].astype("string").fillna("(not set)"), sort=True):
        slots = slot_table(frame) if counted else hour_weekday_table(frame, "started_at", success_col="converted")
        if int((slots["n"] > 0).sum()) < 2:
            continue
        best = best_times(slots, by="rate", top=top, min_n=min_n, evidence_alpha=evidence_alpha)
        if best.empty:
            continue
        if counted:
            rate = float(frame["conversions"].astype(float).sum() / frame["sessions"].sum())
        else:
            rate = float(frame["converted"].astype(float).mean())
        parts.append(
            best.assign(**{by: group, "group_rate": rate, "lift": best["rate_shrunk"] / rate if rate > 0 else np.nan})
        )
    cols = [
        by,
        "weekday",
        "weekday_name",
        "hour",
        "n",
        "successes",
        "rate",
        "rate_low",
        "rate_high",
        "rate_shrunk",
        "group_rate",
        "lift",
    ]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]
