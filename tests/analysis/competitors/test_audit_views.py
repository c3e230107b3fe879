"""The audit computed once and read many ways: the weakest channel, tiles and headline agree by construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.competitors import build_audit, views
from workbench.analysis.competitors.scorecard import CHANNELS
from workbench.analysis.competitors.summary import channel_standing, executive_summary

COMPETITORS = pd.DataFrame(
    {"brand": ["Us", "A", "B"], "domain": ["us.ru", "a.ru", "b.ru"], "is_us": [True, False, False]}
)


def _scores(us: dict, a: dict, b: dict) -> pd.DataFrame:
    frame = pd.DataFrame([us, a, b], index=pd.Index(["Us", "A", "B"], name="brand"))
    for ch in (*CHANNELS, "overall"):
        if ch not in frame:
            frame[ch] = np.nan
    return frame


def test_channel_standing_by_hand():
    # lead = ours − best rival: site 80−90 = −10, seo 70−50 = +20, social 40−75 = −35
    scores = _scores({"site": 80, "seo": 70, "social": 40}, {"site": 90, "seo": 50, "social": 75}, {"site": 60})
    s = channel_standing(scores, "Us")
    assert s.weakest == "social" and s.strongest == "seo" and s.leader_of_weakest == "A"
    assert s.lead.to_dict() == pytest.approx({"site": -10, "seo": 20, "social": -35})


def test_no_standing_without_rival_scores():
    assert channel_standing(_scores({"site": 80}, {}, {}), "Us") is None


def test_summary_sentence_and_headline_name_the_same_weakest_channel():
    scores = _scores({"site": 80, "seo": 70, "social": 40}, {"site": 90, "seo": 50, "social": 75}, {"site": 60})
    text = " ".join(executive_summary("Us", scores=scores))
    assert "Our weakest channel against the field is social: we score 40 of 100 while A scores 75." in text
    assert "We lead every listed competitor in SEO (70 vs the best rival's 50)." in text


def test_standing_when_we_trail_everywhere():
    scores = _scores({"site": 10, "seo": 20}, {"site": 90, "seo": 30}, {"site": 50})
    text = " ".join(executive_summary("Us", scores=scores))
    assert "Even our strongest channel, SEO (20), is 10 points behind the best rival there." in text


def _social() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "brand": ["Us", "A", "B"],
            "network": ["vk", "vk", "vk"],
            "followers": [1000, 4000, 100],
            "posts_30d": [10, 30, 2],
        }
    )


def test_audit_from_the_competitor_list_and_social_only():
    audit = build_audit(COMPETITORS, social=_social())
    assert audit.gap is None and audit.site_scores is None and audit.positioning is None
    # social followers share of best: Us 25, A 100, B 2.5; posts: Us 33.3, A 100, B 6.7
    assert audit.scores.loc["Us", "social"] == pytest.approx(round((25 + 100 * 10 / 30) / 2, 1))
    tiles = {t["label"]: t for t in views.tiles(audit)}
    assert tiles["Competitors analysed"]["value"] == 2
    assert "Gap keywords" not in tiles
    head = views.headline(audit)
    assert "Keyword-gap upside" not in head and "Our site audit score" not in head
    assert head["Our weakest channel"] == "social (29/100)"


def test_missing_channel_reasons_name_the_input():
    audit = build_audit(COMPETITORS, social=_social())
    reasons = views.missing_channel_reasons(audit.scores)
    assert reasons["the SEO score"] == "neither keyword rankings nor site metrics were given"
    assert "the social score" not in reasons


def test_weights_and_leaders_sentences():
    assert views.weights_sentence(None) == (
        "Weights used for the overall score: site 0.2, SEO 0.3, social 0.15, paid search 0.1, "
        "paid social 0.1, e-mail 0.15."
    )
    assert views.weights_sentence({"site": 1}).startswith("Weights used for the overall score: site 1, SEO 0,")
    scores = _scores({"site": 80, "seo": 70}, {"site": 90, "seo": 50}, {"site": 60})
    scores["overall"] = [75.0, 70.0, 60.0]
    assert views.leaders_sentence(scores, "Us") == "site — A (90); SEO — us (70)."


def test_channel_gap_view_reads_in_words():
    gaps = pd.DataFrame(
        {
            "kind": ["paid channel"],
            "channel": ["yandex_direct"],
            "status": ["absent"],
            "leader": ["A"],
            "leader_amount": [120000.0],
            "our_amount": [np.nan],
            "shortfall": [120000.0],
            "est_clicks_upside": [4000.0],
        }
    )
    view = views.channel_gaps_view(gaps, "RUB", 30.0)
    row = view.frame.iloc[0]
    assert row["Channel"] == "Yandex Direct" and row["Gap"] == "we are absent"
    assert row["Leading competitor (amount)"] == "A (120,000)" and row["Ours"] == "–"
    assert row["Shortfall to the leader"] == "120,000 RUB / month"
    assert view.caption == "Channel gaps (search-ad clicks at our average CPC of 30.0 RUB)"


def test_strengths_view_falls_back_to_the_closest_attributes():
    strengths = pd.DataFrame(
        {
            "attribute": ["fast_delivery", "price"],
            "our_score": [3.0, 2.0],
            "best_rival": [4.0, 4.5],
            "best_rival_brand": ["A", "B"],
            "rivals_mean": [3.5, 3.0],
            "lead_over_best": [-1.0, -2.5],
            "lead_over_mean": [-0.5, -1.0],
        }
    )
    view, distinct = views.strengths_view(strengths)
    assert not distinct and list(view.frame["Attribute"]) == ["fast delivery", "price"]
    view, distinct = views.strengths_view(strengths.assign(lead_over_best=[0.5, -1.0]))
    assert distinct and list(view.frame["Attribute"]) == ["fast delivery"]
