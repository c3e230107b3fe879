"""Month resolution, breakdowns, new vs returning, movers and live campaigns on hand-built frames."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.performance import traffic as T


def _sessions():
    rows = [
        # (started_at, source, medium, device, customer_id, converted, revenue)
        ("2026-05-03 10:00", "google", "organic", "mobile", "C1", False, 0.0),
        ("2026-05-20 11:00", "vk", "social", "desktop", None, True, 50.0),
        ("2026-06-01 09:00", "google", "organic", "mobile", "C1", True, 100.0),  # returning
        ("2026-06-02 09:00", "google", "organic", "desktop", "C2", False, 0.0),  # new
        ("2026-06-03 09:00", "google", "cpc", "mobile", "C2", True, 30.0),  # new (2nd session)
        ("2026-06-30 22:00", "vk", "social", "mobile", None, False, 0.0),  # not identified
    ]
    df = pd.DataFrame(rows, columns=["started_at", "source", "medium", "device", "customer_id", "converted", "revenue"])
    df["started_at"] = pd.to_datetime(df["started_at"])
    return df


def test_parse_and_resolve_month():
    assert T.parse_month("") is None and T.parse_month("2026-06") == pd.Period("2026-06", "M")
    for bad in ("2026-6", "June", "2026-13", "2026/06"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            T.parse_month(bad)
    ts = _sessions()["started_at"]
    assert T.resolve_month("", ts) == pd.Period("2026-06", "M")  # last stamp on 30 June: June complete
    assert T.last_complete_month(ts.iloc[:5]) == pd.Period("2026-05", "M")  # data ends 3 June
    with pytest.raises(ValueError, match="outside the data"):
        T.resolve_month("2025-01", ts)


def test_breakdown_counts_and_shares():
    out = T.traffic_breakdown(_sessions(), ["source", "medium"], "2026-06").set_index(["source", "medium"])
    assert out.loc[("google", "organic"), "sessions"] == 2 and out.loc[("google", "organic"), "prev_sessions"] == 1
    assert out.loc[("google", "organic"), "mom_change"] == pytest.approx(1.0)
    assert out["share"].sum() == pytest.approx(1.0)
    assert out.loc[("google", "cpc"), "conversion_rate"] == 1.0 and out.loc[("google", "cpc"), "revenue"] == 30.0
    with pytest.raises(ValueError, match="lacks column"):
        T.traffic_breakdown(_sessions(), "nope", "2026-06")


def test_new_vs_returning():
    out = T.new_vs_returning(_sessions(), "2026-06").set_index("visitor_type")
    assert out.loc["new", "visitors"] == 1 and out.loc["new", "sessions"] == 2
    assert out.loc["returning", "visitors"] == 1 and out.loc["returning", "revenue"] == 100.0
    assert out.loc["not identified", "sessions"] == 1


def test_monthly_metrics_and_movers():
    m = T.monthly_metrics(_sessions())
    assert m.loc[pd.Period("2026-06", "M"), "organic_share"] == pytest.approx(2 / 4)
    assert m.loc[pd.Period("2026-05", "M"), "conversion_rate"] == pytest.approx(0.5)
    movers = T.top_movers(_sessions(), "source", "2026-06", min_sessions=1)
    assert movers.iloc[0]["source"] == "google" and movers.iloc[0]["change"] == 2


def test_live_campaigns_use_kpi_glossary_formulas():
    ads = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-06-01", "2026-06-02", "2026-05-31", "2026-06-05"]),
            "campaign": ["a", "a", "b", "c"],
            "channel": ["vk_ads"] * 4,
            "impressions": [1000, 1000, 500, 0],
            "clicks": [10, 30, 5, 0],
            "cost": [100.0, 100.0, 50.0, 0.0],
            "conversions": [1, 3, 1, 0],
            "revenue": [400.0, 600.0, 10.0, 0.0],
        }
    )
    out = T.live_campaigns(ads, "2026-06", gross_margin=0.5)
    assert out["campaign"].tolist() == ["a"]
    a = out.iloc[0]
    assert a["ctr"] == pytest.approx(40 / 2000) and a["cpc"] == pytest.approx(5.0) and a["cpa"] == pytest.approx(50.0)
    assert a["roas"] == pytest.approx(5.0) and a["romi"] == pytest.approx((1000 * 0.5 - 200) / 200)


def test_describe_slots_in_words():
    frame = pd.DataFrame({"weekday": [2, 1, 0, 1, 1], "hour": [20, 21, 20, 20, 19]})
    assert T.describe_slots(frame) == "weekday evenings (Mon–Wed, 19:00–22:00)"
    assert (
        T.describe_slots(pd.DataFrame({"weekday": [0, 2, 4], "hour": [20, 21, 22]}))
        == "weekday evenings (Mon, Wed, Fri, 20:00–23:00)"
    )
    assert (
        T.describe_slots(pd.DataFrame({"weekday": [5, 6], "hour": [13, 14]}))
        == "weekend afternoons (Sat, Sun, 13:00–15:00)"
    )
    assert T.describe_slots(pd.DataFrame({"weekday": [4, 6], "hour": [3, 14]})) == "Fri, Sun, 03:00–15:00"
    assert T.describe_slots(pd.DataFrame({"weekday": [], "hour": []})) == ""
    with pytest.raises(ValueError, match="weekday"):
        T.describe_slots(pd.DataFrame({"hour": [1]}))


def test_best_slots_by_device_finds_the_planted_slot():
    # desktop: Tuesday 20 h converts 30% (60 of 200), every other slot 5%; mobile: flat 5%
    import numpy as np

    rows = []
    base = pd.Timestamp("2026-06-01")  # a Monday
    for device in ("desktop", "mobile"):
        for day in range(7):
            for hour in (9, 13, 20):
                n = 200
                k = 60 if (device, day, hour) == ("desktop", 1, 20) else 10
                ts = base + pd.Timedelta(days=day, hours=hour)
                rows += [(ts, device, i < k) for i in range(n)]
    df = pd.DataFrame(rows, columns=["started_at", "device", "converted"])
    out = T.best_slots_by(df, "device", top=1, min_n=30).set_index("device")
    assert (out.loc["desktop", "weekday"], out.loc["desktop", "hour"]) == (1, 20)
    assert out.loc["desktop", "rate"] == pytest.approx(0.3)
    assert out.loc["desktop", "group_rate"] == pytest.approx((60 + 20 * 10) / (21 * 200))
    assert out.loc["desktop", "lift"] > 2
    # mobile has no real difference between slots: the shrunk rate is the pooled rate, lift ~1
    assert out.loc["mobile", "rate_shrunk"] == pytest.approx(0.05, abs=1e-3)
    assert np.isclose(out.loc["mobile", "lift"], 1.0, atol=0.02)
