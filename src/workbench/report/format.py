"""How numbers read in every report: percentages, signed changes, money, compact magnitudes, p-values, slots.

One module so that one number reads the same way in a table, a sentence, a chart axis and the index,
and so that locale-aware formatting (Russian / English) has one place to plug in. Functions take
plain numbers (NaN and None allowed) and return text; nothing here computes a statistic.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "CHANNEL_LABELS",
    "EMPTY",
    "channel_label",
    "compact",
    "exact_number",
    "is_missing",
    "label",
    "money",
    "month_label",
    "number",
    "p_value",
    "pct",
    "pct_interval",
    "ratio",
    "signed_pct",
    "slot_label",
]

#: What a missing value reads as in tables and tiles.
EMPTY = "–"


def is_missing(value: Any) -> bool:
    """None, NaN, pandas NA or anything that is not a number."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def pct(value: Any, digits: int = 0, empty: str = EMPTY) -> str:
    """0.125 -> '12.5%' (digits=1). Missing values read as `empty`."""
    return empty if is_missing(value) else f"{float(value):.{digits}%}"


def signed_pct(value: Any, empty: str = EMPTY) -> str:
    """A relative change with its sign; one decimal under ±10 % where it matters: '+4.2%', '-35%'."""
    if is_missing(value):
        return empty
    v = float(value)
    return f"{v:+.1%}" if abs(v) < 0.1 else f"{v:+.0%}"


def compact(value: Any, empty: str = EMPTY) -> str:
    """Magnitudes for axes and tiles: 1_234_567 -> '1.2M', 48_000 -> '48.0k', 3.5 -> '3.50'."""
    if is_missing(value):
        return empty
    x = float(value)
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= div:
            return f"{x / div:.1f}{suffix}"
    return f"{x:,.0f}" if abs(x) >= 10 or x == int(x) else f"{x:.2f}"


def exact_number(value: Any, digits: int = 4, empty: str = EMPTY) -> str:
    """A number of unknown unit, exact enough to compare: 17435 -> '17,435', 0.03412 -> '0.03412',
    3.25 -> '3.25', 1234.5 -> '1,234.5' (whole thousands separated, `digits` significant digits below)."""
    if is_missing(value) or isinstance(value, bool):
        return empty
    v = float(value)
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    if abs(v) >= 10 ** (digits - 1):
        return f"{v:,.1f}".rstrip("0").rstrip(".")
    return f"{v:.{digits}g}"


def number(value: Any, empty: str = EMPTY) -> str:
    """A number by its magnitude: '21,500', '1.2M' from a million, '3.47', '0.0321' (three significant
    digits below 1), so a headline never reads '0.0 M' for 21,500 nor '2.15e+04'."""
    if is_missing(value):
        return empty
    x = float(value)
    if abs(x) >= 1e6:
        return compact(x)
    if x.is_integer() or abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.2f}"
    return f"{x:.3g}"


def pct_interval(low: Any, high: Any, digits: int = 0, max_digits: int = 3, empty: str = EMPTY) -> str:
    """An interval of shares with as many decimals as it takes for its ends to differ:
    a Wilson interval for 0 of 1,012 reads '0%–0.4%', not '0%–0%'."""
    if is_missing(low) or is_missing(high):
        return empty
    lo, hi = float(low), float(high)
    d = digits
    while d < max_digits and lo != hi and pct(lo, d) == pct(hi, d):
        d += 1
    return f"{pct(lo, 0 if lo == 0 else d)}–{pct(hi, 0 if hi == 0 else d)}"


#: Words a label keeps in capitals (abbreviations marketers read as such).
_ABBREVIATIONS = {
    "id": "ID",
    "ctr": "CTR",
    "cpa": "CPA",
    "cpc": "CPC",
    "cpm": "CPM",
    "roas": "ROAS",
    "roi": "ROI",
    "clv": "CLV",
    "ltv": "LTV",
    "aov": "AOV",
    "kpi": "KPI",
    "ci": "CI",
    "seo": "SEO",
    "sov": "SOV",
    "rfm": "RFM",
    "url": "URL",
    "ari": "ARI",
    "mom": "MoM",
    "yoy": "YoY",
    "pct": "%",
    "p": "p",
    "n": "n",
}


def label(name: Any) -> str:
    """A column or key name as a reader sees it: 'share_customers' -> 'Share customers',
    'clv_mean' -> 'CLV mean', 'p_value' -> 'p-value'. Names that are not snake_case stay as they are."""
    text = str(name)
    if "_" not in text and text != text.lower():
        return text
    if text in ("p_value", "pvalue"):
        return "p-value"
    words = [w for w in text.replace("_", " ").split(" ") if w]
    if not words:
        return text
    words = [_ABBREVIATIONS.get(w.lower(), w) for w in words]
    first = words[0]
    if first == first.lower() and first not in ("p", "n"):
        words[0] = first[:1].upper() + first[1:]
    return " ".join(words)


def money(value: Any, currency: str = "", empty: str = EMPTY, millions: bool = True) -> str:
    """Money by magnitude: '48.7M RUB' from a million up (when `millions`), else '21,500 RUB'."""
    if is_missing(value):
        return empty
    v = float(value)
    text = f"{v / 1e6:,.1f}M" if millions and abs(v) >= 1e6 else f"{v:,.0f}"
    return f"{text} {currency}".strip()


def ratio(value: Any, digits: int = 2, empty: str = EMPTY) -> str:
    """Returns per unit of spend (ROAS): 2.345 -> '2.35'; missing values read as `empty`."""
    return empty if is_missing(value) else f"{float(value):,.{digits}f}"


def p_value(p: Any, empty: str = EMPTY) -> str:
    """'< 0.001' below a thousandth (never '0'), else three decimals."""
    if is_missing(p):
        return empty
    return "< 0.001" if float(p) < 0.001 else f"{float(p):.3f}"


def slot_label(weekday_name: str, hour: Any) -> str:
    """A weekday-hour slot as every report names it: 'Tue 19:00'."""
    return f"{weekday_name} {int(hour):02d}:00"


#: Names of ad platforms and social networks as their owners write them; codes are the lower_snake_case
#: values found in ads_intel.channel, social.network, ad_stats.channel and session sources.
CHANNEL_LABELS = {
    "google_ads": "Google Ads",
    "yandex_direct": "Yandex Direct",
    "meta_ads": "Meta Ads",
    "vk_ads": "VK Ads",
    "mytarget": "myTarget",
    "tiktok_ads": "TikTok Ads",
    "telegram_ads": "Telegram Ads",
    # social networks (social.network)
    "vk": "VK",
    "ok": "OK (Odnoklassniki)",
    "dzen": "Dzen",
    "youtube": "YouTube",
    "telegram": "Telegram",
    "tiktok": "TikTok",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "x": "X",
    "linkedin": "LinkedIn",
}


def channel_label(code: object) -> str:
    """'google_ads' -> 'Google Ads', 'vk' -> 'VK'; an unknown lower-case code is title-cased without
    underscores ('display_ads' -> 'Display Ads'), anything else is kept as written."""
    key = str(code)
    return CHANNEL_LABELS.get(key.lower(), key.replace("_", " ").strip().title() if key.islower() else key)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def month_label(month: Any) -> str:
    """A calendar month number as every report names it: 6 -> 'June'."""
    m = int(month)
    if not 1 <= m <= 12:
        raise ValueError(f"month must be 1-12; got {month!r}")
    return _MONTHS[m - 1]
