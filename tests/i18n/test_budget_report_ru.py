"""The budget-planning report in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist (the pipeline's own header, parameters
panel and footer are left out: they are the pipeline's, and get their words from `chrome()`), and its
results.json carries exactly the English run's numbers: language changes words, never numbers."""

from __future__ import annotations

import re

import pytest

from tests.i18n.conftest import number_differences, numeric_leaves, russian_params, visible_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(english_and_russian, project_root, sample_data):
    params = russian_params(project_root / "params/budget_planning/sample_ru.yaml")
    params |= {
        "ad_stats_path": str(sample_data / "media_ad_stats.csv"),
        "orders_path": str(sample_data / "media_orders.csv"),
        "bootstrap_draws": 20,
        "search_draws": 64,
    }
    return english_and_russian("budget_planning", params)


def test_russian_report_shows_no_english_words(runs, find_english):
    # parameter names quoted in notes (`touchpoints_path`: the sample has no touchpoints) are identifiers, not words
    text = re.sub(r"`[^`]*`", " ", visible_text(runs["ru"]))
    assert "Не вошло в отчёт: Сравнение с атрибуцией — нужны касания" in text
    for heading in (
        "Планирование бюджета: что дал каждый канал",
        "1. Что дал каждый канал",
        "2. Насколько хороша модель",
        "3. Куда направить следующий бюджет",
        "Качество данных",
        "Краткие выводы",
        "Доля медиа в результате",
        "План на несколько лет",
    ):
        assert heading in text
    assert "млн\xa0₽" in text and "выручки" in text
    assert find_english(text) == [], text[:2000]
    english = visible_text(runs["en"])
    assert "What each channel contributed" in english and "Executive summary" in english


def test_russian_results_carry_the_english_numbers(runs):
    from workbench.report import collect_results

    en, ru = collect_results(runs["en"]), collect_results(runs["ru"])
    assert set(en) == set(ru)
    en_numbers, ru_numbers = numeric_leaves(en), numeric_leaves(ru)
    assert len(en_numbers) > 100
    assert number_differences(en_numbers, ru_numbers) == {}
    # the headline (the index shows it) is in each report's language
    assert set(en["headline"]) == {"Media-driven share", "Best ROAS", "Expected uplift", "Holdout MAPE"}
    assert set(ru["headline"]) == {
        "Доля медиа в результате",
        "Лучший ROAS",
        "Ожидаемый прирост",
        "MAPE на отложенных неделях",
    }
