"""The monthly report in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist, except values that are the user's own
data (campaign, source and landing-page names from the input files); its results.json carries exactly the
English run's numbers: language changes words, never numbers."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.i18n.conftest import number_differences, numbers_outside_headline, russian_params, visible_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(english_and_russian, project_root, sample_data):
    params = russian_params(project_root / "params/monthly_report/2026_06_ru.yaml")
    params |= {k: str(sample_data / f"{k[: -len('_path')]}.csv") for k in params if k.endswith("_path")}
    return english_and_russian("monthly_report", params)


def _data_words(sample_data) -> set[str]:
    """Words that are the user's data, not the report's: names of campaigns, sources, pages, e-mails."""
    words: set[str] = set()
    for name, columns in (
        ("sessions", ["source", "medium", "campaign", "landing_page"]),
        ("ad_stats", ["campaign", "channel", "ad_group", "creative"]),
        ("email_sends", ["campaign"]),
    ):
        frame = pd.read_csv(sample_data / f"{name}.csv", usecols=lambda c, cols=columns: c in cols)
        for col in frame.columns:
            for value in frame[col].dropna().astype(str).unique():
                words |= {w.lower() for w in re.findall(r"[A-Za-z]+", value)}
    return words


def test_russian_monthly_report_shows_no_english_words(runs, find_english, sample_data):
    text = visible_text(runs["ru"])
    for heading in ("Ежемесячный отчёт об эффективности", "Новые и вернувшиеся посетители", "Качество данных"):
        assert heading in text
    data = _data_words(sample_data)
    leftover = [w for w in find_english(text) if w.lower() not in data]
    assert leftover == [], leftover


def test_russian_monthly_results_carry_the_english_numbers(runs):
    from workbench.report import collect_results

    en, ru = collect_results(runs["en"]), collect_results(runs["ru"])
    # the headline (the index shows it) is in each report's language; every other number keeps its key
    en_numbers, ru_numbers = numbers_outside_headline(en), numbers_outside_headline(ru)
    assert len(en_numbers) > 50
    assert number_differences(en_numbers, ru_numbers) == {}
