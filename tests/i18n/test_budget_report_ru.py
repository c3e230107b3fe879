"""The budget-planning report in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist (the pipeline's own header, parameters
panel and footer are left out: they are the pipeline's, and get their words from `chrome()`), and its
results.json carries exactly the English run's numbers: language changes words, never numbers."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.slow


def _execute(project_root: Path, out: Path, params: dict) -> Any:
    import nbformat
    import papermill as pm

    pm.execute_notebook(
        str(project_root / "notebooks" / "budget_planning.ipynb"),
        str(out),
        parameters=params,
        kernel_name="python3",
        cwd=str(project_root),
        progress_bar=False,
        log_output=False,
    )
    return nbformat.read(out, as_version=4)


@pytest.fixture(scope="module")
def runs(project_root, sample_data, tmp_path_factory):
    params = yaml.safe_load((project_root / "params/budget_planning/sample_ru.yaml").read_text(encoding="utf-8"))
    assert params["language"] == "ru"
    params |= {
        "ad_stats_path": str(sample_data / "media_ad_stats.csv"),
        "orders_path": str(sample_data / "media_orders.csv"),
        "bootstrap_draws": 20,
        "search_draws": 64,
    }
    tmp = tmp_path_factory.mktemp("budget_i18n")
    return {lang: _execute(project_root, tmp / f"{lang}.ipynb", params | {"language": lang}) for lang in ("en", "ru")}


def visible_text(nb: Any) -> str:
    """The text a reader sees in the report body: nbconvert HTML without code, scripts, styles and code
    spans (parameter names and file paths are identifiers, not words)."""
    import lxml.html
    from nbconvert import HTMLExporter

    from workbench.pipeline.render import strip_results

    body, _ = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True).from_notebook_node(
        strip_results(nb)
    )
    doc = lxml.html.document_fromstring(body)
    for node in doc.xpath("//script|//style|//code|//title|//a[contains(@class, 'anchor-link')]"):
        node.drop_tree()
    return re.sub(r"[ \t\r\n]+", " ", " ".join(doc.body.itertext()))  # no-break spaces stay


def numeric_leaves(value: Any, path: str = "") -> dict[str, float]:
    """Every number in a results tree by its path (strings, such as formatted headline values, left out)."""
    if isinstance(value, bool):
        return {}
    if isinstance(value, (int, float)):
        return {path: float(value)}
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in numeric_leaves(item, f"{path}/{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in numeric_leaves(item, f"{path}[{i}]").items()}
    return {}


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
    assert len(en_numbers) > 100 and set(en_numbers) == set(ru_numbers)
    differ = {k: (v, ru_numbers[k]) for k, v in en_numbers.items() if not math.isclose(v, ru_numbers[k], rel_tol=1e-9)}
    assert differ == {}
    # the headline (the index shows it) is in each report's language
    assert set(en["headline"]) == {"Media-driven share", "Best ROAS", "Expected uplift", "Holdout MAPE"}
    assert set(ru["headline"]) == {
        "Доля медиа в результате",
        "Лучший ROAS",
        "Ожидаемый прирост",
        "MAPE на отложенных неделях",
    }
