"""Charts of the content report: decay curves, publication-slot heatmap, demand trends, seasonality.
Data in, Figure out."""

from __future__ import annotations

import datetime as dt

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from workbench.analysis.performance.traffic import weekday_abbr
from workbench.i18n import _, pgettext
from workbench.report.format import compact, date_pattern
from workbench.viz.theme import PALETTE

__all__ = ["decay_chart", "demand_chart", "seasonality_heatmap", "slot_heatmap"]


def decay_chart(daily: pd.DataFrame, title: str, days: int = 90) -> Figure:
    """Daily views by days since publication, one line per item; `daily` has columns label, age, views."""
    fig, ax = plt.subplots(figsize=(9, 4))
    for (label, g), color in zip(daily.groupby("label", sort=False), PALETTE, strict=False):
        g = g[g["age"] < days].sort_values("age")
        ax.plot(g["age"], g["views"], color=color, label=str(label), lw=1.8)
    ax.set(title=title, xlabel=_("days since publication"), ylabel=_("views per day"))
    ax.set_yscale("symlog", linthresh=10)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: compact(v)))
    ax.legend(frameon=False)
    return fig


def slot_heatmap(slots: pd.DataFrame, title: str, value: str = "rate") -> Figure:
    """Weekday × hour heatmap of `value` (e.g. engagement rate) from an hour_weekday_table."""
    grid = slots.pivot_table(index="weekday", columns="hour", values=value).reindex(index=range(7))
    fig, ax = plt.subplots(figsize=(9, 3.6))
    im = ax.imshow(grid.to_numpy(dtype=float), aspect="auto", cmap="Blues")
    ax.set_yticks(range(7), [weekday_abbr(d) for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")])
    ax.set_xticks(range(len(grid.columns)), [f"{h:02d}" for h in grid.columns])
    ax.set(title=title, xlabel=_("hour of publication"))
    ax.grid(False)
    fig.colorbar(im, ax=ax, format=PercentFormatter(1.0, decimals=0))
    return fig


def demand_chart(series: pd.Series, trend: pd.Series, forecast: pd.DataFrame | None, title: str) -> Figure:
    """Monthly demand with its STL trend and, when given, the forecast with its interval."""
    fig, ax = plt.subplots(figsize=(9, 4))
    x = series.index.to_timestamp()
    ax.plot(x, series.to_numpy(), color=PALETTE[0], lw=1.2, label=pgettext("chart legend", "searches"))
    ax.plot(x, trend.to_numpy(), color=PALETTE[1], lw=2, label=pgettext("chart legend", "trend (STL)"))
    if forecast is not None and len(forecast):
        fx = pd.to_datetime(forecast["month"].astype(str))
        ax.plot(fx, forecast["mean"], color=PALETTE[2], lw=1.5, ls="--", label=pgettext("chart legend", "forecast"))
        ax.fill_between(
            fx,
            forecast["lower"],
            forecast["upper"],
            color=PALETTE[2],
            alpha=0.15,
            label=pgettext("chart legend", "90% interval"),
        )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: compact(v)))
    ax.set(title=title, ylabel=_("searches per month"))
    ax.legend(frameon=False, ncols=4)
    return fig


def seasonality_heatmap(calendar: pd.DataFrame, title: str) -> Figure:
    """Group × month: the seasonal component relative to the group's usual level."""
    data = calendar.to_numpy(dtype=float)
    lim = float(np.nanmax(np.abs(data))) if data.size else 1.0
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(calendar) + 1.4))
    im = ax.imshow(data, aspect="auto", cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.set_yticks(range(len(calendar)), [str(g) for g in calendar.index])
    ax.set_xticks(range(12), [date_pattern(dt.date(2000, m, 1), "LLL") for m in range(1, 13)])
    ax.set(title=title)
    ax.grid(False)
    fig.colorbar(im, ax=ax, format=PercentFormatter(1.0, decimals=0))
    return fig
