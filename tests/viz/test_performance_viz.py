"""Plan and monthly-report charts: data in, Figure out, with the legend a reader needs to read them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from workbench.viz.performance import budget_chart, channel_label, forecast_chart, monthly_trend_chart, share_bar_chart


def _legend(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_forecast_chart_shows_history_forecast_interval_and_the_flight():
    months = pd.period_range("2026-01", "2026-06", freq="M")
    ahead = pd.period_range("2026-07", "2026-09", freq="M")
    fc = pd.DataFrame({"mean": [10.0, 11, 12], "lower": [8.0, 8.5, 9], "upper": [12.0, 13.5, 15]}, index=ahead)
    fig = forecast_chart(
        pd.Series([5.0, 6, 7, 8, 9, 9.5], index=months), fc, "Revenue", flight=("2026-03-01", "2026-04-15")
    )
    assert _legend(fig) == ["campaign flight", "actual", "forecast", "forecast interval"]
    assert fig.axes[0].get_title() == "Revenue"
    assert fig.axes[0].yaxis.get_major_formatter()(1_500_000, 0) == "1.5M"
    plt.close(fig)


def test_budget_chart_has_one_group_of_bars_per_channel():
    budget = pd.DataFrame(
        {"channel": ["vk_ads", "yandex_direct"], "planned": [100.0, 200], "spent": [40.0, 90], "projected": [95.0, 210]}
    )
    fig = budget_chart(budget, "Budget 2026")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["VK Ads", "Yandex Direct"]
    assert len(ax.patches) == 6 and _legend(fig) == ["planned (period)", "spent to date", "projected at run-rate"]
    plt.close(fig)


def test_monthly_trend_highlights_the_report_month_and_reads_rates_in_percent():
    s = pd.Series([0.05, 0.06, 0.04], index=pd.period_range("2026-04", "2026-06", freq="M"))
    fig = monthly_trend_chart(s, "2026-06", "Conversion rate", percent=True)
    assert _legend(fig) == ["2026-06"]
    assert fig.axes[0].yaxis.get_major_formatter()(0.05, 0) == "5%"
    plt.close(fig)


def test_share_bar_chart_puts_the_largest_on_top():
    frame = pd.DataFrame({"page": ["/a", "/b", "/c"], "sessions": [5, 50, 20]})
    fig = share_bar_chart(frame, "page", "sessions", "Top pages", top=2)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["/c", "/b"]  # bottom to top
    plt.close(fig)
    assert channel_label("meta_ads") == "Meta Ads" and channel_label("display_ads") == "display ads"
