"""How numbers read in every report: percentages, signed changes, money, compact magnitudes, p-values, slots.

One module so that one number reads the same way in a table, a sentence, a chart axis and the index,
and so that locale-aware formatting (Russian / English) has one place to plug in. Functions take
plain numbers (NaN and None allowed) and return text; nothing here computes a statistic.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "EMPTY",
    "compact",
    "confidence",
    "is_missing",
    "money",
    "p_clause",
    "p_value",
    "pct",
    "pct_range",
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


def money(value: Any, currency: str = "", empty: str = EMPTY, millions: bool = True) -> str:
    """Money by magnitude: '48.7M RUB' from a million up (when `millions`), else '21,500 RUB'."""
    if is_missing(value):
        return empty
    v = float(value)
    text = f"{v / 1e6:,.1f}M" if millions and abs(v) >= 1e6 else f"{v:,.0f}"
    return f"{text} {currency}".strip()


def p_value(p: Any, empty: str = EMPTY) -> str:
    """'< 0.001' below a thousandth (never '0'), else three decimals."""
    if is_missing(p):
        return empty
    return "< 0.001" if float(p) < 0.001 else f"{float(p):.3f}"


def p_clause(p: Any, name: str = "p") -> str:
    """A p-value inside a sentence: 'p = 0.074', 'adjusted p < 0.001' (never 'p = < 0.001')."""
    text = p_value(p)
    return f"{name} {text}" if text.startswith("<") else f"{name} = {text}"


def slot_label(weekday_name: str, hour: Any) -> str:
    """A weekday-hour slot as every report names it: 'Tue 19:00'."""
    return f"{weekday_name} {int(hour):02d}:00"


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
