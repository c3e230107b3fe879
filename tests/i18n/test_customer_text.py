"""The customer reports' words in Russian: plural forms, whole sentences, RFM groups, segment names and
captions; English stays as the reports have always written it."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from workbench.analysis.customers import text as X
from workbench.analysis.customers.affinity import value_label
from workbench.analysis.customers.labels import readable
from workbench.analysis.customers.profiles import segment_names, trait_label, trait_phrase
from workbench.analysis.customers.segmentation_summary import feature_groups_sentence, holdout_note
from workbench.analysis.customers.segmentation_views import stability_sentence
from workbench.analysis.customers.sizing import recommend_targets
from workbench.i18n import language, set_language

NB = "\xa0"


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


@pytest.mark.parametrize(
    ("n", "english", "russian"),
    [
        (1, "1 customer derived", "Файла клиентов нет: 1 клиент выведен"),
        (2, "2 customers derived", "2 клиента выведены"),
        (5, "5 customers derived", "5 клиентов выведены"),
        (21, "21 customers derived", "21 клиент выведен"),
        (1234, "1,234 customers derived", f"1{NB}234 клиента выведены"),
    ],
)
def test_derived_customers_take_the_plural_form_of_their_count(n, english, russian):
    # English has one form per count and keeps its 'customers' for 21 (msgid_plural), Russian three
    assert english in X.derived_base_sentence(n)
    with language("ru"):
        assert russian in X.derived_base_sentence(n)


def test_stability_in_a_whole_russian_sentence():
    stability = {"ari_mean": 0.97, "ari_low": 0.7, "n_boot": 21}
    assert stability_sentence(stability) == (
        "Bootstrap stability: mean adjusted Rand index 0.97 (5th percentile 0.70, 21 resamples) — the segments "
        "are stable."
    )
    with language("ru"):
        assert stability_sentence(stability) == (
            "Устойчивость по бутстрепу: средний скорректированный индекс Рэнда 0,97 (5-й процентиль 0,70, "
            "21 перевыборка) — сегменты устойчивы."
        )
        assert "5 перевыборок) — сегменты лишь умеренно устойчивы." in stability_sentence(
            {"ari_mean": 0.65, "ari_low": 0.5, "n_boot": 5}
        )
        assert "2 перевыборки) — сегменты неустойчивы." in stability_sentence(
            {"ari_mean": 0.2, "ari_low": 0.1, "n_boot": 2}
        )


def test_holdout_note_counts_months_in_russian():
    with language("ru"):
        year = holdout_note("2025-10-31", "2026-10-31", 4321)
        assert year.startswith(f"Калибровка: заказы до 2025-10-31 (клиентов, купивших к этому времени: 4{NB}321)")
        assert "(12 месяцев)." in year and "целые годы" in year
        assert "(1 месяц)." in holdout_note("2025-10-31", "2025-11-30", 10)
        assert "(3 месяца)." in holdout_note("2025-10-31", "2026-01-31", 10) and "не составляют целого" in (
            holdout_note("2025-10-31", "2026-01-31", 10)
        )


def test_feature_groups_and_table_in_russian():
    columns = ["age", "gender", "region", "lifestyle", "interest_bbq", "interest_gym"]
    assert feature_groups_sentence(columns).startswith(
        "Segments are formed on geography (region); demography (age, gender); psychographics (lifestyle, 2 interests)."
    )
    with language("ru"):
        text = feature_groups_sentence(columns + ["interest_chess", "interest_golf", "interest_yoga"])
        assert text.startswith(
            "Сегменты строятся по признакам: география (регион); демография (возраст, пол); психографика "
            "(образ жизни, 5 интересов). Не используются для их построения: поведение."
        )
        summary = pd.DataFrame(
            {
                "group": ["demography", "psychographics"],
                "feature": ["income band", "interests"],
                "kind": ["categorical", "21 yes/no columns"],
                "values": ["", "a, b, … (21 in all)"],
                "missing": [0, 0],
                "share": [0.0, 0.0],
                "imputed_with": ['category "missing"', "most frequent"],
            }
        )
        shown, _formats = readable(X.feature_table(summary))
        assert list(shown.columns) == ["группа", "признак", "тип", "значения", "пропущено", "доля", "чем заполнено"]
        assert shown.iloc[0].tolist()[:3] == ["демография", "уровень дохода", "категориальный"]
        assert shown.iloc[1].tolist()[1:4] == ["интересы", "21 столбец да/нет", "a, b, … (всего 21)"]
        assert shown.iloc[1]["чем заполнено"] == "самое частое значение"


def test_rfm_groups_are_named_for_readers_and_kept_as_ids():
    summary = pd.DataFrame({"rfm_group": ["Champions", "Cannot lose them"], "customers": [3, 1]})
    with language("ru"):
        shown = X.rfm_view(summary)
        assert shown["rfm_group"].tolist() == ["Чемпионы", "Нельзя потерять"]
        rules = X.rfm_rules_table(pd.DataFrame({"rfm_group": ["Lost"], "description": ["lowest"]}))
        assert rules.iloc[0].tolist() == ["Потерянные", "худшие давность, частота и ценность"]
    assert summary["rfm_group"].tolist() == ["Champions", "Cannot lose them"]  # the data keeps the ids


def test_trait_words_and_segment_names_in_russian():
    frame = pd.DataFrame(
        {
            "interest_bbq": [1, 1, 1, 0, 0, 0],
            "interest_gardening": [1, 1, 1, 0, 0, 0],
            "gender": ["f", "f", "f", "m", "m", "m"],
        }
    )
    labels = pd.Series([1, 1, 1, 2, 2, 2])
    assert segment_names(frame, labels) == {1: "Female, BBQ and gardening enthusiasts", 2: "Male"}
    with language("ru"):
        assert segment_names(frame, labels) == {1: "Женщины, увлечённые: BBQ и gardening", 2: "Мужчины"}
        assert trait_label("interest_bbq", "1") == "интерес: BBQ"
        assert trait_label("acquisition_channel", "organic_search") == "канал привлечения: органический поиск"
        assert trait_phrase("age_band", "25-34") == "возраст 25-34"
        assert value_label("country", "KZ") == "Казахстан"
        assert value_label("city", "Moscow") == "Moscow"  # the user's own names stay as written


def test_target_reasons_in_russian():
    scored = pd.DataFrame(
        {
            "segment": [1, 2],
            "name": ["a", "b"],
            "share_customers": [0.25, 0.75],
            "share_revenue": [0.3, 0.7],
            "clv_mean": [5283.0, 3283.0],  # mean 4,283: 1.23× for the first
            "growth": [0.2, -0.1],
            "reachability": [0.7, 0.5],
            "attractiveness": [70.0, 40.0],
        }
    )
    english = recommend_targets(scored, n=2)["reasons"].tolist()
    assert english[0] == (
        "25% of customers bring 30% of revenue; expected CLV 5,283 per customer (1.2× the segment average); "
        "revenue growing +20% versus the previous period; 70% reachable through our channels"
    )
    with language("ru"):
        reasons = recommend_targets(scored, n=2)["reasons"].tolist()
    assert reasons[0] == (
        f"25{NB}% клиентов приносят 30{NB}% выручки; ожидаемый CLV 5{NB}283 на клиента (1,2× от среднего по "
        f"сегментам); выручка растёт: +20{NB}% к предыдущему периоду; 70{NB}% достижимы через наши каналы"
    )
    assert f"выручка снижается: -10{NB}% к предыдущему периоду" in reasons[1]


def test_captions_in_russian():
    with language("ru"):
        assert X.segment_caption("profiles", currency="RUB") == "Профили сегментов (деньги в ₽)"
        assert X.segment_caption("features", columns=21, missing=1500) == (
            f"Использованные признаки (21 столбец); заполнено пропусков: 1{NB}500"
        )
        weights = {"size": 0.25, "value": 0.75}
        assert X.segment_caption("attractiveness", weights=weights, currency="RUB") == (
            f"Привлекательность (веса: размер 25{NB}%, ценность 75{NB}%; средний CLV в ₽)"
        )
    with pytest.raises(ValueError, match="not a table of the segmentation report"):
        X.segment_caption("nope")
    with pytest.raises(ValueError, match="section must be one of"):
        X.section_markdown("nope")


def test_every_section_has_a_russian_heading():
    sections = ["intro", "summary", "features", "rfm", "k", "profiles", "value", "targeting", "forecast", "method"]
    english = {s: X.section_markdown(s) for s in sections}
    with language("ru"):
        for section in sections:
            text = X.section_markdown(section)
            assert text != english[section] and text.split(" ", 1)[0] == english[section].split(" ", 1)[0]
        assert X.section_markdown("rfm").startswith("## 2. RFM-группы\n\n")
        assert X.section_markdown("intro").startswith("# Сегментация клиентов\n\n")
    assert X.section_markdown("rfm").startswith("## 2. RFM groups\n\n")


def test_churn_share_heading_follows_the_language():
    from workbench.analysis.customers.segmentation_views import p_alive_by_rfm_group

    rfm = pd.DataFrame({"customer_id": ["a", "b", "c"], "rfm_group": ["Lost", "Lost", "Champions"]})
    values = pd.DataFrame({"p_alive": [0.2, 0.9, 0.8]}, index=pd.Index(["a", "b", "c"], name="customer_id"))
    run = SimpleNamespace(
        rfm=rfm,
        rfm_summary=pd.DataFrame({"rfm_group": ["Champions", "Lost"]}),
        value=SimpleNamespace(churn={"threshold": 0.5}, values=values),
    )
    assert p_alive_by_rfm_group(run).columns[-1] == "share with P(alive) < 50%"
    with language("ru"):
        table = p_alive_by_rfm_group(run)
    assert table.columns[-1] == f"доля с P(активен) < 50{NB}%"
    assert table.iloc[:, -1].tolist() == [0.0, 0.5]


def _affinity_table(direction: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "value": ["female", "male"],
            "audience_share": [0.6, 0.4],
            "base_share": [0.5, 0.5],
            "index": [120.0, 80.0],
            "direction": [direction, "similar"],
            "audience_total": [1234, 1234],
        }
    )


def test_affinity_finding_in_a_russian_sentence():
    from workbench.analysis.customers.persona import affinity_finding

    assert affinity_finding(_affinity_table("over"), "gender") == (
        "Gender (n = 1,234) — over-represented: female (60% vs 50%, index 120)."
    )
    with language("ru"):
        assert affinity_finding(_affinity_table("over"), "пол") == (
            f"Пол (n = 1{NB}234) — чаще, чем в базе: female (60{NB}% против 50{NB}% в базе, индекс 120)."
        )
        assert affinity_finding(_affinity_table("similar"), "пол") == (
            f"Пол: ни одно значение значимо не отличается от базы (n = 1{NB}234); самое частое — female "
            f"(60{NB}% против 50{NB}% в базе, индекс 120)."
        )
        assert affinity_finding(None, "устройства") == "Нет данных для этой аудитории: устройства."


@pytest.mark.parametrize(
    ("size", "russian"),
    [(1, "1 клиент"), (2, "2 клиента"), (5, "5 клиентов"), (21, "21 клиент"), (1000, f"1{NB}000 клиентов")],
)
def test_persona_counts_the_audience_in_russian(size, russian):
    from workbench.analysis.customers.persona import persona_sentences

    with language("ru"):
        first = persona_sentences("Чемпионы", size=size, share_of_base=0.18)[0]
    assert first == f"Чемпионы: {russian} (18{NB}% базы)."


@pytest.mark.parametrize(("n", "russian"), [(1, "1 час, визиты в который"), (3, "3 часа"), (5, "5 часов")])
def test_best_times_caption_plural(n, russian):
    from workbench.analysis.customers.portrait_views import best_times_caption

    assert best_times_caption(3, "n", 12345, 30) == (
        "Best times to publish: the 3 busiest hours of the audience (from 12,345 audience visits; hours with at "
        "least 30 visits)"
    )
    with language("ru"):
        assert best_times_caption(n, "expected", 12345, 30).startswith(f"Лучшее время для публикаций: {russian}")


def test_portrait_tables_for_russian_readers():
    view = pd.DataFrame(
        {
            "metric": ["purchases per year — median", "share of repeat buyers"],
            "audience": ["3.5 (mean 4.1)", "45% (40%–50%)"],
            "all customers": ["2.0 (mean 2.5)", "30%"],
            "index": [164.0, 150.0],
            "n (audience / all)": ["880 / 4,935", "880 / 4,935"],
        }
    )
    shown, caption, formats = X.metric_table(view, {"index": "{:.0f}"}, "caption")
    assert shown.equals(view) and formats == {"index": "{:.0f}"} and caption == "caption"  # English as it was
    with language("ru"):
        shown, _caption, formats = X.metric_table(view, {"index": "{:.0f}"}, "caption")
        assert X.weekday_name("Tue") == "вт" and X.weekday_name("Friday") == "пятница"
        assert X.direction_name("over") == "чаще"
    assert list(shown.columns)[:3] == ["показатель", "аудитория", "все клиенты"] and formats == {"индекс": "{:.0f}"}
    assert shown.iloc[0].tolist()[:3] == ["покупок в год — медиана", "3,5 (среднее 4,1)", "2,0 (среднее 2,5)"]
    assert shown.iloc[1].tolist()[:3] == ["доля повторных покупателей", f"45{NB}% (40{NB}%–50{NB}%)", f"30{NB}%"]
    assert shown.iloc[0]["n (аудитория / все)"] == f"880 / 4{NB}935"


def test_wide_column_groups_in_russian():
    from workbench.analysis.customers.portrait_views import wide_view

    table = pd.DataFrame(
        {
            "value": ["wines"],
            "audience_mean": [1500.0],
            "base_mean": [1000.0],
            "index": [150.0],
            "audience_share_of_total": [0.6],
            "base_share_of_total": [0.5],
            "audience_n": [1234],
            "base_n": [5678],
            "p_adjusted": [0.001],
            "direction": ["over"],
        }
    )
    shown, caption = wide_view(table, "spend_by_category", "RUB")
    assert caption.startswith("Spend by category: audience vs all customers, per customer")
    assert "audience, mean (RUB)" in shown.columns and shown["vs base"].tolist() == ["over"]
    with language("ru"):
        shown, caption = wide_view(table, "spend_by_category", "RUB")
    assert caption.startswith("Расходы по категориям: аудитория и все клиенты, на клиента")
    assert list(shown.columns)[:3] == ["значение", "аудитория, среднее (₽)", "все клиенты, среднее (₽)"]
    assert shown["доля расходов в аудитории"].tolist() == [f"60,0{NB}%"]
    assert shown["n (аудитория / все)"].tolist() == [f"1{NB}234 / 5{NB}678"]
    assert shown["против базы"].tolist() == ["чаще"]
