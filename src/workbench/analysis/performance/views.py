"""Tables as the monthly report shows them: reader-facing column names and numbers as text.

The notebook only displays what these return, so a table's wording and formatting is tested here
instead of being rebuilt in a cell.
"""

from __future__ import annotations

import pandas as pd

from workbench.analysis.performance.changes import MIN_HISTORY
from workbench.analysis.performance.labels import (
    device_name,
    medium_name,
    source_medium_label,
    source_name,
    visitor_type_name,
)
from workbench.analysis.performance.plan import format_metric, metric_label
from workbench.analysis.performance.traffic import weekday_abbr
from workbench.i18n import N_, _, pgettext
from workbench.report.format import date_pattern, localize, pct, signed_pct, slot_label

__all__ = [
    "TRAFFIC_FORMATS",
    "campaign_formats",
    "campaigns_view",
    "changes_view",
    "device_slots_view",
    "email_formats",
    "email_view",
    "movers_view",
    "slots_view",
    "traffic_formats",
    "traffic_view",
    "visitor_formats",
    "visitors_view",
]

TRAFFIC_FORMATS = {
    N_("Share"): "{:.1%}",
    N_("Conversion rate"): "{:.2%}",
    N_("Revenue, RUB"): "{:,.0f}",
    N_("Conversions"): "{:,.0f}",
    N_("Sessions"): "{:,.0f}",
}

_KEY_NAMES = {"source": source_name, "medium": medium_name, "device": device_name}


def _translated(formats: dict[str, str]) -> dict[str, str]:
    return {_(k): v for k, v in formats.items()}


def traffic_formats() -> dict[str, str]:
    """TRAFFIC_FORMATS keyed by the column names of the current language."""
    return _translated(TRAFFIC_FORMATS)


def traffic_view(frame: pd.DataFrame, key_cols: list[str], key_name: str, month: pd.Period) -> pd.DataFrame:
    """A traffic_breakdown table: the group, sessions, share, conversions, revenue, change vs last month."""
    keys = pd.DataFrame({c: frame[c].astype(str).map(_KEY_NAMES.get(c, str)) for c in key_cols})
    out = pd.DataFrame({key_name: keys.agg(" / ".join, axis=1)})
    out[_("Sessions")] = frame["sessions"]
    out[_("Share")] = frame["share"]
    if "conversions" in frame:
        out[_("Conversions")] = frame["conversions"]
        out[_("Conversion rate")] = frame["conversion_rate"]
    if "revenue" in frame:
        out[_("Revenue, RUB")] = frame["revenue"]
    out[_("Sessions vs {month}").format(month=date_pattern(month - 1, "LLL"))] = [
        signed_pct(v) for v in frame["mom_change"]
    ]
    return out


def _change_cell(metric: str, change: float, scale: str) -> str:
    return signed_pct(change) if scale == "log" else format_metric(metric, change)


def _note(row: pd.Series) -> str:
    """Why a change was not tested (performance.changes writes the note in English, for results.json)."""
    note = str(row["note"] or "")
    if note.startswith("not tested:"):
        return _("not tested: {months} months of history (< {needed} gap-free months)").format(
            months=int(row["history_months"]), needed=MIN_HISTORY
        )
    if note == "no value this month":
        return _("no value this month")
    return _(note) if note else _("not tested")


def changes_view(changes: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """change_flags as a table: value, MoM and YoY change, expectation with its range, verdict."""
    level = 1 - changes.attrs.get("alpha", 0.01)
    rows = []
    for _i, r in changes.iterrows():
        m = r["metric"]
        if pd.isna(r["p_value"]):
            verdict, expected = _note(r), "–"
        else:
            expected = (
                f"{format_metric(m, r['expected'])} ({format_metric(m, r['lower'])} – {format_metric(m, r['upper'])})"
            )
            verdict = _("unusual") if r["flag"] else _("normal variation")
        detect = (
            "–"
            if pd.isna(r["detectable"])
            else (pct(r["detectable"]) if r["scale"] == "log" else format_metric(m, r["detectable"]))
        )
        rows.append(
            {
                _("Metric"): metric_label(m),
                date_pattern(month, "LLL y"): format_metric(m, r["value"]),
                _("vs {month}").format(month=date_pattern(month - 1, "LLL y")): _change_cell(
                    m, r["mom_change"], r["scale"]
                ),
                _("vs {month}").format(month=date_pattern(month - 12, "LLL y")): _change_cell(
                    m, r["yoy_change"], r["scale"]
                ),
                _("Expected ({level} range)").format(level=pct(level)): expected,
                _("Smallest detectable change"): detect,
                _("Verdict"): verdict,
            }
        )
    return pd.DataFrame(rows)


def slots_view(frame: pd.DataFrame, shrunk: bool = True) -> pd.DataFrame:
    """Best-time slots: slot, sessions, conversions, raw rate with its 95 % interval, shrunk rate."""
    out = pd.DataFrame(
        {
            _("Slot"): [
                slot_label(weekday_abbr(d), h) for d, h in zip(frame["weekday_name"], frame["hour"], strict=False)
            ],
            _("Sessions"): frame["n"],
            _("Conversions"): frame["successes"],
            _("Conversion rate ({level} interval)").format(level=pct(0.95)): [
                f"{pct(r, 1)} ({pct(lo, 1)} – {pct(hi, 1)})"
                for r, lo, hi in zip(frame["rate"], frame["rate_low"], frame["rate_high"], strict=False)
            ],
        }
    )
    if shrunk:
        out[_("Shrunk rate")] = [pct(v, 2) for v in frame["rate_shrunk"]]
    return out


def device_slots_view(frame: pd.DataFrame) -> pd.DataFrame:
    """traffic.best_slots_by(…, "device") with the device's average and the lift over it."""
    out = slots_view(frame)
    out.insert(0, _("Device"), [device_name(d) for d in frame["device"]])
    out[_("Device average")] = [pct(v, 2) for v in frame["group_rate"]]
    out[_("Shrunk rate vs device average")] = [localize(f"{v:.2f}×") for v in frame["lift"]]
    return out


def campaigns_view(live: pd.DataFrame, month: pd.Period, channel_label=str) -> pd.DataFrame:
    """live_campaigns as a table: channels, days live, cost, clicks (CTR), CPC, conversions, CPA, revenue, ROAS."""
    return pd.DataFrame(
        {
            _("Campaign"): live["campaign"],
            _("Channels"): [", ".join(channel_label(x.strip()) for x in s.split(",")) for s in live["channels"]],
            _("Days live (of {days})").format(days=month.days_in_month): [
                (z - a).days + 1 for a, z in zip(live["first_day"], live["last_day"], strict=False)
            ],
            _("Cost, RUB"): live["cost"],
            _("Clicks (CTR)"): [
                f"{localize(f'{c:,.0f}')} ({pct(r, 2)})" for c, r in zip(live["clicks"], live["ctr"], strict=False)
            ],
            _("CPC, RUB"): live["cpc"],
            _("Conversions"): live["conversions"],
            _("CPA, RUB"): live["cpa"],
            _("Revenue, RUB"): live["revenue"],
            _("ROAS"): live["roas"],
        }
    )


CAMPAIGN_FORMATS = {
    N_("Cost, RUB"): "{:,.0f}",
    N_("CPC, RUB"): "{:,.1f}",
    N_("Conversions"): "{:,.0f}",
    N_("CPA, RUB"): "{:,.0f}",
    N_("Revenue, RUB"): "{:,.0f}",
    N_("ROAS"): "{:.1f}",
}

_EMAIL_COLUMNS = {
    "campaign": N_("E-mail"),
    "sent_at": N_("Sent"),
    "delivered": N_("Delivered"),
    "open_rate": N_("Open rate"),
    "click_rate": N_("Click rate"),
    "click_to_open": N_("Click-to-open"),
    "unsubscribe_rate": N_("Unsubscribes"),
    "conversions": N_("Conversions"),
    "revenue": N_("Revenue, RUB"),
}

EMAIL_FORMATS = {
    N_("Delivered"): "{:,.0f}",
    N_("Open rate"): "{:.1%}",
    N_("Click rate"): "{:.2%}",
    N_("Click-to-open"): "{:.1%}",
    N_("Unsubscribes"): "{:.2%}",
    N_("Conversions"): "{:,.0f}",
    N_("Revenue, RUB"): "{:,.0f}",
}


def campaign_formats() -> dict[str, str]:
    """CAMPAIGN_FORMATS keyed by the column names of the current language."""
    return _translated(CAMPAIGN_FORMATS)


def email_formats() -> dict[str, str]:
    """EMAIL_FORMATS keyed by the column names of the current language."""
    return _translated(EMAIL_FORMATS)


def email_view(metrics: pd.DataFrame) -> pd.DataFrame:
    """email_metrics of the month's sends with reader-facing names; send times as 'Tue 07 Jul 10:00'."""
    cols = [c for c in _EMAIL_COLUMNS if c in metrics.columns]
    out = metrics[cols].rename(columns={c: _(n) for c, n in _EMAIL_COLUMNS.items()})
    name = _("E-mail")
    if name in out:  # the pooled row email_metrics adds, in the report's language
        out[name] = [_("All sends") if c == "All sends" else c for c in out[name]]
    sent = _("Sent")
    if sent in out:
        out[sent] = [date_pattern(s, "EEE dd MMM HH:mm") if pd.notna(s) else "" for s in pd.to_datetime(out[sent])]
    return out


_VISITOR_COLUMNS = {
    "visitor_type": N_("Visitors"),
    "visitors": N_("People"),
    "sessions": N_("Sessions"),
    "conversions": N_("Conversions"),
    "conversion_rate": N_("Conversion rate"),
    "revenue": N_("Revenue, RUB"),
}

VISITOR_FORMATS = {
    N_("People"): "{:,.0f}",
    N_("Sessions"): "{:,.0f}",
    N_("Conversions"): "{:,.0f}",
    N_("Conversion rate"): "{:.2%}",
    N_("Revenue, RUB"): "{:,.0f}",
}


def visitor_formats() -> dict[str, str]:
    """VISITOR_FORMATS keyed by the column names of the current language."""
    return _translated(VISITOR_FORMATS)


def visitors_view(visitors: pd.DataFrame) -> pd.DataFrame:
    """traffic.new_vs_returning with reader-facing names ('New', 'Returning', 'Not identified')."""
    names = visitors["visitor_type"].map(visitor_type_name)
    return visitors.assign(visitor_type=names).rename(columns={c: _(n) for c, n in _VISITOR_COLUMNS.items()})


def movers_view(movers: pd.DataFrame, month: pd.Period) -> tuple[pd.DataFrame, dict[str, str]]:
    """traffic.top_movers with reader-facing names, and the formats of its number columns."""
    before = _("Sessions {month}").format(month=date_pattern(month - 1, "LLL"))
    now = _("Sessions {month}").format(month=date_pattern(month, "LLL"))
    directions = {"up": pgettext("mover", "up"), "down": pgettext("mover", "down")}
    out = movers.assign(
        source_medium=movers["source_medium"].map(source_medium_label),
        direction=movers["direction"].map(lambda d: directions.get(d, d)),
    ).rename(
        columns={
            "source_medium": _("Source / medium"),
            "direction": _("Direction"),
            "prev_sessions": before,
            "sessions": now,
            "change": _("Change"),
            "mom_change": _("Change, %"),
        }
    )
    formats = {_("Change"): "{:+,}", _("Change, %"): "{:+.1%}", before: "{:,.0f}", now: "{:,.0f}"}
    return out, formats
