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


def _comparison() -> pd.DataFrame:
    cols = ["model", "channel", "attribution_share", "mmm_share", "mmm_lower", "mmm_upper", "verdict"]
    rows = [
        ["last_touch", "yandex_direct", 0.40, 0.14, 0.07, 0.23, "over"],
        ["last_touch", "vk_ads", 0.01, 0.04, 0.02, 0.11, "under"],
        ["last_touch", "telegram_ads", 0.05, 0.06, 0.03, 0.14, "agrees"],
        ["last_touch", "tv", float("nan"), 0.09, 0.07, 0.13, "mmm_only"],
        ["last_touch", "outdoor", float("nan"), 0.02, 0.01, 0.03, "mmm_only"],
        ["last_touch", "organic_search", 0.54, float("nan"), float("nan"), float("nan"), "attribution_only"],
    ]
    return pd.DataFrame(rows, columns=cols)


def test_attribution_sentences_name_the_direction_and_the_channels_one_source_lacks():
    out = X.attribution_sentences(_comparison(), "revenue", 0.9)
    assert out[0].startswith("Yandex Direct: attribution (Last touch)") and "40.0%" in out[0]
    assert "more than the model's 14.0% (90% interval 7.0% – 23.0%)" in out[0] and "over-credits" in out[0]
    assert out[1].startswith("VK Ads") and "less than" in out[1] and "under-credits" in out[1]
    assert not any("Telegram" in s for s in out)  # inside the interval: nothing to say
    assert out[2].startswith("TV and Outdoor have spend in the model but no tracked touch")
    assert out[3].startswith("Organic search is credited by attribution but has no spend")
    assert "(TV, outdoor, online video) are therefore expected to be under-credited" in X.attribution_caveat()


def test_attribution_table_leaves_missing_shares_blank():
    from workbench.analysis.budget import tables as T

    t = T.attribution_display(_comparison(), 0.9).set_index("Channel")
    assert t.loc["TV", "Attribution share"] == "" and t.loc["TV", "Verdict"] == "in the model only"
    assert t.loc["Organic search", "90% interval"] == "" and t.loc["VK Ads", "Verdict"] == "attribution under-credits"
    assert t.loc["Yandex Direct", "Share in the model"] == "14.0%"


def test_attribution_sentences_in_russian_carry_the_same_numbers_and_no_english_channel_words():
    from tests.i18n.conftest import english_words
    from workbench.i18n import language

    with language("ru"):
        out = X.attribution_sentences(_comparison(), "revenue", 0.9) + [X.attribution_caveat()]
    text = " ".join(out)
    assert out[0].startswith("Yandex Direct: атрибуция (") and "40,0" in out[0] and "завышает" in out[0]
    assert "занижает" in out[1] and "Органический поиск получает долю в атрибуции" in out[3]
    assert english_words(text) == []
