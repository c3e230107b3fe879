"""The segmentation report's computations for each subset of inputs, and the words and numbers it shows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.customers.segmentation_run import run_segmentation
from workbench.analysis.customers.segmentation_summary import feature_groups_sentence, run_findings
from workbench.analysis.customers.segmentation_views import segmentation_headline, segmentation_tiles
from workbench.errors import ParamsError


def _orders(n_customers: int = 300, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n_customers):
        first = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 90)))
        heavy = c % 3 == 0
        n = 1 + rng.poisson(6 if heavy else 1)
        days = np.sort(rng.integers(0, 700, n - 1))
        for i, d in enumerate([0, *days]):
            rows.append((f"o{c}_{i}", f"c{c:03d}", first + pd.Timedelta(days=int(d)), float(rng.gamma(2, 40))))
    return pd.DataFrame(rows, columns=["order_id", "customer_id", "order_date", "revenue"])


ORDERS = _orders()
CUSTOMERS = pd.DataFrame(
    {
        "customer_id": [f"c{c:03d}" for c in range(300)],
        "income": np.r_[np.full(150, 20.0), np.full(150, 80.0)] + np.random.default_rng(2).normal(0, 2, 300),
        "club": np.where(np.arange(300) % 2 == 0, "gold", "silver"),
    }
)


def test_orders_alone_derive_customers_and_fit_every_model():
    run = run_segmentation(None, ORDERS, features=["behaviour"], k=3, reach_column="")
    assert run.derived_base and len(run.base) == 300 and run.base["signup_date"].notna().all()
    assert run.has_orders and run.value is not None and run.targeting is not None
    assert set(run.value.bgnbd.params()) == {"r", "alpha", "a", "b"}
    clv = run.value.values["clv"].sum()
    head = segmentation_headline(run, "USD", 12, 6)
    text = f"{clv / 1e6:,.1f}M USD" if clv >= 1e6 else f"{clv:,.0f} USD"
    assert head["CLV, 12 months"]["text"] == text and head["CLV, 12 months"]["value"] == clv
    assert head["CLV, 12 months"]["text"] != "0.0 M USD"  # issue 15: by magnitude, as the report's tiles
    tiles = {t["label"]: t["value"] for t in segmentation_tiles(run, "USD", 12, 6, 0.35)}
    assert tiles["CLV of all customers, 12 months"] == f"{clv:,.0f} USD"


def test_customers_alone_use_own_columns_and_leave_order_parts_out():
    run = run_segmentation(CUSTOMERS, None, features=["income", "club"], k_range=[2, 4], scaling="none")
    assert not run.has_orders and run.value is None and run.targeting is None
    assert run.seg.k == 2
    assert set(segmentation_headline(run, "USD", 12, 6)) == {"Segments (k)", "Silhouette", "Largest segment"}
    assert [t["label"] for t in segmentation_tiles(run, "USD", 12, 6, 0.35)] == [
        "customers",
        "segments (k)",
        "silhouette",
        "stability (ARI)",
    ]
    text = " ".join(run_findings(run, "USD", 6))
    assert "RFM" not in text and "CLV" not in text and "segments" in text
    sentence = feature_groups_sentence(run.feature_columns, has_orders=False)
    assert sentence.startswith("Segments are formed on your own columns (income, club).")
    assert "read off each segment" not in sentence


def test_no_input_and_bad_scaling_name_the_params_keys():
    with pytest.raises(ParamsError, match="customers_path and orders_path are both empty"):
        run_segmentation(None, None)
    with pytest.raises(ParamsError, match=r"scaling must be one of standard, robust, none; got 'z'"):
        run_segmentation(CUSTOMERS, None, features=["income"], scaling="z")
    with pytest.raises(TypeError, match=r"unknown parameter\(s\) \['kk'\]"):
        run_segmentation(CUSTOMERS, None, kk=3)
