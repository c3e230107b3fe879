"""What counts as an English word left in a Russian report."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

#: Words a Russian report may show in Latin letters: brand, channel and product names, metric
#: abbreviations, currency codes and the one term of art the glossary keeps in English (adstock).
ALLOWED = {
    # brands and channels
    "yandex", "direct", "vk", "ads", "telegram", "google", "meta", "mytarget", "tiktok", "youtube", "ok",
    "dzen", "instagram", "facebook", "linkedin", "kedr",
    # metrics and statistics
    "roas", "mape", "nrmse", "ctr", "cpc", "cpa", "cpm", "romi", "kpi", "ltv", "mmm", "seo", "cr",
    "roi",
    # units and currency codes
    "rub", "usd", "eur",
    # glossary terms of art
    "adstock",
    # HTML names an on-page audit checks, and the sources of its CTR curve (competitor audit)
    "html", "http", "https", "json", "ld", "alt", "title", "lang", "viewport", "sistrix", "backlinko",
    # forecast models and their tests (marketing plan): ARIMA notation, AIC, X-13ARIMA-SEATS; CAC as in the catalogue
    "arima", "sarima", "aic", "aicc", "seats", "cac",
    # content report: text-mining tools and methods, the ad editors' names, the import files' formats
    "stl", "tf", "idf", "pymorphy", "snowball", "commander", "editor", "tsv", "csv",
    # customer reports: RFM scores, model and data-set names, cited authors, an optimiser
    "crm", "rfm", "fm", "clv", "bg", "nbd", "gamma", "cdnow", "bfgs", "fader", "hardie", "lee", "colombo", "jiang",
}  # fmt: skip


def english_words(text: str) -> list[str]:
    """Latin-letter words of `text` outside the allowlist (single letters such as R in R² are symbols)."""
    return sorted({w for w in re.findall(r"[A-Za-z]{2,}", text) if w.lower() not in ALLOWED})


@pytest.fixture
def find_english() -> Callable[[str], list[str]]:
    return english_words
