"""Competition score, classification, share of voice, strategy table: hand-computed small cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.competitors.rivals import (
    channel_mix,
    competition_scores,
    keyword_overlap,
    matched_share,
    roster,
    share_of_voice,
    strategy_table,
)
from workbench.analysis.competitors.seo import visibility
from workbench.analysis.competitors.summary import executive_summary


@pytest.fixture
def ros():
    return roster(
        pd.DataFrame(
            {
                "brand": ["Us", "A", "B", "C"],
                "domain": ["us.com", "https://www.a.com/", "b.com", "c.com"],
                "is_us": [True, False, False, False],
                "price_index": [1.0, 1.3, 0.8, 1.0],
            }
        )
    )


@pytest.fixture
def rk():
    return pd.DataFrame(
        {
            "keyword": ["k1", "k1", "k2", "k2", "k3", "k3", "k4", "k4", "k4"],
            "domain": ["us.com", "a.com", "us.com", "b.com", "a.com", "b.com", "us.com", "a.com", "c.com"],
            "position": [3, 5, 15, 1, 2, 8, 25, 4, 50],
            "search_volume": [1000, 1000, 500, 500, 2000, 2000, 300, 300, 300],
        }
    )


@pytest.fixture
def ads():
    return pd.DataFrame(
        {
            "brand": ["Us", "Us", "A", "A", "B", "C"],
            "channel": ["search", "social", "search", "Display", "search", "video"],
            "est_monthly_spend": [100, 50, 300, 100, 80, 0],
        }
    )


@pytest.fixture
def social():
    return pd.DataFrame(
        {
            "brand": ["Us", "Us", "A", "B", "C"],
            "network": ["ig", "fb", "IG", "tiktok", "ig"],
            "followers": [10, 20, 30, 5, 1],
            "posts_30d": [1, 2, 3, 4, 5],
        }
    )


def test_roster_validation():
    with pytest.raises(ValueError, match="exactly one row must have is_us = true, found 2"):
        roster(pd.DataFrame({"brand": ["a", "b"], "domain": ["a.com", "b.com"], "is_us": [True, True]}))
    with pytest.raises(ValueError, match="domain values must be unique, repeated: a.com"):
        roster(pd.DataFrame({"brand": ["a", "b"], "domain": ["a.com", "www.a.com"], "is_us": [True, False]}))
    with pytest.raises(ValueError, match="missing required columns: is_us"):
        roster(pd.DataFrame({"brand": ["a"], "domain": ["a.com"]}))


def test_keyword_overlap_is_volume_weighted(ros, rk):
    kw = keyword_overlap(rk, ros).set_index("brand")
    # our keywords: k1 1000, k2 500, k4 300 (total 1800); A is top-20 on k1, k4; B on k2; C on none (#50)
    assert kw.loc["A", "keyword_overlap"] == pytest.approx(1300 / 1800)
    assert kw.loc["B", "keyword_overlap"] == pytest.approx(500 / 1800)
    assert kw.loc["C", "keyword_overlap"] == 0
    assert kw.loc["A", "shared_keywords"] == 2 and kw.loc["A", "our_keywords"] == 3


def test_matched_share_weights_by_our_spend_and_ignores_zero_spend(ros, ads):
    ov = matched_share(ads, "channel", ros, "est_monthly_spend").set_index("brand")
    # our spend: search 100, social 50 (150). A: min(100, 300) in search, nothing in social → 100/150
    assert ov.loc["A", "overlap"] == pytest.approx(100 / 150)
    assert ov.loc["B", "overlap"] == pytest.approx(80 / 150)  # min(100, 80)
    assert ov.loc["C", "overlap"] == 0  # video with zero spend is not an active channel, nor one of ours
    assert ov.loc["A", "present"] == 1 and ov.loc["A", "ours"] == 2 and ov["sized"].all()


def test_matched_share_discriminates_when_everyone_uses_every_channel(ros):
    # all four brands on the same two channels: a yes/no overlap would be 100 % for each
    ads = pd.DataFrame(
        {
            "brand": ["Us", "Us", "A", "A", "B", "B", "C", "C"],
            "channel": ["s", "v"] * 4,
            "est_monthly_spend": [60, 40, 600, 400, 6, 4, 10, 90],
        }
    )
    ov = matched_share(ads, "channel", ros, "est_monthly_spend").set_index("brand")["overlap"]
    assert ov["A"] == pytest.approx(1.0)  # outspends us everywhere: capped at ours
    assert ov["B"] == pytest.approx(10 / 100)  # a tenth of our spend on both
    assert ov["C"] == pytest.approx((10 + 40) / 100)  # min(60, 10) + min(40, 90)


def test_matched_share_without_amounts_counts_presence(ros, ads):
    no_spend = ads.drop(columns="est_monthly_spend")
    ov = matched_share(no_spend, "channel", ros, "est_monthly_spend").set_index("brand")
    assert ov.loc["A", "overlap"] == pytest.approx(1 / 2) and not ov["sized"].any()  # search of {search, social}
    gappy = ads.astype({"est_monthly_spend": float})
    gappy.loc[1, "est_monthly_spend"] = np.nan  # our social spend unknown → presence for everyone
    ov = matched_share(gappy, "channel", ros, "est_monthly_spend").set_index("brand")
    assert ov.loc["B", "overlap"] == pytest.approx(1 / 2) and ov.loc["C", "overlap"] == 0  # C's video: 0 spend


def test_competition_score_and_classes(ros, rk, ads, social):
    cs = competition_scores(ros, rk, ads, social).set_index("brand")
    # social followers: ours ig 10, fb 20 (30); A ig 30 → min 10; B tiktok only → 0; C ig 1 → 1
    a = 0.6 * 1300 / 1800 + 0.2 * (100 / 150) + 0.2 * (10 / 30)
    b = 0.6 * 500 / 1800 + 0.2 * (80 / 150) + 0.2 * 0
    c = 0.6 * 0 + 0.2 * 0 + 0.2 * (1 / 30)
    assert cs.loc["A", "score"] == pytest.approx(a, abs=1e-3)
    assert cs.loc["B", "score"] == pytest.approx(b, abs=1e-3)
    assert cs.loc["C", "score"] == pytest.approx(c, abs=1e-3)
    assert list(cs["classification"]) == ["direct", "indirect", "not a rival"]
    assert "72% of our search demand" in cs.loc["A", "reason"] and cs.loc["A", "reason"].startswith("Direct rival")
    assert "2 of our 3 keywords" in cs.loc["A", "reason"]
    assert "matches 67% of our paid spend" in cs.loc["A", "reason"]
    assert "matches 33% of our social following" in cs.loc["A", "reason"]
    assert "present in 0 of our 2 social networks" in cs.loc["B", "reason"]


def test_competition_score_drops_missing_components(ros, rk):
    cs = competition_scores(ros, rk, None, None).set_index("brand")
    assert cs.loc["A", "score"] == pytest.approx(1300 / 1800, abs=1e-3)
    assert np.isnan(cs.loc["A", "channels_overlap"])
    none = competition_scores(ros)
    assert set(none["classification"]) == {"unknown"}


def test_competition_weights_validation(ros, rk):
    with pytest.raises(ValueError, match="unknown key 'seo'"):
        competition_scores(ros, rk, weights={"seo": 1})
    with pytest.raises(ValueError, match="non-negative"):
        competition_scores(ros, rk, weights={"keywords": -1})
    with pytest.raises(ValueError, match="direct .* must be ≥ indirect"):
        competition_scores(ros, rk, thresholds={"direct": 0.1, "indirect": 0.3})


def test_share_of_voice(ros, rk, ads, social):
    sov = share_of_voice(ros, visibility(rk), ads, social).set_index("brand")
    assert sov["paid_share"].sum() == pytest.approx(1)
    assert sov.loc["A", "paid_share"] == pytest.approx(400 / 630)
    assert sov.loc["Us", "social_share"] == pytest.approx(30 / 66)
    assert sov["organic_share"].sum() == pytest.approx(1)
    assert share_of_voice(ros)["organic_share"].isna().all()


def test_channel_mix_and_strategy(ros, ads, social):
    mix = channel_mix(ads)
    assert mix.loc["A", "search"] == pytest.approx(0.75) and mix.loc["C"].sum() == 0
    email = pd.DataFrame({"brand": ["Us", "A"], "emails_30d": [4, 8], "promo_share": [0.5, 0.7]})
    st = strategy_table(ros, social, ads, email).set_index("brand")
    assert st.loc["A", "top_paid_channel"] == "search" and pd.isna(st.loc["C", "top_paid_channel"])
    assert st.loc["A", "price_position"] == "premium" and st.loc["B", "price_position"] == "budget"
    assert st.loc["Us", "price_position"] == "mid-market"  # median of 1.0, 1.3, 0.8, 1.0 is 1.0
    assert st.loc["B", "posts_30d"] == 4 and np.isnan(st.loc["B", "emails_30d"])


def test_executive_summary_is_built_from_numbers(ros, rk, ads, social):
    cs = competition_scores(ros, rk, ads, social)
    items = executive_summary("Us", competition=cs, sov=share_of_voice(ros, visibility(rk), ads, social))
    assert 1 <= len(items) <= 5
    assert items[0].startswith("1 of 3 listed competitors are direct rivals; the closest is A")
    assert any(i.startswith("A takes ") and "of the set's estimated organic clicks, we " in i for i in items)
    assert executive_summary("Us") == []


def test_executive_summary_names_channel_leaders():
    from workbench.analysis.competitors.summary import channel_leaders

    sc = pd.DataFrame(
        {
            "site": [50, 80, 45],
            "seo": [60, 30, 62],
            "social": [np.nan, 90, 10],
            "paid_search": [40, 100, 40],
            "paid_social": [20, 25, 5],
            "email": [70, 10, 100],
            "overall": [50, 55, 45],
        },
        index=pd.Index(["Us", "A", "B"], name="brand"),
    )
    lead = channel_leaders(sc).set_index("channel")
    assert lead["brand"].to_dict() == {
        "site": "A",
        "seo": "B",
        "social": "A",
        "paid_search": "A",
        "paid_social": "A",
        "email": "B",
    }
    items = executive_summary("Us", scores=sc)
    assert items[0].startswith("Channel leaders (scorecard, 100 = best in the set): site — A (80); SEO — B (62);")
    # our gap to the best rival per channel: site -30, seo -2, paid search -60, paid social -5, email -30
    assert items[1].startswith("Our weakest channel against the field is paid search: we score 40 of 100 while A")
    assert "Even our strongest channel, SEO (60), is 2 points behind" in items[1]


def test_channel_gaps(ros, ads, social):
    from workbench.analysis.competitors.rivals import channel_gaps

    gaps = channel_gaps(ros, ads, social).set_index("channel")
    # we buy search (100) and social (50); A buys display (100) → absent; A's search 300 ≥ 2 × 100 → outweighed;
    # C's video has zero spend → not a channel. Networks: ours ig 10, fb 20; A's IG 30 ≥ 2 × 10; B's tiktok absent
    assert sorted(gaps.index) == ["display", "ig", "search", "tiktok"]
    assert gaps.loc["display", "status"] == "absent" and gaps.loc["display", "shortfall"] == 100
    assert gaps.loc["display", "rivals"] == "A"
    assert gaps.loc["search", "status"] == "outweighed" and gaps.loc["search", "leader"] == "A"
    assert gaps.loc["search", "shortfall"] == 200 and gaps.loc["search", "our_amount"] == 100
    assert gaps.loc["ig", "shortfall"] == 20 and gaps.loc["tiktok", "kind"] == "social network"
    assert gaps.loc["tiktok", "rivals_amount"] == 5
    assert gaps["est_clicks_upside"].isna().all()  # no CPC given
    with_cpc = channel_gaps(ros, ads, social, cpc=4.0).set_index("channel")
    assert with_cpc.loc["search", "est_clicks_upside"] == pytest.approx(200 / 4)  # 'search' is a search-ad channel
    assert np.isnan(with_cpc.loc["display", "est_clicks_upside"])  # not a search-ad platform: no CPC for it
    assert "search" not in set(channel_gaps(ros, ads, None, min_ratio=3.5)["channel"])  # 300 < 3.5 × 100
    assert channel_gaps(ros).empty
    with pytest.raises(ValueError, match="min_ratio must be a number ≥ 1"):
        channel_gaps(ros, ads, min_ratio=0.5)


def test_average_cpc_is_volume_weighted_over_our_keywords(ros):
    from workbench.analysis.competitors.rivals import average_cpc

    rk = pd.DataFrame(
        {
            "keyword": ["k1", "k2", "k3", "k1"],
            "domain": ["us.com", "us.com", "us.com", "a.com"],
            "position": [1, 2, 3, 1],
            "search_volume": [100, 300, 50, 100],
            "cpc": [10.0, 2.0, None, 99.0],
        }
    )
    assert average_cpc(rk, "us.com") == pytest.approx((100 * 10 + 300 * 2) / 400)
    assert np.isnan(average_cpc(rk.drop(columns="cpc"), "us.com"))
