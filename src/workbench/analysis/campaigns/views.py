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
from workbench.analysis.campaigns.kpis import format_kpi, status_name
from workbench.analysis.campaigns.text import timing_what
from workbench.analysis.performance.labels import device_name
from workbench.analysis.performance.traffic import weekday_abbr
from workbench.i18n import _, pgettext
from workbench.report.format import (
    EMPTY,
    currency_symbol,
    date_pattern,
    grouped,
    localize,
    localize_formatted,
    pct,
    slot_label,
)

__all__ = [
    "anomaly_table",
    "cpa_table",
    "funnel_by_view",
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
    "model_label",
    "model_labels",
    "step_name",
    "markov_table",
    "pacing_table",
    "ranking_note",
]


def human_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """snake_case column names as words: 'engaged_sessions' -> 'Engaged sessions'."""
    return frame.rename(columns=lambda col: str(col).replace("_", " ").capitalize())


_STATUS = {"on track": "good", "on plan": "good", "at risk": "warn", "off track": "bad"}


def _tile_label(kpi: str) -> str:
    names = {
        "cost": _("Spend"),
        "conversions": _("Conversions"),
        "revenue": _("Revenue"),
        "cpa": "CPA",
        "roas": "ROAS",
        "ctr": "CTR",
    }
    return names[kpi]


def kpi_tile_specs(kpis: dict, kpi_table: pd.DataFrame, currency: str = "") -> list[dict]:
    """Tiles for `workbench.report.kpi_tiles`: value, target note and status colour per headline KPI."""
    rows = kpi_table.set_index("kpi")
    tiles = []
    for k in ("cost", "conversions", "revenue", "cpa", "roas", "ctr"):
        target = rows.loc[k, "target"]
        note = _("target {value}").format(value=format_kpi(k, target, currency))
        tiles.append(
            {
                "label": _tile_label(k),
                "value": format_kpi(k, kpis[k], currency) or EMPTY,
                "note": note if pd.notna(target) else None,
                "status": _STATUS.get(rows.loc[k, "status"], ""),
            }
        )
    return tiles


def kpi_headline(kpis: dict, kpi_table: pd.DataFrame, currency: str = "") -> dict[str, str]:
    """Spend, ROAS, CPA and conversions with their variance against plan, for the index."""
    rows = kpi_table.set_index("kpi")
    out = {}
    for k in ("cost", "roas", "cpa", "conversions"):
        value, target = kpis[k], rows.loc[k, "target"]
        text = format_kpi(k, value, currency) or EMPTY
        if pd.notna(target) and target and pd.notna(value):
            change = localize_formatted(f"{value / target - 1:+.1%}")
            text = _("{value} ({change} vs plan)").format(value=text, change=change)
        out[_tile_label(k)] = text
    return out


def pacing_table(pacing: pd.DataFrame, currency: str = "") -> tuple[pd.DataFrame, dict[str, str]]:
    """The pacing summary with readable columns, and the formats for `table`."""
    labels = {
        "channel": _("Channel"),
        "budget": _("Budget ({currency})").format(currency=currency_symbol(currency)) if currency else _("Budget"),
        "planned_to_date": _("Planned to date"),
        "spent": _("Spent"),
        "pacing": _("Pacing"),
        "run_rate": _("Daily run rate"),
        "projected": _("Projected at end"),
        "projected_vs_budget": _("Projected vs budget"),
        "overspend": _("Over (+) / under (−)"),
        "status": _("Status"),
    }
    money = "{:,.0f}"
    formats = {labels[k]: money for k in ("budget", "planned_to_date", "spent", "run_rate", "projected")}
    formats.update(
        {labels["pacing"]: "{:.0%}", labels["projected_vs_budget"]: "{:.0%}", labels["overspend"]: "{:+,.0f}"}
    )
    shown = pacing[list(labels)].assign(status=[status_name(v) for v in pacing["status"]])
    return shown.rename(columns=labels), formats


def markov_table(markov: MarkovResult) -> pd.DataFrame:
    """Removal effect (share of conversions lost without the channel) and the Markov credit."""
    c = markov.credit.sort_values("removal_effect", ascending=False)
    return pd.DataFrame(
        {
            _("Channel"): c["channel"].to_numpy(),
            _("Removal effect"): [pct(v, 1) for v in c["removal_effect"]],
            _("Conversions credited"): [grouped(v, 2) for v in c["conversions"]],
            _("Value credited"): [grouped(v, 2) for v in c["value"]],
        }
    )


def attribution_wide(credit: pd.DataFrame, values: str = "conversions") -> pd.DataFrame:
    """One row per channel, one column per model (in MODEL_LABELS order), largest first."""
    w = credit.pivot_table(index="channel", columns="model", values=values, aggfunc="sum")
    w = w[[m for m in MODEL_LABELS if m in w.columns]].rename(columns=model_label)
    w.columns.name = None
    return w.sort_values(w.columns[0], ascending=False).reset_index().rename(columns={"channel": _("Channel")})


def best_times_table(best: pd.DataFrame, what: str) -> pd.DataFrame:
    """The best slots with their raw rate, interval and the shrunk rate used for ranking."""
    out = pd.DataFrame(
        {
            _("Slot"): [_slot(d, h) for d, h in zip(best["weekday_name"], best["hour"], strict=True)],
            timing_what(what, "column"): [grouped(n) for n in best["n"]],
        }
    )
    if "rate" in best.columns:
        out[_("Conversions")] = [grouped(n) for n in best["successes"]]
        out[_("Conversion rate ({level} CI)").format(level=pct(0.95))] = [
            rate_with_interval(*v, digits=1)
            for v in zip(best["rate"], best["rate_low"], best["rate_high"], strict=True)
        ]
        if "rate_shrunk" in best.columns:
            out[_("Shrunk rate (ranking)")] = [pct(v, 1) for v in best["rate_shrunk"]]
    return out


def best_device_table(by_device: pd.DataFrame, what: str) -> pd.DataFrame:
    """Each device's best slot, its rate with interval, the shrunk rate and the device's overall rate."""
    b = by_device
    return pd.DataFrame(
        {
            _("Device"): [device_name(d) for d in b["device"]],
            _("Best slot"): [_slot(d, h) for d, h in zip(b["weekday_name"], b["hour"], strict=True)],
            timing_what(what, "column"): [grouped(n) for n in b["n"]],
            _("Conversion rate ({level} CI)").format(level=pct(0.95)): [
                rate_with_interval(*v, digits=1) for v in zip(b["rate"], b["rate_low"], b["rate_high"], strict=True)
            ],
            _("Shrunk rate"): [pct(v, 1) for v in b["rate_shrunk"]],
            _("Device overall"): [pct(v, 1) for v in b["group_rate"]],
        }
    )


def anomaly_table(flags: pd.DataFrame) -> pd.DataFrame:
    """Days flagged by robust_anomalies, readable."""
    odd = flags[flags["anomaly"]].reset_index()
    return pd.DataFrame(
        {
            _("Day"): [date_pattern(d, "EEE dd MMM y") for d in odd["date"]],
            _("Clicks"): [grouped(v) for v in odd["value"]],
            _("Median day"): [grouped(v) for v in odd["median"]],
            _("Robust z"): [localize(f"{v:+.1f}") for v in odd["robust_z"]],
            _("Direction"): [_direction(d) for d in odd["direction"]],
        }
    )


def _email_labels() -> dict[str, str]:
    return {
        "campaign": _("Send"),
        "sent_at": _("Sent"),
        "delivered": _("Delivered"),
        "delivery_rate": _("Delivery"),
        "open_rate": _("Open"),
        "click_rate": _("Click"),
        "click_to_open": _("Click-to-open"),
        "unsubscribe_rate": _("Unsub."),
        "complaint_rate": _("Complaints"),
        "conversions": _("Conv."),
        "revenue": _("Revenue"),
        "revenue_per_email": _("Revenue per e-mail"),
    }


def email_table(email: pd.DataFrame, currency: str = "") -> tuple[pd.DataFrame, dict[str, str]]:
    """E-mail sends with readable columns (send time as '05 Sep 10:00'), and their formats."""
    base = _email_labels()
    shown = email[[k for k in base if k in email.columns]].copy()
    shown["sent_at"] = [
        date_pattern(s, "dd\u00a0MMM HH:mm") if pd.notna(s) else ""
        for s in pd.to_datetime(shown["sent_at"], errors="coerce")
    ]
    if "campaign" in shown.columns:  # the pooled row's name is the report's; send names are the user's
        shown["campaign"] = [_("All sends") if c == "All sends" else c for c in shown["campaign"]]
    revenue = _("Revenue ({currency})").format(currency=currency_symbol(currency)) if currency else _("Revenue")
    labels = dict(base, revenue=revenue)
    rates = ("delivery_rate", "open_rate", "click_rate", "click_to_open", "unsubscribe_rate", "complaint_rate")
    formats = {labels[c]: "{:.2%}" for c in rates}
    formats.update(
        {
            labels["delivered"]: "{:,.0f}",
            labels["conversions"]: "{:,.0f}",
            labels["revenue_per_email"]: "{:,.2f}",
            labels["revenue"]: "{:,.0f}",
        }
    )
    return shown.rename(columns=labels), formats


def ranking_note(best: pd.DataFrame, what: str) -> str | None:
    """How the shrunk ranking was made (prior strength, minimum slot size), when it was."""
    if "prior_a" not in best.attrs:
        return None
    a, b = best.attrs["prior_a"], best.attrs["prior_b"]
    return _(
        "Overall rate {rate}; the prior counts for {prior} {what}, so a slot with that many is pulled halfway "
        "towards it. Minimum slot size: {min_n} {what}."
    ).format(
        rate=pct(a / (a + b), 1), prior=grouped(a + b), what=timing_what(what), min_n=grouped(best.attrs["min_n_used"])
    )


def cpa_table(channel_cpa: pd.DataFrame, currency: str = "") -> tuple[pd.DataFrame, dict[str, str]]:
    """CPA per channel against plan with readable columns, and their formats."""
    unit = f" ({currency_symbol(currency)})" if currency else ""
    cols = {
        "channel": _("Channel"),
        "conversions": _("Conversions"),
        "cpa": f"CPA{unit}",
        "cpa_target": _("Planned CPA{unit}").format(unit=unit),
        "variance_pct": _("CPA vs plan"),
    }
    formats = {cols["conversions"]: "{:,.0f}", cols["cpa"]: "{:,.0f}", cols["cpa_target"]: "{:,.0f}"}
    formats[cols["variance_pct"]] = "{:+.0%}"
    return channel_cpa.rename(columns=cols), formats


def funnel_view(funnel: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The funnel table with readable columns, and their formats."""
    labels = {
        "step": _("Step"),
        "count": _("Count"),
        "rate_from_previous": _("Kept from previous step"),
        "drop_off": _("Drop-off"),
        "rate_from_first": _("Share of impressions"),
    }
    formats = {
        labels["count"]: "{:,.0f}",
        labels["rate_from_previous"]: "{:.2%}",
        labels["drop_off"]: "{:.1%}",
        labels["rate_from_first"]: "{:.3%}",
    }
    shown = funnel.assign(step=[step_name(s) for s in funnel["step"]])
    return shown.rename(columns=labels), formats


def step_name(step: str) -> str:
    """A funnel step (funnels.campaign_funnel_steps) as the table and the chart name it."""
    names = {
        "impressions": pgettext("funnel step", "impressions"),
        "clicks": pgettext("funnel step", "clicks"),
        "sessions": pgettext("funnel step", "sessions"),
        "engaged sessions": pgettext("funnel step", "engaged sessions"),
        "engaged_sessions": pgettext("funnel step", "engaged sessions"),
        "conversions": pgettext("funnel step", "conversions"),
    }
    return names.get(str(step), str(step))


def funnel_by_view(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """funnels.funnel_by with readable columns (devices named in the report's language), and the count formats."""
    labels = {
        "channel": _("Channel"),
        "device": _("Device"),
        "impressions": _("Impressions"),
        "clicks": _("Clicks"),
        "sessions": _("Sessions"),
        "engaged_sessions": _("Engaged sessions"),
        "conversions": _("Conversions"),
    }
    shown = frame.copy()
    if "device" in shown.columns:
        shown["device"] = [device_name(d) for d in shown["device"]]
    shown = shown.rename(columns=lambda c: labels.get(str(c), str(c).replace("_", " ").capitalize()))
    counts = [labels[k] for k in ("impressions", "clicks", "sessions", "engaged_sessions", "conversions")]
    return shown, dict.fromkeys(counts, "{:,.0f}")


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
    return _(
        "Removal effects: share of conversions lost without each channel. Markov chain P(conversion) {p} "
        "(observed conversion rate {observed})"
    ).format(
        p=localize(f"{markov.conversion_probability:.4f}"), observed=localize(f"{markov.observed_conversion_rate:.4f}")
    )


def model_label(model: str) -> str:
    """An attribution model (MODEL_LABELS key) as the tables, the chart and the captions name it."""
    names = {
        "first_touch": pgettext("attribution model", "First touch"),
        "last_touch": pgettext("attribution model", "Last touch"),
        "linear": pgettext("attribution model", "Linear"),
        "time_decay": pgettext("attribution model", "Time decay"),
        "position_based": pgettext("attribution model", "Position-based (40/20/40)"),
        "markov": pgettext("attribution model", "Markov (data-driven)"),
        "shapley": pgettext("attribution model", "Shapley (equal split per journey)"),
        "shapley_rate": pgettext("attribution model", "Shapley (conversion rates)"),
    }
    return names.get(model, MODEL_LABELS.get(model, model))


def model_labels() -> dict[str, str]:
    """Every attribution model's name in the report's language, in MODEL_LABELS order (for the chart)."""
    return {m: model_label(m) for m in MODEL_LABELS}


def _slot(weekday_name: str, hour: int) -> str:
    return slot_label(weekday_abbr(str(weekday_name)), hour)


def _direction(direction: str) -> str:
    names = {"high": pgettext("anomaly", "high"), "low": pgettext("anomaly", "low")}
    return names.get(direction, direction)
