"""What the monthly report says: executive-summary sentences, KPI tiles and the index headline.

Every sentence the monthly report states is built here, from numbers the analysis already
computed, so that each wording rule (when a change is called unusual, when a source counts as a
mover, when a best time is named) is written once and unit-tested. A change that is not flagged is
never called "no change": it is "not distinguishable from normal variation", with the size of
change the test could have seen at the data's length (performance.changes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis.performance.labels import device_name, source_medium_label
from workbench.analysis.performance.plan import format_metric, metric_label
from workbench.analysis.performance.traffic import describe_slots
from workbench.i18n import N_, _, ngettext
from workbench.report.format import date_pattern, localize, money, pct, signed_pct

__all__ = [
    "TILE_METRICS",
    "MonthlySummary",
    "best_time_sentence",
    "change_sentences",
    "monthly_summary",
    "new_campaign_sentences",
]

TILE_METRICS = ("sessions", "conversions", "conversion_rate", "revenue", "new_customers")


@dataclass
class MonthlySummary:
    """Executive summary sentences, KPI tiles (dicts for report.kpi_tiles) and the index headline."""

    sentences: list[str] = field(default_factory=list)
    tiles: list[dict] = field(default_factory=list)
    headline: dict[str, Any] = field(default_factory=dict)


def _change(row: pd.Series | None, key: str) -> str:
    return signed_pct(None if row is None else row[key])


def _changes_text(ch: pd.DataFrame, metric: str, month: pd.Period, style: str = "names") -> str:
    row = ch.loc[metric] if metric in ch.index else None
    mom, yoy = _change(row, "mom_change"), _change(row, "yoy_change")
    if style == "short":
        return _("{mom} MoM, {yoy} YoY").format(mom=mom, yoy=yoy)
    return _("{mom} on {previous}, {yoy} on {year_ago}").format(
        mom=mom, yoy=yoy, previous=date_pattern(month - 1, "LLLL"), year_ago=date_pattern(month - 12, "LLLL y")
    )


def _detectable(row: pd.Series) -> str:
    if row["scale"] == "log":
        return pct(row["detectable"])
    text = format_metric(row["metric"], row["detectable"])
    if not text.endswith("%"):
        return text
    return _("{value} points").format(value=text[:-1].rstrip(" \xa0"))


def _metric(m: str) -> str:
    return metric_label(m).lower()


def change_sentences(changes: pd.DataFrame) -> list[str]:
    """One sentence per unusual metric, one for everything not distinguishable from normal
    variation (with the smallest change the test could have detected), one for untested metrics."""
    out = []
    alpha = changes.attrs.get("alpha")
    for _i, r in changes[changes["flag"]].iterrows():
        m = r["metric"]
        gap = signed_pct(r["vs_expected"]) if r["scale"] == "log" else format_metric(m, r["vs_expected"])
        values = {
            "metric": _metric(m),
            "value": format_metric(m, r["value"]),
            "gap": gap,
            "expected": format_metric(m, r["expected"]),
            "lower": format_metric(m, r["lower"]),
            "upper": format_metric(m, r["upper"]),
        }
        if r["value"] > r["expected"]:
            message = _(
                "Unusual: {metric} {value} is {gap} above what the trend and the season led to expect "
                "({expected}; normal range {lower} – {upper})."
            )
        else:
            message = _(
                "Unusual: {metric} {value} is {gap} below what the trend and the season led to expect "
                "({expected}; normal range {lower} – {upper})."
            )
        out.append(message.format(**values))
    quiet = changes[~changes["flag"] & changes["p_value"].notna()]
    if len(quiet):
        values = {
            "names": ", ".join(_metric(m) for m in quiet["metric"]),
            "sizes": ", ".join(
                _("{size} in {metric}").format(size=_detectable(r), metric=_metric(r["metric"]))
                for _i, r in quiet.iterrows()
            ),
            "months": int(quiet["history_months"].min()),
        }
        if len(out):
            message = _(
                "Every other metric ({names}) is not distinguishable from normal variation (changes under {sizes} "
                "cannot be detected with {months} months of history)."
            )
        else:
            message = _(
                "Every metric ({names}) is not distinguishable from normal variation (changes under {sizes} "
                "cannot be detected with {months} months of history)."
            )
        out.append(message.format(**values))
    untested = changes[changes["p_value"].isna() & changes["note"].str.startswith("not tested")]
    if len(untested):
        out.append(
            _(
                "Not tested against normal variation: {names} (only {months} months of history; two years are "
                "needed to tell a change from the season)."
            ).format(
                names=", ".join(_metric(m) for m in untested["metric"]),
                months=int(untested["history_months"].max()),
            )
        )
    if alpha is not None and changes["flag"].any():
        out.append(_("A metric is called unusual when nothing changed in {share} of months.").format(share=pct(alpha)))
    return out


def _rate(frame: pd.DataFrame) -> float:
    clicks = float(frame["clicks"].sum())
    return float(frame["conversions"].sum()) / clicks if clicks else float("nan")


def new_campaign_sentences(
    live: pd.DataFrame | None, year_ago: pd.DataFrame | None, currency: str = "RUB"
) -> list[str]:
    """Campaigns live this month but not a year earlier: the likely driver of unusual paid traffic."""
    if live is None or year_ago is None or live.empty:
        return []
    new = live[~live["campaign"].isin(year_ago["campaign"])]
    if new.empty:
        return []
    listed = "; ".join(
        _("{campaign} ({cost}, {clicks} clicks, conversion rate of clicks {rate})").format(
            campaign=r["campaign"],
            cost=money(r["cost"], currency, millions=False),
            clicks=localize(f"{r['clicks']:,.0f}"),
            rate=pct(r["conversions"] / r["clicks"] if r["clicks"] else np.nan, 1),
        )
        for _i, r in new.iterrows()
    )
    out = [
        _(
            "Live this month but not a year ago: {campaigns} — the likely driver of the jumps in paid traffic and "
            "ad spend."
        ).format(campaigns=listed)
    ]
    others = live[live["campaign"].isin(year_ago["campaign"])]
    new_rate, old_rate = _rate(new), _rate(others) if len(others) else float("nan")
    if np.isfinite(new_rate) and np.isfinite(old_rate) and new_rate < old_rate:
        out.append(
            _(
                "Its clicks convert at {new} against {old} for the always-on campaigns, so the extra visits pull "
                "the site-wide conversion rate down."
            ).format(new=pct(new_rate, 1), old=pct(old_rate, 1))
        )
    return out


def mover_sentences(movers: pd.DataFrame, month: pd.Period, min_change: float = 0.05) -> list[str]:
    """The biggest riser and faller by sessions; a move under `min_change` (5 %) is not news."""
    big = movers[movers["mom_change"].abs() >= min_change]
    out = []
    messages = {
        "up": N_("Biggest riser: {group} ({change} sessions, {share})."),
        "down": N_("Biggest faller: {group} ({change} sessions, {share})."),
    }
    for direction, message in messages.items():
        rows = big[big["direction"] == direction]
        if len(rows):
            r = rows.iloc[0]
            out.append(
                _(message).format(
                    group=source_medium_label(r.iloc[0]),
                    change=localize(f"{r['change']:+,}"),
                    share=signed_pct(r["mom_change"]),
                )
            )
    if not out:
        out.append(
            _("No source / medium moved by {share} or more against {previous}.").format(
                share=pct(min_change), previous=date_pattern(month - 1, "LLLL")
            )
        )
    return out


def best_time_sentence(
    best: pd.DataFrame | None,
    window: tuple[pd.Timestamp, pd.Period],
    window_rate: float,
    by_device: pd.DataFrame | None = None,
    min_lift: float = 1.05,
) -> str | None:
    """The best hours to publish when the slots differ beyond chance; otherwise says no slot stands out."""
    if best is None:
        return None
    start, end = date_pattern(window[0], "LLLL"), date_pattern(window[1], "LLLL")
    if best.empty:
        if best.attrs.get("no_difference"):
            return _(
                "No hour × weekday slot of {start}–{end} converts differently from the others beyond chance "
                "(p = {p}), so no best time is named."
            ).format(start=start, end=end, p=localize(f"{best.attrs.get('difference_p', float('nan')):.2f}"))
        return None
    pooled = float((best["rate_shrunk"] * best["n"]).sum() / best["n"].sum())
    values = {
        "slots": describe_slots(best),
        "n": len(best),
        "start": start,
        "end": end,
        "rate": pct(pooled, 1),
        "overall": pct(window_rate, 1),
    }
    if by_device is not None and len(by_device):
        dev = by_device.groupby("device").agg(lift=("lift", "mean")).sort_values("lift", ascending=False)
        dev = dev[dev["lift"] > min_lift]
        if len(dev):
            lead = dev.index[0]
            values |= {
                "device": device_name(lead),
                "device_slots": describe_slots(by_device[by_device["device"] == lead]),
                "lift": localize(f"{dev.iloc[0]['lift']:.1f}"),
            }
            return ngettext(
                "Best time to publish: {slots} — the {n} best hour × weekday slots of {start}–{end} convert about "
                "{rate} of visits against {overall} overall; the lift is largest on {device} (its best slots, "
                "{device_slots}, convert {lift}× the {device} average).",
                "Best time to publish: {slots} — the {n} best hour × weekday slots of {start}–{end} convert about "
                "{rate} of visits against {overall} overall; the lift is largest on {device} (its best slots, "
                "{device_slots}, convert {lift}× the {device} average).",
                len(best),
            ).format(**values)
    return ngettext(
        "Best time to publish: {slots} — the {n} best hour × weekday slots of {start}–{end} convert about "
        "{rate} of visits against {overall} overall.",
        "Best time to publish: {slots} — the {n} best hour × weekday slots of {start}–{end} convert about "
        "{rate} of visits against {overall} overall.",
        len(best),
    ).format(**values)


def _tiles(cur: pd.Series, ch: pd.DataFrame, month: pd.Period) -> list[dict]:
    tiles = []
    for key in TILE_METRICS:
        if key not in cur:
            continue
        row = ch.loc[key] if key in ch.index else None
        tiles.append(
            {
                "label": metric_label(key),
                "value": format_metric(key, cur[key]),
                "note": None if row is None else _changes_text(ch, key, month, "short"),
                "status": "warn" if row is not None and bool(row["flag"]) else "",
            }
        )
    return tiles


def _revenue_sentence(cur: pd.Series, ch: pd.DataFrame, month: pd.Period) -> str:
    """Revenue with its changes, the orders behind it and the conversion rate, when the data has them."""
    values = {
        "revenue": format_metric("revenue", cur["revenue"]),
        "changes": _changes_text(ch, "revenue", month, "short"),
    }
    if "orders" in cur:
        values["orders"] = localize(f"{cur['orders']:,.0f}")
    if "conversion_rate" in cur:
        values |= {
            "rate": pct(cur["conversion_rate"], 2),
            "rate_changes": _changes_text(ch, "conversion_rate", month, "short"),
        }
    messages = {
        (False, False): N_("Revenue {revenue} ({changes})."),
        (True, False): N_("Revenue {revenue} ({changes}) from {orders} orders."),
        (False, True): N_("Revenue {revenue} ({changes}); conversion rate {rate} of sessions ({rate_changes})."),
        (True, True): N_(
            "Revenue {revenue} ({changes}) from {orders} orders; conversion rate {rate} of sessions ({rate_changes})."
        ),
    }
    return _(messages[("orders" in cur, "conversion_rate" in cur)]).format(**values)


def monthly_summary(
    month: pd.Period,
    metrics: pd.DataFrame,
    changes: pd.DataFrame,
    by_source: pd.DataFrame,
    movers: pd.DataFrame,
    *,
    live: pd.DataFrame | None = None,
    year_ago_live: pd.DataFrame | None = None,
    best: pd.DataFrame | None = None,
    best_window: tuple[pd.Timestamp, pd.Period] | None = None,
    window_rate: float = float("nan"),
    by_device_slots: pd.DataFrame | None = None,
) -> MonthlySummary:
    """Executive summary, tiles and headline of the monthly report from its computed tables.

    Parameters
    ----------
    month: the report month; metrics: monthly metrics (traffic.monthly_metrics) through the month;
    changes: changes.change_flags for the month; by_source: traffic_breakdown by source/medium;
    movers: top_movers; live / year_ago_live: live_campaigns this month and a year earlier;
    best, best_window (first day, report month), window_rate, by_device_slots: best-time tables.
    """
    cur = metrics.loc[month]
    ch = changes.set_index("metric")
    out = MonthlySummary()
    out.sentences.append(
        ngettext(
            "{month}: {sessions} sessions ({changes}).", "{month}: {sessions} sessions ({changes}).", cur["sessions"]
        ).format(
            month=date_pattern(month, "LLLL y"),
            sessions=localize(f"{cur['sessions']:,.0f}"),
            changes=_changes_text(ch, "sessions", month),
        )
    )
    if "revenue" in cur:
        out.sentences.append(_revenue_sentence(cur, ch, month))
    out.sentences += change_sentences(changes)
    if changes["flag"].any():
        out.sentences += new_campaign_sentences(live, year_ago_live)
    if len(by_source):
        top = by_source.iloc[0]
        out.sentences.append(
            _("Largest source: {group} with {share} of sessions.").format(
                group=source_medium_label(f"{top['source']} / {top['medium']}"), share=pct(top["share"])
            )
        )
    out.sentences += mover_sentences(movers, month)
    if best is not None and best_window is not None:
        text = best_time_sentence(best, best_window, window_rate, by_device_slots)
        if text:
            out.sentences.append(text)
    out.tiles = _tiles(cur, ch, month)
    short = {key: _changes_text(ch, key, month, "short") for key in ("sessions", "conversion_rate", "revenue")}
    sessions = localize(f"{cur['sessions']:,.0f}")
    out.headline = {_("Sessions"): f"{sessions} ({short['sessions']})"}
    for key, name in (("conversion_rate", N_("Conversion rate")), ("revenue", N_("Revenue"))):
        if key in cur:
            out.headline[_(name)] = f"{format_metric(key, cur[key])} ({short[key]})"
    out.headline[_("Unusual changes")] = int(changes["flag"].sum())
    return out
