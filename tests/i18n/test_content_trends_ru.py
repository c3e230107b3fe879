"""The content report in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist, except values that are the user's own
data (content titles, search queries and the topic, group and negative-keyword names derived from them);
its results.json carries exactly the English run's numbers: language changes words, never numbers."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.i18n.conftest import number_differences, numbers_outside_headline, russian_params, visible_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(english_and_russian, project_root, sample_data):
    params = russian_params(project_root / "params/content_trends/sample_ru.yaml")
    params |= {
        f"{n}_path": str(sample_data / f"{n}.csv") for n in ("content", "content_stats", "search_demand", "sessions")
    }
    return english_and_russian("content_trends", params)


def _data_words(sample_data) -> set[str]:
    """Words of the user's data: content ids (page paths such as /blog/how-to-choose-a-tent), titles and
    search queries (topics, keyword groups, ad groups and negative keywords are named after their words)."""
    words: set[str] = set()
    for name, column in (("content", "title"), ("content", "content_id"), ("search_demand", "keyword")):
        for value in pd.read_csv(sample_data / f"{name}.csv", usecols=[column])[column].dropna().astype(str).unique():
            words |= {w.lower() for w in re.findall(r"[A-Za-z]+", value)}
    stems = {w[:n] for w in words for n in range(3, len(w))}  # Snowball stems of English words ("camp")
    return words | stems


def test_russian_content_report_shows_no_english_words(runs, find_english, sample_data):
    text = visible_text(runs["ru"])
    for heading in ("Контент, поисковый спрос и ключевые слова", "Затухание контента", "Когда публиковать"):
        assert heading in text
    assert "Доля вовлечённости" in text and "Минус-слова" in text
    data = _data_words(sample_data)
    leftover = [w for w in find_english(text) if w.lower() not in data]
    assert leftover == [], leftover


def test_russian_content_results_carry_the_english_numbers(runs):
    from workbench.report import collect_results

    en, ru = collect_results(runs["en"]), collect_results(runs["ru"])
    en_numbers, ru_numbers = numbers_outside_headline(en), numbers_outside_headline(ru)
    assert len(en_numbers) > 50
    assert number_differences(en_numbers, ru_numbers) == {}
    assert "Engagement rate" in en["headline"] and "Доля вовлечённости" in ru["headline"]
