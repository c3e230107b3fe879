"""The marketing plan tracker in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist, except values that are the user's own
data (campaign names from the ad statistics); its results.json carries exactly the English run's numbers:
language changes words, never numbers."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.i18n.conftest import number_differences, numbers_outside_headline, russian_params, visible_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(english_and_russian, project_root, sample_data):
    params = russian_params(project_root / "params/marketing_plan/plan_2025_2026_ru.yaml")
    params |= {f"{n}_path": str(sample_data / f"{n}.csv") for n in ("orders", "sessions", "ad_stats")}
    return english_and_russian("marketing_plan", params)


def _campaign_words(sample_data) -> set[str]:
    """Campaign names of the ad statistics are the user's data, shown as they are (autumn_launch_2026)."""
    frame = pd.read_csv(sample_data / "ad_stats.csv", usecols=["campaign"])
    return {w.lower() for v in frame["campaign"].dropna().astype(str).unique() for w in re.findall(r"[A-Za-z]+", v)}


def test_russian_plan_report_shows_no_english_words(runs, find_english, sample_data):
    text = visible_text(runs["ru"])
    for heading in ("Выполнение маркетингового плана", "Цели: прогресс и прогноз", "Итоги года", "Качество данных"):
        assert heading in text
    assert "под угрозой" in text and "в работе" in text and "Просрочены:" in text
    leftover = [w for w in find_english(text) if w.lower() not in _campaign_words(sample_data)]
    assert leftover == [], leftover


def test_russian_plan_results_carry_the_english_numbers(runs):
    from workbench.report import collect_results

    en, ru = collect_results(runs["en"]), collect_results(runs["ru"])
    en_numbers, ru_numbers = numbers_outside_headline(en), numbers_outside_headline(ru)
    assert len(en_numbers) > 50
    assert number_differences(en_numbers, ru_numbers) == {}
    # machines read the same codes in both languages; the headline follows the report's language
    assert [g["status"] for g in en["goals"]] == [g["status"] for g in ru["goals"]]
    assert en["forecast_models"] == ru["forecast_models"]
    assert "Open goals on track" in en["headline"] and "Текущие цели по плану" in ru["headline"]
