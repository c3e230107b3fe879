"""Keyword research for paid search: intent, ad groups, negative keywords, expected clicks and cost.

An ad group should hold the phrasings of one need, so that one ad answers all of them. Two
keywords land in the same group when they share intent and the same *core lemmas* — the lemmas
left after removing intent markers, stop words and modifiers ("купить палатку", "палатки купить"
and "палатка цена" all have core {палатка} and commercial intent). Intent is read from marker
words in Russian and English (lemmatised, so "купите" and "купить" count alike):

* commercial: the searcher wants to buy (купить, цена, заказать, доставка, buy, price, order …);
* informational: the searcher wants to know (как, что, выбрать, отзыв, обзор, how, guide …);
* navigational: the searcher looks for a brand or site (the brand names given, сайт, official …).

Negative keywords are words that mark a search nobody should pay for: the searcher wants it free,
wants to download or to make it at home, or looks for a job. Every keyword holding one is left out
of the ad groups and the word is suggested as a negative keyword with the demand it would block.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from workbench.analysis.content.text import STOP_WORDS, lemma, lemmas
from workbench.validation import check_fraction

__all__ = [
    "INTENT_MARKERS",
    "NEGATIVE_MARKERS",
    "ad_groups",
    "core_lemmas",
    "expected_traffic",
    "intent_of",
    "keyword_table",
    "negative_keywords",
]

_RAW_INTENT = {
    "commercial": "купить цена цены стоимость заказать недорого дешево доставка магазин интернет-магазин "
    "скидка распродажа акция прайс оптом buy price cheap order shop store sale discount deal delivery shipping",
    "informational": "как что почему зачем какой выбрать отзывы обзор инструкция своими руками лучшие "
    "how what why which choose review guide tips best vs",
    "navigational": "сайт официальный вход личный кабинет телефон адрес official site website login",
}
_RAW_NEGATIVE = {
    "free": "бесплатно бесплатный даром халява free gratis",
    "download": "скачать торрент download torrent pdf",
    "diy": "выкройка чертеж самодельный pattern diy homemade",
    "jobs": "вакансия работа зарплата job jobs salary career",
    "second-hand": "бу авито used second-hand",
    "study": "реферат курсовая доклад essay homework",
}


def _lemma_set(words: str) -> frozenset[str]:
    return frozenset(lemma(w) for w in words.split())


INTENT_MARKERS: dict[str, frozenset[str]] = {k: _lemma_set(v) for k, v in _RAW_INTENT.items()}
NEGATIVE_MARKERS: dict[str, frozenset[str]] = {k: _lemma_set(v) for k, v in _RAW_NEGATIVE.items()}
_ALL_INTENT = frozenset().union(*INTENT_MARKERS.values())
_NEGATIVE_OF = {w: reason for reason, ws in NEGATIVE_MARKERS.items() for w in ws}
# "бесплатная доставка" is a buyer's query: "free" next to these words is not a negative marker.
_EXEMPT = {"free": _lemma_set("доставка delivery shipping возврат returns")}


def intent_of(keyword: str, brands: Iterable[str] = ()) -> str:
    """'commercial', 'informational', 'navigational' or 'unclear' from the keyword's marker words
    (a brand or site word wins over "купить": the searcher already knows where to go)."""
    return _parse(keyword, {lemma(w) for b in brands for w in b.split()})[0]


def core_lemmas(keyword: str) -> list[str]:
    """The keyword's content lemmas in order: without stop words, intent markers and negative markers."""
    words = lemmas(keyword, drop_stop_words=False)
    return [w for w in dict.fromkeys(words) if w not in STOP_WORDS | _ALL_INTENT and w not in _NEGATIVE_OF]


def keyword_table(demand: pd.DataFrame, brands: Iterable[str] = ()) -> pd.DataFrame:
    """One row per keyword of a `search_demand` frame: mean monthly demand, cpc and competition
    (means over the months that have them), intent, core lemmas (sorted, space-joined), the
    negative markers found (`; `-joined lemmas, empty when none) and their reasons."""
    if "keyword" not in demand.columns or "demand" not in demand.columns:
        raise ValueError(f"search demand needs columns keyword and demand; it has {list(demand.columns)}")
    agg = {"demand": ("demand", "mean")}
    for col in ("cpc", "competition"):
        if col in demand.columns:
            agg[col] = (col, "mean")
    table = demand.groupby("keyword", sort=True).agg(**agg).reset_index()
    brands = tuple(brands)
    brand_lemmas = {lemma(w) for b in brands for w in b.split()}
    found = [_parse(k, brand_lemmas) for k in table["keyword"]]
    table["intent"] = [f[0] for f in found]
    table["core"] = [f[1] for f in found]
    table["negative_word"] = ["; ".join(f[2]) for f in found]
    table["negative_reason"] = ["; ".join(dict.fromkeys(_NEGATIVE_OF[w] for w in f[2])) for f in found]
    return table


def _parse(keyword: str, brand_lemmas: set[str]) -> tuple[str, str, list[str]]:
    words = lemmas(keyword, drop_stop_words=False)
    present = set(words)
    if present & (INTENT_MARKERS["navigational"] | brand_lemmas):
        intent = "navigational"
    elif present & INTENT_MARKERS["commercial"]:
        intent = "commercial"
    elif present & INTENT_MARKERS["informational"]:
        intent = "informational"
    else:
        intent = "unclear"
    negative = [
        w for w in dict.fromkeys(words) if w in _NEGATIVE_OF and not present & _EXEMPT.get(_NEGATIVE_OF[w], set())
    ]
    core = sorted({w for w in words if w not in STOP_WORDS | _ALL_INTENT and w not in _NEGATIVE_OF})
    return intent, " ".join(core), negative


def ad_groups(keywords: pd.DataFrame, min_keywords: int = 1) -> pd.DataFrame:
    """Keywords (from keyword_table) without negative markers grouped by (intent, core lemmas).

    Columns: ad_group (named after its most searched keyword), intent, core, keywords (list, most
    searched first),
    n_keywords, demand (sum of mean monthly demand), cpc (demand-weighted mean where known).
    Sorted by demand, largest first; groups with fewer than `min_keywords` keywords are left out."""
    usable = keywords[keywords["negative_word"] == ""].copy()
    usable = usable[usable["core"] != ""]
    if "cpc" not in usable.columns:
        usable["cpc"] = np.nan
    usable["_w"] = (usable["demand"] * usable["cpc"]).fillna(0.0)
    usable["_known"] = usable["demand"].where(usable["cpc"].notna(), 0.0)
    usable = usable.sort_values(["demand", "keyword"], ascending=[False, True])
    grouped = usable.groupby(["intent", "core"], sort=False)
    out = grouped.agg(
        ad_group=("keyword", "first"),
        keywords=("keyword", list),
        n_keywords=("keyword", "size"),
        demand=("demand", "sum"),
        _w=("_w", "sum"),
        _known=("_known", "sum"),
    ).reset_index()
    out["cpc"] = np.where(out["_known"] > 0, out["_w"] / out["_known"].where(out["_known"] > 0), np.nan)
    out = out[out["n_keywords"] >= int(min_keywords)].drop(columns=["_w", "_known"])
    return out.sort_values(["demand", "ad_group"], ascending=[False, True]).reset_index(drop=True)


def negative_keywords(keywords: pd.DataFrame) -> pd.DataFrame:
    """Suggested negative keywords: each marker word found, why, how many keywords hold it and
    the monthly demand they carry (which the ads would otherwise pay for). Largest first."""
    neg = keywords[keywords["negative_word"] != ""].copy()
    neg["negative_word"] = neg["negative_word"].str.split("; ")
    neg = neg.explode("negative_word")
    neg["negative_reason"] = neg["negative_word"].map(_NEGATIVE_OF)
    if neg.empty:
        return pd.DataFrame(columns=["negative_keyword", "reason", "n_keywords", "demand", "examples"])
    out = (
        neg.groupby(["negative_word", "negative_reason"], sort=False)
        .agg(n_keywords=("keyword", "size"), demand=("demand", "sum"), examples=("keyword", lambda s: list(s)[:3]))
        .reset_index()
        .rename(columns={"negative_word": "negative_keyword", "negative_reason": "reason"})
    )
    return out.sort_values(["demand", "negative_keyword"], ascending=[False, True]).reset_index(drop=True)


def expected_traffic(groups: pd.DataFrame, ctr: float = 0.05, target_cpc: float | None = None) -> pd.DataFrame:
    """Expected monthly clicks and cost per ad group: clicks = demand × `ctr` (the share of
    searches expected to click the ad at the target position), cost = clicks × CPC, the CPC
    being `target_cpc` when given, else the group's own CPC from the export."""
    ctr = check_fraction("ctr", ctr, example="0.05 for 5% of searches")
    if target_cpc is not None and not (np.isfinite(target_cpc) and target_cpc > 0):
        raise ValueError(f"target_cpc must be a positive amount or None; got {target_cpc!r}")
    out = groups.copy()
    out["clicks"] = out["demand"] * ctr
    out["cpc_used"] = float(target_cpc) if target_cpc is not None else out["cpc"]
    out["cost"] = out["clicks"] * out["cpc_used"]
    return out
