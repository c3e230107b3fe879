"""How numbers read in every report: percentages, signed changes, money, compact magnitudes, p-values,
dates and months, in the report's language.

One module so that one number reads the same way in a table, a sentence, a chart axis and the index.
Functions take plain numbers (NaN and None allowed) and return text; nothing here computes a statistic.

The language is the current one of `workbench.i18n` (set once per report). Rounding is Python's, the
same in every language, so a Russian report shows the same digits as the English one; the locale
(Babel / CLDR) supplies the rest: decimal and group symbols, where the percent sign goes, currency
symbols and their place, short magnitude words ("тыс.", "млн", "млрд") and month names.
English keeps the workbench's own conventions: '12.5%', '48.7M RUB' (the currency code as given,
after the number), '48.0k' — its output is pinned by tests and must not change, because results.json
files and pages of every report carry it. Russian: '12,5 %', '48,7 млн ₽', '48,0 тыс.', '1 234 567,8'
with no-break spaces.
"""

from __future__ import annotations

import datetime as _dt
import math
from functools import cache
from typing import Any

from workbench.i18n import get_language, pgettext

__all__ = [
    "CHANNEL_LABELS",
    "EMPTY",
    "channel_label",
    "compact",
    "confidence",
    "currency_symbol",
    "day",
    "exact_number",
    "grouped",
    "interval",
    "is_missing",
    "join_list",
    "label",
    "date_pattern",
    "localize",
    "localize_formatted",
    "money",
    "month",
    "month_label",
    "number",
    "p_clause",
    "p_value",
    "pct",
    "pct_interval",
    "pct_range",
    "ratio",
    "signed_pct",
    "slot_label",
]

#: What a missing value reads as in tables and tiles.
EMPTY = "–"

#: English magnitude suffixes (the workbench's convention: 'k', not CLDR's 'K').
_EN_MAGNITUDES = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


class _Style:
    """What a language's numbers look like, read from Babel's CLDR data (English: identity)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        if lang == "en":
            self.decimal, self.group, self.percent = ".", ",", "{}%"
            self.magnitudes: tuple[tuple[float, str], ...] = _EN_MAGNITUDES
            return
        from babel import Locale
        from babel.numbers import get_decimal_symbol, get_group_symbol

        loc = Locale.parse(lang)
        self.locale = loc
        self.decimal, self.group = get_decimal_symbol(loc), get_group_symbol(loc)
        pattern = loc.percent_formats[None]
        prefix, suffix = pattern.prefix[0], pattern.suffix[0]
        symbols = loc.number_symbols
        sign = symbols.get("latn", symbols)["percentSign"]  # keyed by numbering system since Babel 2.14
        self.percent = prefix.replace("%", sign) + "{}" + suffix.replace("%", sign)
        short = loc.compact_decimal_formats["short"]["other"]
        self.magnitudes = tuple(
            (float(size), short[size].suffix[0].replace("'", "")) for size in ("1000000000", "1000000", "1000")
        )

    def localize(self, text: str) -> str:
        """A number Python wrote ('1,234.5') in this language's symbols ('1 234,5')."""
        if self.lang == "en":
            return text
        return text.translate({ord(","): self.group, ord("."): self.decimal})

    def currency(self, text: str, currency: str) -> str:
        """An amount with its currency: English 'amount CODE'; other languages by CLDR ('48,7 млн ₽')."""
        if not currency:
            return text
        if self.lang == "en":
            return f"{text} {currency}"
        from babel.numbers import get_currency_symbol

        symbol = get_currency_symbol(currency, self.locale)
        pattern = self.locale.currency_formats["standard"]
        return pattern.prefix[0].replace("¤", symbol) + text + pattern.suffix[0].replace("¤", symbol)


@cache
def _style(lang: str) -> _Style:
    return _Style(lang)


def _s() -> _Style:
    return _style(get_language())


def localize(text: str) -> str:
    """A number Python formatted ('1,234.5', f"{x:,.1f}") in the current language's symbols ('1 234,5')."""
    return _s().localize(text)


def localize_formatted(text: str) -> str:
    """A cell Python formatted with a spec ('{:,.0f}', '{:.1%}') in the current language: symbols as in
    `localize`, a trailing percent sign placed as the language writes it ('12,5 %'). English unchanged."""
    s = _s()
    if s.lang == "en":
        return text
    if text.endswith("%"):
        return s.percent.format(s.localize(text[:-1]))
    return s.localize(text)


def is_missing(value: Any) -> bool:
    """None, NaN, pandas NA or anything that is not a number."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def grouped(value: Any, digits: int = 0, empty: str = EMPTY) -> str:
    """A plain number with group separators: 1234567.8 -> '1,234,567.8' (en) / '1 234 567,8' (ru)."""
    return empty if is_missing(value) else _s().localize(f"{float(value):,.{digits}f}")


def pct(value: Any, digits: int = 0, empty: str = EMPTY) -> str:
    """0.125 -> '12.5%' (digits=1; ru '12,5 %'). Missing values read as `empty`."""
    if is_missing(value):
        return empty
    s = _s()
    return s.percent.format(s.localize(f"{float(value):.{digits}%}"[:-1]))


def signed_pct(value: Any, empty: str = EMPTY) -> str:
    """A relative change with its sign; one decimal under ±10 % where it matters: '+4.2%', '-35%'
    (ru '+4,2 %', '-35 %')."""
    if is_missing(value):
        return empty
    v = float(value)
    s = _s()
    text = f"{v:+.1%}" if abs(v) < 0.1 else f"{v:+.0%}"
    return s.percent.format(s.localize(text[:-1]))


def compact(value: Any, empty: str = EMPTY) -> str:
    """Magnitudes for axes and tiles: 1_234_567 -> '1.2M', 48_000 -> '48.0k', 3.5 -> '3.50'
    (ru '1,2 млн', '48,0 тыс.', '3,50')."""
    if is_missing(value):
        return empty
    x = float(value)
    s = _s()
    for div, suffix in s.magnitudes:
        if abs(x) >= div:
            return s.localize(f"{x / div:.1f}") + suffix
    return s.localize(f"{x:,.0f}" if abs(x) >= 10 or x == int(x) else f"{x:.2f}")


def money(value: Any, currency: str = "", empty: str = EMPTY, millions: bool = True, digits: int = 0) -> str:
    """Money by magnitude: '48.7M RUB' from a million up (when `millions`), else '21,500 RUB'
    (ru '48,7 млн ₽', '21 500 ₽'). `digits` are the decimals below a million ('1 234 567,8 ₽')."""
    if is_missing(value):
        return empty
    v = float(value)
    s = _s()
    if millions and abs(v) >= 1e6:
        text = s.localize(f"{v / 1e6:,.1f}") + dict((d, x) for d, x in s.magnitudes)[1e6]
    else:
        text = s.localize(f"{v:,.{digits}f}")
    return s.currency(text, currency)


def ratio(value: Any, digits: int = 2, empty: str = EMPTY) -> str:
    """Returns per unit of spend (ROAS): 2.345 -> '2.35' (ru '2,35'); missing values read as `empty`."""
    return empty if is_missing(value) else _s().localize(f"{float(value):,.{digits}f}")


def interval(low: str, high: str) -> str:
    """Two formatted ends of an interval: '1.20 – 2.40' (a spaced en dash in every language)."""
    return f"{low} – {high}"


def p_value(p: Any, empty: str = EMPTY) -> str:
    """'< 0.001' below a thousandth (never '0'), else three decimals (ru '< 0,001', '0,042')."""
    if is_missing(p):
        return empty
    s = _s()
    return s.localize("< 0.001" if float(p) < 0.001 else f"{float(p):.3f}")


def month(value: Any) -> str:
    """A month as a heading names it: 'December 2026' / 'декабрь 2026' (CLDR stand-alone month name)."""
    from babel.dates import format_date

    return format_date(_as_date(value), "LLLL y", locale=get_language())


def day(value: Any) -> str:
    """A date in words: 'December 1, 2026' / '1 декабря 2026 г.' (CLDR long date)."""
    from babel.dates import format_date

    return format_date(_as_date(value), "long", locale=get_language())


def date_pattern(value: Any, pattern: str) -> str:
    """A date or time by a CLDR pattern in the current language: 'LLL y' -> 'Jun 2026' / 'июн. 2026',
    'LLLL' -> 'June' / 'июнь', 'dd MMM' -> '01 Apr' / '01 апр.', 'EEE dd MMM HH:mm' for a send time."""
    from babel.dates import format_datetime

    if hasattr(value, "to_timestamp"):  # pandas Period: its first moment
        value = value.to_timestamp()
    if isinstance(value, _dt.datetime) or (hasattr(value, "hour") and hasattr(value, "to_pydatetime")):
        moment = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    else:
        moment = _dt.datetime.combine(_as_date(value), _dt.time())
    return format_datetime(moment, pattern, locale=get_language())


def _as_date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        return value.date()
    return _dt.date.fromisoformat(str(value)[:10])


def currency_symbol(currency: str) -> str:
    """How a currency is written next to a number: English keeps the code as given ('RUB'); other languages
    use the CLDR symbol ('₽', '$', '€'; an unknown code stays as written)."""
    if not currency or get_language() == "en":
        return currency
    from babel.numbers import get_currency_symbol

    return get_currency_symbol(currency, _s().locale)


def join_list(items: Any, any_of: bool = False) -> str:
    """Names joined into one phrase: English 'a and b', 'a, b and c' (or 'a or b'); other languages by CLDR
    list patterns ('a, b и c', 'a или b'). The items are already in the report's language."""
    items = [str(i) for i in items]
    lang = get_language()
    if lang == "en":
        if len(items) < 3:
            return (" or " if any_of else " and ").join(items)
        return ", ".join(items[:-1]) + (" or " if any_of else " and ") + items[-1]
    from babel.lists import format_list

    return format_list(items, style="or" if any_of else "standard", locale=lang)


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
    local = {  # names a Russian reader knows in Cyrillic; the others are brands written the same everywhere
        "ok": pgettext("channel", "OK (Odnoklassniki)"),
        "dzen": pgettext("channel", "Dzen"),
    }
    if key.lower() in local:
        return local[key.lower()]
    return CHANNEL_LABELS.get(key.lower(), key.replace("_", " ").strip().title() if key.islower() else key)


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
        return _s().localize(f"{x:,.0f}")
    if abs(x) >= 1:
        return _s().localize(f"{x:,.2f}")
    return _s().localize(f"{x:.3g}")


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


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def month_label(month: Any) -> str:
    """A calendar month number as every report names it: 6 -> 'June'."""
    m = int(month)
    if not 1 <= m <= 12:
        raise ValueError(f"month must be 1-12; got {month!r}")
    return _MONTHS[m - 1]


def p_clause(p: Any, name: str = "p") -> str:
    """A p-value inside a sentence: 'p = 0.074', 'adjusted p < 0.001' (never 'p = < 0.001')."""
    text = p_value(p)
    return f"{name} {text}" if text.startswith("<") else f"{name} = {text}"


def confidence(alpha: float) -> str:
    """The interval level that goes with a test at `alpha`: 0.05 -> '95%', 0.1 -> '90%', 0.005 -> '99.5%'."""
    level = 100 * (1 - float(alpha))
    return f"{level:.0f}%" if abs(level - round(level)) < 1e-9 else f"{level:.1f}%"


def _end(value: float, digits: int) -> str:
    return "0%" if value == 0 else "100%" if value == 1 else f"{value:.{digits}%}"


def pct_range(low: Any, high: Any, digits: int = 0, empty: str = EMPTY) -> str:
    """An interval of rates with the precision it needs: a Wilson interval for 0 of 1,012 reads
    '0%–0.4%', never '0%–0%'; digits are added (up to three more) until two different ends read
    differently."""
    if is_missing(low) or is_missing(high):
        return empty
    lo, hi = float(low), float(high)
    d = digits
    while d < digits + 3 and lo != hi and _end(lo, d) == _end(hi, d):
        d += 1
    return f"{_end(lo, d)}–{_end(hi, d)}"
