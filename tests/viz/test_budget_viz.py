"""Budget-planning charts: a Figure with the expected panels and marks, from a small fitted study."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from workbench.analysis.budget import MMMSpec, run_study
from workbench.data.sample.media_mix import SAMPLE_CHANNELS, simulate_media_mix
from workbench.viz import budget as V


@pytest.fixture(scope="module")
def study():
    sim = simulate_media_mix(5, SAMPLE_CHANNELS[:4], n_weeks=80)
    spec = MMMSpec(n_candidates=32, n_refine=1)
    return run_study(sim["spend"], sim["outcome"], spec, bootstrap_draws=10, holdout_weeks=8)


def test_charts(study):
    figs = [
        V.decomposition_chart(study.by_period, study.outcome, "d"),
        V.roas_chart(study.summary, study.marginal, 0.9, "r"),
        V.response_curves_chart(study.curves, "c"),
        V.holdout_chart(
            study.outcome, pd.Series(study.train_fit.fitted, index=study.train_fit.index), study.holdout, 0.9, "h"
        ),
        V.allocation_chart(study.allocation, "a"),
    ]
    curves = figs[2]
    assert sum(ax.get_visible() for ax in curves.axes) == 4  # one panel per channel
    first = curves.axes[0]
    cur = float(study.curves[study.curves["channel"] == study.fit.channels[0]]["current_spend"].iloc[0])
    assert any(abs(line.get_xdata()[0] - cur) < 1e-6 for line in first.get_lines())  # current spend marked
    assert len(figs[4].axes[0].patches) == 2 * 4  # current and recommended bar per channel
    assert figs[3].axes[0].get_legend() is not None
    for f in figs:
        plt.close(f)
