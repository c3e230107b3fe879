"""Tables as the monthly report shows them: reader-facing column names and numbers as text.

The notebook only displays what these return, so a table's wording and formatting is tested here
instead of being rebuilt in a cell.
"""

from __future__ import annotations

import pandas as pd

from workbench.analysis.performance.plan import format_metric, metric_label
from workbench.report.format import pct, signed_pct, slot_label

__all__ = [
    "TRAFFIC_FORMATS",
    "campaigns_view",
    "changes_view",
    "device_slots_view",
    "email_view",
    "slots_view",
    "traffic_view",
    "visitors_view",
]

TRAFFIC_FORMATS = {
    "Share": "{:.1%}",
    "Conversion rate": "{:.2%}",
    "Revenue, RUB": "{:,.0f}",
    "Conversions": "{:,.0f}",
    "Sessions": "{:,.0f}",
}


def traffic_view(frame: pd.DataFrame, key_cols: list[str], key_name: str, month: pd.Period) -> pd.DataFrame:
    """A traffic_breakdown table: the group, sessions, share, conversions, revenue, change vs last month."""
    out = pd.DataFrame({key_name: frame[key_cols].astype(str).agg(" / ".join, axis=1)})
    out["Sessions"] = frame["sessions"]
    out["Share"] = frame["share"]
    if "conversions" in frame:
        out["Conversions"] = frame["conversions"]
        out["Conversion rate"] = frame["conversion_rate"]
    if "revenue" in frame:
        out["Revenue, RUB"] = frame["revenue"]
    out[f"Sessions vs {month - 1:%b}"] = [signed_pct(v) for v in frame["mom_change"]]
    return out


def _change_cell(metric: str, change: float, scale: str) -> str:
    return signed_pct(change) if scale == "log" else format_metric(metric, change)


def changes_view(changes: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """change_flags as a table: value, MoM and YoY change, expectation with its range, verdict."""
    level = 1 - changes.attrs.get("alpha", 0.01)
    rows = []
    for _, r in changes.iterrows():
        m = r["metric"]
        if pd.isna(r["p_value"]):
            verdict, expected = (r["note"] or "not tested"), "–"
        else:
            expected = (
                f"{format_metric(m, r['expected'])} ({format_metric(m, r['lower'])} – {format_metric(m, r['upper'])})"
            )
            verdict = "unusual" if r["flag"] else "normal variation"
        detect = (
            "–"
            if pd.isna(r["detectable"])
            else (pct(r["detectable"]) if r["scale"] == "log" else format_metric(m, r["detectable"]))
        )
        rows.append(
            {
                "Metric": metric_label(m),
                f"{month:%b %Y}": format_metric(m, r["value"]),
                f"vs {month - 1:%b %Y}": _change_cell(m, r["mom_change"], r["scale"]),
                f"vs {month - 12:%b %Y}": _change_cell(m, r["yoy_change"], r["scale"]),
                f"Expected ({level:.0%} range)": expected,
                "Smallest detectable change": detect,
                "Verdict": verdict,
            }
        )
    return pd.DataFrame(rows)


def slots_view(frame: pd.DataFrame, shrunk: bool = True) -> pd.DataFrame:
    """Best-time slots: slot, sessions, conversions, raw rate with its 95 % interval, shrunk rate."""
    out = pd.DataFrame(
        {
            "Slot": [slot_label(d, h) for d, h in zip(frame["weekday_name"], frame["hour"], strict=False)],
            "Sessions": frame["n"],
            "Conversions": frame["successes"],
            "Conversion rate (95% interval)": [
                f"{pct(r, 1)} ({pct(lo, 1)} – {pct(hi, 1)})"
                for r, lo, hi in zip(frame["rate"], frame["rate_low"], frame["rate_high"], strict=False)
            ],
        }
    )
    if shrunk:
        out["Shrunk rate"] = [pct(v, 2) for v in frame["rate_shrunk"]]
    return out


def device_slots_view(frame: pd.DataFrame) -> pd.DataFrame:
    """traffic.best_slots_by(…, "device") with the device's average and the lift over it."""
    out = slots_view(frame)
    out.insert(0, "Device", frame["device"].to_numpy())
    out["Device average"] = [pct(v, 2) for v in frame["group_rate"]]
    out["Shrunk rate vs device average"] = [f"{v:.2f}×" for v in frame["lift"]]
    return out


def campaigns_view(live: pd.DataFrame, month: pd.Period, channel_label=str) -> pd.DataFrame:
    """live_campaigns as a table: channels, days live, cost, clicks (CTR), CPC, conversions, CPA, revenue, ROAS."""
    return pd.DataFrame(
        {
            "Campaign": live["campaign"],
            "Channels": [", ".join(channel_label(x.strip()) for x in s.split(",")) for s in live["channels"]],
            f"Days live (of {month.days_in_month})": [
                (z - a).days + 1 for a, z in zip(live["first_day"], live["last_day"], strict=False)
            ],
            "Cost, RUB": live["cost"],
            "Clicks (CTR)": [f"{c:,.0f} ({pct(r, 2)})" for c, r in zip(live["clicks"], live["ctr"], strict=False)],
            "CPC, RUB": live["cpc"],
            "Conversions": live["conversions"],
            "CPA, RUB": live["cpa"],
            "Revenue, RUB": live["revenue"],
            "ROAS": live["roas"],
        }
    )


CAMPAIGN_FORMATS = {
    "Cost, RUB": "{:,.0f}",
    "CPC, RUB": "{:,.1f}",
    "Conversions": "{:,.0f}",
    "CPA, RUB": "{:,.0f}",
    "Revenue, RUB": "{:,.0f}",
    "ROAS": "{:.1f}",
}

_EMAIL_COLUMNS = {
    "campaign": "E-mail",
    "sent_at": "Sent",
    "delivered": "Delivered",
    "open_rate": "Open rate",
    "click_rate": "Click rate",
    "click_to_open": "Click-to-open",
    "unsubscribe_rate": "Unsubscribes",
    "conversions": "Conversions",
    "revenue": "Revenue, RUB",
}

EMAIL_FORMATS = {
    "Delivered": "{:,.0f}",
    "Open rate": "{:.1%}",
    "Click rate": "{:.2%}",
    "Click-to-open": "{:.1%}",
    "Unsubscribes": "{:.2%}",
    "Conversions": "{:,.0f}",
    "Revenue, RUB": "{:,.0f}",
}


def email_view(metrics: pd.DataFrame) -> pd.DataFrame:
    """email_metrics of the month's sends with reader-facing names; send times as 'Tue 07 Jul 10:00'."""
    cols = [c for c in _EMAIL_COLUMNS if c in metrics.columns]
    out = metrics[cols].rename(columns=_EMAIL_COLUMNS)
    if "Sent" in out:
        out["Sent"] = [s.strftime("%a %d %b %H:%M") if pd.notna(s) else "" for s in pd.to_datetime(out["Sent"])]
    return out


_VISITOR_COLUMNS = {
    "visitor_type": "Visitors",
    "visitors": "People",
    "sessions": "Sessions",
    "conversions": "Conversions",
    "conversion_rate": "Conversion rate",
    "revenue": "Revenue, RUB",
}

VISITOR_FORMATS = {
    "People": "{:,.0f}",
    "Sessions": "{:,.0f}",
    "Conversions": "{:,.0f}",
    "Conversion rate": "{:.2%}",
    "Revenue, RUB": "{:,.0f}",
}


def visitors_view(visitors: pd.DataFrame) -> pd.DataFrame:
    """traffic.new_vs_returning with reader-facing names ('New', 'Returning', 'Not identified')."""
    return visitors.assign(visitor_type=visitors["visitor_type"].str.capitalize()).rename(columns=_VISITOR_COLUMNS)
