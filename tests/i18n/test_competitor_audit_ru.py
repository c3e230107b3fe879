"""The competitor audit in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist, except values that are the user's own
data (brand, domain, keyword and attribute names, saved pages' file names and titles); its results.json
carries exactly the English run's numbers, and its recorded words (class, reason, top issue) are the
English run's too: language changes what a reader sees, never what a machine reads."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml

from tests.i18n.conftest import (
    execute_report,
    number_differences,
    numbers_outside_headline,
    russian_params,
    visible_text,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(english_and_russian, project_root, sample_data):
    params = russian_params(project_root / "params/competitor_audit/sample_ru.yaml")
    params |= {
        k: str(sample_data / v.removeprefix("data/sample/")) for k, v in params.items() if k.endswith(("_path", "_dir"))
    }
    return english_and_russian("competitor_audit", params)


def _data_words(sample_data) -> set[str]:
    """Words that are the user's data, not the report's: brands, domains, keywords, attributes, pages."""
    values: list[str] = []
    for name, columns in (
        ("competitors", ["brand", "domain"]),
        ("keyword_rankings", ["keyword", "domain"]),
        ("brand_attributes", ["attribute"]),
    ):
        frame = pd.read_csv(sample_data / f"{name}.csv", usecols=columns)
        values += [str(v) for col in columns for v in frame[col].dropna().unique()]
    for page in (sample_data / "site_pages").glob("*/*.html"):
        values.append(page.name)
        values += re.findall(r"<title[^>]*>(.*?)</title>", page.read_text(encoding="utf-8", errors="replace"), re.S)
    return {w.lower() for v in values for w in re.findall(r"[A-Za-z]+", v)}


def test_russian_competitor_audit_shows_no_english_words(runs, find_english, sample_data):
    text = visible_text(runs["ru"])
    for heading in (
        "Анализ конкурентов",
        "Краткие выводы",
        "1. Кто настоящий соперник",
        "2. Какой стратегии они следуют",
        "3. Где они лучше и хуже нас",
        "4. Куда нам развиваться",
        "5. Как показать наше преимущество",
        "6. Аудит сайтов",
        "Методика",
        "Качество данных",
    ):
        assert heading in text
    assert "Индекс конкуренции" in text and "Доля голоса" in text and "подписчик" in text
    data = _data_words(sample_data)
    leftover = [w for w in find_english(text) if w.lower() not in data]
    assert leftover == [], leftover
    english = visible_text(runs["en"])
    assert "Who is a real rival" in english and "Key findings" in english


def test_russian_competitor_results_carry_the_english_numbers_and_words(runs):
    from workbench.report import collect_results

    en, ru = collect_results(runs["en"]), collect_results(runs["ru"])
    assert set(en) == set(ru)
    en_numbers, ru_numbers = numbers_outside_headline(en), numbers_outside_headline(ru)
    assert len(en_numbers) > 50
    assert number_differences(en_numbers, ru_numbers) == {}
    # everything but the headline (the index shows it in the report's language) is recorded identically
    assert {k: v for k, v in en.items() if k != "headline"} == {k: v for k, v in ru.items() if k != "headline"}
    assert set(ru["headline"]) == {
        "Главный соперник",
        "Наша органическая доля голоса",
        "Потенциал упущенных ключевых слов",
        "Наш самый слабый канал",
        "Оценка аудита нашего сайта",
    }
    assert en["headline"]["Our site audit score"] == ru["headline"]["Оценка аудита нашего сайта"]


def test_russian_audit_from_the_competitor_list_only_explains_every_gap(
    project_root, sample_data, tmp_path, find_english
):
    params = yaml.safe_load((project_root / "params/competitor_audit/minimal.yaml").read_text(encoding="utf-8"))
    params |= {"competitors_path": str(sample_data / "competitors.csv"), "language": "ru"}
    text = visible_text(execute_report(project_root, "competitor_audit", tmp_path / "minimal_ru.ipynb", params))
    for section in (
        "краткие выводы",
        "индекс конкуренции",
        "оценка по каналам",
        "аудит сайтов",
        "карта позиционирования",
    ):
        assert f"Нет данных для раздела «{section}»" in text
    leftover = [w for w in find_english(text) if w.lower() not in _data_words(sample_data)]
    assert leftover == [], leftover


def test_russian_audit_that_drops_a_broken_row_lists_it_in_russian(project_root, sample_data, tmp_path, find_english):
    import csv

    rows = list(csv.reader((sample_data / "competitors.csv").open(encoding="utf-8", newline="")))
    rows[-1][rows[0].index("brand")] = ""  # a rival without its brand: the contract's id column is required
    broken = tmp_path / "competitors.csv"
    with broken.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    params = yaml.safe_load((project_root / "params/competitor_audit/minimal.yaml").read_text(encoding="utf-8"))
    params |= {"competitors_path": str(broken), "language": "ru", "drop_invalid_rows": True}
    text = visible_text(execute_report(project_root, "competitor_audit", tmp_path / "dropped_ru.ipynb", params))
    assert "Строки, исключённые из отчёта" in text
    assert (
        f"competitors.csv: 1 строка из {len(rows) - 1} исключена из отчёта, так как нарушает контракт данных "
        "(brand: пропущенные значения (столбец обязателен), 1 строка)."
    ) in text
    assert "Файл Столбец Проблема Исключено строк Примеры competitors.csv brand" in text
    assert f"строка {len(rows)}: (пусто)" in text
    # the file's and the column's names are the user's own, like the brands and domains
    data = _data_words(sample_data) | {"competitors", "brand"}
    leftover = [w for w in find_english(text) if w.lower() not in data]
    assert leftover == [], leftover
