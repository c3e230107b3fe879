"""Attractiveness, growth, reachability and forecast against hand-computed values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.customers.customer_value import BGNBDFit, GammaGammaFit
from workbench.analysis.customers.sizing import (
    attractiveness,
    forecast_segments,
    reachability,
    recommend_targets,
    segment_growth,
)


def test_attractiveness_hand_computed():
    seg = pd.DataFrame(
        {
            "segment": [1, 2, 3],
            "name": ["a", "b", "c"],
            "share_customers": [0.5, 0.3, 0.2],
            "share_revenue": [0.4, 0.4, 0.2],
            "growth": [0.0, 0.2, 0.1],
            "clv_mean": [100.0, 300.0, 200.0],
            "reachability": [0.9, 0.5, np.nan],
        }
    )
    out = attractiveness(seg, {"size": 1, "growth": 1, "value": 2, "reachability": 0}).set_index("segment")
    # size: 100, 1/3*100, 0 ; growth: 0, 100, 50 ; value: 0, 100, 50 ; weights 1,1,2 (reach weight 0)
    assert out.loc[1, "attractiveness"] == pytest.approx(round((100 + 0 + 0) / 4, 1))
    assert out.loc[2, "attractiveness"] == pytest.approx(round((100 / 3 + 100 + 200) / 4, 1))
    assert out.loc[3, "attractiveness"] == pytest.approx(round((0 + 50 + 100) / 4, 1))
    assert out["rank"].tolist() == [3, 1, 2]
    # a criterion with no data for one segment drops out for that segment only
    out2 = attractiveness(seg, {"size": 0, "growth": 0, "value": 0, "reachability": 1}).set_index("segment")
    assert out2.loc[1, "attractiveness"] == 100 and out2.loc[2, "attractiveness"] == 0
    assert np.isnan(out2.loc[3, "attractiveness"])
    rec = recommend_targets(out.reset_index(), n=2)
    assert rec["segment"].tolist() == [2, 3]
    assert "30% of customers bring 40% of revenue" in rec.loc[0, "reasons"]
    assert "growing +20%" in rec.loc[0, "reasons"]


def test_attractiveness_rejects_bad_weights():
    seg = pd.DataFrame({"segment": [1, 2], "share_customers": [0.5, 0.5]})
    with pytest.raises(ValueError, match="unknown criteria"):
        attractiveness(seg, {"sizes": 1})
    with pytest.raises(ValueError, match="non-negative"):
        attractiveness(seg, {"size": -1})


def test_segment_growth_and_reachability():
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b"],
            "order_date": ["2025-01-15", "2025-05-10", "2025-02-01", "2025-06-20"],
            "revenue": [100.0, 150.0, 80.0, 40.0],
        }
    )
    growth = segment_growth(orders, pd.Series({"a": 1, "b": 2}), as_of="2025-06-30", months=3).set_index("segment")
    # recent: 2025-03-31..06-30 ; before: 2024-12-31..03-30
    assert growth.loc[1, "growth"] == pytest.approx(150 / 100 - 1)
    assert growth.loc[2, "growth"] == pytest.approx(40 / 80 - 1)
    frame = pd.DataFrame({"acquisition_channel": ["email", "organic", "EMAIL", "vk_ads"]})
    r = reachability(frame, pd.Series([1, 1, 2, 2]), "acquisition_channel", ["email", "vk_ads"])
    assert r.to_dict() == {1: 0.5, 2: 1.0}


def test_forecast_sums_bgnbd_expectations_times_spend():
    bg = BGNBDFit(0.243, 4.414, 0.793, 2.426, 0.0, 0, True, 0)
    gg = GammaGammaFit(6.25, 3.74, 15.44, 0.0, 0, True)
    summary = pd.DataFrame(
        {
            "frequency": [2, 0, 5],
            "recency": [30.0, 0.0, 35.0],
            "T": [38.0, 20.0, 38.0],
            "monetary_value": [20.0, 0.0, 40.0],
        },
        index=pd.Index(["a", "b", "c"], name="customer_id"),
    )
    fc = forecast_segments(summary, pd.Series({"a": 1, "b": 1, "c": 2}), bg, gg, months=3, start="2025-01-01")
    six = 3 * 365.25 / 12 / 7
    x, tx, T = summary["frequency"], summary["recency"], summary["T"]
    expected_orders = bg.expected_purchases(six, x, tx, T)
    spend = gg.conditional_expected_spend(x, summary["monetary_value"])
    by_seg = fc.groupby("segment")[["expected_orders", "expected_revenue"]].sum()
    assert by_seg.loc[1, "expected_orders"] == pytest.approx(expected_orders[:2].sum())
    assert by_seg.loc[2, "expected_revenue"] == pytest.approx(expected_orders[2] * spend[2])
    assert fc["month_start"].drop_duplicates().tolist() == ["2025-01-01", "2025-02-01", "2025-03-01"]
