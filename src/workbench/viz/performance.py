"""Charts for the marketing plan tracker and the monthly performance report. Data in, Figure out."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from workbench.i18n import pgettext
from workbench.report.format import compact
from workbench.viz.theme import PALETTE, THEM_COLOR, US_COLOR

__all__ = [
    "TRAFFIC_CHANNEL_LABELS",
    "budget_chart",
    "channel_label",
    "forecast_chart",
    "monthly_trend_chart",
    "share_bar_chart",
]

TRAFFIC_CHANNEL_LABELS = {
    "google_ads": "Google Ads",
    "yandex_direct": "Yandex Direct",
    "meta_ads": "Meta Ads",
    "vk_ads": "VK Ads",
}


def channel_label(code: str) -> str:
    """'vk_ads' -> 'VK Ads'; unknown codes lose their underscores."""
    return TRAFFIC_CHANNEL_LABELS.get(str(code), str(code).replace("_", " "))


def _compact(x: float, _pos=None) -> str:
    return compact(x)


def forecast_chart(
    history: pd.Series,
    forecast: pd.DataFrame,
    title: str,
    ylabel: str = "",
    flight: tuple | None = None,
    naive: pd.DataFrame | None = None,
) -> Figure:
    """History as a line, forecast mean dashed with its interval shaded (columns mean, lower, upper).
    `flight` (first, last day) shades a one-off campaign; `naive` (column mean) draws the forecast
    that reads the flight as a new level, for comparison."""
    fig, ax = plt.subplots()
    if flight is not None:
        ax.axvspan(
            pd.Timestamp(flight[0]),
            pd.Timestamp(flight[1]),
            color=PALETTE[3],
            alpha=0.12,
            label=pgettext("chart legend", "campaign flight"),
        )
    hx = history.index.to_timestamp() if isinstance(history.index, pd.PeriodIndex) else history.index
    ax.plot(hx, history.to_numpy(), color=US_COLOR, label=pgettext("chart legend", "actual"))
    if len(forecast):
        fx = forecast.index.to_timestamp() if isinstance(forecast.index, pd.PeriodIndex) else forecast.index
        ax.plot(
            fx, forecast["mean"].to_numpy(), color=US_COLOR, linestyle="--", label=pgettext("chart legend", "forecast")
        )
        ax.fill_between(
            fx,
            forecast["lower"].to_numpy(),
            forecast["upper"].to_numpy(),
            color=US_COLOR,
            alpha=0.15,
            label=pgettext("chart legend", "forecast interval"),
        )
        if naive is not None and len(naive):
            ax.plot(
                fx,
                naive["mean"].to_numpy(),
                color=THEM_COLOR,
                linestyle=":",
                label=pgettext("chart legend", "forecast if the flight were a new level"),
            )
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(FuncFormatter(_compact))
    ax.legend(loc="upper left")
    return fig


def budget_chart(budget: pd.DataFrame, title: str, currency: str = "RUB") -> Figure:
    """Planned vs spent to date vs projected to period end, per channel (one period's rows)."""
    fig, ax = plt.subplots()
    channels = budget["channel"].tolist()
    x = range(len(channels))
    w = 0.27
    ax.bar(
        [i - w for i in x],
        budget["planned"],
        width=w,
        color=THEM_COLOR,
        label=pgettext("chart legend", "planned (period)"),
    )
    ax.bar(list(x), budget["spent"], width=w, color=US_COLOR, label=pgettext("chart legend", "spent to date"))
    ax.bar(
        [i + w for i in x],
        budget["projected"],
        width=w,
        color=PALETTE[3],
        label=pgettext("chart legend", "projected at run-rate"),
    )
    ax.set_xticks(list(x), [channel_label(c) for c in channels])
    ax.set_title(title)
    ax.set_ylabel(currency)
    ax.yaxis.set_major_formatter(FuncFormatter(_compact))
    ax.legend()
    return fig


def monthly_trend_chart(
    series: pd.Series, month, title: str, ylabel: str = "", percent: bool = False, shade: tuple | None = None
) -> Figure:
    """A monthly series with the report month highlighted; `percent` for rates (0.05 -> 5%);
    `shade` (first, last day, label) marks a period such as a campaign flight."""
    fig, ax = plt.subplots()
    x = series.index.to_timestamp() if isinstance(series.index, pd.PeriodIndex) else series.index
    ax.plot(x, series.to_numpy(), color=US_COLOR, marker="o", markersize=3)
    month = pd.Period(month, "M")
    if month in series.index:
        ax.scatter([month.to_timestamp()], [series.loc[month]], color=PALETTE[1], s=60, zorder=3, label=str(month))
        ax.legend(loc="upper left")
    if shade is not None:
        ax.axvspan(pd.Timestamp(shade[0]), pd.Timestamp(shade[1]), color=PALETTE[3], alpha=0.12, label=shade[2])
        ax.legend(loc="upper left")
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0) if percent else FuncFormatter(_compact))
    return fig


def share_bar_chart(
    frame: pd.DataFrame, label_col: str, value_col: str, title: str, top: int = 10, xlabel: str = ""
) -> Figure:
    """Horizontal bars of the `top` groups by value (largest on top)."""
    shown = frame.nlargest(top, value_col).iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.35 * len(shown) + 1)))
    ax.barh(shown[label_col].astype(str), shown[value_col], color=US_COLOR)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(FuncFormatter(_compact))
    return fig
