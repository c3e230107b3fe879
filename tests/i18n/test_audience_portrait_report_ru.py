"""The audience portrait in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist, except values that are the user's own
data (the category values of the customers, orders, sessions and survey files: cities, brands,
categories, traffic sources, survey answers); its results.json carries exactly the English run's numbers:
language changes words, never numbers."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.i18n.conftest import number_differences, numbers_outside_headline, russian_params, visible_text

pytestmark = pytest.mark.slow

INPUTS = ("customers", "orders", "sessions", "survey")


@pytest.fixture(scope="module")
def runs(english_and_russian, project_root, sample_data):
    params = russian_params(project_root / "params/audience_portrait/champions_ru.yaml")
    assert params["title"] == "Портрет аудитории: RFM-чемпионы"
    params |= {f"{name}_path": str(sample_data / f"{name}.csv") for name in INPUTS}
    return english_and_russian("audience_portrait", params)


def data_words(sample_data) -> set[str]:
    """Words that are the user's data, not the report's: every value of a text column with few distinct
    values (categories, not free text; multi-value answers split at ';') in the input files."""
    words: set[str] = set()
    for name in INPUTS:
        frame = pd.read_csv(sample_data / f"{name}.csv")
        for col in frame.columns:
            if not (frame[col].dtype.kind in "OSU" or str(frame[col].dtype) in ("str", "string")):
                continue
            values = frame[col].dropna().astype(str).str.split(";").explode().str.strip()  # multi-value answers
            if values.nunique() <= 200:
                for value in values.unique():
                    words |= {w.lower() for w in re.findall(r"[A-Za-z]+", value)}
    return words


def test_russian_portrait_shows_no_english_words(runs, find_english, sample_data):
    text = visible_text(runs["ru"])
    for heading in (
        "Портрет аудитории",
        "Данные и аудитория",
        "Карточка портрета",
        "Кто они",
        "С каких устройств заходят",
        "Как часто заходят и покупают",
        "Насколько хорошо нас знают",
        "Когда они активны",
        "Какие каналы их приводят",
        "Заметки о методе",
        "Качество данных",
        "Портрет: Чемпионы",
    ):
        assert heading in text, heading
    data = data_words(sample_data)
    identifiers = re.sub(r"`[^`]*`", " ", text)  # parameter names in a "not in this report" note
    leftover = [w for w in find_english(identifiers) if w.lower() not in data]
    assert leftover == [], leftover
    english = visible_text(runs["en"])
    assert "Who they are" in english and "Persona: Чемпионы" in english  # the params name the audience


def test_russian_portrait_results_carry_the_english_numbers(runs):
    from workbench.report import collect_results

    en, ru = collect_results(runs["en"]), collect_results(runs["ru"])
    en_numbers, ru_numbers = numbers_outside_headline(en), numbers_outside_headline(ru)
    assert len(en_numbers) > 100
    assert number_differences(en_numbers, ru_numbers) == {}
    assert {"Audience", "Purchases per year", "Repeat buyers"} <= set(en["headline"])
    assert {"Аудитория", "Покупок в год", "Повторные покупатели"} <= set(ru["headline"])
