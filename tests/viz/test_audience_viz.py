"""Audience charts: data in, Figure out, with the sample sizes and index labels a reader needs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from workbench.analysis.customers.affinity import affinity
from workbench.analysis.customers.portrait import activity_profile, familiarity_funnel
from workbench.viz.audience import activity_heatmap, affinity_chart, distribution_chart, funnel_chart


def test_affinity_chart_shows_n_and_index():
    t = affinity(["m"] * 8 + ["d"] * 2, ["m"] * 40 + ["d"] * 60, audience_in_base=False)
    fig = affinity_chart(t, "Device")
    ax = fig.axes[0]
    assert "n = 10 vs 100" in ax.get_title()
    texts = [x.get_text() for x in ax.texts]
    assert "200 ▲" in texts and "33 ▼" in texts
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["d", "m"]  # largest audience share on top
    plt.close(fig)


def test_funnel_and_heatmap_and_distribution():
    survey = pd.DataFrame({"customer_id": list("abcd"), "familiarity": ["regular", "aware", "tried", "unaware"]})
    fig = funnel_chart(familiarity_funnel(survey, list("abcd"), list("ab")))
    assert "respondents: 2 vs 4" in fig.axes[0].get_title()
    plt.close(fig)
    sessions = pd.DataFrame(
        {"customer_id": ["a", "b"], "started_at": pd.to_datetime(["2024-01-02 19:00", "2024-01-01 09:00"])}
    )
    act = activity_profile(sessions, ["a", "b"], ["a"], min_n=1)
    fig = activity_heatmap(act.table, "index")
    assert fig.axes[0].images[0].get_array().shape == (7, 24)
    plt.close(fig)
    with pytest.raises(ValueError, match="value must be"):
        activity_heatmap(act.table, "rate")
    fig = distribution_chart(pd.Series([1.0, 2, 3, 50]), np.array([True, False, True, False]), "purchases per year")
    assert "n=2" in " ".join(t.get_text() for t in fig.axes[0].get_legend().get_texts())
    plt.close(fig)
