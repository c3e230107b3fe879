"""Charts in Russian: Cyrillic glyphs render, and every label of the budget charts is Russian."""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from workbench.analysis.budget import MMMSpec, run_study
from workbench.data.sample.media_mix import SAMPLE_CHANNELS, simulate_media_mix
from workbench.i18n import language
from workbench.viz import apply_theme
from workbench.viz import budget as V


def test_the_theme_font_renders_cyrillic_without_missing_glyphs():
    apply_theme()
    fig, ax = plt.subplots()
    ax.set_title("Отдача на единицу расходов: ТВ, наружная реклама — ёжик")
    ax.set_xlabel("расходы в неделю, тыс. ₽")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for tofu boxes
        fig.savefig(io.BytesIO(), format="png")
    family = matplotlib.font_manager.findfont(ax.title.get_fontproperties(), fallback_to_default=False)
    plt.close(fig)
    from matplotlib.ft2font import FT2Font

    font = FT2Font(family)
    assert all(font.get_char_index(ord(c)) for c in "АБВабвёЁжщъ₽")  # the glyphs are in the font itself


@pytest.fixture(scope="module")
def study():
    sim = simulate_media_mix(5, SAMPLE_CHANNELS[:4], n_weeks=80)
    return run_study(
        sim["spend"], sim["outcome"], MMMSpec(n_candidates=32, n_refine=1), bootstrap_draws=10, holdout_weeks=8
    )


def _texts(fig) -> str:
    fig.canvas.draw()
    out = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return "\n".join(t for t in out if t.strip())


def test_budget_charts_speak_russian(study, find_english):
    with language("ru"):
        figs = [
            V.decomposition_chart(study.by_period, study.outcome, "Результат по неделям"),
            V.roas_chart(study.summary, study.marginal, 0.9, "Отдача"),
            V.response_curves_chart(study.curves, "Кривые отклика"),
            V.holdout_chart(
                study.outcome, pd.Series(study.train_fit.fitted, index=study.train_fit.index), study.holdout, 0.9, "П"
            ),
            V.allocation_chart(study.allocation, "Распределение"),
        ]
        texts = [_texts(f) for f in figs]
    for f in figs:
        plt.close(f)
    joined = "\n".join(texts)
    assert find_english(joined) == []
    assert "база" in texts[0] and "факт" in texts[0]
    assert "маржинальный ROAS (следующая единица при текущих расходах)" in texts[1]
    assert "0,5" in texts[1] or "1,0" in texts[1]  # tick numbers with a decimal comma
    assert "интервал прогноза 90\xa0%" in texts[3]
    assert "рекомендуемое" in texts[4] and "текущее распределение" in texts[4]
    assert "." not in "".join(t for t in texts[1].split("\n") if t[:1].isdigit())  # no '1.5' ticks


def test_english_chart_labels_are_unchanged(study):
    fig = V.roas_chart(study.summary, study.marginal, 0.9, "Return per unit of spend")
    text = _texts(fig)
    plt.close(fig)
    assert "outcome per unit of spend (90% intervals)" in text and "ROAS (average over the period)" in text
