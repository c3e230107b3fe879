"""Monthly frames: the one shape the forecast and change-detection code accept."""

from __future__ import annotations

import pandas as pd


def monthly_frame(values: pd.DataFrame | pd.Series, name: str, wanted: str = "a DataFrame or Series") -> pd.DataFrame:
    """`values` as a DataFrame indexed by monthly periods (a DatetimeIndex is converted), sorted.

    Both callers index by month so that a month is one label whatever day the data was dated;
    errors name the argument (`name`) and what was found."""
    frame = values.to_frame() if isinstance(values, pd.Series) else values
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be {wanted}; got {type(values).__name__}")
    idx = frame.index
    if isinstance(idx, pd.DatetimeIndex):
        idx = idx.to_period("M")
    if not isinstance(idx, pd.PeriodIndex):
        raise ValueError(
            f"{name} must be indexed by month (PeriodIndex or DatetimeIndex); got {type(frame.index).__name__}"
        )
    return frame.set_axis(idx.asfreq("M")).sort_index()
