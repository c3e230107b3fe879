"""Lemmas: Russian dictionary forms (pymorphy3) on a hand-checked word list; English Snowball stems."""

from __future__ import annotations

import pytest

from workbench.analysis.content.text import lemma, lemmas, tokens

# Hand-checked against a Russian dictionary: inflected form -> nominative singular / infinitive.
RUSSIAN = {
    "палатки": "палатка",
    "палатку": "палатка",
    "палаткой": "палатка",
    "ботинками": "ботинок",
    "туристические": "туристический",
    "горнолыжную": "горнолыжный",
    "куртки": "куртка",
    "купить": "купить",
    "купите": "купить",
    "выбрать": "выбрать",
    "отзывы": "отзыв",
    "слоёв": "слой",
    "лыжи": "лыжа",
    "маршрутов": "маршрут",
    "детьми": "ребёнок".replace("ё", "е"),
}


@pytest.mark.parametrize(("word", "expected"), sorted(RUSSIAN.items()))
def test_russian_dictionary_forms(word, expected):
    assert lemma(word) == expected


def test_english_snowball_stems():
    # Porter 2 (Snowball) stems as published at snowballstem.org for these words.
    assert [lemma(w) for w in ("tents", "camping", "running", "jackets", "hiking")] == [
        "tent",
        "camp",
        "run",
        "jacket",
        "hike",
    ]


def test_word_order_and_inflection_do_not_matter():
    assert sorted(lemmas("Купить палатку")) == sorted(lemmas("палатки купить"))
    assert lemmas("Как выбрать палатку", drop_stop_words=False)[0] == "как"
    assert "как" not in lemmas("Как выбрать палатку")


def test_tokens_keep_hyphenated_words_and_fold_yo():
    assert tokens("Интернет-магазин: ёлка, 2024!") == ["интернет-магазин", "елка", "2024"]
