"""RFM scores against hand-computed quintiles (with ties) and pandas' rank as an independent reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analysis.customers.rfm import (
    RFM_GROUPS,
    rfm_group,
    rfm_group_rules,
    rfm_group_summary,
    score_rfm,
    tie_aware_quintile,
)


def test_ten_distinct_values_give_exact_quintiles():
    assert tie_aware_quintile(np.arange(1, 11)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_ties_get_equal_scores_when_half_share_one_value():
    # six one-time buyers (60 %): all F=1; twos have 6 of 10 strictly below -> 1 + floor(3.0) = 4
    freq = [1, 1, 1, 1, 1, 1, 2, 2, 3, 5]
    assert tie_aware_quintile(freq).tolist() == [1] * 6 + [4, 4, 5, 5]
    # exactly half: 5 of 10 below -> 1 + floor(2.5) = 3
    assert tie_aware_quintile([1] * 5 + [2] * 5).tolist() == [1] * 5 + [3] * 5


def test_recency_is_inverted():
    # strictly worse = strictly longer ago: 0 days -> 3 of 4 worse -> 1 + floor(3.75) = 4
    assert tie_aware_quintile([0, 10, 10, 50], higher_is_better=False).tolist() == [4, 2, 2, 1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=80))
def test_matches_pandas_min_rank_and_keeps_ties(values):
    s = pd.Series(values, dtype=float)
    expected = (1 + np.floor(5 * (s.rank(method="min") - 1) / len(s))).astype(int)
    got = tie_aware_quintile(s)
    assert got.tolist() == expected.tolist()
    assert got.min() >= 1 and got.max() <= 5
    for v in set(values):  # equal values, equal scores
        assert len(set(got[s.to_numpy() == v])) == 1


def test_score_rfm_hand_computed():
    orders = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5", "o6", "o7"],
            "customer_id": ["a", "a", "a", "b", "c", "c", "d"],
            "order_date": [
                "2025-01-01",
                "2025-03-01",
                "2025-03-30",
                "2025-02-01",
                "2025-03-20",
                "2025-03-25",
                "2025-04-15",
            ],  # o7 is after as_of: ignored
            "revenue": [10.0, 20.0, 30.0, 100.0, 5.0, 5.0, 999.0],
        }
    )
    out = score_rfm(orders, as_of="2025-03-31").set_index("customer_id")
    assert list(out.index) == ["a", "b", "c"]
    assert out["recency_days"].tolist() == [1, 58, 6]
    assert out["frequency"].tolist() == [3, 1, 2]
    assert out["monetary"].tolist() == [60.0, 100.0, 10.0]
    # n=3: R: a has 2 worse -> 1+floor(10/3)=4; b 0 -> 1; c 1 -> 1+floor(5/3)=2
    assert out["r_score"].tolist() == [4, 1, 2]
    assert out["f_score"].tolist() == [4, 1, 2]
    assert out["m_score"].tolist() == [2, 4, 1]
    assert out["rfm_score"].tolist() == ["442", "114", "221"]
    # FM = (F+M+1)//2: a (4+2+1)//2=3 -> R4·FM3 Potential loyalists; b (1+4+1)//2=3 -> R1·FM3 At risk;
    # c (2+1+1)//2=2 -> R2·FM2 Hibernating
    assert out["rfm_group"].astype(str).tolist() == ["Potential loyalists", "At risk", "Hibernating"]


def test_default_as_of_is_last_order_and_orders_without_id_counted_by_row():
    orders = pd.DataFrame(
        {"customer_id": [1, 1, 2], "order_date": ["2025-01-01", "2025-01-05", "2025-01-03"], "revenue": [1, 2, 3]}
    )
    out = score_rfm(orders)
    assert out["recency_days"].tolist() == [0, 2]
    assert out["frequency"].tolist() == [2, 1]


def test_group_grid_documented_cells():
    assert rfm_group([5], [5], [5])[0] == "Champions"
    assert rfm_group([1], [1], [1])[0] == "Lost"
    assert rfm_group([1], [5], [5])[0] == "Cannot lose them"
    assert rfm_group([5], [1], [1])[0] == "New"
    assert rfm_group([3], [3], [3])[0] == "Need attention"
    assert rfm_group([2], [1], [2])[0] == "Hibernating"  # FM = 2


def test_rules_table_covers_every_cell_once():
    rules = rfm_group_rules()
    assert rules["rfm_group"].tolist() == RFM_GROUPS
    cells = [c.strip() for txt in rules["cells"] for c in txt.split(",")]
    assert len(cells) == 25 and len(set(cells)) == 25
    # every (R, FM) cell maps back to the group listing it
    for _, row in rules.iterrows():
        for c in row["cells"].split(","):
            r, fm = int(c.strip()[1]), int(c.strip()[-1])
            f = m = fm  # (F+M+1)//2 == fm when F == M == fm
            assert rfm_group([r], [f], [m])[0] == row["rfm_group"]


def test_group_summary_shares():
    orders = pd.DataFrame(
        {"customer_id": list("aabbc"), "order_date": ["2025-01-01"] * 5, "revenue": [1.0, 1.0, 3.0, 3.0, 2.0]}
    )
    rfm = score_rfm(orders)
    summary = rfm_group_summary(rfm)
    assert summary["customers"].sum() == 3
    assert summary["share_revenue"].sum() == pytest.approx(1.0)
    assert summary["rfm_group"].tolist() == RFM_GROUPS


def test_bad_input_names_the_column():
    with pytest.raises(ValueError, match="revenue"):
        score_rfm(pd.DataFrame({"customer_id": [1], "order_date": ["2025-01-01"]}))
    with pytest.raises(ValueError, match="as_of"):
        score_rfm(pd.DataFrame({"customer_id": [1], "order_date": ["2025-01-01"], "revenue": [1]}), as_of="nope")


def test_cdnow_ties_half_the_buyers_share_one_frequency(reference_data):
    """Real data (CDNOW, 2,357 customers): about half bought once. They must all share F = 1, the
    two-time buyers start where their rank reaches, and no tie is split — checked against pandas'
    min-rank on independently counted values; R and M, with few ties, stay close to fifths."""
    orders = pd.read_csv(reference_data / "cdnow_sample_orders.csv", parse_dates=["order_date"])
    rfm = score_rfm(orders).set_index("customer_id")
    n = len(rfm)
    assert n == orders["customer_id"].nunique() == 2357
    counts = orders.groupby("customer_id")["order_id"].nunique()
    assert rfm["frequency"].equals(counts.reindex(rfm.index).rename("frequency"))
    once = counts == 1
    assert 0.5 < once.mean() < 0.52  # the tie the scores must survive
    with pytest.raises(ValueError, match="Bin edges must be unique"):
        pd.qcut(counts, 5)  # plain quintiles cannot even be formed
    # independent reference: 1 + floor(5 × (min-rank − 1) / n), ranks from pandas
    for col, score, sign in (("frequency", "f_score", 1), ("monetary", "m_score", 1), ("recency_days", "r_score", -1)):
        ref = 1 + np.floor(5 * ((sign * rfm[col]).rank(method="min") - 1) / n)
        assert rfm[score].astype(int).tolist() == ref.astype(int).tolist(), score
        assert (rfm.groupby(col)[score].nunique() == 1).all(), f"a tie in {col} was split"
    assert set(rfm.loc[once.reindex(rfm.index).to_numpy(), "f_score"]) == {1}
    twice = rfm["frequency"] == 2
    assert set(rfm.loc[twice, "f_score"]) == {1 + int(5 * once.sum() // n)} == {3}  # F = 2 is skipped
    assert 2 not in set(rfm["f_score"])
    for score in ("r_score", "m_score"):  # few ties: each score holds about a fifth
        shares = rfm[score].value_counts(normalize=True)
        assert sorted(shares.index) == [1, 2, 3, 4, 5] and (shares.sub(0.2).abs() < 0.02).all(), score
    # every CDNOW customer was acquired in Q1 1997, 15+ months before the data end (1998-06-30), so a
    # one-time buyer can never be recent: the "New" cell (R5, FM1) is empty and one-time buyers sit low
    assert (rfm["rfm_group"] == "New").sum() == 0
    assert rfm.loc[once.reindex(rfm.index).to_numpy(), "recency_days"].min() >= 455
    summary = rfm_group_summary(rfm.reset_index())
    assert summary["customers"].sum() == n and summary["share_revenue"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("n", [5, 7, 10, 11, 13, 24, 25, 101])
def test_distinct_values_give_near_equal_fifths_exact_only_when_n_divides_by_5(n):
    """Issue 16: the scores are fifths of the ranking; each holds ⌊n/5⌋ or ⌈n/5⌉ customers, and all
    hold n/5 only when 5 divides n. Reference: the score by its definition, counted by a plain loop."""
    values = np.random.default_rng(n).permutation(n).astype(float)
    scores = tie_aware_quintile(values)
    by_definition = [1 + (5 * sum(w < v for w in values)) // n for v in values]
    assert scores.tolist() == by_definition
    sizes = np.bincount(scores, minlength=6)[1:]
    assert set(sizes) <= {n // 5, -(-n // 5)}
    assert (len(set(sizes)) == 1) == (n % 5 == 0)
    if n == 7:
        assert sorted(scores.tolist()) == [1, 1, 2, 3, 3, 4, 5]  # the docstring's example
