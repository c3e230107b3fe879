"""SEO visibility and keyword gap: hand-computed cases and a brute-force re-implementation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.competitors.seo import (
    DEFAULT_CTR,
    ctr,
    ctr_table,
    keyword_gap,
    latest_rankings,
    normalised_difficulty,
    visibility,
)


def _rankings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "keyword": ["k1", "k1", "k2", "k2", "k3", "k3", "k4", "k4", "k4"],
            "domain": ["us.com", "a.com", "us.com", "b.com", "https://www.a.com/", "b.com", "us.com", "a.com", "c.com"],
            "position": [3, 5, 15, 1, 2, 8, 25, 4, 50],
            "search_volume": [1000, 1000, 500, 500, 2000, 2000, 300, 300, 300],
            "difficulty": [40, 40, 20, 20, 80, 80, 10, 10, 10],
        }
    )


def test_ctr_curve_values_and_tail():
    t = ctr_table()
    # SISTRIX 2020 CTR study, published values (positions 1-4 and 10)
    assert [t[p] for p in (1, 2, 3, 4, 10)] == [0.285, 0.157, 0.110, 0.080, 0.025]
    assert all(t[p] > t[p + 1] for p in range(1, 10))  # interpolated 5-9 keep the curve decreasing
    assert t[11] == pytest.approx(0.00063) and t[20] == pytest.approx(0.00063) and t[21] == 0
    assert list(ctr([1, 2.4, np.nan, 0, 150], t)) == [0.285, 0.157, 0.0, 0.0, 0.0]
    custom = ctr_table({"1": 0.5, 2: 0.25}, tail_ctr=0.0)
    assert custom[1] == 0.5 and custom[2] == 0.25 and custom[3] == 0


@pytest.mark.parametrize(
    "curve,tail,match",
    [
        ({1: 1.5}, 0.0, r"ctr_curve\[1\]"),
        ({0: 0.1}, 0.0, "position"),
        ({"x": 0.1}, 0.0, "not an integer"),
        ({1: 0.3}, -0.1, "ctr_tail"),
        ({}, 0.0, "non-empty"),
    ],
)
def test_ctr_curve_validation(curve, tail, match):
    with pytest.raises(ValueError, match=match):
        ctr_table(curve, tail_ctr=tail)


def test_visibility_by_hand():
    vis = visibility(_rankings()).set_index("domain")
    # a.com: k1 #5 1000×0.066 + k3 #2 2000×0.157 + k4 #4 300×0.080 = 66 + 314 + 24
    assert vis.loc["a.com", "visibility"] == pytest.approx(404.0)
    # us.com: k1 #3 1000×0.110 + k2 #15 500×0.00063 + k4 #25 → 0
    assert vis.loc["us.com", "visibility"] == pytest.approx(110 + 0.315)
    assert vis.loc["b.com", "visibility"] == pytest.approx(500 * 0.285 + 2000 * 0.037)
    assert vis.loc["a.com", "top3"] == 1 and vis.loc["a.com", "top10"] == 3
    assert vis["visibility_share"].sum() == pytest.approx(1.0)


def test_keyword_gap_by_hand():
    gap = keyword_gap(_rankings(), "www.us.com").set_index("keyword")
    assert list(gap.index) == ["k3", "k4"]  # k2: we are #15 (not below 20); k1: we are #3
    assert gap.loc["k3", "best_competitor"] == "a.com" and gap.loc["k3", "best_position"] == 2
    assert gap.loc["k3", "competitors_top10"] == 2
    assert gap.loc["k3", "priority"] == pytest.approx(2000 * 0.157 * (1 - 0.80))
    assert gap.loc["k3", "traffic_upside"] == pytest.approx(2000 * 0.157)
    assert np.isnan(gap.loc["k3", "our_position"])
    assert gap.loc["k4", "our_position"] == 25
    assert gap.loc["k4", "priority"] == pytest.approx(300 * 0.080 * 0.9)
    assert gap.loc["k4", "traffic_upside"] == pytest.approx(300 * 0.080)


def test_keyword_gap_upside_subtracts_our_current_clicks():
    rk = pd.DataFrame(
        {"keyword": ["k", "k"], "domain": ["us.com", "a.com"], "position": [22, 1], "search_volume": [100, 100]}
    )
    gap = keyword_gap(rk, "us.com", table=ctr_table({1: 0.3}, tail_ctr=0.01, tail_until=30))
    assert gap["traffic_upside"][0] == pytest.approx(100 * (0.3 - 0.01))
    assert np.isnan(gap["difficulty"][0]) and gap["priority"][0] == pytest.approx(100 * 0.3)


def test_latest_date_wins_and_duplicates_keep_best_position():
    rk = pd.DataFrame(
        {
            "keyword": ["k"] * 3,
            "domain": ["a.com", "a.com", "www.a.com"],
            "position": [1, 9, 7],
            "search_volume": [10, 10, 10],
            "date": ["2025-01-01", "2025-02-01", "2025-02-01"],
        }
    )
    latest = latest_rankings(rk)
    assert len(latest) == 1 and latest["position"][0] == 7


def test_difficulty_scale():
    assert list(normalised_difficulty(pd.Series([0, 50, 100]))) == [0, 0.5, 1]
    assert list(normalised_difficulty(pd.Series([0.2, np.nan]))) == [0.2, 0.5]
    with pytest.raises(ValueError, match="difficulty must lie"):
        normalised_difficulty(pd.Series([120]))


def test_bad_arguments():
    with pytest.raises(ValueError, match="missing required columns: search_volume"):
        keyword_gap(pd.DataFrame({"keyword": [], "domain": [], "position": []}), "us.com")
    with pytest.raises(ValueError, match="their_top"):
        keyword_gap(_rankings(), "us.com", their_top=0)


def _brute_gap(rk: pd.DataFrame, us: str) -> dict[str, tuple[float, float]]:
    """Row-by-row re-implementation: keyword -> (priority, upside)."""
    curve = dict(DEFAULT_CTR)

    def c(p):
        if p is None:
            return 0.0
        return curve.get(p, 0.00063 if 11 <= p <= 20 else 0.0)

    best: dict[str, int] = {}
    ours: dict[str, int] = {}
    vol: dict[str, float] = {}
    diff: dict[str, float] = {}
    for r in rk.itertuples():
        vol[r.keyword] = max(vol.get(r.keyword, 0), r.search_volume)
        diff[r.keyword] = max(diff.get(r.keyword, 0), r.difficulty)
        if r.domain == us:
            ours[r.keyword] = min(ours.get(r.keyword, 999), r.position)
        elif r.position <= 10:
            best[r.keyword] = min(best.get(r.keyword, 999), r.position)
    out = {}
    for k, p in best.items():
        o = ours.get(k)
        if o is None or o > 20:
            out[k] = (vol[k] * c(p) * (1 - diff[k] / 100), vol[k] * max(c(p) - c(o), 0))
    return out


def test_keyword_gap_matches_brute_force_on_random_data():
    rng = np.random.default_rng(7)
    n = 3000
    kw = rng.integers(0, 400, n)
    rk = pd.DataFrame(
        {
            "keyword": [f"kw{k}" for k in kw],
            "domain": rng.choice(["us.com", "a.com", "b.com", "c.com"], n),
            "position": rng.integers(1, 60, n),
            "search_volume": (kw * 7 + 10),
            "difficulty": (kw % 97).astype(float),
        }
    )
    rk = rk.drop_duplicates(["keyword", "domain"]).reset_index(drop=True)
    expected = _brute_gap(rk, "us.com")
    gap = keyword_gap(rk, "us.com").set_index("keyword")
    assert set(gap.index) == set(expected)
    for k, (prio, up) in expected.items():
        assert gap.loc[k, "priority"] == pytest.approx(prio)
        assert gap.loc[k, "traffic_upside"] == pytest.approx(up)
    assert gap["priority"].is_monotonic_decreasing
