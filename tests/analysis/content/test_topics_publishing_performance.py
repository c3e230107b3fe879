"""Topics, publication slots and performance on the planted sample, plus independent checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.content.performance import group_performance, item_performance, web_conversions
from workbench.analysis.content.publishing import best_publish_times, post_engagement
from workbench.analysis.content.topics import find_topics


@pytest.fixture(scope="module")
def posts(content_sample):
    return post_engagement(content_sample["content"], content_sample["stats"])


def test_topics_recover_the_planted_topics(posts, content_sample):
    model = find_topics(posts["title"])
    truth = posts["content_id"].map(content_sample["truth"]["item_topics"])
    table = pd.crosstab(model.labels, truth)
    purity = table.max(axis=1).sum() / table.to_numpy().sum()
    assert purity > 0.95 and set(table.idxmax(axis=1)) == set(content_sample["truth"]["topics"])
    assert model.stability > 0.8 and model.k == max(model.silhouettes, key=model.silhouettes.get)


def test_topics_need_enough_titles():
    with pytest.raises(ValueError, match="at least 4 titles"):
        find_topics(["a", "b"])


def test_planted_best_slot_per_platform(posts, content_sample):
    best = best_publish_times(posts[posts["type"] == "social_post"])
    for platform, slot in content_sample["truth"]["best_slots"].items():
        top = best[best["platform"] == platform].iloc[0]
        assert (top["weekday"], top["hour"]) == (slot["weekday"], slot["hour"]), platform
        assert top["lift"] > 1.4


def test_engagement_interval_matches_statsmodels_wilson():
    from statsmodels.stats.proportion import proportion_confint

    items = pd.DataFrame({"content_id": ["a", "b"], "reach": [40, 4000], "engagements": [4, 300], "views": [50, 5000]})
    out = item_performance(items)
    lo, hi = proportion_confint([4, 300], [40, 4000], method="wilson")
    np.testing.assert_allclose(out["rate_low"], lo)
    np.testing.assert_allclose(out["rate_high"], hi)
    grouped = group_performance(items.assign(platform="vk"), "platform")
    assert grouped["engagement_rate"].iloc[0] == pytest.approx(304 / 4040)


def test_web_conversions_by_hand():
    content = pd.DataFrame({"content_id": ["/blog/a", "/blog/b", "vk-1"]})
    t = pd.Timestamp("2024-01-01")
    sessions = pd.DataFrame(
        {
            "customer_id": ["c1", "c1", "c2", "c2", "c3"],
            "started_at": [t, t + pd.Timedelta(days=1), t, t + pd.Timedelta(days=2), t],
            "landing_page": ["/blog/a", "/sale", "/blog/b", "/blog/a", "/blog/a"],
            "converted": [False, True, False, True, True],
        }
    )
    out = web_conversions(content, sessions).set_index("content_id")
    # /blog/a: c2 and c3 converted on it (last touch); c1 and c3 first landed on it; it assisted c1's conversion
    assert out.loc["/blog/a", ["last_touch", "first_touch", "assisted"]].tolist() == [2, 2, 1]
    # /blog/b: c2 first landed there and converted later on /blog/a (first touch and assisted)
    assert out.loc["/blog/b", ["last_touch", "first_touch", "assisted"]].tolist() == [0, 1, 1]
    assert "vk-1" not in out.index
