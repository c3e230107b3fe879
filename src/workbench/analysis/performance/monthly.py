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

from workbench.analysis.performance.plan import format_metric, metric_label
from workbench.analysis.performance.traffic import describe_slots
from workbench.report.format import pct, signed_pct

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
        return f"{mom} MoM, {yoy} YoY"
    return f"{mom} on {month - 1:%B}, {yoy} on {month - 12:%B %Y}"


def _detectable(row: pd.Series) -> str:
    if row["scale"] == "log":
        return pct(row["detectable"])
    return format_metric(row["metric"], row["detectable"]).replace("%", " points")


def change_sentences(changes: pd.DataFrame) -> list[str]:
    """One sentence per unusual metric, one for everything not distinguishable from normal
    variation (with the smallest change the test could have detected), one for untested metrics."""
    out = []
    alpha = changes.attrs.get("alpha")
    for _, r in changes[changes["flag"]].iterrows():
        m = r["metric"]
        direction = "above" if r["value"] > r["expected"] else "below"
        gap = signed_pct(r["vs_expected"]) if r["scale"] == "log" else format_metric(m, r["vs_expected"])
        out.append(
            f"Unusual: {metric_label(m).lower()} {format_metric(m, r['value'])} is {gap} {direction} what the "
            f"trend and the season led to expect ({format_metric(m, r['expected'])}; normal range "
            f"{format_metric(m, r['lower'])} – {format_metric(m, r['upper'])})."
        )
    quiet = changes[~changes["flag"] & changes["p_value"].notna()]
    if len(quiet):
        names = ", ".join(metric_label(m).lower() for m in quiet["metric"])
        sizes = ", ".join(f"{_detectable(r)} in {metric_label(r['metric']).lower()}" for _, r in quiet.iterrows())
        months = int(quiet["history_months"].min())
        lead = "Every other metric" if len(out) else "Every metric"
        out.append(
            f"{lead} ({names}) is not distinguishable from normal variation (changes under {sizes} cannot be "
            f"detected with {months} months of history)."
        )
    untested = changes[changes["p_value"].isna() & changes["note"].str.startswith("not tested")]
    if len(untested):
        months = int(untested["history_months"].max())
        out.append(
            f"Not tested against normal variation: {', '.join(metric_label(m).lower() for m in untested['metric'])} "
            f"(only {months} months of history; two years are needed to tell a change from the season)."
        )
    if alpha is not None and changes["flag"].any():
        out.append(f"A metric is called unusual when nothing changed in {pct(alpha)} of months.")
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
        f"{r['campaign']} ({r['cost']:,.0f} {currency}, {r['clicks']:,.0f} clicks, conversion rate of clicks "
        f"{pct(r['conversions'] / r['clicks'] if r['clicks'] else np.nan, 1)})"
        for _, r in new.iterrows()
    )
    out = [
        f"Live this month but not a year ago: {listed} — the likely driver of the jumps in paid traffic and ad spend."
    ]
    others = live[live["campaign"].isin(year_ago["campaign"])]
    new_rate, old_rate = _rate(new), _rate(others) if len(others) else float("nan")
    if np.isfinite(new_rate) and np.isfinite(old_rate) and new_rate < old_rate:
        out.append(
            f"Its clicks convert at {pct(new_rate, 1)} against {pct(old_rate, 1)} for the always-on campaigns, "
            "so the extra visits pull the site-wide conversion rate down."
        )
    return out


def mover_sentences(movers: pd.DataFrame, month: pd.Period, min_change: float = 0.05) -> list[str]:
    """The biggest riser and faller by sessions; a move under `min_change` (5 %) is not news."""
    big = movers[movers["mom_change"].abs() >= min_change]
    out = []
    for direction, word in (("up", "riser"), ("down", "faller")):
        rows = big[big["direction"] == direction]
        if len(rows):
            r = rows.iloc[0]
            out.append(f"Biggest {word}: {r.iloc[0]} ({r['change']:+,} sessions, {signed_pct(r['mom_change'])}).")
    if not out:
        out.append(f"No source / medium moved by {pct(min_change)} or more against {month - 1:%B}.")
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
    start, end = window
    if best.empty:
        if best.attrs.get("no_difference"):
            return (
                f"No hour × weekday slot of {start:%B}–{end:%B} converts differently from the others beyond "
                f"chance (p = {best.attrs.get('difference_p', float('nan')):.2f}), so no best time is named."
            )
        return None
    pooled = float((best["rate_shrunk"] * best["n"]).sum() / best["n"].sum())
    text = (
        f"Best time to publish: {describe_slots(best)} — the {len(best)} best hour × weekday slots of "
        f"{start:%B}–{end:%B} convert about {pct(pooled, 1)} of visits against {pct(window_rate, 1)} overall"
    )
    if by_device is not None and len(by_device):
        dev = by_device.groupby("device").agg(lift=("lift", "mean")).sort_values("lift", ascending=False)
        dev = dev[dev["lift"] > min_lift]
        if len(dev):
            lead = dev.index[0]
            slots = describe_slots(by_device[by_device["device"] == lead])
            lift = dev.iloc[0]["lift"]
            text += f"; the lift is largest on {lead} (its best slots, {slots}, convert {lift:.1f}× the {lead} average)"
    return text + "."


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
    out.sentences.append(f"{month:%B %Y}: {cur['sessions']:,.0f} sessions ({_changes_text(ch, 'sessions', month)}).")
    if "revenue" in cur:
        text = f"Revenue {format_metric('revenue', cur['revenue'])} ({_changes_text(ch, 'revenue', month, 'short')})"
        if "orders" in cur:
            text += f" from {cur['orders']:,.0f} orders"
        if "conversion_rate" in cur:
            text += (
                f"; conversion rate {pct(cur['conversion_rate'], 2)} of sessions "
                f"({_changes_text(ch, 'conversion_rate', month, 'short')})"
            )
        out.sentences.append(text + ".")
    out.sentences += change_sentences(changes)
    if changes["flag"].any():
        out.sentences += new_campaign_sentences(live, year_ago_live)
    if len(by_source):
        top = by_source.iloc[0]
        out.sentences.append(f"Largest source: {top['source']} / {top['medium']} with {pct(top['share'])} of sessions.")
    out.sentences += mover_sentences(movers, month)
    if best is not None and best_window is not None:
        text = best_time_sentence(best, best_window, window_rate, by_device_slots)
        if text:
            out.sentences.append(text)
    out.tiles = _tiles(cur, ch, month)
    out.headline = {"Sessions": f"{cur['sessions']:,.0f} ({_changes_text(ch, 'sessions', month, 'short')})"}
    for key, name in (("conversion_rate", "Conversion rate"), ("revenue", "Revenue")):
        if key in cur:
            out.headline[name] = f"{format_metric(key, cur[key])} ({_changes_text(ch, key, month, 'short')})"
    out.headline["Unusual changes"] = int(changes["flag"].sum())
    return out
