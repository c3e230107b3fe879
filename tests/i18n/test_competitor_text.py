"""The competitor audit's words in Russian: whole sentences, plural forms, labels and charts; recorded words
stay English whatever the report's language."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from workbench.analysis.competitors import text as X
from workbench.i18n import set_language


@pytest.fixture
def russian():
    set_language("ru")
    yield
    set_language("en")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 клик в месяц"),
        (2, "2 клика в месяц"),
        (5, "5 кликов в месяц"),
        (21, "21 клик в месяц"),
        (11, "11 кликов в месяц"),
        (1234, "1\xa0234 клика в месяц"),
    ],
)
def test_clicks_per_month_take_the_russian_plural_form(russian, n, expected):
    assert X.clicks_per_month(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "видимое слово"), (2, "видимых слова"), (5, "видимых слов"), (21, "видимое слово")],
)
def test_page_issue_counts_words_in_russian(russian, n, expected):
    assert X.page_issue("thin", n=n, minimum=300) == f"мало текста: {n} {expected} (< 300)"


@pytest.mark.parametrize(("n", "word"), [(1, "ключевое слово"), (3, "ключевых слова"), (5, "ключевых слов")])
def test_gap_finding_is_one_russian_sentence(russian, n, word):
    sentence = X.gap_finding(n, 6950.4, "men's sports bra", 3451)
    assert sentence.startswith(f"{n} {word} в топ-10 у конкурент")
    assert "около 6\xa0950" in sentence and "«men's sports bra», запросов в месяц: 3\xa0451" in sentence


def test_english_sentences_read_as_before():
    assert X.clicks_per_month(6950.4, approx=True) == "≈6,950 clicks/month upside"
    assert X.page_issue("thin", n=95, minimum=300) == "thin content: 95 visible words (< 300)"
    assert X.top_issue("structured_data", 0.5) == "structured data fails on 50% of pages"
    assert X.top_issue(None, None) == "none"


def test_standing_and_reason_in_russian(russian):
    sentence = X.standing_finding("paid_search", 31, "Vershina", 100, "site", 82, 99, behind=True)
    assert sentence == (
        "Наш самый слабый канал относительно конкурентов — «поисковая реклама»: у нас 31 из 100, а у Vershina — 100. "
        "Даже наш самый сильный канал, «сайт» (82), отстаёт от лучшего соперника в нём на 17 п."
    )
    notes = {"keywords": {"share": 0.93, "shared": 2250, "ours": 2371}}
    assert X.competition_reason("direct", 0.71, notes) == (
        "Прямой соперник (индекс 0,71): в топ-20 по 93\xa0% нашего поискового спроса (2250 из 2371 нашего "
        "ключевого слова)."
    )


def test_unknown_names_are_refused_with_the_allowed_ones():
    with pytest.raises(ValueError, match="channel must be one of site, seo"):
        X.channel_name("tv")
    with pytest.raises(ValueError, match="section must be one of intro"):
        X.section_markdown("appendix")


def test_recorded_reason_stays_english_while_the_shown_one_is_russian(russian):
    from workbench.analysis.competitors import rivals

    competitors = pd.DataFrame({"brand": ["Us", "A"], "domain": ["us.ru", "a.ru"], "is_us": [True, False]})
    social = pd.DataFrame({"brand": ["Us", "A"], "network": ["vk", "vk"], "followers": [1000, 500]})
    scores = rivals.competition_scores(rivals.roster(competitors), social=social)
    assert scores.loc[0, "reason"].startswith("Direct rival (score 0.50): matches 50% of our social following")
    assert rivals.competition_reasons(scores)[0].startswith("Прямой соперник (индекс 0,50): набирает 50\xa0%")


def test_competition_chart_speaks_russian(russian):
    from workbench.viz import competitors as charts

    comp = pd.DataFrame({"brand": ["A", "B"], "score": [0.6, 0.1], "classification": ["direct", "not a rival"]})
    fig = charts.competition_chart(comp, {"direct": 0.45, "indirect": 0.2})
    ax = fig.axes[0]
    assert ax.get_title() == "Кто с нами конкурирует"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["прямой", "косвенный", "не соперник", "неизвестно"]
    assert "прямой ≥ 0,45" in [t.get_text() for t in ax.texts]
    plt.close(fig)


def test_sections_without_input_say_so_in_russian(russian):
    from workbench.report import no_data

    assert X.missing("seo") == ("оценка SEO", "не даны ни позиции по ключевым словам, ни метрики сайтов")
    note = str(no_data(*X.missing("keyword_gap")))
    assert "Нет данных для раздела «разрыв по ключевым словам»: не дан файл позиций по ключевым словам" in note


def test_channel_gaps_table_in_russian(russian):
    import numpy as np

    from workbench.analysis.competitors import views

    gaps = pd.DataFrame(
        {
            "kind": ["paid channel", "social network", "social network"],
            "channel": ["yandex_direct", "vk", "ok"],
            "status": ["absent", "outweighed", "outweighed"],
            "leader": ["A", "B", "B"],
            "leader_amount": [120000.0, 3000.0, 2021.0],
            "our_amount": [np.nan, 1000.0, 1000.0],
            "shortfall": [120000.0, 2000.0, 1021.0],
            "est_clicks_upside": [4000.0, np.nan, np.nan],
        }
    )
    view = views.channel_gaps_view(gaps, "RUB", 30.0)
    frame = view.frame
    assert list(frame.columns[:3]) == ["Тип", "Канал", "Разрыв"]
    assert list(frame["Тип"]) == ["платный канал", "соцсеть", "соцсеть"]
    assert list(frame["Канал"]) == ["Yandex Direct", "VK", "Одноклассники"]
    assert list(frame["Отставание от лидера"]) == [
        "120\xa0000\xa0₽ в месяц",
        "2\xa0000 подписчиков",
        "1\xa0021 подписчик",
    ]
    assert view.caption == "Разрывы по каналам (клики поисковой рекламы по нашему среднему CPC 30,0\xa0₽)"


def test_site_scores_name_the_costliest_issue_in_russian(russian):
    from workbench.analysis.competitors import views

    scores = pd.DataFrame(
        {
            "domain": ["a.ru", "b.ru"],
            "pages": [3, 2],
            "score": [80.0, 100.0],
            "fail_structured_data": [2 / 3, 0.0],
            "top_check": ["structured_data", None],
            "top_issue": ["structured data fails on 67% of pages", "none"],
        }
    )
    view = views.site_scores_view(scores, {"a.ru": "A", "b.ru": "B"})
    assert list(view.frame["Самая дорогая проблема"]) == [
        "структурированные данные: не пройдено на 67\xa0% страниц",
        "нет",
    ]
    # the recorded form keeps the English words
    assert list(views.site_scores_with_brand(scores, {})["top_issue"]) == list(scores["top_issue"])
