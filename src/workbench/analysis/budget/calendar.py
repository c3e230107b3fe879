"""The calendar a media-mix model controls for: yearly seasonality and public holidays.

Seasonality is a short Fourier series in the day of the year (as Prophet and PyMC-Marketing do),
holidays are the number of public-holiday days in each period per country, taken from the
`holidays` package (offline: its calendars ship with it), so a New-Year week in Russia with
eight days off counts eight and a week with one holiday counts one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["fourier_terms", "holiday_days"]


def fourier_terms(periods: pd.DatetimeIndex, order: int = 2, period_days: float = 365.25) -> pd.DataFrame:
    """sin/cos pairs of the yearly cycle, k = 1..order, evaluated at each period's middle day."""
    if order < 0:
        raise ValueError(f"fourier_order must be 0 or more; got {order!r}")
    idx = pd.DatetimeIndex(periods)
    step = (idx[1] - idx[0]) if len(idx) > 1 else pd.Timedelta(days=7)
    mid = idx + step / 2
    t = (mid - pd.Timestamp("2000-01-01")).total_seconds().to_numpy() / 86400.0
    cols = {}
    for k in range(1, order + 1):
        angle = 2 * np.pi * k * t / period_days
        cols[f"season_sin{k}"] = np.sin(angle)
        cols[f"season_cos{k}"] = np.cos(angle)
    return pd.DataFrame(cols, index=idx)


def holiday_days(periods: pd.DatetimeIndex, countries: list[str] | tuple[str, ...], freq_days: int = 7) -> pd.DataFrame:
    """Days of public holiday inside each period [start, start + freq_days) per country code.

    Country codes are ISO 3166 alpha-2 as the `holidays` package takes them ('RU', 'KZ', 'BY');
    an unknown code raises a ValueError naming it."""
    import holidays

    idx = pd.DatetimeIndex(periods)
    if len(idx) == 0:
        return pd.DataFrame(index=idx)
    years = list(range(idx.min().year - 1, idx.max().year + 2))
    out = {}
    supported = holidays.list_supported_countries()
    for code in countries:
        code = str(code).upper()
        if code not in supported:
            raise ValueError(f"holiday_countries: unknown country code {code!r}; use ISO codes such as 'RU', 'KZ'")
        days = pd.DatetimeIndex(sorted(holidays.country_holidays(code, years=years)))
        starts = idx.to_numpy()
        counts = np.searchsorted(days.to_numpy(), starts + np.timedelta64(freq_days, "D")) - np.searchsorted(
            days.to_numpy(), starts
        )
        out[f"holidays_{code.lower()}"] = counts.astype(float)
    return pd.DataFrame(out, index=idx)
