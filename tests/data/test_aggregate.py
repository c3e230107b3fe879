"""DuckDB aggregations over files, checked against plain pandas / hand-computed references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.data.aggregate import (
    daily_ad_stats,
    paths_from_touchpoints_frame,
    sessions_by_hour_device,
    touchpoints_to_paths,
)
from workbench.errors import DataValidationError


def naive_paths(df: pd.DataFrame, lookback_days=None) -> pd.DataFrame:
    """Reference: a plain Python loop over users, written independently of the library code."""
    out: dict[str, list] = {}
    d = df.assign(touched_at=pd.to_datetime(df["touched_at"]))
    for _, g in d.groupby("user_id"):
        g = g.sort_values(["touched_at", "converted", "channel"])
        journey = []
        for row in g.itertuples():
            journey.append(row)
            if row.converted:
                _close(out, journey, True, lookback_days)
                journey = []
        if journey:
            _close(out, journey, False, lookback_days)
    rows = [(p, v[0], v[1], round(v[2], 2)) for p, v in out.items()]
    res = pd.DataFrame(rows, columns=["path", "conversions", "non_conversions", "value"])
    return res.sort_values(["conversions", "non_conversions", "path"], ascending=[False, False, True]).reset_index(
        drop=True
    )


def _close(out, journey, converted, lookback_days):
    end = journey[-1].touched_at
    if lookback_days is not None:
        journey = [r for r in journey if r.touched_at >= end - pd.Timedelta(days=lookback_days)]
    path = " > ".join(r.channel for r in journey)
    rec = out.setdefault(path, [0, 0, 0.0])
    rec[0 if converted else 1] += 1
    if converted:
        rec[2] += journey[-1].conversion_value


def random_touchpoints(seed: int, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    conv = rng.random(n) < 0.2
    return pd.DataFrame(
        {
            "user_id": [f"u{i}" for i in rng.integers(0, 40, n)],
            "touched_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 60 * 86400, n), unit="s"),
            "channel": rng.choice(["email", "direct", "vk_ads", "organic_search"], n),
            "converted": conv,
            "conversion_value": np.where(conv, rng.integers(100, 5000, n) / 4, 0.0),
        }
    )


def test_paths_hand_computed(tmp_path):
    df = pd.DataFrame(
        {
            "user_id": ["a", "a", "a", "a", "b", "b", "c"],
            "touched_at": [
                "2025-01-01",
                "2025-01-02",
                "2025-01-03",
                "2025-01-05",
                "2025-01-01",
                "2025-01-09",
                "2025-01-01",
            ],
            "channel": ["email", "direct", "vk_ads", "email", "vk_ads", "direct", "direct"],
            "converted": [False, True, False, False, False, True, True],
            "conversion_value": [0, 100, 0, 0, 0, 50, 10],
        }
    )
    p = tmp_path / "t.csv"
    df.to_csv(p, index=False)
    got = touchpoints_to_paths(p).set_index("path")
    assert got.loc["email > direct"].tolist() == [1, 0, 100.0]
    assert got.loc["vk_ads > email"].tolist() == [0, 1, 0.0]
    assert got.loc["vk_ads > direct"].tolist() == [1, 0, 50.0]
    assert got.loc["direct"].tolist() == [1, 0, 10.0]
    short = touchpoints_to_paths(p, lookback_days=3).set_index("path")
    assert short.loc["direct", "conversions"] == 2  # b's vk_ads touch is 8 days before its conversion


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("lookback", [None, 5])
def test_paths_match_naive_reference(tmp_path, seed, lookback):
    df = random_touchpoints(seed)
    p = tmp_path / "t.parquet"
    df.to_parquet(p)
    ref = naive_paths(df, lookback)
    pd.testing.assert_frame_equal(touchpoints_to_paths(p, lookback_days=lookback), ref, check_dtype=False)
    pd.testing.assert_frame_equal(paths_from_touchpoints_frame(df, lookback_days=lookback), ref, check_dtype=False)


def test_paths_lookback_validated():
    with pytest.raises(ValueError, match="lookback_days"):
        touchpoints_to_paths(random_touchpoints(0), lookback_days=0)


def test_sessions_by_hour_device_matches_pandas(tmp_path):
    rng = np.random.default_rng(5)
    n = 2000
    df = pd.DataFrame(
        {
            "session_id": np.arange(n),
            "started_at": pd.Timestamp("2025-03-01") + pd.to_timedelta(rng.integers(0, 30 * 86400, n), unit="s"),
            "device": rng.choice(["mobile", "desktop", "tablet"], n),
            "converted": rng.random(n) < 0.1,
        }
    )
    df["revenue"] = np.where(df["converted"], rng.integers(1, 1000, n) / 2, 0.0)
    p = tmp_path / "s.csv"
    df.to_csv(p, sep=";", index=False, decimal=",")  # ;-separated with decimal comma
    got = sessions_by_hour_device(p)
    ref = (
        df.assign(weekday=df["started_at"].dt.day_of_week, hour=df["started_at"].dt.hour)
        .groupby(["device", "weekday", "hour"])
        .agg(sessions=("session_id", "size"), conversions=("converted", "sum"), revenue=("revenue", "sum"))
        .reset_index()
    )
    pd.testing.assert_frame_equal(got, ref, check_dtype=False)


def test_daily_ad_stats_matches_pandas_cp1251(tmp_path):
    rng = np.random.default_rng(9)
    n = 300
    df = pd.DataFrame(
        {
            "Date": pd.date_range("2025-01-01", periods=10).repeat(30).strftime("%Y-%m-%d"),
            "Campaign": rng.choice(["Осень", "brand"], n),
            "Channel": rng.choice(["yandex_direct", "vk_ads"], n),
            "Impr.": rng.integers(100, 1000, n),
            "clicks": rng.integers(0, 50, n),
            "cost": rng.integers(0, 10000, n) / 100,
        }
    )
    p = tmp_path / "a.csv"
    p.write_bytes(df.to_csv(index=False, sep=";", decimal=",").encode("cp1251"))
    got = daily_ad_stats(p, rename={"Impr.": "impressions"})
    ref = (
        df.rename(columns={"Date": "date", "Campaign": "campaign", "Channel": "channel", "Impr.": "impressions"})
        .assign(date=lambda d: pd.to_datetime(d["date"]))
        .groupby(["date", "channel", "campaign"])
        .agg(impressions=("impressions", "sum"), clicks=("clicks", "sum"), cost=("cost", "sum"))
        .reset_index()
    )
    pd.testing.assert_frame_equal(got, ref, check_dtype=False)
    # the same rename keyed by dataset, as one params dict for every input
    nested = daily_ad_stats(p, rename={"ad_stats": {"Impr.": "impressions"}, "sessions": {"Start": "started_at"}})
    pd.testing.assert_frame_equal(nested, got)


def test_missing_column_and_missing_file(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(DataValidationError, match="x.csv: missing required column"):
        daily_ad_stats(p)
    with pytest.raises(DataValidationError, match="file not found"):
        sessions_by_hour_device(tmp_path / "none.csv")


def test_paths_long_journeys_and_many_channels(tmp_path):
    """Journeys longer than one integer key holds (the string fallback) agree with the naive reference."""
    rng = np.random.default_rng(5)
    n = 600
    channels = [f"ch_{i:02d}" for i in range(40)]  # 41-digit base: at most 11 touches fit one key
    conv = rng.random(n) < 0.02
    df = pd.DataFrame(
        {
            "user_id": [f"u{i}" for i in rng.integers(0, 6, n)],
            "touched_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 90 * 86400, n), unit="s"),
            "channel": rng.choice(channels, n),
            "converted": conv,
            "conversion_value": np.where(conv, 100.0, 0.0),
        }
    )
    p = tmp_path / "t.csv"
    df.to_csv(p, index=False)
    for lookback in (None, 20):
        ref = naive_paths(df, lookback)
        assert ref["path"].str.count(" > ").max() > 11  # the fallback is exercised
        pd.testing.assert_frame_equal(touchpoints_to_paths(p, lookback_days=lookback), ref, check_dtype=False)


def test_paths_reject_touches_without_user_or_time(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("user_id,touched_at,channel\na,2025-01-01,email\n,2025-01-02,direct\nb,,email\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="2 touchpoint"):
        touchpoints_to_paths(p)
