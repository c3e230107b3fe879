"""Charts of the audience portrait: the audience (our colour) always beside the whole base (grey)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbench.analysis.customers.text import fmt, funnel_stage, weekday_name
from workbench.i18n import _, pgettext
from workbench.viz.theme import THEM_COLOR, US_COLOR

__all__ = ["activity_heatmap", "affinity_chart", "distribution_chart", "funnel_chart"]


def affinity_chart(table: pd.DataFrame, title: str, top: int = 10, audience_label: str = "Audience") -> Figure:
    """Horizontal bars of audience vs base share per value, the affinity index written beside each pair.

    Over-represented values (significant after BH adjustment) are marked ▲, under-represented ▼."""
    shown = table.head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.45 * max(len(shown), 2) + 1.2))
    y = np.arange(len(shown))
    h = 0.38
    ax.barh(y + h / 2, shown["audience_share"], height=h, color=US_COLOR, label=audience_label)
    ax.barh(y - h / 2, shown["base_share"], height=h, color=THEM_COLOR, label=pgettext("chart legend", "All customers"))
    if "share_low" in shown:
        err = np.vstack([shown["audience_share"] - shown["share_low"], shown["share_high"] - shown["audience_share"]])
        ax.errorbar(
            shown["audience_share"],
            y + h / 2,
            xerr=np.nan_to_num(err),
            fmt="none",
            ecolor="#1f2328",
            elinewidth=0.8,
            capsize=2,
        )
    ax.set_yticks(y, [str(v) for v in shown["value"]])
    xmax = float(np.nanmax(np.r_[shown["audience_share"], shown["base_share"], shown.get("share_high", [0]), 0.01]))
    ax.set_xlim(0, xmax * 1.25)
    for yi, (_i, row) in zip(y, shown.iterrows(), strict=False):
        mark = {"over": " ▲", "under": " ▼"}.get(row.get("direction"), "")
        label = "–" if pd.isna(row["index"]) else f"{row['index']:.0f}{mark}"
        ax.text(xmax * 1.22, yi, label, va="center", ha="right", fontsize=9)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: fmt("{:.0%}", v)))
    n_a = int(table["audience_total"].iloc[0]) if len(table) else 0
    n_b = int(table["base_total"].iloc[0]) if len(table) else 0
    ax.set_title(
        _("{title}  (n = {audience} vs {base}; right: index)").format(
            title=title, audience=fmt("{:,}", n_a), base=fmt("{:,}", n_b)
        )
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 if len(shown) > 3 else -0.25), ncol=2, frameon=False)
    return fig


def funnel_chart(funnel: pd.DataFrame, audience_label: str = "Audience") -> Figure:
    """Cumulative familiarity funnel, audience vs base, with stage-to-stage conversion under each stage."""
    fig, ax = plt.subplots(figsize=(9, 4.2))
    x = np.arange(len(funnel))
    w = 0.38
    ax.bar(x - w / 2, funnel["audience_reached"], width=w, color=US_COLOR, label=audience_label)
    ax.bar(
        x + w / 2, funnel["base_reached"], width=w, color=THEM_COLOR, label=pgettext("chart legend", "All customers")
    )
    labels = []
    for _i, row in funnel.iterrows():
        conv, stage = row["audience_conversion"], funnel_stage(row["stage"])
        versus = _("{audience} vs {base}").format(
            audience=fmt("{:.0%}", conv), base=fmt("{:.0%}", row["base_conversion"])
        )
        labels.append(stage if pd.isna(conv) else f"{stage}\n{versus}")
    ax.set_xticks(x, labels)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: fmt("{:.0%}", v)))
    ax.set_ylabel(_("share of respondents at or beyond stage"))
    n_a, n_b = int(funnel["audience_respondents"].iloc[0]), int(funnel["base_respondents"].iloc[0])
    ax.set_title(
        _("Familiarity funnel (respondents: {audience} vs {base}; under each stage: conversion)").format(
            audience=fmt("{:,}", n_a), base=fmt("{:,}", n_b)
        )
    )
    ax.legend(frameon=False)
    return fig


def activity_heatmap(table: pd.DataFrame, value: str = "share", title: str | None = None) -> Figure:
    """Hour × weekday heatmap of the audience's visits (`share`) or their index vs the base (`index`)."""
    if value not in ("share", "index", "n"):
        raise ValueError(f"value must be 'share', 'index' or 'n'; got {value!r}")
    grid = table.pivot(index="weekday", columns="hour", values=value).reindex(index=range(7), columns=range(24))
    fig, ax = plt.subplots(figsize=(10, 3.6))
    if value == "index":
        data = np.clip(grid.to_numpy(dtype=float), 0, 300)
        im = ax.imshow(data, aspect="auto", cmap="RdBu_r", vmin=0, vmax=200)
    else:
        im = ax.imshow(grid.to_numpy(dtype=float), aspect="auto", cmap="Blues")
    days = table.drop_duplicates("weekday").set_index("weekday")["weekday_name"].reindex(range(7))
    ax.set_yticks(range(7), [weekday_name(str(d)[:3]) for d in days])
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_xlabel(_("hour of day"))
    ax.grid(False)
    cbar = fig.colorbar(im, ax=ax, fraction=0.03)
    if value == "share":
        cbar.ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: fmt("{:.1%}", v)))
    titles = {
        "share": _("Share of the audience's visits"),
        "index": _("Index vs all customers (100 = same)"),
        "n": pgettext("chart title", "Visits"),
    }
    ax.set_title(title or titles[value])
    return fig


def distribution_chart(
    values: pd.Series,
    in_audience: np.ndarray,
    metric: str,
    audience_label: str = "Audience",
    clip_quantile: float = 0.99,
) -> Figure:
    """Histogram (density) of a per-customer number for the audience and for the base, medians marked.

    The top 1% is clipped so one extreme customer does not squash every bar into the first bin."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").reset_index(drop=True)
    mask = np.asarray(in_audience, dtype=bool)
    ok = v.notna().to_numpy()
    fig, ax = plt.subplots(figsize=(9, 3.8))
    if ok.sum() == 0:
        ax.set_title(_("{metric}: no values").format(metric=metric))
        return fig
    hi = float(v[ok].quantile(clip_quantile))
    bins = np.linspace(float(v[ok].min()), hi if hi > v[ok].min() else float(v[ok].min()) + 1, 30)
    base, aud = v[ok].clip(upper=hi), v[ok & mask].clip(upper=hi)
    ax.hist(
        base,
        bins=bins,
        density=True,
        color=THEM_COLOR,
        alpha=0.6,
        label=_("All customers (n={n})").format(n=fmt("{:,}", len(base))),
    )
    ax.hist(
        aud,
        bins=bins,
        density=True,
        histtype="step",
        linewidth=2,
        color=US_COLOR,
        label=f"{audience_label} (n={fmt('{:,}', len(aud))})",
    )
    for series, color in ((base, THEM_COLOR), (aud, US_COLOR)):
        if len(series):
            ax.axvline(series.median(), color=color, linestyle="--", linewidth=1.2)
    clipped = _("{metric} (values above {value} counted in the last bar)").format(
        metric=metric, value=fmt("{:,.1f}", hi)
    )
    ax.set_xlabel(clipped if hi < v[ok].max() else metric)
    ax.set_yticks([])
    ax.set_ylabel(_("share of customers (density)"))
    title = _("{metric}: audience vs all customers (dashed lines: medians)")
    ax.set_title(title.format(metric=metric[:1].upper() + metric[1:]))
    ax.legend(frameon=False)
    return fig
