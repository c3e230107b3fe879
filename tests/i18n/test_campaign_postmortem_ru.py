"""The campaign post-mortem in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist, except values that are the user's own
data (campaign, channel, ad group, creative, variant and e-mail names from the input files); its
results.json carries exactly the English run's numbers (and its English verdicts and statuses):
language changes words, never numbers."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.i18n.conftest import number_differences, numbers_outside_headline, russian_params, visible_text

pytestmark = pytest.mark.slow

INPUTS = ("ad_stats", "sessions", "orders", "touchpoints", "experiment", "email_sends")


@pytest.fixture(scope="module")
def runs(english_and_russian, project_root, sample_data):
    params = russian_params(project_root / "params/campaign_postmortem/autumn_launch_2026_ru.yaml")
    params |= {f"{name}_path": str(sample_data / f"{name}.csv") for name in INPUTS}
    return english_and_russian("campaign_postmortem", params)


def _data_words(sample_data) -> set[str]:
    """Words that are the user's data, not the report's: names of campaigns, channels, creatives, variants."""
    words: set[str] = set()
    for name, columns in (
        ("ad_stats", ["campaign", "channel", "ad_group", "creative"]),
        ("touchpoints", ["channel"]),
        ("experiment", ["variant"]),
        ("email_sends", ["campaign"]),
    ):
        frame = pd.read_csv(sample_data / f"{name}.csv", usecols=lambda c, cols=columns: c in cols)
        for col in frame.columns:
            for value in frame[col].dropna().astype(str).unique():
                words |= {w.lower() for w in re.findall(r"[A-Za-z]+", value)}
    return words


def test_russian_postmortem_shows_no_english_words(runs, find_english, sample_data):
    # parameter names quoted in notes and callouts (`srm_alpha`, `responses_path`) are identifiers, not words
    text = re.sub(r"`[^`]*`", " ", visible_text(runs["ru"]))
    for heading in ("Разбор итогов кампании", "KPI против плана", "Атрибуция", "Качество данных", "Успехи"):
        assert heading in text
    assert "Вердикт: внедрять treatment_a" in text  # the planted winner, in Russian words
    data = _data_words(sample_data)
    leftover = [w for w in find_english(text) if w.lower() not in data]
    assert leftover == [], leftover


def test_russian_postmortem_results_carry_the_english_numbers(runs):
    from workbench.report import collect_results

    en, ru = collect_results(runs["en"]), collect_results(runs["ru"])
    # the headline (the index shows it) is in each report's language; every other number keeps its key
    en_numbers, ru_numbers = numbers_outside_headline(en), numbers_outside_headline(ru)
    assert len(en_numbers) > 100
    assert number_differences(en_numbers, ru_numbers) == {}
    # machines read the same English verdicts and statuses in both languages
    assert ru["experiment"]["verdict"] == en["experiment"]["verdict"] == "ship treatment_a"
    assert [r["status"] for r in ru["pacing"]] == [r["status"] for r in en["pacing"]]
    assert set(ru["headline"]) >= {"Расходы", "A/B-тест"} and ru["headline"]["A/B-тест"] == "внедрять treatment_a"
