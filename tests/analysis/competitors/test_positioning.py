"""Positioning map and distinct strengths; PCA checked against numpy's SVD (independent of sklearn)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.competitors.positioning import attribute_matrix, distinct_strengths, positioning_map

SCORES = {"Us": [8, 7, 5, 6], "A": [6, 8, 4, 7], "B": [5, 5, 9, 3], "C": [7, 6, 6, 5], "D": [4, 3, 8, 6]}
ATTRS = ["quality", "service", "price", "design"]


@pytest.fixture
def ba():
    return pd.DataFrame(
        [(b, a, s) for b, v in SCORES.items() for a, s in zip(ATTRS, v, strict=False)],
        columns=["brand", "attribute", "score"],
    )


def test_price_quality_map(ba):
    price = pd.Series({"Us": 1.0, "A": 1.3, "B": 0.8, "C": np.nan, "D": 0.9})
    m = positioning_map(ba, "Us", price)
    assert m.method == "price_quality" and m.y_label == "Perceived quality (quality)"
    pts = m.points.set_index("brand")
    assert set(pts.index) == {"Us", "A", "B", "D"}  # C has no price
    assert pts.loc["A", "x"] == 1.3 and pts.loc["A", "y"] == 6 and pts.loc["Us", "is_us"]


def test_quality_falls_back_to_mean_of_attributes(ba):
    m = positioning_map(ba[ba["attribute"] != "quality"], "Us", pd.Series({"Us": 1.0, "A": 1.2}))
    assert m.points.set_index("brand").loc["Us", "y"] == pytest.approx((7 + 5 + 6) / 3)
    assert "mean of all attributes" in m.y_label


def test_pca_matches_svd(ba):
    m = positioning_map(ba, "Us", None)  # auto without prices → PCA
    assert m.method == "pca"
    x = np.array([SCORES[b] for b in SCORES], dtype=float)
    z = (x - x.mean(0)) / x.std(0)
    u, s, vt = np.linalg.svd(z, full_matrices=False)
    ref = u[:, :2] * s[:2]
    got = m.points.set_index("brand").loc[list(SCORES), ["x", "y"]].to_numpy()
    # principal axes are defined up to sign; match on the columns' signs
    signs = np.sign((ref * got).sum(0))
    np.testing.assert_allclose(got, ref * signs, atol=1e-9)
    assert m.explained_variance == pytest.approx(list(s[:2] ** 2 / (s**2).sum()))
    assert m.x_label.startswith("PC1 (")


def test_pca_needs_enough_data(ba):
    with pytest.raises(ValueError, match="needs ≥ 3 brands"):
        positioning_map(ba[ba["brand"].isin(["Us", "A"])], "Us", method="pca")
    with pytest.raises(ValueError, match="positioning_method must be one of"):
        positioning_map(ba, "Us", method="tsne")
    with pytest.raises(ValueError, match="needs price_index"):
        positioning_map(ba, "Us", None, method="price_quality")


def test_distinct_strengths(ba):
    st = distinct_strengths(ba, "Us", top=0)
    first = st.iloc[0]
    # quality: us 8, best rival 7 (C) → lead 1; the only attribute where no rival matches us
    assert first.attribute == "quality" and first.lead_over_best == 1 and first.best_rival_brand == "C"
    assert first.rivals_mean == pytest.approx((6 + 5 + 7 + 4) / 4)
    assert (st["lead_over_best"].iloc[1:] <= 0).all()
    with pytest.raises(ValueError, match="no scores for our brand 'Z'"):
        distinct_strengths(ba, "Z")


def test_attribute_matrix_averages_duplicates():
    m = attribute_matrix(pd.DataFrame({"brand": ["a", "a"], "attribute": ["q", "q"], "score": [1, 3]}))
    assert m.loc["a", "q"] == 2
