"""Attribution against the media-mix model: verdicts per channel on data whose answer is known by construction."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workbench.analysis.budget.attribution_check import attribution_credit, compare_with_mmm


def _summary(rows: dict[str, tuple[float, float, float]], base: float) -> pd.DataFrame:
    """A contribution_summary-shaped frame: channel -> (contribution, lower, upper), plus a base row."""
    out = [{"component": "base", "kind": "baseline", "contribution": base, "lower": base, "upper": base}]
    out += [
        {"component": c, "kind": "channel", "contribution": v, "lower": lo, "upper": hi}
        for c, (v, lo, hi) in rows.items()
    ]
    return pd.DataFrame(out)


def _credit(shares: dict[str, float], model: str = "last_touch") -> pd.DataFrame:
    return pd.DataFrame(
        {"model": model, "channel": list(shares), "credit": list(shares.values()), "share": list(shares.values())}
    )


def test_a_share_below_the_model_interval_is_under_credited_and_above_it_over_credited():
    # outcome 100: the model gives a 70 (interval 60–80 → share 0.6–0.8), b 20 (0.1–0.3); attribution splits 50/50
    summary = _summary({"a": (70, 60, 80), "b": (20, 10, 30)}, base=10)
    out = compare_with_mmm(summary, _credit({"a": 0.5, "b": 0.5}), outcome_total=100).set_index("channel")
    assert out.loc["a", "verdict"] == "under" and out.loc["b", "verdict"] == "over"
    assert out.loc["a", ["mmm_share", "mmm_lower", "mmm_upper"]].tolist() == pytest.approx([0.7, 0.6, 0.8])


def test_a_share_inside_the_interval_agrees_even_at_its_edge():
    summary = _summary({"a": (50, 40, 60), "b": (45, 30, 50)}, base=5)
    out = compare_with_mmm(summary, _credit({"a": 0.5, "b": 0.5}), outcome_total=100).set_index("channel")
    assert out["verdict"].tolist() == ["agrees", "agrees"]


def test_channels_in_one_source_only_are_listed_not_judged():
    summary = _summary({"tv": (30, 20, 40), "vk_ads": (10, 5, 15)}, base=60)
    credit = _credit({"vk_ads": 0.4, "organic_search": 0.6})
    out = compare_with_mmm(summary, credit, outcome_total=100).set_index("channel")
    assert out.loc["tv", "verdict"] == "mmm_only" and math.isnan(out.loc["tv", "attribution_share"])
    assert out.loc["organic_search", "verdict"] == "attribution_only" and math.isnan(
        out.loc["organic_search", "mmm_share"]
    )
    assert out.loc["vk_ads", "verdict"] == "over"


def test_every_attribution_model_is_judged_on_its_own():
    summary = _summary({"a": (50, 40, 60)}, base=50)
    credit = pd.concat([_credit({"a": 0.9, "b": 0.1}), _credit({"a": 0.3, "b": 0.7}, "markov")])
    out = compare_with_mmm(summary, credit, outcome_total=100)
    verdicts = {(r.model, r.channel): r.verdict for r in out.itertuples()}
    assert verdicts == {
        ("last_touch", "a"): "over",
        ("last_touch", "b"): "attribution_only",
        ("markov", "a"): "under",
        ("markov", "b"): "attribution_only",
    }


def test_a_non_positive_outcome_is_refused():
    with pytest.raises(ValueError, match="positive"):
        compare_with_mmm(_summary({"a": (1, 0, 2)}, 0), _credit({"a": 1.0}), outcome_total=0)


@pytest.fixture
def touchpoints() -> pd.DataFrame:
    """Three journeys in March 2026 ('a > b' buys for 100, 'b' buys for 300, 'a' lapses) and one
    purchase through 'c' in 2025, before the model's period."""
    rows = [
        ("u1", "2026-03-02 10:00", "a", False, 0.0),
        ("u1", "2026-03-03 10:00", "b", True, 100.0),
        ("u2", "2026-03-10 09:00", "b", True, 300.0),
        ("u3", "2026-03-12 12:00", "a", False, 0.0),
        ("u4", "2025-06-01 12:00", "c", True, 999.0),
    ]
    return pd.DataFrame(rows, columns=["user_id", "touched_at", "channel", "converted", "conversion_value"])


def test_last_click_credits_the_closing_channel_in_the_period_only(touchpoints):
    credit = attribution_credit(touchpoints, "2026-03-02", "2026-03-29", outcome="revenue", models=["last_touch"])
    shares = credit.set_index("channel")["share"].to_dict()
    assert shares == {"a": 0.0, "b": 1.0}  # c converted before the period: not in it


def test_markov_removal_effect_matches_the_hand_computed_chain(touchpoints):
    # start→a 2/3, start→b 1/3, a→b 1/2, a→null 1/2, b→conversion 1: P(conversion) = 2/3.
    # Without a: 1/3 (removal effect 1/2); without b: 0 (removal effect 1). Shares 1/3 and 2/3.
    credit = attribution_credit(touchpoints, "2026-03-01", "2026-03-31", outcome="orders", models=["markov"])
    shares = credit.set_index("channel")["share"]
    assert shares["a"] == pytest.approx(1 / 3) and shares["b"] == pytest.approx(2 / 3)
    assert credit["credit"].sum() == pytest.approx(2.0)  # the two orders of the period


def test_a_period_without_purchases_is_refused_with_the_dates(touchpoints):
    with pytest.raises(ValueError, match="2027-01-01 and 2027-12-31"):
        attribution_credit(touchpoints, "2027-01-01", "2027-12-31")
    with pytest.raises(ValueError, match="outcome"):
        attribution_credit(touchpoints, "2026-03-01", "2026-03-31", outcome="sessions")
