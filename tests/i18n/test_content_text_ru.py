"""The content report's words in Russian: plural forms, category values, headers and sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.content import report_text as C
from workbench.analysis.content import wording as W
from workbench.analysis.content.export import download_link_html
from workbench.i18n import language


@pytest.mark.parametrize(
    ("n", "ru"),
    [(1, "1 ключевое слово"), (2, "2 ключевых слова"), (5, "5 ключевых слов"), (21, "21 ключевое слово")],
)
def test_negative_keywords_sentence_agrees_with_the_count(n, ru):
    neg = pd.DataFrame({"negative_keyword": ["бесплатно"], "reason": ["free"], "n_keywords": [n], "demand": [1240.0]})
    with language("ru"):
        text = W.describe_negatives(neg)
    assert text == f"Добавьте минус-слова: бесплатно (бесплатно: {ru}, 1,2\xa0тыс. запросов в месяц)."


@pytest.mark.parametrize(("n", "ru"), [(1, "1 строка"), (2, "2 строки"), (5, "5 строк"), (21, "21 строка")])
def test_import_file_link_counts_rows_in_russian(n, ru):
    with language("ru"):
        assert download_link_html(pd.DataFrame({"a": range(n)}), "x.csv").endswith(f"({ru})")
    assert download_link_html(pd.DataFrame({"a": range(n)}), "x.csv").endswith(f"({n} row{'s' if n > 1 else ''})")


def test_best_time_and_seasonality_sentences_in_russian():
    best = pd.DataFrame(
        {"platform": ["vk"], "weekday": [1], "weekday_name": ["Tuesday"], "hour": [19], "rate_shrunk": [0.072],
         "platform_rate": [0.042], "posts": [21], "lift": [1.71]}
    )  # fmt: skip
    with language("ru"):
        assert W.describe_best_times(best) == [
            "vk: публикуйте в вт 19:00 — вовлечённость 7,2\xa0% против 4,2\xa0% по всем постам vk "
            "(21 публикация в этом слоте)."
        ]
        cal = pd.DataFrame([[0.0] * 5 + [0.61] + [0.0] * 6], index=["палатка"], columns=range(1, 13))
        cal.attrs["peaks"] = {"палатка": [6]}
        assert W.describe_seasonality(cal).startswith("Пики спроса: палатка — в июне (+61\xa0% к обычному уровню)")
        assert W.describe_topics(5, 0.52, 0.65).startswith("Заголовки делятся на 5 тем (средний силуэт 0,52)")
        assert W.describe_topics(2, 0.52, 0.99).endswith("индексом Рэнда 0,99 (устойчиво).")


def test_tables_show_russian_headers_and_values_with_formats_kept():
    frame = pd.DataFrame(
        {"intent": ["commercial"], "direction": ["rising"], "weekday_name": ["Tuesday"], "engagement_rate": [0.05]}
    )
    with language("ru"):
        shown = C.shown(frame, {"engagement_rate": "{:.2%}"})
    assert list(shown["frame"].columns) == ["Намерение", "Направление", "День недели", "Доля вовлечённости"]
    assert shown["frame"].iloc[0, :3].tolist() == ["коммерческое", "растёт", "вт"]
    assert shown["formats"] == {"Доля вовлечённости": "{:.2%}"}
    english = C.shown(frame, {"engagement_rate": "{:.2%}"})
    assert list(english["frame"].columns) == ["Intent", "Direction", "Weekday name", "Engagement rate"]
    assert english["frame"].iloc[0, :3].tolist() == ["commercial", "rising", "Tuesday"]
