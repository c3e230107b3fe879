"""The marketing plan tracker's words in Russian: plural forms, statuses, headers, model descriptions."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.performance import plan_summary as S
from workbench.analysis.performance import plan_text as X
from workbench.analysis.performance import plan_views as V
from workbench.analysis.performance.forecast import choose_spec
from workbench.i18n import language


@pytest.mark.parametrize(
    ("n", "en", "ru"),
    [(1, "1 day", "1 день"), (2, "2 days", "2 дня"), (5, "5 days", "5 дней"), (21, "21 days", "21 день")],
)
def test_days_late_in_every_plural_form(n, en, ru):
    assert X.days_late(n) == en
    with language("ru"):
        assert X.days_late(n) == ru


@pytest.mark.parametrize(
    ("n", "ru"),
    [
        (1, "1 инициатива просрочена"),
        (2, "2 инициативы просрочены"),
        (5, "5 инициатив просрочено"),
        (21, "21 инициатива"),
    ],
)
def test_overdue_initiatives_sentence_agrees_with_the_count(n, ru):
    progress = pd.DataFrame(columns=["period", "metric", "status", "better"])
    inits = pd.DataFrame(
        {
            "name": [f"Задача {i}" for i in range(n)],
            "owner": ["Анна Петрова"] * n,
            "deadline": [pd.Timestamp("2026-06-30").date()] * n,
            "overdue": [True] * n,
            "days_overdue": [12] * n,
        }
    )
    with language("ru"):
        text = S.plan_summary(progress, pd.Timestamp("2026-10-31"), pd.Period("2026-10", "M"), initiatives=inits)
    sentence = text.sentences[-1]
    assert sentence.startswith(ru) and "(Анна Петрова, срок 2026-06-30, опоздание 12 дней)" in sentence


def test_goal_sentence_in_russian():
    progress = pd.DataFrame(
        {
            "period": ["2026", "2025"],
            "metric": ["cac", "revenue"],
            "better": ["lower", "higher"],
            "target": [1400.0, 50e6],
            "actual": [1510.0, 52e6],
            "forecast": [1600.0, 52e6],
            "lower": [1500.0, 52e6],
            "upper": [1700.0, 52e6],
            "elapsed": [0.8, 1.0],
            "status": ["off track", "achieved"],
        }
    )
    with language("ru"):
        out = S.goal_sentences(progress, pd.Timestamp("2026-10-31"), pd.Period("2026-10", "M"))
    assert out[0] == (
        "Дата проверки 2026-10-31 (последний месяц данных — октябрь 2026). Из 1 цели, период которой ещё идёт, "
        "по плану — 0, под угрозой — 0, отстают — 1; из 1 цели завершённых периодов достигнуто 1, не достигнуто 0."
    )
    assert out[1] == (
        "Отстаёт: CAC 2026 — прогноз 1\xa0600\xa0₽ (диапазон 1\xa0500\xa0₽ – 1\xa0700\xa0₽) при цели 1\xa0400\xa0₽ "
        "(чем ниже, тем лучше)."
    )


def test_statuses_and_headers_are_russian_and_results_keep_the_codes():
    progress = pd.DataFrame(
        {
            "period": ["2026"],
            "metric": ["revenue"],
            "better": ["higher"],
            "target": [85e6],
            "actual": [61.2e6],
            "forecast": [83e6],
            "lower": [80e6],
            "upper": [86.5e6],
            "elapsed": [0.75],
            "status": ["at risk"],
        }
    )
    with language("ru"):
        view = V.goals_view(progress, 0.8)
        assert list(view.columns)[:3] == ["Период", "Цель", "Целевое значение"]
        assert "Прогноз на конец периода (диапазон 80\xa0%)" in view.columns
        assert view["Статус"].tolist() == ["под угрозой"]
        assert V.formats("goals") == {"Прошло": "{:.0%}"}
        assert X.initiative_status("in_progress") == "в работе" and X.better_word("lower") == "ниже"
    assert V.goals_record(progress)[0]["status"] == "at risk"  # results.json keeps the English code


def test_model_descriptions_follow_the_forecast_grammar():
    short = choose_spec(14, 12, log=True)
    description = short.label + f" ({short.note})"
    assert (
        description
        == "ARIMA(0,1,1) with drift on log values (only 14 months of history (< 24, two seasons): no seasonal term)"
    )
    with language("ru"):
        assert X.model_words(description) == (
            "ARIMA(0,1,1) со сносом, по логарифмам "
            "(история всего 14 месяцев (< 24, два сезона): без сезонной составляющей)"
        )
        lifted = (
            "SARIMA(0,1,1)(0,1,1)12 on log values + 1 event regressor "
            "(one-off lift fitted (autumn_launch_2026: +38% in its 2 months))"
        )
        assert X.model_words(lifted) == (
            "SARIMA(0,1,1)(0,1,1)12 по логарифмам + 1 регрессор событий "
            "(оценён разовый прирост (autumn_launch_2026: +38\xa0% за его 2 месяца))"
        )
        dropped = (
            "SARIMA(0,1,1)(0,1,1)12 on log values (autumn_launch_2026: not distinguishable from no lift "
            "(tested by AICc; autumn_launch_2026: a lift under 21% could not have been seen))"
        )
        assert X.model_words(dropped) == (
            "SARIMA(0,1,1)(0,1,1)12 по логарифмам (autumn_launch_2026: неотличимо от отсутствия прироста "
            "(проверка по AICc; autumn_launch_2026: прирост меньше 21\xa0% нельзя было бы заметить))"
        )
    assert X.model_words(lifted) == lifted  # English reads as the analysis wrote it


def test_unknown_names_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="section must be one of intro, goals"):
        X.section_markdown("nope")
    with pytest.raises(ValueError, match="caption must be one of goals, budget"):
        X.caption("nope")
