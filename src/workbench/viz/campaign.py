"""Charts of the campaign post-mortem: data in, matplotlib Figure out."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbench.i18n import _, pgettext
from workbench.report.format import localize, localize_formatted
from workbench.viz.theme import PALETTE

__all__ = [
    "attribution_chart",
    "daily_trend_chart",
    "funnel_chart",
    "hour_weekday_heatmap",
    "pacing_chart",
    "rate_interval_chart",
]


def pacing_chart(daily: pd.DataFrame, currency: str = "", summary: pd.DataFrame | None = None) -> Figure:
    """Cumulative planned (dashed) vs actual (solid) spend per channel over the flight; with a
    pacing summary of a flight still running, a dotted line from the last actual day to the
    projected spend at the flight's end. Every line has its own legend entry in its own colour
    and style, so the legend matches what is drawn."""
    fig, ax = plt.subplots(figsize=(9, 4.8))
    proj = summary.set_index("channel") if summary is not None and len(summary) else None
    projected_any = False
    for i, (ch, g) in enumerate(daily.groupby("channel", sort=True)):
        color = PALETTE[i % len(PALETTE)]
        ax.plot(g["date"], g["actual_cum"], color=color, label=_("{channel} actual").format(channel=ch))
        plan = _("{channel} plan").format(channel=ch)
        ax.plot(g["date"], g["planned_cum"], color=color, linestyle="--", alpha=0.7, label=plan)
        known = g.dropna(subset=["actual_cum"])
        if proj is not None and ch in proj.index and len(known) and len(known) < len(g):
            ax.plot(
                [known["date"].iloc[-1], g["date"].iloc[-1]],
                [known["actual_cum"].iloc[-1], proj.loc[ch, "projected"]],
                color=color,
                linestyle=":",
                linewidth=1.5,
                label=_("{channel} projected").format(channel=ch),
            )
            projected_any = True
    if projected_any:
        ax.set_title(_("Cumulative spend: actual (solid) vs plan (dashed), projected (dotted)"))
    else:
        ax.set_title(_("Cumulative spend: actual (solid) vs plan (dashed)"))
    from workbench.report.format import currency_symbol

    unit = currency_symbol(currency)
    ax.set_ylabel(_("cumulative spend ({currency})").format(currency=unit) if currency else _("cumulative spend"))
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: localize(f"{v:,.0f}")))
    ax.legend(fontsize=7, ncol=3 if projected_any else 2)
    fig.autofmt_xdate()
    return fig


def rate_interval_chart(frame: pd.DataFrame, label_col: str, rate: str, title: str) -> Figure:
    """Horizontal dots with Wilson intervals (columns rate, rate_low, rate_high)."""
    f = frame.dropna(subset=[rate]).sort_values(rate)
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.35 * len(f) + 1)))
    y = np.arange(len(f))
    ax.errorbar(
        f[rate],
        y,
        xerr=[f[rate] - f[f"{rate}_low"], f[f"{rate}_high"] - f[rate]],
        fmt="o",
        color=PALETTE[0],
        ecolor=PALETTE[7],
        capsize=3,
    )
    ax.set_yticks(y, f[label_col].astype(str))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: localize_formatted(f"{v:.1%}")))
    ax.set_title(title)
    return fig


def funnel_chart(funnel: pd.DataFrame) -> Figure:
    """Bars of each step's count (log scale) labelled with the share kept from the previous step."""
    from workbench.analysis.campaigns.views import step_name

    fig, ax = plt.subplots(figsize=(9, 3.8))
    ax.bar([step_name(s) for s in funnel["step"]], funnel["count"], color=PALETTE[0])
    ax.set_yscale("log")
    for i, r in funnel.reset_index(drop=True).iterrows():
        if i > 0 and pd.notna(r["rate_from_previous"]):
            kept = localize_formatted(f"{r['rate_from_previous']:.1%}")
            ax.annotate(kept, (i, r["count"]), ha="center", va="bottom", fontsize=9)
    ax.set_title(_("Funnel (log scale); labels: share kept from the previous step"))
    ax.set_ylabel(_("count (log scale)"))
    return fig


def attribution_chart(credit: pd.DataFrame, labels: dict | None = None) -> Figure:
    """Grouped bars: conversions credited per channel under each model."""
    piv = credit.pivot_table(index="channel", columns="model", values="conversions", aggfunc="sum").fillna(0)
    piv = piv.loc[piv.sum(axis=1).sort_values(ascending=False).index]
    if labels:  # the labels' order (rule-based models first, data-driven last), not the alphabet
        piv = piv[[m for m in labels if m in piv.columns] + [m for m in piv.columns if m not in labels]]
        piv = piv.rename(columns=labels)
    fig, ax = plt.subplots(figsize=(10, 4.8))
    piv.plot.bar(
        ax=ax, color=PALETTE[: len(piv.columns)] + PALETTE[: max(0, len(piv.columns) - len(PALETTE))], width=0.85
    )
    ax.set_ylabel(_("conversions credited"))
    ax.set_xlabel("")
    ax.set_title(_("Conversions credited per channel, by attribution model"))
    ax.legend(fontsize=8, ncol=2)
    return fig


def hour_weekday_heatmap(table: pd.DataFrame, value: str = "rate", title: str = "") -> Figure:
    """Weekday × hour heatmap of a column of an hour_weekday_table."""
    import seaborn as sns

    grid = table.pivot_table(index="weekday_name", columns="hour", values=value, aggfunc="sum")
    order = [
        d for d in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] if d in grid.index
    ]
    from workbench.analysis.performance.traffic import weekday_abbr

    grid = grid.reindex(order)
    grid.index = [weekday_abbr(d) for d in grid.index]
    fig, ax = plt.subplots(figsize=(10, 3.6))
    is_rate = value.startswith("rate")
    cbar = {"shrink": 0.8, "label": pgettext("chart axis", "conversion rate") if is_rate else value}
    if is_rate:
        cbar["format"] = plt.FuncFormatter(lambda v, _pos: localize_formatted(f"{v:.0%}"))
    sns.heatmap(grid, ax=ax, cmap="Blues", cbar_kws=cbar)
    ax.set_xlabel(_("hour of day"))
    ax.set_ylabel("")
    ax.set_title(title or value)
    return fig


def daily_trend_chart(anomalies: pd.DataFrame, title: str, ylabel: str = "") -> Figure:
    """Daily values with robust-z anomalies marked (frame from robust_anomalies, date index)."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    ax.plot(anomalies.index, anomalies["value"], color=PALETTE[0])
    ax.plot(anomalies.index, anomalies["median"], color=PALETTE[7], linestyle="--", linewidth=1)
    hits = anomalies[anomalies["anomaly"]]
    ax.scatter(hits.index, hits["value"], color=PALETTE[1], zorder=3, label=pgettext("chart legend", "anomaly"))
    if len(hits):
        ax.legend()
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    fig.autofmt_xdate()
    return fig
