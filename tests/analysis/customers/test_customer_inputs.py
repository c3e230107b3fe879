"""Customer tables as marketers have them: orders alone, own columns, wide CRM exports, unscaled features."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from workbench.analysis.customers.features import (
    build_customer_features,
    customers_from_orders,
    own_columns,
    select_features,
)
from workbench.analysis.customers.segmentation import segment_customers
from workbench.analysis.customers.wide import WideColumnsError, resolve_wide_columns, wide_features

ORDERS = pd.DataFrame(
    {
        "order_id": ["o1", "o2", "o3", "o4"],
        "customer_id": ["b", "a", "b", "c"],
        "order_date": pd.to_datetime(["2025-01-05 10:00", "2025-02-01 00:00", "2025-03-01 00:00", "2025-03-31 23:00"]),
        "revenue": [10.0, 20.0, 30.0, 5.0],
    }
)


def test_customers_from_orders_first_order_is_signup():
    got = customers_from_orders(ORDERS).set_index("customer_id")["signup_date"]
    assert got.to_dict() == {
        "a": pd.Timestamp("2025-02-01"),
        "b": pd.Timestamp("2025-01-05"),
        "c": pd.Timestamp("2025-03-31"),
    }


def test_features_from_orders_alone_count_tenure_from_first_order():
    feats = build_customer_features(customers_from_orders(ORDERS), ORDERS).set_index("customer_id")
    # as of the last order day 2025-03-31: b first bought 2025-01-05 (85 days), last 2025-03-01 (30 days)
    assert feats.loc["b", "tenure_days"] == 85 and feats.loc["b", "recency_days"] == 30
    assert feats.loc["b", "frequency"] == 2 and feats.loc["b", "monetary"] == 40.0 and feats.loc["b", "aov"] == 20.0
    assert select_features(feats.reset_index(), ["behaviour"])[:4] == [
        "tenure_days",
        "recency_days",
        "frequency",
        "monetary",
    ]


def test_customers_alone_keep_their_own_columns_numeric_and_categorical():
    customers = pd.DataFrame(
        {
            "customer_id": ["1", "2", "3"],
            "genre": ["Male", "Female", None],
            "x": [15, 16, 17],
            "vip": [True, False, True],
            "joined": pd.to_datetime(["2024-01-01"] * 3),
        }
    )
    feats = build_customer_features(customers)
    assert list(feats.columns) == ["customer_id", "genre", "x", "vip"]  # dates are not features
    assert feats["x"].tolist() == [15.0, 16.0, 17.0] and feats["vip"].tolist() == [1.0, 0.0, 1.0]
    assert feats["genre"].tolist()[:2] == ["Male", "Female"] and pd.isna(feats["genre"].iloc[2])
    # a name clashing with a derived feature is kept under customers_<name>
    assert list(own_columns(pd.DataFrame({"customer_id": ["1"], "frequency": [3]}), {"frequency"})) == [
        "customers_frequency"
    ]


def test_unknown_feature_names_close_matches_and_groups():
    feats = build_customer_features(customers_from_orders(ORDERS), ORDERS)
    with pytest.raises(
        ValueError, match=r"'frequncy' matches no column.*Did you mean 'frequency'\?.*group: .*behaviour"
    ):
        select_features(feats, ["frequncy"])


def test_scaling_none_clusters_in_the_data_units_as_sklearn_does():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"income": rng.normal(60, 25, 300), "score": rng.uniform(1, 100, 300)})
    res = segment_customers(frame, ["income", "score"], k=4, scaling="none", n_boot=2)
    X = frame.to_numpy()
    ref = KMeans(4, n_init=4, random_state=42).fit_predict(X)
    assert res.silhouette == pytest.approx(silhouette_score(X, ref), abs=1e-6)
    assert res.silhouette == pytest.approx(silhouette_score(X, res.labels.to_numpy()), abs=1e-6)
    with pytest.raises(ValueError, match=r"scaling must be one of standard, robust, none; got 'minmax'"):
        segment_customers(frame, ["income"], k=2, scaling="minmax")


WIDE = pd.DataFrame(
    {
        "customer_id": ["1", "2", "3"],
        "mntwines": [60, 0, 5],
        "mntfruits": [40, 0, 15],
        "numwebpurchases": [1, 0, 4],
        "numstorepurchases": [3, 0, 1],
        "numwebvisitsmonth": [7, 2, 0],
        "acceptedcmp1": [1, 0, 0],
        "response": [1, 0, 1],
        "education": ["PhD", "Basic", "PhD"],
    }
)
SPEC = {
    "spend_by_category": "Mnt*",
    "purchases_by_place": "Num*Purchases",
    "visits": "NumWebVisitsMonth",
    "campaign_responses": ["AcceptedCmp*", "Response"],
}


def test_wide_columns_resolve_globs_labels_and_mappings():
    wide = resolve_wide_columns(WIDE, SPEC)
    assert wide.get("spend_by_category") == {"mntwines": "wines", "mntfruits": "fruits"}
    assert wide.get("purchases_by_place") == {"numwebpurchases": "web", "numstorepurchases": "store"}
    assert wide.get("campaign_responses") == {"acceptedcmp1": "acceptedcmp1", "response": "response"}
    mapped = resolve_wide_columns(WIDE, {"spend_by_category": {"MntWines": "wine"}})
    assert mapped.get("spend_by_category") == {"mntwines": "wine"}


def test_wide_features_by_hand():
    feats = wide_features(WIDE, resolve_wide_columns(WIDE, SPEC))
    assert feats["spend_total"].tolist() == [100, 0, 20]
    assert feats["spend_share_wines"].iloc[0] == 0.6 and np.isnan(feats["spend_share_wines"].iloc[1])
    assert feats["main_spend_category"].fillna("-").tolist() == ["wines", "-", "fruits"]
    assert feats["purchases_total"].tolist() == [4, 0, 5] and feats["main_place"].fillna("-").tolist() == [
        "store",
        "-",
        "web",
    ]
    assert feats["place_share_web"].iloc[2] == 0.8
    assert feats["visits"].tolist() == [7, 2, 0] and feats["campaigns_accepted"].tolist() == [2, 0, 1]


def test_wide_columns_errors_name_key_pattern_and_close_columns():
    with pytest.raises(
        WideColumnsError, match=r"unknown meaning 'spend_by_categroy'.*Did you mean 'spend_by_category'"
    ):
        resolve_wide_columns(WIDE, {"spend_by_categroy": "Mnt*"})
    with pytest.raises(WideColumnsError, match=r"\['visits'\]: 'NumWebVisit' matches no column.*'numwebvisitsmonth'"):
        resolve_wide_columns(WIDE, {"visits": "NumWebVisit"})
    with pytest.raises(WideColumnsError, match=r"column 'education' holds text"):
        resolve_wide_columns(WIDE, {"visits": "education"})
