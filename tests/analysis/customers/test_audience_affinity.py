"""Affinity index: hand-computed cases, tests against statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from workbench.analysis.customers.affinity import affinity, split_multi, two_proportion_z


def test_single_valued_hand_computed():
    audience = ["a", "a", "b", None]
    base = ["a", "a", "b", None, "b", "b", "c", "c"]
    t = affinity(audience, base).set_index("value")
    # base: 7 answered (a 2, b 3, c 2); audience: 3 answered (a 2, b 1)
    assert t.loc["a", "audience_total"] == 3 and t.loc["a", "base_total"] == 7
    assert t.loc["a", "audience_share"] == pytest.approx(2 / 3)
    assert t.loc["a", "base_share"] == pytest.approx(2 / 7)
    assert t.loc["a", "index"] == pytest.approx(233.3333, rel=1e-5)
    assert t.loc["b", "index"] == pytest.approx(77.7778, rel=1e-5)
    assert t.loc["c", "index"] == 0 and t.loc["c", "audience_n"] == 0
    assert list(t.index) == ["a", "b", "c"]  # sorted by audience share


def test_multi_valued_counts_units_not_mentions():
    audience = ["x;y", "x", " y ; y", ""]
    base = audience + ["z", "x;z", np.nan]
    t = affinity(audience, base, sep=";").set_index("value")
    assert t.loc["x", "audience_total"] == 3  # the empty answer is missing
    assert t.loc["y", "audience_n"] == 2  # "y ; y" counts once
    assert t.loc["x", "index"] == pytest.approx((2 / 3) / (3 / 5) * 100)
    assert t.loc["y", "index"] == pytest.approx((2 / 3) / (2 / 5) * 100)
    assert t.loc["z", "index"] == 0
    assert t["audience_share"].sum() > 1  # shares of units, may exceed 100% in total


def test_split_multi():
    s = split_multi(pd.Series(["a; b", "", None, "b;b"]))
    assert s.iloc[0] == frozenset({"a", "b"}) and s.iloc[3] == frozenset({"b"})
    assert pd.isna(s.iloc[1]) and pd.isna(s.iloc[2])
    assert split_multi(pd.Series([{"a", " b"}, []])).tolist()[0] == frozenset({"a", "b"})
    with pytest.raises(ValueError, match="sep"):
        split_multi(["a"], sep="")


def test_test_against_statsmodels_rest_of_base():
    rng = np.random.default_rng(1)
    base = pd.Series(rng.choice(["m", "d", "t"], size=2000, p=[0.5, 0.4, 0.1]))
    aud_idx = rng.choice(2000, size=300, replace=False)
    audience = base.iloc[aud_idx]
    rest = base.drop(base.index[aud_idx])
    t = affinity(audience, base).set_index("value")
    for v in ["m", "d", "t"]:
        z, p = proportions_ztest([int((audience == v).sum()), int((rest == v).sum())], [len(audience), len(rest)])
        assert t.loc[v, "z"] == pytest.approx(z, rel=1e-9)
        assert t.loc[v, "p_value"] == pytest.approx(p, rel=1e-9)
        low, high = proportion_confint(int((audience == v).sum()), len(audience), method="wilson")
        assert t.loc[v, "share_low"] == pytest.approx(low, rel=1e-9)
        assert t.loc[v, "share_high"] == pytest.approx(high, rel=1e-9)
    adj = multipletests(t["p_value"].to_numpy(), method="fdr_bh")[1]
    np.testing.assert_allclose(t["p_adjusted"].to_numpy(), adj, rtol=1e-12)


def test_separate_groups_and_direction():
    audience = ["m"] * 80 + ["d"] * 20
    base = ["m"] * 40 + ["d"] * 60
    t = affinity(audience, base, audience_in_base=False).set_index("value")
    z, p = proportions_ztest([80, 40], [100, 100])
    assert t.loc["m", "z"] == pytest.approx(z) and t.loc["m", "p_value"] == pytest.approx(p)
    assert t.loc["m", "direction"] == "over" and t.loc["d", "direction"] == "under"
    # same shares, not different
    t2 = affinity(["m", "d"], ["m", "d", "m", "d"]).set_index("value")
    assert set(t2["direction"]) == {"similar"}


def test_audience_not_subset_is_an_error():
    with pytest.raises(ValueError, match="subset"):
        affinity(["a", "a", "a"], ["a", "b"])


def test_bad_arguments():
    with pytest.raises(ValueError, match="alpha"):
        affinity(["a"], ["a"], alpha=1.5)
    with pytest.raises(ValueError, match="sep"):
        affinity(["a"], ["a"], sep="")


def test_whole_base_audience_has_no_test():
    t = affinity(["a", "b"], ["a", "b"])
    assert t["index"].tolist() == [100.0, 100.0]
    assert t["p_value"].isna().all() and set(t["direction"]) == {"similar"}


def test_two_proportion_z_vs_statsmodels_vectorised():
    x1, n1, x2, n2 = np.array([5, 30, 0]), np.array([20, 100, 10]), np.array([9, 25, 3]), np.array([60, 90, 12])
    z, p = two_proportion_z(x1, n1, x2, n2)
    for i in range(3):
        zs, ps = proportions_ztest([x1[i], x2[i]], [n1[i], n2[i]])
        assert z[i] == pytest.approx(zs) and p[i] == pytest.approx(ps)
