"""The campaign post-mortem in Russian, end to end: two kernel runs (English and Russian, same params).

The Russian page shows no English words outside the allowlist, except values that are the user's own
data (campaign, channel, ad group, creative, variant and e-mail names from the input files); its
results.json carries exactly the English run's numbers (and its English verdicts and statuses):
language changes words, never numbers."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
import yaml

from tests.i18n.test_budget_report_ru import numeric_leaves, visible_text

pytestmark = pytest.mark.slow

INPUTS = ("ad_stats", "sessions", "orders", "touchpoints", "experiment", "email_sends")


@pytest.fixture(scope="module")
def runs(project_root, sample_data, tmp_path_factory):
    import nbformat
    import papermill as pm

    path = project_root / "params/campaign_postmortem/autumn_launch_2026_ru.yaml"
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert params["language"] == "ru"
    params |= {f"{name}_path": str(sample_data / f"{name}.csv") for name in INPUTS}
    tmp = tmp_path_factory.mktemp("postmortem_i18n")
    out = {}
    for lang in ("en", "ru"):
        nb_path = tmp / f"{lang}.ipynb"
        pm.execute_notebook(
            str(project_root / "notebooks" / "campaign_postmortem.ipynb"),
            str(nb_path),
            parameters=params | {"language": lang},
            kernel_name="python3",
            cwd=str(project_root),
            progress_bar=False,
            log_output=False,
        )
        out[lang] = nbformat.read(nb_path, as_version=4)
    return out


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
    en_numbers = {k: v for k, v in numeric_leaves(en).items() if not k.startswith("/headline/")}
    ru_numbers = {k: v for k, v in numeric_leaves(ru).items() if not k.startswith("/headline/")}
    assert len(en_numbers) > 100 and set(en_numbers) == set(ru_numbers)
    same = lambda a, b: math.isclose(a, b, rel_tol=1e-9) or (math.isnan(a) and math.isnan(b))  # noqa: E731
    differ = {k: (v, ru_numbers[k]) for k, v in en_numbers.items() if not same(v, ru_numbers[k])}
    assert differ == {}
    # machines read the same English verdicts and statuses in both languages
    assert ru["experiment"]["verdict"] == en["experiment"]["verdict"] == "ship treatment_a"
    assert [r["status"] for r in ru["pacing"]] == [r["status"] for r in en["pacing"]]
    assert set(ru["headline"]) >= {"Расходы", "A/B-тест"} and ru["headline"]["A/B-тест"] == "внедрять treatment_a"
