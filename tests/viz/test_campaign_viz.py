"""Campaign charts: data in, Figure out; legends that match the lines drawn."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from workbench.analysis.campaigns.funnels import funnel_table  # noqa: E402
from workbench.analysis.campaigns.pacing import pacing_daily, pacing_summary  # noqa: E402
from workbench.viz import campaign as charts  # noqa: E402


@pytest.fixture
def ads() -> pd.DataFrame:
    days = pd.date_range("2026-09-01", "2026-09-20", freq="D")
    rows = [
        {"date": d, "campaign": "c", "channel": ch, "impressions": 1000, "clicks": 20, "cost": cost}
        for d in days
        for ch, cost in (("google_ads", 120.0), ("vk_ads", 60.0), ("meta_ads", 90.0))
    ]
    return pd.DataFrame(rows)


def test_pacing_legend_colours_and_styles_match_the_lines(ads):
    budget = {"google_ads": 3000.0, "vk_ads": 1500.0, "meta_ads": 2500.0}
    summary = pacing_summary(ads, budget, "2026-09-01", "2026-09-30")
    fig = charts.pacing_chart(pacing_daily(ads, budget, "2026-09-01", "2026-09-30"), "RUB", summary)
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    # every line drawn is in the legend (actual, plan and projection for each channel: still running)
    assert len(labels) == 9 and set(labels) == set(lines)
    for handle, label in zip(legend.legend_handles, labels, strict=True):
        drawn = lines[label]
        assert mcolors.to_hex(handle.get_color()) == mcolors.to_hex(drawn.get_color())
        assert handle.get_linestyle() == drawn.get_linestyle()
    # one colour per channel: its actual, plan and projection lines share it
    for ch in budget:
        colours = {mcolors.to_hex(lines[f"{ch} {kind}"].get_color()) for kind in ("actual", "plan", "projected")}
        assert len(colours) == 1
    assert len({mcolors.to_hex(lines[f"{ch} actual"].get_color()) for ch in budget}) == 3
    assert "projected (dotted)" in ax.get_title()


def test_funnel_chart_labels_the_share_kept_at_each_step():
    fig = charts.funnel_chart(funnel_table({"impressions": 10_000, "clicks": 250, "conversions": 10}))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["2.5%", "4.0%"]
    assert fig.axes[0].get_yscale() == "log"


def test_attribution_chart_keeps_the_models_order_and_one_bar_per_channel_and_model():
    credit = pd.DataFrame(
        {
            "model": ["markov", "markov", "last_touch", "last_touch"],
            "channel": ["seo", "email", "seo", "email"],
            "conversions": [3.0, 1.0, 2.0, 2.0],
        }
    )
    fig = charts.attribution_chart(credit, {"last_touch": "Last touch", "markov": "Markov"})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Last touch", "Markov"]
    heights = sorted(round(p.get_height(), 6) for p in ax.patches)
    assert heights == [1.0, 2.0, 2.0, 3.0]


def test_daily_trend_marks_only_the_anomalies():
    idx = pd.date_range("2026-09-01", periods=5, freq="D")
    flags = pd.DataFrame(
        {"value": [10, 11, 50, 9, 10], "median": 10.0, "anomaly": [False, False, True, False, False]}, index=idx
    )
    fig = charts.daily_trend_chart(flags, "Daily clicks", "clicks")
    ax = fig.axes[0]
    (points,) = ax.collections
    np.testing.assert_allclose(points.get_offsets()[:, 1], [50])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["anomaly"]
