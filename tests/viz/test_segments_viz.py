"""Segmentation charts: data in, Figure out, showing what the report's text says they show."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from workbench.analysis.customers.profiles import segment_trait_affinity
from workbench.viz.segments import (
    attractiveness_chart,
    forecast_chart,
    holdout_chart,
    k_selection_chart,
    rfm_grid_chart,
    segment_share_chart,
    trait_heatmap,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_k_selection_marks_the_chosen_k_on_both_panels():
    scores = pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.3, 0.5, 0.4], "inertia": [90.0, 50.0, 40.0]})
    fig = k_selection_chart(scores, chosen=3)
    sil, inertia = fig.axes[:2]
    assert sil.lines[0].get_ydata().tolist() == [0.3, 0.5, 0.4]
    assert inertia.lines[0].get_ydata().tolist() == [90.0, 50.0, 40.0]
    for ax in (sil, inertia):
        assert ax.lines[1].get_xdata()[0] == 3  # the dashed line at the chosen k
        assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "3", "4"]


def test_segment_share_bars_are_percentages_of_customers_and_revenue():
    profiles = pd.DataFrame(
        {"segment": [1, 2], "name": ["Young runners", "Home cooks"], "share_customers": [0.6, 0.4]}
        | {"share_revenue": [0.3, 0.7]}
    )
    ax = segment_share_chart(profiles).axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([60, 40, 30, 70])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1. Young runners", "2. Home cooks"]


def test_trait_heatmap_writes_the_affinity_index():
    frame = pd.DataFrame({"city": ["a", "a", "b", "b"], "tech": [1, 1, 0, 0]})
    traits = segment_trait_affinity(frame, pd.Series([1, 1, 2, 2]))
    ax = trait_heatmap(traits).axes[0]
    texts = {t.get_text() for t in ax.texts}
    assert "200" in texts and "0" in texts  # segment 1 holds every "a" (index 200) and no "b"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["segment 1", "segment 2"]


def test_rfm_grid_counts_customers_per_cell():
    rfm = pd.DataFrame({"r_score": [5, 5, 1], "f_score": [1, 1, 5]})
    ax = rfm_grid_chart(rfm).axes[0]
    grid = ax.images[0].get_array()
    assert grid[0, 0] == 2 and grid[4, 4] == 1 and grid.sum() == 3  # rows R = 5 … 1, columns F = 1 … 5


def test_holdout_chart_leaves_out_the_total_row():
    check = pd.DataFrame(
        {"calibration_purchases": ["0", "1", "total"], "actual": [0.2, 0.5, 1.0], "predicted": [0.25, 0.45, 1.1]}
    )
    ax = holdout_chart(check).axes[0]
    assert [p.get_height() for p in ax.patches] == pytest.approx([0.2, 0.5, 0.25, 0.45])


def test_forecast_stacks_segments_and_labels_the_axis_by_magnitude():
    forecast = pd.DataFrame(
        {
            "segment": [1, 1, 2, 2],
            "month": [1, 2, 1, 2],
            "expected_revenue": [20_000.0, 19_000.0, 5_000.0, 4_000.0],
            "month_start": ["2026-01-01", "2026-02-01", "2026-01-01", "2026-02-01"],
        }
    )
    fig = forecast_chart(forecast, {1: "Big", 2: "Small"}, "USD")
    ax = fig.axes[0]
    tops = [p.get_y() + p.get_height() for p in ax.patches]
    assert max(tops) == pytest.approx(25_000)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Jan 2026", "Feb 2026"]
    assert ax.yaxis.get_major_formatter()(25_000, 0) == "25.0k" and ax.get_ylabel() == "expected revenue, USD"


def test_attractiveness_bars_and_criteria_markers():
    scored = pd.DataFrame(
        {
            "segment": [1, 2],
            "name": ["A", "B"],
            "attractiveness": [80.0, 20.0],
            "score_size": [100.0, 0.0],
            "score_value": [60.0, 40.0],
        }
    )
    ax = attractiveness_chart(scored).axes[0]
    assert [p.get_width() for p in ax.patches] == [20.0, 80.0]  # sorted: least attractive at the bottom
    assert len(ax.collections) == 2 and np.allclose(ax.collections[0].get_offsets()[:, 0], [0.0, 100.0])
