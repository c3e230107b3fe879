"""The post-mortem reads its sessions as counts: the KPIs, funnels and timing computed from the flight's
counted groups are the hand-computed figures, and those the same functions give on the rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.campaigns import scope
from workbench.analysis.campaigns.flight_sessions import FlightSessions, flight_session_counts
from workbench.analysis.campaigns.funnels import campaign_funnel_steps, funnel_by
from workbench.analysis.campaigns.kpis import compute_kpis
from workbench.analysis.stats.timing import best_times_by, hour_weekday_table

ibis = pytest.importorskip("ibis", reason="Ibis is a core dependency; reinstall the project")

FLIGHT = ("2025-10-01", "2025-10-02")

#: ad statistics without platform conversions: the KPIs take conversions and revenue from the sessions
ADS = pd.DataFrame(
    {
        "date": pd.to_datetime(["2025-10-01", "2025-10-01", "2025-10-02"]),
        "campaign": ["s1", "f1", "s1"],
        "channel": ["search", "social", "search"],
        "platform": ["google", "facebook", "google"],
        "impressions": [1000, 5000, 2000],
        "clicks": [50, 40, 90],
        "cost": [100.0, 80.0, 150.0],
    }
)

SESSIONS = pd.DataFrame(
    {
        "session_id": [f"s{i}" for i in range(8)],
        "started_at": pd.to_datetime(
            [
                "2025-10-01 09:10",  # s1, in the flight
                "2025-10-01 20:00",  # s1
                "2025-10-02 23:59",  # f1, last minute of the flight
                "2025-10-02 08:00",  # another campaign: not the flight's
                "2025-10-01 12:00",  # no campaign
                "2025-10-03 00:00",  # s1, the day after the flight
                "2025-09-30 23:00",  # s1, the day before
                "2025-10-01 09:40",  # f1
            ]
        ),
        "device": ["mobile", "desktop", "mobile", "mobile", "desktop", "mobile", "desktop", "tablet"],
        "source": ["google", "google", "facebook", "yandex", "direct", "google", "google", "facebook"],
        "campaign": ["s1", "s1", "f1", "other", None, "s1", "s1", "f1"],
        "pageviews": [1, 4, 2, 3, 1, 6, 2, 1],
        "converted": [True, False, True, True, False, True, False, False],
        "revenue": [30.0, 0.0, 20.0, 99.0, 0.0, 50.0, 0.0, 0.0],
    }
)


@pytest.fixture
def counts() -> FlightSessions:
    return flight_session_counts(ibis.memtable(SESSIONS), *FLIGHT)


def test_kpis_from_counts_are_the_flight_sessions_of_the_campaigns(counts):
    k = compute_kpis(ADS, counts, start=FLIGHT[0], end=FLIGHT[1])
    # in the flight and of s1/f1: rows 0, 1, 2, 7 -> 4 sessions, 2 converted, revenue 30 + 20
    assert (k["sessions"], k["conversions"], k["revenue"]) == (4.0, 2.0, 50.0)
    assert k["sources"] == {"conversions": "sessions", "revenue": "sessions"}
    assert k["conversion_rate"] == pytest.approx(2 / 4)
    rows = compute_kpis(ADS, SESSIONS, start=FLIGHT[0], end=FLIGHT[1])
    assert k.pop("sources") == rows.pop("sources") and k == pytest.approx(rows, nan_ok=True)


def test_counts_refuse_a_flight_they_were_not_counted_for(counts):
    with pytest.raises(ValueError, match="counted for the flight 2025-10-01 to 2025-10-02; asked for 2025-10-01"):
        compute_kpis(ADS, counts, start="2025-10-01", end="2025-10-05")
    with pytest.raises(ValueError, match="ends .* before it starts"):
        flight_session_counts(ibis.memtable(SESSIONS), "2025-10-05", "2025-10-01")


def test_funnels_from_counts_equal_the_hand_counts_and_the_rows(counts):
    kpis = compute_kpis(ADS, counts, start=FLIGHT[0], end=FLIGHT[1])
    steps, camp = campaign_funnel_steps(kpis, ADS, counts, *FLIGHT)
    # 4 sessions; engaged (pageviews > 1): rows 1 and 2; converted: rows 0 and 2
    assert steps == {"impressions": 8000.0, "clicks": 180.0, "sessions": 4, "engaged sessions": 2, "conversions": 2.0}
    row_steps, row_camp = campaign_funnel_steps(kpis, ADS, SESSIONS, *FLIGHT)
    assert steps == row_steps
    by_channel = funnel_by(ADS, camp, "channel")
    # s1 runs on search only; f1 (social) is matched through its single channel too
    assert by_channel.set_index("channel")[["sessions", "engaged_sessions", "conversions"]].to_dict("index") == {
        "search": {"sessions": 2, "engaged_sessions": 1, "conversions": 1.0},
        "social": {"sessions": 2, "engaged_sessions": 1, "conversions": 1.0},
    }
    pd.testing.assert_frame_equal(by_channel, funnel_by(ADS, row_camp, "channel"))
    by_device = funnel_by(None, camp, "device")
    assert by_device["device"].tolist() == ["desktop", "mobile", "tablet"]
    assert by_device["sessions"].tolist() == [1, 2, 1] and by_device["conversions"].tolist() == [0.0, 2.0, 0.0]
    pd.testing.assert_frame_equal(by_device, funnel_by(None, row_camp, "device"), check_dtype=False)


def _visits(n: int = 40_000, seed: int = 11) -> pd.DataFrame:
    """Visits over four weeks on three devices, desktop evenings converting best."""
    rng = np.random.default_rng(seed)
    when = pd.Timestamp("2025-09-01") + pd.to_timedelta(rng.integers(0, 28 * 86400, n), unit="s")
    device = rng.choice(["mobile", "desktop", "tablet"], n, p=[0.6, 0.3, 0.1])
    rate = np.where((device == "desktop") & (when.hour >= 19), 0.3, 0.05)
    converted = rng.random(n) < rate
    return pd.DataFrame({"started_at": when, "device": device, "source": "google", "converted": converted})


def test_timing_from_counted_slots_equals_the_rows():
    """The slot counts give the hour × weekday table and the per-device best slots of every visit."""
    visits = _visits()
    counted = flight_session_counts(ibis.memtable(visits), "2025-09-01", "2025-09-30")
    events, time_col, success, what = scope.timing_source(counted, None)
    assert (time_col, success, what) == (None, "conversions", "sessions")
    table = scope.timing_table(events, time_col, success)
    assert table["n"].sum() == len(visits) and table["successes"].sum() == visits["converted"].sum()
    pd.testing.assert_frame_equal(table, hour_weekday_table(visits, "started_at", "converted"), rtol=1e-12)
    best = scope.timing_best_by(events, time_col, success, "device")
    assert "desktop" in set(best["device"]) and (best.loc[best["device"] == "desktop", "hour"] >= 19).all()
    pd.testing.assert_frame_equal(best, best_times_by(visits, "started_at", "converted", "device"), rtol=1e-9)
    volume = scope.timing_table(events.drop(columns="conversions"), None, None)
    pd.testing.assert_frame_equal(volume, hour_weekday_table(visits, "started_at"))
    assert counted.rows == len(counted.groups) + len(counted.slots) <= 3 + 3 * 168
