"""Calendar features: Russian public holidays per week and yearly Fourier terms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.budget.calendar import fourier_terms, holiday_days


def test_russian_holiday_days_per_week():
    # Labour Code art. 112: 1-6 and 8 January are New Year holidays, 7 January Christmas,
    # 23 February, 8 March, 1 and 9 May, 12 June, 4 November
    weeks = pd.DatetimeIndex(["2024-01-01", "2024-02-19", "2024-05-06", "2024-07-15", "2024-11-04"])
    got = holiday_days(weeks, ["RU"])["holidays_ru"].tolist()
    # 10 May 2024 was a day off moved from a Saturday by government decree (No. 1302 of 10.08.2023)
    assert got == [7, 1, 2, 0, 1]


def test_unknown_country_is_named():
    with pytest.raises(ValueError, match="'XX'"):
        holiday_days(pd.DatetimeIndex(["2024-01-01"]), ["XX"])


def test_fourier_terms_are_yearly_unit_circles():
    idx = pd.date_range("2024-01-01", periods=106, freq="7D")
    f = fourier_terms(idx, order=2)
    assert list(f.columns) == ["season_sin1", "season_cos1", "season_sin2", "season_cos2"]
    np.testing.assert_allclose(f["season_sin1"] ** 2 + f["season_cos1"] ** 2, 1.0)
    # 52 weeks later the cycle is almost back (364 of 365.25 days)
    assert np.abs(f["season_cos1"].iloc[52] - f["season_cos1"].iloc[0]) < 0.05
