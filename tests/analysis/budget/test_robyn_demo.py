"""Robyn's simulated weekly demo data (MIT, copied under tests/fixtures/robyn with its source).

Robyn publishes no fixed per-channel ROAS for this data set: its result is a Pareto set of models
that changes with the Nevergrad seed and iterations, so there is no published number to match.
What is checked is what does not depend on a run: the model fits the data (R² computed by
scikit-learn), with Robyn's demo set-up (window 2016–2018, German holidays, competitor sales as a
context variable), and its intervals are honest about what this data cannot separate.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import r2_score

from workbench.analysis.budget import MMMSpec, block_bootstrap, contribution_summary, fit_mmm

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "robyn" / "dt_simulated_weekly.csv"
CHANNELS = ["tv_S", "ooh_S", "print_S", "facebook_S", "search_S"]


@pytest.fixture(scope="module")
def robyn():
    if not FIXTURE.is_file():
        pytest.skip(f"Robyn demo data {FIXTURE} is absent")
    df = pd.read_csv(FIXTURE, parse_dates=["DATE"]).set_index("DATE").loc["2016-01-01":"2018-12-31"]
    spec = MMMSpec(holiday_countries=("DE",), n_candidates=128)
    fit = fit_mmm(df[CHANNELS], df["revenue"], spec, extra_controls=df[["competitor_sales_B"]])
    return df, fit, block_bootstrap(fit, 40, seed=2)


def test_fits_the_demo_data(robyn):
    df, fit, _ = robyn
    assert r2_score(df["revenue"], fit.fitted) > 0.85
    assert fit.nrmse() < 0.1


def test_intervals_cover_the_estimates_and_media_is_a_minority(robyn):
    _, fit, boot = robyn
    s = contribution_summary(fit, boot, 0.9)
    ch = s[s["kind"] == "channel"]
    assert (ch["upper"] >= ch["lower"]).all() and (ch["roas_upper"] < float("inf")).all()
    # Robyn's demo decomposition is dominated by the baseline (trend, season, competitor sales)
    assert ch["share"].sum() < 0.5
