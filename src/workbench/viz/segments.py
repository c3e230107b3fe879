"""Charts for the segmentation report: data in, matplotlib Figure out."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import ScalarFormatter

from workbench.analysis.customers.profiles import trait_label
from workbench.analysis.customers.text import criterion_name
from workbench.i18n import _, pgettext
from workbench.report.format import compact, currency_symbol, date_pattern, localize
from workbench.viz.theme import PALETTE


class _LocalScalarFormatter(ScalarFormatter):
    """Matplotlib's plain tick numbers ('0.5', '1.0') in the report's language ('0,5', '1,0')."""

    def __call__(self, x, pos=None):
        return localize(super().__call__(x, pos))


__all__ = [
    "attractiveness_chart",
    "forecast_chart",
    "holdout_chart",
    "k_selection_chart",
    "rfm_grid_chart",
    "segment_share_chart",
    "trait_heatmap",
]


def k_selection_chart(k_scores: pd.DataFrame, chosen: int):
    """Silhouette (higher = better separated) beside inertia (the elbow) for every k tried."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    ax1.plot(k_scores["k"], k_scores["silhouette"], marker="o", color=PALETTE[0])
    ax1.axvline(chosen, color=PALETTE[1], linestyle="--", linewidth=1)
    ax1.set(title=_("Silhouette by k"), xlabel=_("number of segments k"), ylabel=_("mean silhouette"))
    ax2.plot(k_scores["k"], k_scores["inertia"], marker="o", color=PALETTE[2])
    ax2.axvline(chosen, color=PALETTE[1], linestyle="--", linewidth=1)
    ax2.set(
        title=_("Inertia by k (elbow)"), xlabel=_("number of segments k"), ylabel=_("within-segment sum of squares")
    )
    for ax in (ax1, ax2):
        ax.set_xticks(k_scores["k"])
        ax.yaxis.set_major_formatter(_LocalScalarFormatter())
    return fig


def segment_share_chart(profiles: pd.DataFrame, label_col: str = "segment"):
    """Share of customers next to share of revenue per segment."""
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(profiles) + 1.5))
    y = np.arange(len(profiles))
    labels = [
        f"{s}. {n}" if "name" in profiles else str(s)
        for s, n in zip(profiles[label_col], profiles.get("name", profiles[label_col]), strict=False)
    ]
    labels = [_short(lab, 60) for lab in labels]
    ax.barh(
        y - 0.2,
        profiles["share_customers"] * 100,
        height=0.4,
        label=pgettext("chart legend", "customers"),
        color=PALETTE[0],
    )
    if "share_revenue" in profiles:
        ax.barh(
            y + 0.2,
            profiles["share_revenue"] * 100,
            height=0.4,
            label=pgettext("chart legend", "revenue"),
            color=PALETTE[3],
        )
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set(xlabel=_("% of total"), title=_("Share of customers and revenue by segment"))
    ax.legend(loc="lower right")
    return fig


def trait_heatmap(traits: pd.DataFrame, per_segment: int = 4, min_share: float = 0.2):
    """Affinity index (100 = like the base) of each segment's strongest traits, for every segment."""
    strong = traits[(traits["segment_share"] >= min_share)].sort_values("affinity", ascending=False)
    chosen = strong.groupby("segment").head(per_segment)["trait"].drop_duplicates().tolist()
    grid = traits[traits["trait"].isin(chosen)].pivot_table(index="trait", columns="segment", values="affinity")
    grid = grid.reindex(chosen)
    labels = traits.drop_duplicates("trait").set_index("trait")
    grid.index = [trait_label(labels.at[t, "column"], labels.at[t, "value"]) for t in grid.index]
    fig, ax = plt.subplots(figsize=(1.2 * grid.shape[1] + 4, 0.32 * len(grid) + 1.5))
    shown = np.log2(np.clip(grid.to_numpy(dtype=float) / 100, 1 / 8, 8))
    im = ax.imshow(shown, cmap="RdBu_r", vmin=-3, vmax=3, aspect="auto")
    ax.set_xticks(range(grid.shape[1]), [_("segment {segment}").format(segment=c) for c in grid.columns])
    ax.set_yticks(range(len(grid)), grid.index)
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            v = grid.iat[i, j]
            if v == v:
                ax.text(
                    j,
                    i,
                    f"{v:.0f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if abs(shown[i, j]) > 1.8 else "black",
                )
    ax.grid(False)
    ax.set_title(_("Affinity index of top traits (100 = same as all customers)"))
    fig.colorbar(im, ax=ax, label=_("log2(affinity / 100)"), shrink=0.7)
    return fig


def rfm_grid_chart(rfm: pd.DataFrame):
    """Customers in each R × F cell (number of customers, colour = count)."""
    grid = pd.crosstab(rfm["r_score"], rfm["f_score"]).reindex(index=range(5, 0, -1), columns=range(1, 6), fill_value=0)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    im = ax.imshow(grid.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_xticks(range(5), [str(c) for c in grid.columns])
    ax.set_yticks(range(5), [str(r) for r in grid.index])
    for i in range(5):
        for j in range(5):
            ax.text(
                j,
                i,
                localize(f"{grid.iat[i, j]:,}"),
                ha="center",
                va="center",
                fontsize=9,
                color="white" if grid.iat[i, j] > grid.to_numpy().max() * 0.6 else "black",
            )
    ax.set(
        xlabel=_("frequency score F"), ylabel=_("recency score R"), title=_("Customers by recency and frequency score")
    )
    ax.grid(False)
    fig.colorbar(im, ax=ax, shrink=0.7)
    return fig


def holdout_chart(check: pd.DataFrame):
    """Mean holdout purchases per customer, actual vs BG/NBD prediction, by calibration purchases."""
    rows = check[check["calibration_purchases"] != "total"]
    fig, ax = plt.subplots(figsize=(8, 3.8))
    x = np.arange(len(rows))
    ax.bar(x - 0.2, rows["actual"], width=0.4, label=pgettext("chart legend", "actual"), color=PALETTE[0])
    ax.bar(x + 0.2, rows["predicted"], width=0.4, label=_("BG/NBD predicted"), color=PALETTE[3])
    ax.set_xticks(x, rows["calibration_purchases"])
    ax.yaxis.set_major_formatter(_LocalScalarFormatter())
    ax.set(
        xlabel=_("repeat purchases in the calibration period"),
        ylabel=_("purchases per customer in holdout"),
        title=_("Holdout check: predicted vs actual repeat purchases"),
    )
    ax.legend()
    return fig


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip(" ,") + "…"


def forecast_chart(forecast: pd.DataFrame, names: dict | None = None, currency: str = ""):
    """Expected revenue per month, stacked by segment (axis in `currency`, labelled by magnitude)."""
    wide = forecast.pivot_table(index="month", columns="segment", values="expected_revenue", aggfunc="sum")
    fig, ax = plt.subplots(figsize=(9, 4))
    bottom = np.zeros(len(wide))
    for i, seg in enumerate(wide.columns):
        label = _short(f"{seg}. {names.get(seg, '')}", 48) if names else _("segment {segment}").format(segment=seg)
        ax.bar(wide.index, wide[seg], bottom=bottom, color=PALETTE[i % len(PALETTE)], label=label)
        bottom += wide[seg].to_numpy()
    if "month_start" in forecast:
        starts = forecast.drop_duplicates("month").set_index("month")["month_start"]
        ax.set_xticks(
            wide.index,
            [date_pattern(pd.Timestamp(starts.get(m)), "LLL y") if m in starts else str(m) for m in wide.index],
        )
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: compact(v)))  # 35k, 1.2M: by magnitude
    ax.set(
        xlabel=_("forecast month"),
        ylabel=_("expected revenue, {currency}").format(currency=currency_symbol(currency)).strip(", "),
        title=_("Sales forecast by segment (existing customers)"),
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def attractiveness_chart(scored: pd.DataFrame):
    """Attractiveness score (0–100) per segment with its criteria scores."""
    crit = [c for c in scored.columns if c.startswith("score_")]
    s = scored.sort_values("attractiveness")
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(s) + 1.5))
    y = np.arange(len(s))
    ax.barh(y, s["attractiveness"], color=PALETTE[0], alpha=0.35, label=pgettext("chart legend", "attractiveness"))
    markers = ["o", "s", "^", "D"]
    for i, c in enumerate(crit):
        ax.scatter(
            s[c], y, marker=markers[i % 4], color=PALETTE[(i + 1) % len(PALETTE)], label=criterion_name(c[6:]), zorder=3
        )
    labels = [_short(f"{a}. {b}", 50) for a, b in zip(s["segment"], s.get("name", s["segment"]), strict=False)]
    ax.set_yticks(y, labels)
    ax.set(xlim=(-5, 105), xlabel=_("score (0 = worst segment, 100 = best)"), title=_("Segment attractiveness"))
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(crit) + 1, frameon=False)
    return fig
