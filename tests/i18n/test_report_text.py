"""Built-in words of the report helpers and the budget report's sentences, in English and Russian."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.budget import tables as T
from workbench.analysis.budget import text as X
from workbench.i18n import language, set_language
from workbench.report import findings, kpi_tiles, no_data, table
from workbench.report.display import markdown
from workbench.report.sections import not_in_report, requires, skipped_sections

NB = "\xa0"


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def test_helpers_english_unchanged():
    assert 'class="wb-callout-title">Key findings<' in str(findings(["a"]))
    assert str(no_data("E-mail", "no sends file")) == '<div class="wb-nodata">No data for E-mail: no sends file</div>'
    big = pd.DataFrame({"x": range(1234)})
    assert "Showing 50 of 1,234 rows." in str(table(big))
    assert "1,234.50" in str(kpi_tiles([{"label": "Spend", "value": 1234.5}]))
    note = str(not_in_report("Plan", {"plan_budgets": "budgets by year"}))
    assert note == '<div class="wb-nodata">Not in this report: Plan — needs budgets by year (`plan_budgets`).</div>'


def test_helpers_in_russian():
    with language("ru"):
        assert 'class="wb-callout-title">Главные выводы<' in str(findings(["a"]))
        assert "Нет данных для раздела «E-mail»: нет файла" in str(no_data("E-mail", "нет файла"))
        assert f"Показаны 50 из 1{NB}234 строк." in str(table(pd.DataFrame({"x": range(1234)})))
        assert "Показаны 50 из 51 строки." in str(table(pd.DataFrame({"x": range(51)})))
        assert f"1{NB}234,50" in str(kpi_tiles([{"label": "Расходы", "value": 1234.5}]))
        html = str(table(pd.DataFrame({"x": [12345.67, 1.5]})))
        assert f"<td>12{NB}346</td>" in html and "<td>1,50</td>" in html


def test_skipped_section_note_is_translated_but_results_keep_english_ids():
    with language("ru"):
        need = requires("Multi-year plan", plan_budgets=("budgets by year", None))
        note = str(need.note)
    assert note == (
        '<div class="wb-nodata">Не вошло в отчёт: План на несколько лет — '
        "нужны бюджеты по годам (`plan_budgets`).</div>"
    )
    assert skipped_sections()["Multi-year plan"] == {
        "needs": ["plan_budgets"],
        "reason": "needs budgets by year (`plan_budgets`)",
    }


def test_markdown_block_is_markdown_for_jupyter_and_nbconvert():
    block = markdown("## Заголовок\n\nТекст")
    assert block._repr_markdown_() == "## Заголовок\n\nТекст" and not hasattr(block, "_repr_html_")


HOLDOUT = {"periods": 13, "mape": 0.0372, "coverage": 0.85, "level": 0.9}
UPLIFT = {
    "budget": 1.2e8,
    "periods": 52,
    "outcome_optimal": 1.9e8,
    "outcome_current": 1.8e8,
    "uplift": 1e7,
    "uplift_interval": [-1e6, 2e7],
    "uplift_share": 1 / 18,
    "level": 0.9,
}


def test_budget_sentences_english_unchanged():
    assert X.holdout_sentence(HOLDOUT, "revenue") == (
        "On the last 13 weeks, which the model did not see, its forecast of revenue was off by 3.7% on average "
        "(MAPE); 85% of those weeks fell inside the 90% prediction interval, as intended."
    )
    assert X.allocation_sentence(UPLIFT, "revenue", "RUB") == (
        "Splitting the budget of 120.0M RUB over 52 weeks as recommended is expected to bring 190.0M RUB of "
        "media-driven revenue against 180.0M RUB with the current split: +5.6% (10.0M RUB, 90% interval "
        "-1.0M RUB – 20.0M RUB). The interval includes no gain, so the current split is not clearly worse."
    )
    assert X.fit_sentence(0.93, 0.034, 0.05, 100, 4) == (
        "In the weeks it was fitted on, the model explains 93% of the week-to-week variation (R²), with a mean "
        "absolute error of 3.4% (NRMSE 5.0%). Intervals come from 100 refits on data resampled in blocks of 4 weeks."
    )


def test_budget_sentences_in_russian():
    with language("ru"):
        assert X.holdout_sentence(HOLDOUT, "revenue") == (
            f"На 13 последних неделях, которых модель не видела, прогноз выручки ошибался в среднем на 3,7{NB}% "
            f"(MAPE); 85{NB}% этих недель попали в интервал прогноза 90{NB}%, как и задумано."
        )
        assert X.holdout_sentence({**HOLDOUT, "periods": 21}, "orders").startswith(
            "На 21 последней неделе, которую модель не видела, прогноз заказов"
        )
        assert X.allocation_sentence({**UPLIFT, "periods": 1, "uplift_interval": [1e6, 2e7]}, "revenue", "RUB") == (
            f"Если распределить бюджет 120,0{NB}млн{NB}₽ на 1 неделю по рекомендации, ожидается "
            f"190,0{NB}млн{NB}₽ выручки от медиа против 180,0{NB}млн{NB}₽ при текущем распределении: "
            f"+5,6{NB}% (10,0{NB}млн{NB}₽, интервал 90{NB}%: 1,0{NB}млн{NB}₽ – 20,0{NB}млн{NB}₽)."
        )
        assert X.fit_sentence(0.93, 0.034, 0.05, 21, 4).endswith(
            "Интервалы получены по 21 переоценке модели на данных, перевыбранных блоками по 4 нед."
        )
        assert X.warning_sentence({"kind": "collinear", "channels": ["tv", "outdoor"], "value": 0.91}).startswith(
            "Расходы в каналах «ТВ» и «Наружная реклама» меняются вместе (корреляция 0,91)"
        )
        assert X.channel_name("vk_ads") == "VK Ads" and X.channel_name("online_video") == "Онлайн-видео"
        assert X.section_markdown("contributions").startswith("## 1. Что дал каждый канал\n\n")


def test_budget_tables_in_russian(find_english):
    alloc = pd.DataFrame(
        {
            "channel": ["tv", "vk_ads"],
            "current_split": [5e7, 1.3e7],
            "optimal": [4.8e7, 1.5e7],
            "change": [-0.04, 0.15],
            "outcome_optimal": [5.3e7, 1.7e7],
            "outcome_lower": [4.4e7, 9.6e6],
            "outcome_upper": [6.2e7, 2.9e7],
            "marginal_roas_optimal": [0.88, 0.88],
        }
    )
    with language("ru"):
        shown = T.allocation_display(alloc, "RUB")
    assert list(shown.columns) == [
        "Канал",
        "Текущее распределение",
        "Рекомендуемое",
        "Изменение",
        "Ожидаемый результат (интервал)",
        "Маржинальный ROAS при нём",
    ]
    assert shown.iloc[0].tolist() == [
        "ТВ",
        f"50,0{NB}млн{NB}₽",
        f"48,0{NB}млн{NB}₽",
        f"-4,0{NB}%",
        f"53,0{NB}млн (44,0{NB}млн – 62,0{NB}млн)",
        "0,88",
    ]
    assert find_english(" ".join(shown.astype(str).to_numpy().ravel())) == []
