"""Charts for the competitor audit: data in, matplotlib Figure out (our brand always in US_COLOR).

Titles, axes and legends are messages and tick numbers are localised, so a chart follows the report's language."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import ScalarFormatter

from workbench.analysis.competitors.text import channel_name, rival_class
from workbench.i18n import _, ngettext, pgettext
from workbench.report.format import channel_label, localize, pct
from workbench.viz.theme import PALETTE, THEM_COLOR, US_COLOR


def ad_channel_label(channel: object) -> str:
    """Readable name of an ads_intel channel or social network code (google_ads → Google Ads)."""
    return channel_label(channel)


_CLASS_COLOR = {"direct": PALETTE[1], "indirect": PALETTE[3], "not a rival": THEM_COLOR, "unknown": "#d0d7de"}
_PERCENT = plt.FuncFormatter(lambda v, _pos=None: pct(v))


class _LocalScalarFormatter(ScalarFormatter):
    """Matplotlib's plain tick numbers ('0.5', '1,000') in the report's language ('0,5')."""

    def __call__(self, x, pos=None):
        return localize(super().__call__(x, pos))


def competition_chart(competition: pd.DataFrame, thresholds: dict[str, float] | None = None) -> Figure:
    """Horizontal bars of the competition score per rival, coloured by class, with the class cut-offs."""
    data = competition.sort_values("score", na_position="first")
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(data) + 1.5))
    ax.barh(
        data["brand"].astype(str),
        data["score"].fillna(0),
        color=[_CLASS_COLOR.get(c, THEM_COLOR) for c in data["classification"]],
    )
    for name, value in (thresholds or {}).items():
        ax.axvline(value, color="#57606a", ls="--", lw=1)
        ax.text(
            value,
            1.01,
            f"{rival_class(name)} ≥ {localize(f'{value:g}')}",
            fontsize=9,
            color="#57606a",
            va="bottom",
            ha="center",
            transform=ax.get_xaxis_transform(),
        )
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in _CLASS_COLOR.values()]
    ax.legend(handles, [rival_class(c) for c in _CLASS_COLOR], loc="lower right", fontsize=9)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_LocalScalarFormatter())
    ax.set_xlabel(_("Competition score (0 = no overlap; 1 = contests all our keywords, paid spend and following)"))
    ax.set_title(_("Who competes with us"), pad=22)
    return fig


def share_of_voice_chart(sov: pd.DataFrame, us: str) -> Figure:
    """Grouped bars: each brand's share of organic visibility, paid spend and social reach."""
    cols = [c for c in ("organic_share", "paid_share", "social_share") if c in sov and sov[c].notna().any()]
    labels = {
        "organic_share": _("Organic visibility"),
        "paid_share": pgettext("share of voice", "Paid spend"),
        "social_share": _("Social reach"),
    }
    fig, ax = plt.subplots(figsize=(9, 4.5))
    brands = sov["brand"].astype(str).tolist()
    x = np.arange(len(brands))
    width = 0.8 / max(len(cols), 1)
    for i, c in enumerate(cols):
        ax.bar(x + i * width - 0.4 + width / 2, sov[c].fillna(0), width, label=labels[c], color=PALETTE[i])
    ax.set_xticks(x, brands, rotation=20, ha="right")
    for tick in ax.get_xticklabels():
        if tick.get_text() == us:
            tick.set_fontweight("bold")
            tick.set_color(US_COLOR)
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_ylabel(_("Share of the listed brands"))
    ax.set_title(pgettext("chart title", "Share of voice"))
    ax.legend(fontsize=9)
    return fig


def channel_mix_chart(mix: pd.DataFrame, us: str) -> Figure:
    """100 % stacked bars: how each brand splits its estimated paid spend across channels."""
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(mix) + 1.8))
    left = np.zeros(len(mix))
    for i, ch in enumerate(mix.columns):
        ax.barh(mix.index.astype(str), mix[ch], left=left, label=ad_channel_label(ch), color=PALETTE[i % len(PALETTE)])
        left += mix[ch].to_numpy()
    for tick in ax.get_yticklabels():
        if tick.get_text() == us:
            tick.set_fontweight("bold")
            tick.set_color(US_COLOR)
    ax.xaxis.set_major_formatter(_PERCENT)
    ax.set_xlim(0, 1)
    ax.set_title(_("Paid channel mix (share of estimated spend)"))
    ax.legend(fontsize=8, ncols=min(len(mix.columns), 4), loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return fig


def scorecard_heatmap(scores: pd.DataFrame, us: str) -> Figure:
    """Brand × channel heatmap of 0–100 scores (grey = no data), our row first."""
    import seaborn as sns

    from workbench.analysis.competitors.scorecard import CHANNELS

    order = [us] + [b for b in scores.index if b != us]
    known = {*CHANNELS, "overall"}
    data = scores.loc[order].astype(float).rename(columns=lambda c: channel_name(c) if c in known else c)
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(data) + 1.5))
    sns.heatmap(
        data,
        annot=True,
        fmt=".0f",
        vmin=0,
        vmax=100,
        cmap="RdYlGn",
        cbar_kws={"label": _("score 0–100")},
        linewidths=0.5,
        ax=ax,
        mask=data.isna(),
    )
    ax.set_facecolor("#eaeef2")
    ax.set_ylabel("")
    ax.set_xlabel("")
    ax.set_title(_("Scorecard by channel (100 = best in the set)"))
    for tick in ax.get_yticklabels():
        if tick.get_text() == us:
            tick.set_fontweight("bold")
    return fig


def keyword_gap_chart(gap: pd.DataFrame, top: int = 15) -> Figure:
    """The highest-priority gap keywords with their estimated monthly traffic upside."""
    data = gap.head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.4 * len(data) + 1.5))
    ax.barh(data["keyword"].astype(str), data["traffic_upside"], color=PALETTE[0])
    ax.xaxis.set_major_formatter(_LocalScalarFormatter())
    ax.set_xlabel(_("Estimated extra organic clicks per month if we matched the best competitor"))
    title = ngettext(
        "Keyword gap: the {n} highest-priority keyword (bar = click upside)",
        "Keyword gap: the {n} highest-priority keywords (bar = click upside)",
        len(data),
    )
    ax.set_title(title.format(n=len(data)))
    return fig


def positioning_chart(points: pd.DataFrame, x_label: str, y_label: str) -> Figure:
    """Scatter of brands on the positioning map, labelled, us highlighted."""
    fig, ax = plt.subplots(figsize=(8, 5.5))
    for _i, r in points.iterrows():
        color = US_COLOR if r["is_us"] else THEM_COLOR
        ax.scatter(r["x"], r["y"], s=160 if r["is_us"] else 90, color=color, zorder=3)
        ax.annotate(
            str(r["brand"]),
            (r["x"], r["y"]),
            xytext=(6, 6),
            textcoords="offset points",
            fontweight="bold" if r["is_us"] else "normal",
            color=color,
        )
    ax.axvline(points["x"].median(), color="#d0d7de", lw=1)
    ax.axhline(points["y"].median(), color="#d0d7de", lw=1)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.xaxis.set_major_formatter(_LocalScalarFormatter())
    ax.yaxis.set_major_formatter(_LocalScalarFormatter())
    ax.set_title(_("Positioning map"))
    return fig


def site_audit_chart(domain_scores: pd.DataFrame, us_domain: str) -> Figure:
    """On-page audit score per domain (mean over its saved pages)."""
    data = domain_scores.sort_values("score")
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(data) + 1.5))
    ax.barh(
        data["domain"].astype(str),
        data["score"],
        color=[US_COLOR if d == us_domain else THEM_COLOR for d in data["domain"]],
    )
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("On-page audit score (0–100, mean over saved pages)"))
    ax.set_title(pgettext("chart title", "Site audit"))
    return fig
