"""From ad_stats and orders to weekly spend and outcome."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.budget.panel import weekly_panel


def _frames():
    days = pd.date_range("2024-01-03", "2024-07-10", freq="D")  # starts on a Wednesday: first week partial
    ads = pd.DataFrame({"date": list(days) * 2, "channel": ["tv"] * len(days) + ["search"] * len(days), "cost": 10.0})
    ads.loc[ads["channel"] == "search", "cost"] = range(len(days))
    orders = pd.DataFrame({"order_date": days + pd.Timedelta(hours=13), "revenue": 100.0})
    return ads, orders


def test_weekly_sums_match_pandas_resample():
    ads, orders = _frames()
    spend, y = weekly_panel(ads, orders)
    assert spend.index[0] == pd.Timestamp("2024-01-08")  # the partial first week is left out
    assert (spend.index.day_of_week == 0).all()
    want = (
        ads[ads["channel"] == "search"].set_index("date")["cost"].resample("W-MON", label="left", closed="left").sum()
    )
    pd.testing.assert_series_equal(spend["search"], want.reindex(spend.index), check_names=False, check_freq=False)
    assert (y == 700.0).all()
    _, n = weekly_panel(ads, orders, outcome="orders")
    assert (n == 7).all()


def test_bad_choices_are_named():
    ads, orders = _frames()
    with pytest.raises(ValueError, match="radio"):
        weekly_panel(ads, orders, channels=["radio"])
    with pytest.raises(ValueError, match="outcome"):
        weekly_panel(ads, orders, outcome="profit")
    with pytest.raises(ValueError, match="20"):
        weekly_panel(ads[ads["date"] < "2024-02-20"], orders)
