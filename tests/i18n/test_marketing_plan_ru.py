"""The marketing plan tracker in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist, except values that are the user's own
data (campaign names from the ad statistics); its results.json carries exactly the English run's numbers:
language changes words, never numbers."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
import yaml

from tests.i18n.test_budget_report_ru import numeric_leaves, visible_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(project_root, sample_data, tmp_path_factory):
    import nbformat
    import papermill as pm

    path = project_root / "params/marketing_plan/plan_2025_2026_ru.yaml"
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert params["language"] == "ru"
    params |= {f"{n}_path": str(sample_data / f"{n}.csv") for n in ("orders", "sessions", "ad_stats")}
    tmp = tmp_path_factory.mktemp("plan_i18n")
    out = {}
    for lang in ("en", "ru"):
        nb_path = tmp / f"{lang}.ipynb"
        pm.execute_notebook(
            str(project_root / "notebooks" / "marketing_plan.ipynb"),
            str(nb_path),
            parameters=params | {"language": lang},
            kernel_name="python3",
            cwd=str(project_root),
            progress_bar=False,
            log_output=False,
        )
        out[lang] = nbformat.read(nb_path, as_version=4)
    return out


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
    en_numbers = {k: v for k, v in numeric_leaves(en).items() if not k.startswith("/headline/")}
    ru_numbers = {k: v for k, v in numeric_leaves(ru).items() if not k.startswith("/headline/")}
    assert len(en_numbers) > 50 and set(en_numbers) == set(ru_numbers)
    differ = {k: (v, ru_numbers[k]) for k, v in en_numbers.items() if not math.isclose(v, ru_numbers[k], rel_tol=1e-9)}
    assert differ == {}
    # machines read the same codes in both languages; the headline follows the report's language
    assert [g["status"] for g in en["goals"]] == [g["status"] for g in ru["goals"]]
    assert en["forecast_models"] == ru["forecast_models"]
    assert "Open goals on track" in en["headline"] and "Текущие цели по плану" in ru["headline"]
