"""Content charts: each returns a Figure with the data it was given."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from workbench.viz.content import decay_chart, demand_chart, seasonality_heatmap, slot_heatmap  # noqa: E402


def test_charts_return_figures_with_their_data():
    daily = pd.DataFrame(
        {"label": ["a"] * 5 + ["b"] * 5, "age": list(range(5)) * 2, "views": [8, 4, 2, 1, 0] + [5] * 5}
    )
    fig = decay_chart(daily, "Decay")
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 2
    slots = pd.DataFrame({"weekday": [0, 1, 1], "hour": [9, 9, 19], "rate": [0.01, 0.02, 0.05]})
    assert slot_heatmap(slots, "Slots").axes[0].images[0].get_array().max() == 0.05
    idx = pd.period_range("2024-01", periods=24, freq="M")
    s = pd.Series(np.arange(24.0), index=idx)
    fc = pd.DataFrame(
        {
            "month": pd.period_range("2026-01", periods=3, freq="M"),
            "mean": [1, 2, 3.0],
            "lower": [0, 1, 2.0],
            "upper": [2, 3, 4.0],
        }
    )
    assert len(demand_chart(s, s, fc, "Demand").axes[0].lines) == 3
    cal = pd.DataFrame([np.linspace(-0.5, 0.5, 12)], index=["tent"], columns=range(1, 13))
    assert seasonality_heatmap(cal, "Season").axes[0].get_yticklabels()[0].get_text() == "tent"
