"""The post-mortem's own words in Russian: captions, sentences with counted nouns, A/B verdicts.

The expected Russian forms are written out by hand (1 день, 2 дня, 5 дней, 21 день); numbers follow the
Russian locale (decimal comma, no-break space before %), English stays as the report always wrote it."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.campaigns import text as T
from workbench.analysis.campaigns.experiments import analyse_experiment
from workbench.analysis.campaigns.pacing import in_progress_sentence
from workbench.analysis.campaigns.roi import roi_sentence
from workbench.analysis.campaigns.scope import thin_selection_note
from workbench.analysis.campaigns.verdicts import srm_sentence
from workbench.i18n import language

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("days", "left"), [(1, "остался 1 день"), (2, "осталось 2 дня"), (5, "осталось 5 дней"), (21, "остался 21 день")]
)
def test_pacing_caption_counts_the_days_left_in_russian(days, left):
    with language("ru"):
        caption = T.caption("pacing", as_of="2026-10-31", days=days, currency="RUB")
    assert caption == f"Темп расходов на 2026-10-31 ({left}; суммы в ₽)"


@pytest.mark.parametrize(("n", "word"), [(1, "конверсия"), (2, "конверсии"), (5, "конверсий"), (21, "конверсия")])
def test_attribution_caption_counts_conversions_in_russian(n, word):
    with language("ru"):
        caption = T.caption("attribution", n=float(n), scope="пути")
    assert caption == f"Конверсии по каналам и моделям ({n} {word}; пути)"


@pytest.mark.parametrize(("total", "word"), [(1, "дня"), (2, "дней"), (5, "дней"), (21, "дня"), (91, "дня")])
def test_flight_in_progress_says_of_how_many_days_in_russian(total, word):
    pacing = pd.DataFrame({"channel": ["vk_ads"]})
    pacing.attrs.update({"as_of": "2026-10-31", "days_elapsed": total - 1, "days_remaining": 1})
    with language("ru"):
        text = in_progress_sentence(pacing)
    assert text is not None and text.startswith(
        f"Кампания ещё идёт: данные заканчиваются 2026-10-31, прошло {pacing.attrs['days_elapsed']} из {total} {word}."
    )


@pytest.mark.parametrize(("days", "word"), [(1, "день"), (2, "дня"), (5, "дней"), (21, "день")])
def test_thin_selection_note_counts_days_in_russian(days, word):
    kept = pd.DataFrame({"date": pd.date_range("2026-09-01", periods=days)})
    with language("ru"):
        note = thin_selection_note(kept, 10_000, "date", "рекламной статистики", "период")
    assert note is not None and f"за {days} {word})" in note and note.startswith(f"Лишь {days} из 10{NBSP}000 строк")


def test_roi_sentence_reads_as_a_russian_sentence():
    roi = {
        "contacts": 2240, "responses": 334, "response_rate": 334 / 2240, "response_rate_low": 0.135,
        "response_rate_high": 0.164, "cost": 6720.0, "revenue": 3674.0, "profit": -3046.0, "roi": -3046.0 / 6720.0,
    }  # fmt: skip
    with language("ru"):
        text = roi_sentence(roi, "RUB")
    assert text == (
        f"2{NBSP}240 клиентов получили контакт, откликнулись 334 (14,9{NBSP}%, 13,5{NBSP}%–16,4{NBSP}%): "
        f"расходы 6{NBSP}720{NBSP}₽, выручка 3{NBSP}674{NBSP}₽, ROI -45,3{NBSP}% — кампания принесла убыток."
    )
    with language("en"):
        assert roi_sentence(roi, "RUB").endswith("ROI -45.3% — the campaign lost money.")


def _experiment(conv_t: int) -> pd.DataFrame:
    """control 100 of 2,000 converted; treatment conv_t of 2,000 (one row per unit)."""
    rows = [("control", i < 100) for i in range(2000)] + [("treatment", i < conv_t) for i in range(2000)]
    return pd.DataFrame(
        {"unit_id": range(len(rows)), "variant": [v for v, _ in rows], "converted": [int(c) for _, c in rows]}
    )


def test_a_winner_reads_in_russian_while_results_keep_the_english_verdict():
    with language("ru"):
        result = analyse_experiment(_experiment(160), min_effect=0.05)
    # 160 vs 100 of 2,000: a two-proportion z-test gives p ≈ 0.0001 (z ≈ 3.9), far below 0.05
    assert result.verdict == "ship treatment" and result.comparisons["verdict"].iloc[0] == "ship treatment"
    assert result.verdict_shown == "внедрять treatment"
    assert result.verdicts_shown == {"treatment": "внедрять treatment"}


def test_an_undersized_test_is_sized_in_russian():
    with language("ru"):
        result = analyse_experiment(_experiment(104), min_effect=0.05)
    shown = result.verdict_shown
    assert result.verdict.startswith("inconclusive: this test had ")
    assert shown.startswith("неопределённо: мощность теста для прироста ±5") and "а не продлевайте этот" in shown


def test_srm_sentence_in_russian_names_the_threshold():
    srm = {"chi2": 12.345, "p_value": 0.0004, "alpha": 0.001, "mismatch": True}
    with language("ru"):
        text = srm_sentence(srm)
    assert text.startswith("Проверка долей выборки: хи-квадрат 12,35, p < 0,001 — НЕСООТВЕТСТВИЕ")
    assert "Порог: p < 0,001 (`srm_alpha`)" in text


def test_every_section_has_a_russian_heading():
    sections = ("intro", "lessons", "kpis", "pacing", "breakdown", "funnel", "roi", "ab", "attribution", "timing")
    with language("ru"):
        headings = [T.section_markdown(s).split("\n", 1)[0] for s in (*sections, "email", "glossary", "data_quality")]
    assert headings[0] == "# Разбор итогов кампании" and headings[-1] == "## Качество данных"
    with pytest.raises(ValueError, match="section must be one of"):
        T.section_markdown("nope")
