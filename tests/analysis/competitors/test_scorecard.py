"""Channel scorecard: share-of-best formulas by hand, weights validation, strengths in words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.competitors.scorecard import (
    ad_channel_kind,
    channel_scores,
    share_of_best,
    strengths_weaknesses,
    validate_channel_weights,
)

BRANDS = ["Us", "A", "B"]
DOMAINS = {"Us": "us.com", "A": "a.com", "B": "b.com"}


def test_share_of_best():
    assert list(share_of_best(pd.Series([10, 5, 0]))) == [100, 50, 0]
    assert list(share_of_best(pd.Series([2.0, 4.0, 1.0]), higher_is_better=False)) == [50, 25, 100]
    assert list(share_of_best(pd.Series([-3, 6]))) == [0, 100]  # negatives count as 0
    assert list(share_of_best(pd.Series([0, 0]))) == [0, 0]


def test_channel_scores_by_hand():
    metrics = pd.DataFrame(
        {
            "domain": ["www.us.com", "a.com", "b.com"],
            "load_time_s": [2.0, 1.0, 4.0],
            "https": [True, True, False],
            "authority": [50, 25, 100],
        }
    )
    audit = pd.DataFrame({"domain": ["us.com", "a.com"], "score": [80.0, 60.0]})
    social = pd.DataFrame(
        {
            "brand": ["Us", "A", "A"],
            "network": ["ig", "ig", "fb"],
            "followers": [100, 100, 300],
            "engagement_rate": [0.04, 0.01, 0.03],
        }
    )
    email = pd.DataFrame({"brand": ["Us", "B"], "emails_30d": [10, 5], "personalization": [0.2, 0.8]})
    sc = channel_scores(BRANDS, DOMAINS, site_audit=audit, site_metrics=metrics, social=social, email_intel=email)
    # site: mean(audit, speed=100×min/load, https flag)
    assert sc.loc["Us", "site"] == pytest.approx(round((80 + 50 + 100) / 3, 1))
    assert sc.loc["A", "site"] == pytest.approx(round((60 + 100 + 100) / 3, 1))
    assert sc.loc["B", "site"] == pytest.approx(round((25 + 0) / 2, 1))  # no audit for b.com
    assert sc.loc["B", "seo"] == 100 and sc.loc["A", "seo"] == 25  # authority only
    # social: followers Us 100, A 400, B 0; follower-weighted engagement Us .04, A (1+9)/400=.025
    assert sc.loc["Us", "social"] == pytest.approx(round((25 + 100) / 2, 1))
    assert sc.loc["A", "social"] == pytest.approx(round((100 + 62.5) / 2, 1))
    assert sc.loc["B", "social"] == 0  # no followers, engagement unknown
    assert sc.loc["Us", "email"] == pytest.approx(round((100 + 25) / 2, 1))
    assert np.isnan(sc.loc["A", "email"]) and np.isnan(sc.loc["Us", "paid_search"])
    # overall: weighted mean of the channels a brand has (default weights site .2 seo .3 social .15 email .15)
    us = sc.loc["Us"]
    expected = (0.2 * us.site + 0.3 * us.seo + 0.15 * us.social + 0.15 * us.email) / 0.8
    assert sc.loc["Us", "overall"] == pytest.approx(expected, abs=0.1)


def test_weights_change_overall_and_are_validated():
    ads = pd.DataFrame({"brand": ["Us", "A"], "channel": ["search", "search"], "est_monthly_spend": [50, 100]})
    email = pd.DataFrame({"brand": ["Us", "A"], "emails_30d": [10, 5]})
    sc = channel_scores(BRANDS, DOMAINS, ads_intel=ads, email_intel=email, weights={"paid": 1, "email": 0})
    assert sc.loc["Us", "overall"] == 50 and sc.loc["A", "overall"] == 100
    with pytest.raises(
        ValueError, match="unknown channel 'tv'; allowed: site, seo, social, paid_search, paid_social, email"
    ):
        validate_channel_weights({"tv": 1})
    with pytest.raises(ValueError, match=r"scorecard_weights\['seo'\] must be a non-negative number"):
        validate_channel_weights({"seo": -0.1})
    with pytest.raises(ValueError, match="non-negative number"):
        validate_channel_weights({"seo": "high"})
    with pytest.raises(ValueError, match="at least one channel"):
        validate_channel_weights({"seo": 0})


def test_strengths_weaknesses_in_words():
    sc = pd.DataFrame(
        {
            "site": [50, 80, 45],
            "seo": [60, 30, 62],
            "social": [np.nan, 90, 10],
            "paid_search": [40, 40, 40],
            "paid_social": [20, 25, 5],
            "email": [70, 10, 100],
        },
        index=pd.Index(BRANDS, name="brand"),
    )
    sw = strengths_weaknesses(sc, "Us").set_index("brand")
    assert sw.loc["A", "strengths"] == "Stronger than us in site (80 vs our 50)."
    assert sw.loc["A", "weaknesses"] == "Weaker than us in e-mail (10 vs our 70), SEO (30 vs our 60)."
    assert sw.loc["B", "strengths"] == "Stronger than us in e-mail (100 vs our 70)."
    assert sw.loc["B", "weaknesses"] == "Weaker than us in paid social (5 vs our 20)."
    with pytest.raises(ValueError, match="no row for our brand 'Them'"):
        strengths_weaknesses(sc, "Them")


def test_paid_split_into_search_and_social_ads_by_hand():
    ads = pd.DataFrame(
        {
            "brand": ["Us", "Us", "A", "A", "B"],
            "channel": ["google_ads", "vk_ads", "yandex_direct", "meta_ads", "tv_sponsorship"],
            "est_monthly_spend": [100, 300, 400, 100, 999],
        }
    )
    sc = channel_scores(BRANDS, DOMAINS, ads_intel=ads)
    # search spend Us 100, A 400, B 0 (TV is neither kind); social spend Us 300, A 100, B 0
    assert list(sc["paid_search"]) == [25, 100, 0]
    assert list(sc["paid_social"]) == pytest.approx([100, 33.3, 0])
    assert [ad_channel_kind(c) for c in ("Google Ads", "yandex_direct", "VK Ads", "mytarget", "radio")] == [
        "paid_search",
        "paid_search",
        "paid_social",
        "paid_social",
        None,
    ]
    # a legacy single `paid` weight is split evenly over the two kinds
    w = validate_channel_weights({"paid": 0.4, "seo": 0.6})
    assert w["paid_search"] == w["paid_social"] == 0.2 and w["seo"] == 0.6
