"""Decay: the half-life measure against the analytic value of an exponential; the planted items."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.content.decay import decay_table


def _exact_exponential(h: float, days: int = 200) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Daily views = the integral of 1000·2^(−t/h) over each day (no noise)."""
    t = np.arange(days + 1)
    cum = 1000 * h / np.log(2) * (1 - 2.0 ** (-t / h))
    content = pd.DataFrame({"content_id": ["x"], "published_at": [pd.Timestamp("2024-01-01 10:00")]})
    stats = pd.DataFrame({"content_id": "x", "date": pd.date_range("2024-01-01", periods=days), "views": np.diff(cum)})
    return content, stats


@pytest.mark.parametrize("h", [1.0, 3.0, 10.0, 30.0])
def test_half_life_matches_the_analytic_value(h):
    window = 90
    row = decay_table(*_exact_exponential(h), window=window).iloc[0]
    analytic = -h * np.log2(0.5 + 0.5 * 2.0 ** (-window / h))
    assert row["half_life_days"] == pytest.approx(analytic, abs=0.06 * max(1, h / 5))
    assert row["fitted_half_life_days"] == pytest.approx(h, rel=0.02)


def test_flat_series_reads_half_the_window_and_is_evergreen():
    content = pd.DataFrame({"content_id": ["f"], "published_at": [pd.Timestamp("2024-01-01")]})
    stats = pd.DataFrame({"content_id": "f", "date": pd.date_range("2024-01-01", periods=120), "views": 10})
    row = decay_table(content, stats, window=90).iloc[0]
    assert row["half_life_days"] == pytest.approx(45) and row["status"] == "evergreen"


def test_planted_fast_post_and_evergreen_guide(content_sample):
    truth = content_sample["truth"]
    table = decay_table(content_sample["content"], content_sample["stats"]).set_index("content_id")
    fast, ever = table.loc[truth["fast_post"]], table.loc[truth["evergreen_post"]]
    assert fast["status"] == "short-lived" and fast["half_life_days"] == pytest.approx(2.0, abs=0.5)
    assert ever["status"] == "evergreen" and ever["half_life_days"] > 40


def test_bad_window_is_named():
    c, s = _exact_exponential(3)
    with pytest.raises(ValueError, match="window"):
        decay_table(c, s, window=3)
    with pytest.raises(ValueError, match="content_stats lacks"):
        decay_table(c, s.drop(columns=["views"]))
