"""Tables of the post-mortem as a stakeholder reads them: human column labels, formatted cells.

Each function takes what an analysis function returned and gives back the frame the report
shows (and, where the display helper formats numbers, the formats to use), so the notebook only
calls and displays.
"""

from __future__ import annotations

import pandas as pd

from workbench.analysis.campaigns.attribution.comparison import MODEL_LABELS
from workbench.analysis.campaigns.attribution.markov import MarkovResult
from workbench.analysis.campaigns.breakdown import rate_with_interval
from workbench.analysis.campaigns.kpis import format_kpi
from workbench.report.format import EMPTY, pct, slot_label

__all__ = [
    "anomaly_table",
    "cpa_table",
    "funnel_view",
    "markov_caption",
    "markov_record",
    "attribution_wide",
    "best_device_table",
    "best_times_table",
    "email_table",
    "human_labels",
    "kpi_headline",
    "kpi_tile_specs",
    "markov_table",
    "pacing_table",
    "ranking_note",
]


def human_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """snake_case column names as words: 'engaged_sessions' -> 'Engaged sessions'."""
    return frame.rename(columns=lambda col: str(col).replace("_", " ").capitalize())


_TILES = (("Spend", "cost"), ("Conversions", "conversions"), ("Revenue", "revenue"), ("CPA", "cpa"), ("ROAS", "roas"))
_STATUS = {"on track": "good", "on plan": "good", "at risk": "warn", "off track": "bad"}


def kpi_tile_specs(kpis: dict, kpi_table: pd.DataFrame, currency: str = "") -> list[dict]:
    """Tiles for `workbench.report.kpi_tiles`: value, target note and status colour per headline KPI."""
    rows = kpi_table.set_index("kpi")
    tiles = []
    for label, k in (*_TILES, ("CTR", "ctr")):
        target = rows.loc[k, "target"]
        tiles.append(
            {
                "label": label,
                "value": format_kpi(k, kpis[k], currency) or EMPTY,
                "note": f"target {format_kpi(k, target, currency)}" if pd.notna(target) else None,
                "status": _STATUS.get(rows.loc[k, "status"], ""),
            }
        )
    return tiles


def kpi_headline(kpis: dict, kpi_table: pd.DataFrame, currency: str = "") -> dict[str, str]:
    """Spend, ROAS, CPA and conversions with their variance against plan, for the index."""
    rows = kpi_table.set_index("kpi")
    out = {}
    for label, k in (("Spend", "cost"), ("ROAS", "roas"), ("CPA", "cpa"), ("Conversions", "conversions")):
        value, target = kpis[k], rows.loc[k, "target"]
        text = format_kpi(k, value, currency) or EMPTY
        if pd.notna(target) and target and pd.notna(value):
            text += f" ({value / target - 1:+.1%} vs plan)"
        out[label] = text
    return out


def pacing_table(pacing: pd.DataFrame, currency: str = "") -> tuple[pd.DataFrame, dict[str, str]]:
    """The pacing summary with readable columns, and the formats for `table`."""
    labels = {
        "channel": "Channel",
        "budget": f"Budget ({currency})" if currency else "Budget",
        "planned_to_date": "Planned to date",
        "spent": "Spent",
        "pacing": "Pacing",
        "run_rate": "Daily run rate",
        "projected": "Projected at end",
        "projected_vs_budget": "Projected vs budget",
        "overspend": "Over (+) / under (−)",
        "status": "Status",
    }
    money = "{:,.0f}"
    formats = {labels[k]: money for k in ("budget", "planned_to_date", "spent", "run_rate", "projected")}
    formats.update({"Pacing": "{:.0%}", "Projected vs budget": "{:.0%}", "Over (+) / under (−)": "{:+,.0f}"})
    return pacing[list(labels)].rename(columns=labels), formats


def markov_table(markov: MarkovResult) -> pd.DataFrame:
    """Removal effect (share of conversions lost without the channel) and the Markov credit."""
    c = markov.credit.sort_values("removal_effect", ascending=False)
    return pd.DataFrame(
        {
            "Channel": c["channel"].to_numpy(),
            "Removal effect": [pct(v, 1) for v in c["removal_effect"]],
            "Conversions credited": [f"{v:,.2f}" for v in c["conversions"]],
            "Value credited": [f"{v:,.2f}" for v in c["value"]],
        }
    )


def attribution_wide(credit: pd.DataFrame, values: str = "conversions") -> pd.DataFrame:
    """One row per channel, one column per model (in MODEL_LABELS order), largest first."""
    w = credit.pivot_table(index="channel", columns="model", values=values, aggfunc="sum")
    w = w[[m for m in MODEL_LABELS if m in w.columns]].rename(columns=MODEL_LABELS)
    w.columns.name = None
    return w.sort_values(w.columns[0], ascending=False).reset_index().rename(columns={"channel": "Channel"})


def best_times_table(best: pd.DataFrame, what: str) -> pd.DataFrame:
    """The best slots with their raw rate, interval and the shrunk rate used for ranking."""
    out = pd.DataFrame(
        {
            "Slot": [slot_label(d, h) for d, h in zip(best["weekday_name"], best["hour"], strict=True)],
            what.capitalize(): [f"{n:,.0f}" for n in best["n"]],
        }
    )
    if "rate" in best.columns:
        out["Conversions"] = [f"{n:,.0f}" for n in best["successes"]]
        out["Conversion rate (95% CI)"] = [
            rate_with_interval(*v, digits=1)
            for v in zip(best["rate"], best["rate_low"], best["rate_high"], strict=True)
        ]
        if "rate_shrunk" in best.columns:
            out["Shrunk rate (ranking)"] = [pct(v, 1) for v in best["rate_shrunk"]]
    return out


def best_device_table(by_device: pd.DataFrame, what: str) -> pd.DataFrame:
    """Each device's best slot, its rate with interval, the shrunk rate and the device's overall rate."""
    b = by_device
    return pd.DataFrame(
        {
            "Device": b["device"].to_numpy(),
            "Best slot": [slot_label(d, h) for d, h in zip(b["weekday_name"], b["hour"], strict=True)],
            what.capitalize(): [f"{n:,.0f}" for n in b["n"]],
            "Conversion rate (95% CI)": [
                rate_with_interval(*v, digits=1) for v in zip(b["rate"], b["rate_low"], b["rate_high"], strict=True)
            ],
            "Shrunk rate": [pct(v, 1) for v in b["rate_shrunk"]],
            "Device overall": [pct(v, 1) for v in b["group_rate"]],
        }
    )


def anomaly_table(flags: pd.DataFrame) -> pd.DataFrame:
    """Days flagged by robust_anomalies, readable."""
    odd = flags[flags["anomaly"]].reset_index()
    return pd.DataFrame(
        {
            "Day": odd["date"].dt.strftime("%a %d %b %Y").to_numpy(),
            "Clicks": [f"{v:,.0f}" for v in odd["value"]],
            "Median day": [f"{v:,.0f}" for v in odd["median"]],
            "Robust z": [f"{v:+.1f}" for v in odd["robust_z"]],
            "Direction": odd["direction"].to_numpy(),
        }
    )


_EMAIL = {
    "campaign": "Send",
    "sent_at": "Sent",
    "delivered": "Delivered",
    "delivery_rate": "Delivery",
    "open_rate": "Open",
    "click_rate": "Click",
    "click_to_open": "Click-to-open",
    "unsubscribe_rate": "Unsub.",
    "complaint_rate": "Complaints",
    "conversions": "Conv.",
    "revenue": "Revenue",
    "revenue_per_email": "Revenue per e-mail",
}


def email_table(email: pd.DataFrame, currency: str = "") -> tuple[pd.DataFrame, dict[str, str]]:
    """E-mail sends with readable columns (send time as '05 Sep 10:00'), and their formats."""
    shown = email[[k for k in _EMAIL if k in email.columns]].copy()
    shown["sent_at"] = [
        s.strftime("%d\u00a0%b %H:%M") if pd.notna(s) else "" for s in pd.to_datetime(shown["sent_at"], errors="coerce")
    ]
    labels = dict(_EMAIL, revenue=f"Revenue ({currency})" if currency else "Revenue")
    rates = ("delivery_rate", "open_rate", "click_rate", "click_to_open", "unsubscribe_rate", "complaint_rate")
    formats = {labels[c]: "{:.2%}" for c in rates}
    formats.update(
        {"Delivered": "{:,.0f}", "Conv.": "{:,.0f}", "Revenue per e-mail": "{:,.2f}", labels["revenue"]: "{:,.0f}"}
    )
    return shown.rename(columns=labels), formats


def ranking_note(best: pd.DataFrame, what: str) -> str | None:
    """How the shrunk ranking was made (prior strength, minimum slot size), when it was."""
    if "prior_a" not in best.attrs:
        return None
    a, b = best.attrs["prior_a"], best.attrs["prior_b"]
    return (
        f"Overall rate {a / (a + b):.1%}; the prior counts for {a + b:,.0f} {what}, so a slot with that many is "
        f"pulled halfway towards it. Minimum slot size: {best.attrs['min_n_used']:,.0f} {what}."
    )


def cpa_table(channel_cpa: pd.DataFrame, currency: str = "") -> tuple[pd.DataFrame, dict[str, str]]:
    """CPA per channel against plan with readable columns, and their formats."""
    unit = f" ({currency})" if currency else ""
    cols = {
        "channel": "Channel",
        "conversions": "Conversions",
        "cpa": f"CPA{unit}",
        "cpa_target": f"Planned CPA{unit}",
        "variance_pct": "CPA vs plan",
    }
    formats = {
        "Conversions": "{:,.0f}",
        f"CPA{unit}": "{:,.0f}",
        f"Planned CPA{unit}": "{:,.0f}",
        "CPA vs plan": "{:+.0%}",
    }
    return channel_cpa.rename(columns=cols), formats


def funnel_view(funnel: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The funnel table with readable columns, and their formats."""
    labels = {
        "step": "Step",
        "count": "Count",
        "rate_from_previous": "Kept from previous step",
        "drop_off": "Drop-off",
        "rate_from_first": "Share of impressions",
    }
    formats = {
        "Count": "{:,.0f}",
        "Kept from previous step": "{:.2%}",
        "Drop-off": "{:.1%}",
        "Share of impressions": "{:.3%}",
    }
    return funnel.rename(columns=labels), formats


def markov_record(markov: MarkovResult) -> dict:
    """What results.json keeps of the Markov model: P(conversion) and every removal effect."""
    return {
        "order": markov.order,
        "conversion_probability": markov.conversion_probability,
        "observed_conversion_rate": markov.observed_conversion_rate,
        "removal_effects": markov.credit,
    }


def markov_caption(markov: MarkovResult) -> str:
    """Caption of the removal-effect table, with the chain's P(conversion)."""
    return (
        f"Removal effects: share of conversions lost without each channel. Markov chain P(conversion) "
        f"{markov.conversion_probability:.4f} (observed conversion rate {markov.observed_conversion_rate:.4f})"
    )
