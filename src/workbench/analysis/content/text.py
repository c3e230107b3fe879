"""Words of titles and search queries reduced to one form, in Russian and English.

"Купить палатку", "палатки купить" and "палатка купить" are one query to an advertiser, and a title
about "палатки" is about the same thing as one about "палатку". Russian inflects heavily, so
Russian words are lemmatised with pymorphy3 (dictionary forms from OpenCorpora: "палатки" ->
"палатка"); English words are reduced with the Snowball (Porter 2) stemmer ("tents" -> "tent",
"camping" -> "camp"). Results are cached per word: a keyword list of 100,000 phrases has only a
few thousand distinct words.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["STOP_WORDS", "is_cyrillic", "lemma", "lemmas", "tokens"]

_TOKEN = re.compile(r"[a-zа-яё0-9]+(?:[-'][a-zа-яё0-9]+)*", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

#: Function words that carry no topic, as lemmas (pymorphy3 normal forms and Snowball stems).
STOP_WORDS = frozenset(
    """и в во на с со для к ко по о об от до из за у при под над без про или а но же ли
    то это этот тот что чтобы как какой который где когда весь свой мой ваш наш один пять
    ваш быть не ни нужный ещё уже так там тут вы мы они он она оно я ты
    a an the and or of for to in on at by with from your our my is are be do you it its
    this that what which how vs where your first""".split()
)


def tokens(text: str) -> list[str]:
    """Lower-case words of `text` (letters and digits; hyphenated words kept whole)."""
    return [t.lower().replace("ё", "е") for t in _TOKEN.findall(str(text))]


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Dictionary form of a Russian word (pymorphy3's most probable parse), Snowball stem of
    any other word; numbers stay as they are."""
    w = word.lower().replace("ё", "е")
    if w.isdigit():
        return w
    if is_cyrillic(w):
        return _morph().parse(w)[0].normal_form.replace("ё", "е")
    return _stemmer().stemWord(w)


def lemmas(text: str, drop_stop_words: bool = True) -> list[str]:
    """Lemmas of the words of `text`, in order, without stop words unless asked."""
    out = [lemma(t) for t in tokens(text)]
    return [w for w in out if w not in STOP_WORDS] if drop_stop_words else out
