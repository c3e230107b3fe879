"""The report's tables as text columns (numbers through `workbench.report.format`)."""

from __future__ import annotations

import pandas as pd

from workbench.analysis.budget.text import channel_name
from workbench.report.format import money, pct, ratio, signed_pct

__all__ = ["allocation_display", "contribution_display", "parameters_display", "plan_display"]

_GROUPS = {
    "base": "Base (level and trend)",
    "seasonality": "Seasonality",
    "holidays": "Public holidays",
    "controls": "Other controls",
}


def _label(c: str) -> str:
    return _GROUPS.get(c, channel_name(c))


def contribution_display(summary: pd.DataFrame, marginal: pd.DataFrame, currency: str, level: float) -> pd.DataFrame:
    """Component, contribution with interval, share, spend, ROAS and marginal ROAS with intervals."""
    m = marginal.set_index("channel")
    rows = []
    for _, r in summary.iterrows():
        is_ch = r["kind"] == "channel"
        rows.append(
            {
                "Component": _label(r["component"]),
                "Contribution": money(r["contribution"], currency),
                f"{level:.0%} interval": f"{money(r['lower'], currency)} – {money(r['upper'], currency)}",
                "Share of outcome": pct(r["share"], 1),
                "Spend": money(r["spend"], currency) if is_ch else "",
                "ROAS": f"{ratio(r['roas'])} ({ratio(r['roas_lower'])} – {ratio(r['roas_upper'])})" if is_ch else "",
                "Marginal ROAS": (
                    f"{ratio(m.loc[r['component'], 'marginal_roas'])} ({ratio(m.loc[r['component'], 'marginal_lower'])}"
                    f" – {ratio(m.loc[r['component'], 'marginal_upper'])})"
                    if is_ch
                    else ""
                ),
            }
        )
    return pd.DataFrame(rows)


def parameters_display(stability: pd.DataFrame) -> pd.DataFrame:
    """Channel × parameter: estimate (interval) and whether refits agree."""
    fmt = {
        "decay": lambda v: f"{v:.2f}",
        "weibull_shape": lambda v: f"{v:.2f}",
        "weibull_scale": lambda v: f"{v:.1f}",
        "hill_shape": lambda v: f"{v:.2f}",
        "half_saturation": money,
        "max_effect": money,
    }
    rows = []
    for ch, g in stability.groupby("channel", sort=False):
        row = {"Channel": channel_name(ch)}
        for _, r in g.iterrows():
            f = fmt.get(r["parameter"], lambda v: f"{v:.3g}")
            flag = " ⚠" if r["unstable"] else ""
            row[r["parameter"].replace("_", " ")] = f"{f(r['estimate'])} ({f(r['lower'])} – {f(r['upper'])}){flag}"
        rows.append(row)
    return pd.DataFrame(rows)


def allocation_display(table: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Channel, current split, recommended budget, change, expected outcome (interval), marginal ROAS."""
    return pd.DataFrame(
        {
            "Channel": table["channel"].map(channel_name),
            "Current split": table["current_split"].map(lambda v: money(v, currency)),
            "Recommended": table["optimal"].map(lambda v: money(v, currency)),
            "Change": table["change"].map(signed_pct),
            "Expected outcome (interval)": [
                f"{money(v)} ({money(lo)} – {money(hi)})"
                for v, lo, hi in zip(
                    table["outcome_optimal"], table["outcome_lower"], table["outcome_upper"], strict=True
                )
            ],
            "Marginal ROAS there": table["marginal_roas_optimal"].map(ratio),
        }
    )


def plan_display(plan: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Year × channel budgets of a multi-year plan (recommended split)."""
    wide = plan.pivot_table(index="channel", columns="year", values="optimal", sort=False)
    out = wide.map(lambda v: money(v, currency))
    out.index = [channel_name(c) for c in out.index]
    return out.reset_index(names="Channel")
