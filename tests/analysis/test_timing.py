"""Hour × weekday tables, best times and robust anomalies on hand-built frames."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from workbench.analysis.timing import best_times, hour_weekday_table, robust_anomalies


def _events():
    # 2025-01-06 is a Monday.
    rows = []
    rows += [("2025-01-06 09:15", 1)] * 40 + [("2025-01-06 09:40", 0)] * 60      # Mon 9h: 40/100
    rows += [("2025-01-08 14:05", 1)] * 2                                         # Wed 14h: 2/2
    rows += [("2025-01-12 20:00", 1)] * 30 + [("2025-01-12 20:30", 0)] * 10      # Sun 20h: 30/40
    rows += [("2025-01-13 09:10", 0)] * 50                                        # Mon 9h again: +0/50
    return pd.DataFrame(rows, columns=["touched_at", "converted"])


def test_table_counts_rates_and_wilson():
    table = hour_weekday_table(_events(), "touched_at", "converted")
    assert list(table[["weekday", "hour"]].itertuples(index=False, name=None)) == [(0, 9), (2, 14), (6, 20)]
    assert list(table["weekday_name"]) == ["Monday", "Wednesday", "Sunday"]
    mon = table.iloc[0]
    assert mon["n"] == 150 and mon["successes"] == 40 and mon["rate"] == pytest.approx(40 / 150)
    low, high = proportion_confint(40, 150, method="wilson")
    assert mon["rate_low"] == pytest.approx(low) and mon["rate_high"] == pytest.approx(high)


def test_table_without_success_counts_only():
    table = hour_weekday_table(_events(), "touched_at")
    assert list(table.columns) == ["weekday", "weekday_name", "hour", "n"]
    assert table["n"].sum() == len(_events())


def test_table_with_weights_counts_trials():
    sends = pd.DataFrame({"sent_at": ["2025-01-07 10:00", "2025-01-14 10:30", "2025-01-09 18:00"],
                          "delivered": [1000, 500, 200], "clicks": [30, 20, 1]})
    table = hour_weekday_table(sends, "sent_at", "clicks", weight_col="delivered")
    tue = table[(table.weekday == 1) & (table.hour == 10)].iloc[0]
    assert tue["n"] == 1500 and tue["successes"] == 50 and tue["rate"] == pytest.approx(50 / 1500)


def test_table_rejects_missing_column_and_overcount():
    with pytest.raises(ValueError, match="success_col='nope'"):
        hour_weekday_table(_events(), "touched_at", "nope")
    bad = pd.DataFrame({"t": ["2025-01-06 09:00"], "clicks": [5]})
    with pytest.raises(ValueError, match="weight_col"):
        hour_weekday_table(bad, "t", "clicks")


def test_best_times_ranks_by_lower_bound_and_excludes_small_slots():
    table = hour_weekday_table(_events(), "touched_at", "converted")
    best = best_times(table, top=5, min_n=30)
    # Wed 14h has a 100 % rate on 2 visits: excluded; Sunday 20h (30/40) beats Monday 9h (40/150).
    assert list(best["weekday_name"]) == ["Sunday", "Monday"]
    assert list(best["n"]) == [40, 150]
    # With no minimum, 2/2 has a lower Wilson bound (0.34) than 30/40 (0.60) so it still ranks below.
    best_all = best_times(table, top=3, min_n=0)
    assert list(best_all["weekday_name"]) == ["Sunday", "Wednesday", "Monday"]
    by_n = best_times(table, by="n", top=1, min_n=0)
    assert by_n["weekday_name"].iloc[0] == "Monday"


def test_best_times_validates():
    table = hour_weekday_table(_events(), "touched_at")
    with pytest.raises(ValueError, match="by must be"):
        best_times(table, by="clicks")
    with pytest.raises(ValueError, match="rate_low"):
        best_times(table, by="rate")
    assert best_times(hour_weekday_table(_events(), "touched_at", "converted"), min_n=10_000).empty


def test_robust_anomalies_hand_computed():
    s = pd.Series([10, 11, 9, 10, 50, 10, 11, 9.0])
    out = robust_anomalies(s)
    # median 10, |dev| = 0,1,1,0,40,0,1,1 -> MAD = 1; z(50) = 0.6745 * 40 / 1
    assert out["robust_z"].iloc[4] == pytest.approx(0.6745 * 40)
    assert out["robust_z"].iloc[1] == pytest.approx(0.6745)
    assert list(out.index[out["anomaly"]]) == [4] and out["direction"].iloc[4] == "high"


def test_robust_anomalies_flat_series_and_low_direction():
    s = pd.Series([5.0] * 10 + [0.0])
    out = robust_anomalies(s)
    assert out["anomaly"].iloc[-1] and out["direction"].iloc[-1] == "low"
    assert not out["anomaly"].iloc[:-1].any()


def test_robust_anomalies_rolling_window_follows_trend():
    v = np.arange(60.0) * 10 + np.tile([0.0, 1.0, -1.0], 20)
    v[40] += 200
    global_flags = robust_anomalies(pd.Series(v))["anomaly"]
    rolling = robust_anomalies(pd.Series(v), window=9)
    assert not global_flags.iloc[40]          # the trend hides the spike from a global median
    assert rolling["anomaly"].iloc[40] and rolling["anomaly"].sum() == 1


def test_robust_anomalies_validates():
    with pytest.raises(ValueError, match="threshold"):
        robust_anomalies(pd.Series([1.0, 2.0]), threshold=0)
    with pytest.raises(ValueError, match="window"):
        robust_anomalies(pd.Series([1.0, 2.0]), window=1)
