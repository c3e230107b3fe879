"""The segmentation report in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist, except values that are the user's own
data (cities, regions, occupations, lifestyles and interests of the customers file, which also make up
the generated segment names); its results.json carries exactly the English run's numbers: language
changes words, never numbers."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.i18n.conftest import number_differences, numbers_outside_headline, russian_params, visible_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(english_and_russian, project_root, sample_data):
    params = russian_params(project_root / "params/segmentation/all_customers_ru.yaml")
    assert params["title"] == "Сегментация клиентов: все клиенты"
    params |= {
        f"{name}_path": str(sample_data / f"{name}.csv") for name in ("customers", "orders", "sessions", "survey")
    }
    return english_and_russian("segmentation", params)


def customer_data_words(sample_data) -> set[str]:
    """Words that are the user's data, not the report's: the customers file's own category values
    (city, region, occupation, lifestyle, acquisition channel) and interests."""
    frame = pd.read_csv(sample_data / "customers.csv")
    words: set[str] = set()
    for col in ("city", "region", "occupation", "lifestyle", "acquisition_channel", "interests"):
        for value in frame[col].dropna().astype(str).unique():
            words |= {w.lower() for w in re.findall(r"[A-Za-z]+", value)}
    return words


def test_russian_segmentation_report_shows_no_english_words(runs, find_english, sample_data):
    text = visible_text(runs["ru"])
    for heading in (
        "Сегментация клиентов",
        "Краткие выводы",
        "1. Данные и признаки",
        "2. RFM-группы",
        "3. Сколько сегментов",
        "4. Профили сегментов",
        "5. Ценность клиентов",
        "6. Размер и выбор целевых сегментов",
        "7. Прогноз",
        "Заметки о методе",
        "Качество данных",
        "Чемпионы",
        "Рекомендуемая первая цель: сегмент",
    ):
        assert heading in text, heading
    assert "\xa0₽" in text and "\xa0%" in text
    data = customer_data_words(sample_data)
    leftover = [w for w in find_english(text) if w.lower() not in data]
    assert leftover == [], leftover
    english = visible_text(runs["en"])
    assert "Executive summary" in english and "Recommended first target: segment" in english


def test_russian_segmentation_results_carry_the_english_numbers(runs):
    from workbench.report import collect_results

    en, ru = collect_results(runs["en"]), collect_results(runs["ru"])
    # the headline (the index shows it) is in each report's language; every other number keeps its key
    en_numbers, ru_numbers = numbers_outside_headline(en), numbers_outside_headline(ru)
    assert len(en_numbers) > 100
    assert number_differences(en_numbers, ru_numbers) == {}
    assert set(en["headline"]) >= {"Segments (k)", "Silhouette", "CLV, 12 months", "Forecast, 6 months"}
    assert set(ru["headline"]) >= {"Сегментов (k)", "Силуэт", "CLV, 12 месяцев", "Прогноз, 6 месяцев"}
    # the RFM groups keep their English ids in the data of both languages
    assert [g["rfm_group"] for g in ru["rfm_groups"]] == [g["rfm_group"] for g in en["rfm_groups"]]
