"""Keyword research: planted near-duplicates in one ad group, negative keywords, intent, traffic."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.content.keywords import ad_groups, expected_traffic, intent_of, keyword_table, negative_keywords


@pytest.fixture(scope="module")
def kw(content_sample):
    return keyword_table(content_sample["demand"], brands=["Kedr", "Кедр"])


def test_planted_near_duplicates_form_one_ad_group(kw, content_sample):
    groups = ad_groups(kw)
    dup = content_sample["truth"]["duplicate_keywords"]
    holding = groups[groups["keywords"].map(lambda ks: bool(set(ks) & set(dup)))]
    assert len(holding) == 1 and set(dup) <= set(holding.iloc[0]["keywords"])
    assert holding.iloc[0]["intent"] == "commercial"


def test_planted_free_modifiers_become_negative_keywords(kw, content_sample):
    negatives = negative_keywords(kw)
    assert set(content_sample["truth"]["negative_words"]) <= set(negatives["negative_keyword"])
    grouped = {k for ks in ad_groups(kw)["keywords"] for k in ks}
    assert not any("бесплатно" in k and "доставка" not in k or "free" in k for k in grouped)
    # "free delivery" is a buyer's query: it stays, in a commercial group
    assert content_sample["truth"]["free_delivery_keyword"] in grouped


@pytest.mark.parametrize(
    ("keyword", "intent"),
    [
        ("купить палатку недорого", "commercial"),
        ("tent price", "commercial"),
        ("как выбрать спальник", "informational"),
        ("how to pitch a tent", "informational"),
        ("кедр официальный сайт", "navigational"),
        ("kedr tent", "navigational"),
        ("палатка", "unclear"),
    ],
)
def test_intent_by_marker_words_in_both_languages(keyword, intent):
    assert intent_of(keyword, brands=["Kedr", "Кедр"]) == intent


def test_expected_traffic_is_demand_times_ctr_times_cpc():
    groups = pd.DataFrame({"ad_group": ["a", "b"], "demand": [1000.0, 200.0], "cpc": [10.0, float("nan")]})
    out = expected_traffic(groups, ctr=0.05)
    assert out["clicks"].tolist() == [50.0, 10.0] and out["cost"].iloc[0] == 500.0
    assert expected_traffic(groups, ctr=0.1, target_cpc=2.0)["cost"].tolist() == [200.0, 40.0]
    with pytest.raises(ValueError, match="ctr must be between 0 and 1"):
        expected_traffic(groups, ctr=5)
    with pytest.raises(ValueError, match="target_cpc"):
        expected_traffic(groups, target_cpc=-1.0)


def test_keyword_table_names_missing_columns():
    with pytest.raises(ValueError, match="keyword and demand"):
        keyword_table(pd.DataFrame({"phrase": ["x"]}))
