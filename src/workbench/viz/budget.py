"""Charts of the budget-planning report (media-mix model). Data in, Figure out; every label in the
current language (`workbench.i18n`), axis numbers through `workbench.report.format`."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, ScalarFormatter

from workbench.analysis.budget.text import channel_name
from workbench.i18n import _, pgettext
from workbench.report.format import compact, localize, pct
from workbench.viz.theme import PALETTE, THEM_COLOR, US_COLOR

__all__ = ["allocation_chart", "decomposition_chart", "holdout_chart", "response_curves_chart", "roas_chart"]

_AXIS = FuncFormatter(lambda x, _pos=None: compact(x))


class _LocalScalarFormatter(ScalarFormatter):
    """Matplotlib's plain tick numbers ('0.5', '1.0') in the report's language ('0,5', '1,0')."""

    def __call__(self, x, pos=None):
        return localize(super().__call__(x, pos))


_BASELINE = {"base": "#d0d7de", "seasonality": "#afb8c1", "holidays": "#8c959f", "controls": "#6e7781"}


def _legend_name(code: str) -> str:
    """Short legend names of the baseline parts (channels by `channel_name`)."""
    names = {
        "base": pgettext("chart legend", "base"),
        "seasonality": pgettext("chart legend", "seasonality"),
        "holidays": pgettext("chart legend", "holidays"),
        "controls": pgettext("chart legend", "controls"),
    }
    return names.get(code) or channel_name(code)


def decomposition_chart(by_period: pd.DataFrame, actual: pd.Series, title: str) -> Figure:
    """Stacked contributions per period (baseline parts grey, channels in colour) and the actual outcome."""
    fig, ax = plt.subplots(figsize=(10, 4.8))
    pos = by_period.clip(lower=0)
    neg = by_period.clip(upper=0)
    colors = [_BASELINE.get(c, PALETTE[i % len(PALETTE)]) for i, c in enumerate(by_period.columns)]
    labels = [_legend_name(c) for c in by_period.columns]
    ax.stackplot(pos.index, pos.T.to_numpy(), colors=colors, labels=labels, alpha=0.9)
    if (neg < 0).any().any():
        ax.stackplot(neg.index, neg.T.to_numpy(), colors=colors, alpha=0.9)
    ax.plot(actual.index, actual.to_numpy(), color="black", lw=1.2, label=pgettext("chart legend", "actual"))
    ax.yaxis.set_major_formatter(_AXIS)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return fig


def roas_chart(summary: pd.DataFrame, marginal: pd.DataFrame, level: float, title: str) -> Figure:
    """ROAS over the period and marginal ROAS at current spend per channel, with intervals; 1 = break-even."""
    ch = summary[summary["kind"] == "channel"].set_index("component")
    m = marginal.set_index("channel").reindex(ch.index)
    y = np.arange(len(ch))

    def err(mid, lo, hi):  # a percentile interval need not contain the point estimate: no negative bars
        return [np.clip(mid - lo, 0, None), np.clip(hi - mid, 0, None)]

    fig, ax = plt.subplots(figsize=(9, 0.6 * len(ch) + 1.5))
    ax.errorbar(
        ch["roas"],
        y - 0.12,
        xerr=err(ch["roas"], ch["roas_lower"], ch["roas_upper"]),
        fmt="o",
        color=US_COLOR,
        capsize=3,
        label=_("ROAS (average over the period)"),
    )
    ax.errorbar(
        m["marginal_roas"],
        y + 0.12,
        xerr=err(m["marginal_roas"], m["marginal_lower"], m["marginal_upper"]),
        fmt="s",
        color=PALETTE[1],
        capsize=3,
        label=_("marginal ROAS (next unit at current spend)"),
    )
    ax.axvline(1, color=THEM_COLOR, ls="--", lw=1)
    ax.set_yticks(y, [channel_name(c) for c in ch.index])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_LocalScalarFormatter())
    ax.set_xlabel(_("outcome per unit of spend ({level} intervals)").format(level=pct(level)))
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    return fig


def response_curves_chart(curves: pd.DataFrame, title: str) -> Figure:
    """One panel per channel: response per period against spend per period, interval shaded,
    current spend marked with a dot and a dashed line."""
    channels = list(dict.fromkeys(curves["channel"]))
    cols = min(3, len(channels))
    rows = math.ceil(len(channels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.8 * rows), squeeze=False)
    for ax, ch in zip(axes.ravel(), channels, strict=False):
        c = curves[curves["channel"] == ch]
        ax.fill_between(c["spend"], c["lower"], c["upper"], color=US_COLOR, alpha=0.2, lw=0)
        ax.plot(c["spend"], c["response"], color=US_COLOR)
        cur = float(c["current_spend"].iloc[0])
        at = float(np.interp(cur, c["spend"], c["response"]))
        ax.axvline(cur, color=PALETTE[1], ls="--", lw=1)
        ax.plot([cur], [at], "o", color=PALETTE[1])
        ax.set_title(channel_name(ch), fontsize=10)
        ax.xaxis.set_major_formatter(_AXIS)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=2))  # room for longer Russian labels ('250,0 тыс.')
        ax.yaxis.set_major_formatter(_AXIS)
    for ax in axes.ravel()[len(channels) :]:
        ax.set_visible(False)
    fig.suptitle(title)
    fig.supxlabel(_("spend per week"), fontsize=9)
    fig.supylabel(_("outcome per week"), fontsize=9)
    return fig


def holdout_chart(history: pd.Series, fitted: pd.Series, holdout: pd.DataFrame, level: float, title: str) -> Figure:
    """Actual outcome, the training fit and the holdout forecast with its prediction interval."""
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.plot(history.index, history.to_numpy(), color="black", lw=1, label=pgettext("chart legend", "actual"))
    ax.plot(fitted.index, fitted.to_numpy(), color=US_COLOR, lw=1, label=_("model (fitted)"))
    ax.fill_between(
        holdout.index,
        holdout["lower"],
        holdout["upper"],
        color=PALETTE[1],
        alpha=0.2,
        lw=0,
        label=_("{level} prediction interval").format(level=pct(level)),
    )
    ax.plot(holdout.index, holdout["predicted"], color=PALETTE[1], ls="--", label=_("forecast (not fitted)"))
    ax.axvline(holdout.index[0], color=THEM_COLOR, lw=1)
    ax.yaxis.set_major_formatter(_AXIS)
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def allocation_chart(table: pd.DataFrame, title: str) -> Figure:
    """Budget per channel: the current split of the same budget against the recommended one."""
    y = np.arange(len(table))
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(table) + 1.5))
    ax.barh(y - 0.2, table["current_split"], height=0.4, color=THEM_COLOR, label=_("current split"))
    ax.barh(y + 0.2, table["optimal"], height=0.4, color=US_COLOR, label=_("recommended"))
    ax.set_yticks(y, [channel_name(c) for c in table["channel"]])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_AXIS)
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    return fig
