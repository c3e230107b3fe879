"""Segmentation against scikit-learn's silhouette / ARI on an independently encoded matrix, planted
clusters, hand-computed affinity indices, and the sample data's planted segments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, silhouette_score

from workbench.analysis.customers.profiles import (
    affinity_index,
    profile_segments,
    segment_names,
    segment_trait_affinity,
)
from workbench.analysis.customers.segmentation import MultiValueIndicator, segment_customers

PLANTED_ARI_THRESHOLD = 0.6  # sample data: planted segments must be recovered at least this well


def planted_frame(n=900, seed=0):
    """Three groups separated in two numeric columns, a categorical and a multi-valued column."""
    X, y = make_blobs(n_samples=n, centers=[[0, 0], [6, 0], [0, 6]], cluster_std=0.8, random_state=seed)
    city = np.array(["urban", "rural", "suburban"])[y]
    interests = np.array(["tech;gaming", "garden", "travel;food"])[y]
    frame = pd.DataFrame({"x1": X[:, 0] * 10, "x2": X[:, 1], "city_type": city, "interests": interests})
    return frame, y


def independent_matrix(frame):
    """StandardScaler + one-hot + multi-value indicators written with plain pandas/numpy."""
    num = frame[["x1", "x2"]].astype(float)
    num = (num - num.mean()) / num.std(ddof=0)
    cat = pd.get_dummies(frame["city_type"], dtype=float)
    multi = frame["interests"].str.get_dummies(sep=";").astype(float)
    return np.hstack([num.to_numpy(), cat.to_numpy(), multi.to_numpy()])


def test_recovers_planted_clusters_and_silhouette_matches_sklearn():
    frame, y = planted_frame()
    res = segment_customers(frame, ["x1", "x2", "city_type", "interests"], k_range=(2, 6), n_boot=5)
    assert res.k == 3
    assert adjusted_rand_score(y, res.labels) > 0.95
    X = independent_matrix(frame)
    assert res.silhouette == pytest.approx(silhouette_score(X, res.labels.to_numpy()), abs=1e-4)
    assert res.k_scores["k"].tolist() == [2, 3, 4, 5, 6]
    assert res.k_scores["inertia"].is_monotonic_decreasing
    assert res.stability["ari_mean"] > 0.95
    assert res.feature_kinds == {"x1": "numeric", "x2": "numeric", "city_type": "categorical", "interests": "multi"}


def test_labels_indexed_like_frame_and_numbered_by_size():
    frame, _ = planted_frame(n=600)
    frame.index = [f"c{i}" for i in range(len(frame))]
    frame = frame.iloc[np.r_[0:600:1]].copy()
    # make one cluster larger
    frame = pd.concat(
        [frame, frame[frame["interests"] == "garden"].assign(x2=lambda d: d.x2 + 0.01).rename(index=lambda i: i + "b")]
    )
    res = segment_customers(frame, ["x1", "x2"], k=3, n_boot=2)
    assert res.labels.index.equals(frame.index)
    sizes = res.labels.value_counts()
    assert sorted(res.labels.unique()) == [1, 2, 3]
    assert sizes[1] >= sizes[2] >= sizes[3]
    assert res.k_fixed


def test_fixed_k_and_sampled_path_for_large_frames():
    frame, y = planted_frame(n=3000, seed=3)
    res = segment_customers(frame, ["x1", "x2"], k=3, sample_size=400, silhouette_size=300, n_boot=3)
    assert res.k == 3 and res.n_sample == 400 and len(res.labels) == 3000
    assert adjusted_rand_score(y, res.labels) > 0.95


def test_stability_lower_on_structureless_data():
    rng = np.random.default_rng(1)
    noise = pd.DataFrame(rng.uniform(size=(600, 2)), columns=["a", "b"])
    frame, _ = planted_frame(n=600)
    clean = segment_customers(frame, ["x1", "x2"], k=3, n_boot=10)
    fuzzy = segment_customers(noise, ["a", "b"], k=6, n_boot=10)
    assert fuzzy.stability["ari_mean"] < clean.stability["ari_mean"]
    # an independent recomputation of one bootstrap ARI lies in [-1, 1]; the mean of ours too
    assert -1 <= fuzzy.stability["ari_low"] <= fuzzy.stability["ari_mean"] <= 1


def test_missing_values_are_imputed_and_counted():
    frame, y = planted_frame(n=600)
    frame.loc[frame.index[:25], "x2"] = np.nan
    frame.loc[frame.index[5:15], "city_type"] = None
    res = segment_customers(frame, ["x1", "x2", "city_type"], k=3, n_boot=2)
    missing = res.missing.set_index("feature")["missing"]
    assert missing.to_dict() == {"x1": 0, "x2": 25, "city_type": 10}
    assert res.n_missing == 35
    assert res.labels.notna().all()


def test_multi_value_indicator():
    mv = MultiValueIndicator().fit(pd.DataFrame({"i": ["a;b", "b", None, "c ; a"]}))
    assert mv.get_feature_names_out().tolist() == ["i__a", "i__b", "i__c"]
    assert mv.transform(pd.DataFrame({"i": ["a;b", "b", None, "c ; a"]})).tolist() == [
        [1, 1, 0],
        [0, 1, 0],
        [0, 0, 0],
        [1, 0, 1],
    ]


def test_affinity_index_hand_computed():
    # 10 customers: segment 1 = 4 customers, 3 of them female; base: 5 of 10 female
    frame = pd.DataFrame(
        {
            "gender": ["f", "f", "f", "m", "f", "f", "m", "m", "m", "m"],
            "interest_tech": [1, 1, 0, 0, 1, 0, 0, 0, 0, 0],
            "monetary": [10, 10, 10, 10, 5, 5, 5, 5, 5, 5],
            "frequency": [2, 2, 2, 2, 1, 1, 1, 1, 1, 1],
        }
    )
    labels = pd.Series([1, 1, 1, 1, 2, 2, 2, 2, 2, 2])
    t = segment_trait_affinity(frame, labels).set_index(["segment", "trait"])
    assert t.loc[(1, "gender: f"), "affinity"] == pytest.approx(0.75 / 0.5 * 100)  # 150
    assert t.loc[(2, "gender: f"), "affinity"] == pytest.approx((2 / 6) / 0.5 * 100)  # 66.7
    assert t.loc[(1, "interest_tech"), "affinity"] == pytest.approx(0.5 / 0.3 * 100)  # 166.7
    assert affinity_index(0.2, 0.0) != affinity_index(0.2, 0.0)  # NaN on an empty base
    prof = profile_segments(frame, labels).set_index("segment")
    assert prof.loc[1, "share_customers"] == pytest.approx(0.4)
    assert prof.loc[1, "share_revenue"] == pytest.approx(40 / 70)
    assert prof.loc[1, "aov"] == pytest.approx(40 / 8)
    names = segment_names(frame, labels)
    assert "tech enthusiasts" in names[1] and "frequent buyers" in names[1]


def test_bad_arguments_name_the_parameter():
    frame, _ = planted_frame(n=100)
    with pytest.raises(ValueError, match="features"):
        segment_customers(frame, ["nope"])
    with pytest.raises(ValueError, match="k_range"):
        segment_customers(frame, ["x1"], k_range=(1, 3))
    with pytest.raises(ValueError, match="k must be"):
        segment_customers(frame, ["x1"], k=1)
    with pytest.raises(ValueError, match="scaling"):
        segment_customers(frame, ["x1"], k=2, scaling="minmax")


def test_planted_segments_in_sample_data_are_recovered(sample_data):
    """The sample generator plants segments (data/sample/_truth/segments.csv); the notebook's default
    features must find them with ARI above PLANTED_ARI_THRESHOLD."""
    from workbench.analysis.customers.features import build_customer_features, select_features
    from workbench.data import load

    truth_path = sample_data / "_truth" / "segments.csv"
    if not truth_path.exists():
        pytest.skip("sample data generator writes no _truth/segments.csv")
    import yaml

    from workbench.config import project_root

    params = yaml.safe_load((project_root() / "params" / "segmentation" / "all_customers.yaml").read_text())
    customers = load("customers", sample_data / "customers.csv")
    orders = load("orders", sample_data / "orders.csv")
    sessions = load("sessions", sample_data / "sessions.csv")
    feats = build_customer_features(customers, orders, sessions)
    res = segment_customers(
        feats,
        select_features(feats, params["features"]),
        k=params.get("k") or None,
        k_range=tuple(params.get("k_range", (2, 8))),
        n_boot=3,
    )
    truth = pd.read_csv(truth_path)
    merged = feats[["customer_id"]].assign(found=res.labels.to_numpy()).merge(truth, on="customer_id")
    assert len(merged) == len(truth)
    assert adjusted_rand_score(merged["true_segment"], merged["found"]) > PLANTED_ARI_THRESHOLD


def test_fast_silhouette_equals_sklearn():
    from workbench.analysis.customers.segmentation import fast_silhouette

    rng = np.random.default_rng(5)
    X, y = make_blobs(n_samples=700, centers=4, n_features=6, random_state=2)
    y[:3] = 9  # a tiny cluster
    y[10] = 11  # a singleton (silhouette 0 by convention)
    assert fast_silhouette(X, y, chunk=128) == pytest.approx(silhouette_score(X, y), abs=1e-10)
    labels = rng.integers(0, 3, 300)
    Z = rng.normal(size=(300, 3))
    assert fast_silhouette(Z, labels) == pytest.approx(silhouette_score(Z, labels), abs=1e-10)


def test_silhouettes_of_several_labelings_equal_sklearn():
    from workbench.analysis.customers.segmentation import silhouettes

    X, _ = make_blobs(n_samples=400, centers=5, n_features=4, random_state=7)
    rng = np.random.default_rng(0)
    labelings = [rng.integers(0, k, len(X)) for k in (2, 3, 6)]
    got = silhouettes(X, labelings, chunk=100)
    assert got == pytest.approx([silhouette_score(X, lab) for lab in labelings], abs=1e-10)


def test_mall_customers_five_clusters_on_income_and_spending(reference_data):
    """Real data: the Mall customers set (200 customers). On annual income × spending score the
    silhouette famously peaks at k = 5, with the published groups (sizes 81/39/35/23/22: average
    income and spending; high income high spending; high income low spending; low income low
    spending; low income high spending). Silhouette and labels checked against scikit-learn."""
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    mall = pd.read_csv(reference_data / "mall_customers.csv").rename(columns={"x": "income_k"})
    res = segment_customers(mall, ["income_k", "Spending_Score"], k_range=(2, 10), n_boot=10)
    assert res.k == 5
    X = StandardScaler().fit_transform(mall[["income_k", "Spending_Score"]])
    assert res.silhouette == pytest.approx(silhouette_score(X, res.labels), abs=1e-6)
    ref = KMeans(n_clusters=5, n_init=10, random_state=0).fit_predict(X)
    assert adjusted_rand_score(ref, res.labels) > 0.95
    for kk in (3, 4, 6, 7):  # every other k scores lower, as scikit-learn's own fits say
        alt = KMeans(n_clusters=kk, n_init=10, random_state=0).fit_predict(X)
        assert silhouette_score(X, alt) < res.silhouette
    centers = res.centers.round(0)
    published = {(55, 50): 81, (87, 82): 39, (88, 17): 35, (26, 21): 23, (26, 79): 22}
    sizes = res.labels.value_counts()
    for (income, score), size in published.items():
        hit = centers[((centers["income_k"] - income).abs() <= 1) & ((centers["Spending_Score"] - score).abs() <= 1)]
        assert len(hit) == 1, (income, score, centers)
        assert sizes[hit.index[0]] == size
    assert res.stability["ari_mean"] > 0.8


def test_mall_customers_mixed_features_with_missing_values(reference_data):
    """Mixed numeric + categorical real data with gaps: gender is one-hot encoded, missing ages are
    imputed with the median and counted, and the encoded matrix matches an independent encoding."""
    mall = pd.read_csv(reference_data / "mall_customers.csv").rename(columns={"x": "income_k"})
    mall.loc[mall.index[::20], "Age"] = np.nan  # 10 gaps
    mall.loc[mall.index[5::50], "Genre"] = None  # 4 gaps
    res = segment_customers(mall, ["Genre", "Age", "income_k", "Spending_Score"], k=4, n_boot=3)
    miss = res.missing.set_index("feature")
    assert miss.loc["Age", "missing"] == 10 and miss.loc["Age", "imputed_with"] == "median"
    assert miss.loc["Genre", "missing"] == 4 and miss.loc["Genre", "kind"] == "categorical"
    assert res.n_missing == 14
    num = mall[["Age", "income_k", "Spending_Score"]].fillna(mall[["Age"]].median())
    num = (num - num.mean()) / num.std(ddof=0)
    cat = pd.get_dummies(mall["Genre"].fillna("missing"), dtype=float)
    X = np.hstack([num.to_numpy(), cat.to_numpy()])
    assert res.silhouette == pytest.approx(silhouette_score(X, res.labels), abs=1e-5)
