"""Sentences of the budget-planning report: the numbers they carry and the verdicts they draw."""

from __future__ import annotations

import pandas as pd

from workbench.analysis.budget import text as X


def test_holdout_sentence_verdicts():
    ok = X.holdout_sentence({"periods": 13, "mape": 0.0372, "coverage": 0.85, "level": 0.9}, "revenue")
    assert "13 weeks" in ok and "3.7%" in ok and "85%" in ok and "as intended" in ok
    low = X.holdout_sentence({"periods": 13, "mape": 0.05, "coverage": 0.5, "level": 0.9}, "revenue")
    assert "too narrow" in low


def test_marginal_sentences_only_where_the_interval_is_clear():
    t = pd.DataFrame(
        {
            "channel": ["tv", "vk_ads", "outdoor"],
            "marginal_roas": [0.6, 1.8, 1.1],
            "marginal_lower": [0.4, 1.2, 0.5],
            "marginal_upper": [0.9, 2.5, 1.6],
        }
    )
    out = X.marginal_sentences(t, "revenue", "RUB")
    assert len(out) == 2 and out[0].startswith("TV") and "less than it costs" in out[0]
    assert out[1].startswith("VK Ads") and "room to spend more" in out[1]


def test_warning_and_allocation_sentences():
    w = X.warning_sentence({"kind": "collinear", "channels": ["tv", "outdoor"], "value": 0.91})
    assert "TV and Outdoor" in w and "0.91" in w
    s = {
        "budget": 1.2e8,
        "periods": 52,
        "outcome_optimal": 1.9e8,
        "outcome_current": 1.8e8,
        "uplift": 1e7,
        "uplift_interval": [-1e6, 2e7],
        "uplift_share": 1 / 18,
        "level": 0.9,
    }
    a = X.allocation_sentence(s, "revenue", "RUB")
    assert "120.0M RUB" in a and "+5.6%" in a and "not clearly worse" in a
    assert X.channel_name("new_channel") == "New channel"


def test_a_saturation_point_the_data_cannot_place_is_called_not_identified_with_its_range():
    st = pd.DataFrame(
        {
            "channel": ["outdoor", "outdoor", "tv"],
            "parameter": ["half_saturation", "max_effect", "half_saturation"],
            "estimate": [2.0e5, 1.0e5, 9.0e5],
            "lower": [4.6e4, 1.0e4, 7.0e5],
            "upper": [6.0e5, 4.0e5, 1.2e6],
            "unstable": [True, True, False],
            "identified": [False, True, True],
        }
    )
    out = X.identification_sentences(st, 0.9, "RUB")
    assert len(out) == 1 and out[0].startswith("Outdoor: the saturation point is not identified")
    assert "from 46,000 RUB to 600,000 RUB per week" in out[0] and "90%" in out[0]
    # the unstable-parameter sentence no longer repeats the saturation point it cannot place
    (unstable,) = X.stability_sentences(st, 0.9)
    assert "effect size" in unstable and "saturation point" not in unstable
