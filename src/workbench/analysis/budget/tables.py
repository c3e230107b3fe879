"""The report's tables as text columns in the current language (numbers through `workbench.report.format`)."""

from __future__ import annotations

import pandas as pd

from workbench.analysis.budget.text import attribution_verdict, channel_name, component_name, parameter_name
from workbench.analysis.campaigns.views import model_label
from workbench.i18n import _
from workbench.report.format import interval, localize, money, pct, ratio, signed_pct

__all__ = ["allocation_display", "attribution_display", "contribution_display", "parameters_display", "plan_display"]


def _with_interval(mid: str, lo: str, hi: str) -> str:
    return f"{mid} ({interval(lo, hi)})"


def contribution_display(summary: pd.DataFrame, marginal: pd.DataFrame, currency: str, level: float) -> pd.DataFrame:
    """Component, contribution with interval, share, spend, ROAS and marginal ROAS with intervals."""
    m = marginal.set_index("channel")
    cols = {
        "component": _("Component"),
        "contribution": _("Contribution"),
        "interval": _("{level} interval").format(level=pct(level)),
        "share": _("Share of outcome"),
        "spend": _("Spend"),
        "roas": _("ROAS"),
        "marginal": _("Marginal ROAS"),
    }
    rows = []
    for _i, r in summary.iterrows():
        is_ch = r["kind"] == "channel"
        mr = m.loc[r["component"]] if is_ch else None
        rows.append(
            {
                cols["component"]: component_name(r["component"]),
                cols["contribution"]: money(r["contribution"], currency),
                cols["interval"]: interval(money(r["lower"], currency), money(r["upper"], currency)),
                cols["share"]: pct(r["share"], 1),
                cols["spend"]: money(r["spend"], currency) if is_ch else "",
                cols["roas"]: _with_interval(ratio(r["roas"]), ratio(r["roas_lower"]), ratio(r["roas_upper"]))
                if is_ch
                else "",
                cols["marginal"]: _with_interval(
                    ratio(mr["marginal_roas"]), ratio(mr["marginal_lower"]), ratio(mr["marginal_upper"])
                )
                if is_ch
                else "",
            }
        )
    return pd.DataFrame(rows)


def parameters_display(stability: pd.DataFrame) -> pd.DataFrame:
    """Channel × parameter: estimate (interval); ⚠ where refits disagree or the data cannot identify it."""

    def fixed(digits: int):
        return lambda v: localize(f"{v:.{digits}f}")

    fmt = {
        "decay": fixed(2),
        "weibull_shape": fixed(2),
        "weibull_scale": fixed(1),
        "hill_shape": fixed(2),
        "half_saturation": money,
        "max_effect": money,
    }
    rows = []
    for ch, g in stability.groupby("channel", sort=False):
        row = {_("Channel"): channel_name(ch)}
        for _i, r in g.iterrows():
            f = fmt.get(r["parameter"], lambda v: localize(f"{v:.3g}"))
            flag = " ⚠" if r["unstable"] or not r.get("identified", True) else ""
            row[parameter_name(r["parameter"])] = _with_interval(f(r["estimate"]), f(r["lower"]), f(r["upper"])) + flag
        rows.append(row)
    return pd.DataFrame(rows)


def allocation_display(table: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Channel, current split, recommended budget, change, expected outcome (interval), marginal ROAS."""
    return pd.DataFrame(
        {
            _("Channel"): table["channel"].map(channel_name),
            _("Current split"): table["current_split"].map(lambda v: money(v, currency)),
            _("Recommended"): table["optimal"].map(lambda v: money(v, currency)),
            _("Change"): table["change"].map(signed_pct),
            _("Expected outcome (interval)"): [
                _with_interval(money(v), money(lo), money(hi))
                for v, lo, hi in zip(
                    table["outcome_optimal"], table["outcome_lower"], table["outcome_upper"], strict=True
                )
            ],
            _("Marginal ROAS there"): table["marginal_roas_optimal"].map(ratio),
        }
    )


def plan_display(plan: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Year × channel budgets of a multi-year plan (recommended split)."""
    wide = plan.pivot_table(index="channel", columns="year", values="optimal", sort=False)
    out = wide.map(lambda v: money(v, currency))
    out.columns.name = None  # years head the columns; no stray "year" label above the channel column
    out.index = [channel_name(c) for c in out.index]
    return out.reset_index(names=_("Channel"))


def attribution_display(comparison: pd.DataFrame, level: float) -> pd.DataFrame:
    """Channel, attribution model, attribution share, the model's share with its interval, verdict."""
    cols = {
        "channel": _("Channel"),
        "model": _("Attribution model"),
        "attribution": _("Attribution share"),
        "mmm": _("Share in the model"),
        "interval": _("{level} interval").format(level=pct(level)),
        "verdict": _("Verdict"),
    }
    rows = [
        {
            cols["channel"]: channel_name(r["channel"]),
            cols["model"]: model_label(r["model"]),
            cols["attribution"]: pct(r["attribution_share"], 1, empty=""),
            cols["mmm"]: pct(r["mmm_share"], 1, empty=""),
            cols["interval"]: interval(pct(r["mmm_lower"], 1), pct(r["mmm_upper"], 1))
            if pd.notna(r["mmm_lower"])
            else "",
            cols["verdict"]: attribution_verdict(r["verdict"]),
        }
        for _i, r in comparison.iterrows()
    ]
    return pd.DataFrame(rows)
