"""The segmentation's and the audience portrait's sessions as aggregates: reduced by the engine expressions
(`SessionSummaries`, here over the loaded sample in in-memory DuckDB), they give the numbers of the
row-by-row implementation (pandas over the loaded sessions), section by section."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.customers.features import build_customer_features, customer_sessions_frame
from workbench.analysis.customers.portrait import activity_from_slots, activity_profile, build_portrait
from workbench.data import load
from workbench.data.engines.report_inputs import SessionSummaries

pytest.importorskip("ibis", reason="Ibis is a core dependency; reinstall the project")


@pytest.fixture(scope="module")
def data(sample_data) -> dict:
    return {n: load(n, sample_data / f"{n}.csv") for n in ("customers", "orders", "sessions", "survey")}


def test_segmentation_session_features_from_summaries_equal_those_from_rows(data):
    customers, sessions = data["customers"], data["sessions"]
    as_of = data["orders"]["order_date"].max().normalize()
    rows = build_customer_features(customers, None, sessions, as_of=as_of)
    summaries = SessionSummaries.from_frame(sessions)
    engine = build_customer_features(customers, None, summaries, as_of=as_of)
    pd.testing.assert_frame_equal(engine, rows, check_exact=False, rtol=1e-12)
    assert summaries.rows <= sessions["customer_id"].nunique() < len(sessions) / 10  # one row per customer
    # independent of both: shares and visits from a crosstab of the rows up to the day after as_of
    s = sessions[sessions["started_at"] <= as_of + pd.Timedelta(days=1)].dropna(subset=["customer_id"])
    share = pd.crosstab(s["customer_id"], s["device"], normalize="index")
    got = engine.set_index("customer_id").loc[share.index]
    np.testing.assert_allclose(got["device_desktop_share"], share["desktop"], rtol=1e-12)
    assert (got["sessions"] == s["customer_id"].value_counts().reindex(share.index)).all()


def test_pandas_reduction_applies_the_same_tie_rule_as_the_engine():
    sessions = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b"],
            "started_at": pd.date_range("2026-06-01", periods=5, freq="h"),
            "device": ["Mobile", "mobile ", "desktop", "desktop", "tablet"],
            "source": ["yandex", "google", "google", "yandex", None],
        }
    )
    got = customer_sessions_frame(sessions)
    assert got.loc["a", "main_device"] == "desktop" and got.loc["a", "main_source"] == "google"
    assert got.loc["a", ["device=desktop", "device=mobile"]].tolist() == [2, 2] and pd.isna(got.loc["b", "main_source"])


def test_portrait_from_summaries_equals_the_portrait_from_rows(data, sample_data):
    customers, orders, sessions, survey = (data[n] for n in ("customers", "orders", "sessions", "survey"))
    truth = pd.read_csv(sample_data / "_truth" / "segments.csv")
    ids = truth.loc[truth["true_segment"] == "family_campers", "customer_id"]
    rows = build_portrait(customers, orders, ids, sessions, survey)
    engine = build_portrait(customers, orders, ids, SessionSummaries.from_frame(sessions), survey)
    same = lambda a, b: pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)  # noqa: E731
    same(engine.devices, rows.devices)
    same(engine.session_stats, rows.session_stats)
    same(engine.usage, rows.usage)
    same(engine.activity.table, rows.activity.table)
    same(engine.activity.best, rows.activity.best)
    same(engine.channels["source / medium"], rows.channels["source / medium"])
    assert engine.active == rows.active and engine.missing == rows.missing
    assert "desktop" in set(engine.devices.loc[engine.devices["direction"] == "over", "value"])  # planted


def test_activity_from_counted_slots_equals_activity_from_rows():
    rng = np.random.default_rng(7)
    n = 4000
    sessions = pd.DataFrame(
        {
            "customer_id": rng.choice([f"c{i}" for i in range(40)], n),
            "started_at": pd.Timestamp("2026-03-02") + pd.to_timedelta(rng.integers(0, 60 * 86400, n), unit="s"),
            "converted": rng.random(n) < 0.05,
        }
    )
    base, audience = [f"c{i}" for i in range(40)], [f"c{i}" for i in range(12)]
    s = sessions.assign(audience=sessions["customer_id"].isin(audience))
    when = s["started_at"]
    slots = s.groupby(["audience", when.dt.weekday.rename("weekday"), when.dt.hour.rename("hour")]).agg(
        n=("converted", "size"), successes=("converted", "sum")
    )
    for by in ("expected", "n", "rate"):
        a = activity_from_slots(slots.reset_index(), by=by, min_n=5)
        b = activity_profile(sessions, base, audience, by=by, min_n=5)
        pd.testing.assert_frame_equal(a.table, b.table, check_exact=False, rtol=1e-12)
        pd.testing.assert_frame_equal(a.best, b.best, check_exact=False, rtol=1e-12)
        assert (a.audience_sessions, a.base_sessions) == (b.audience_sessions, b.base_sessions)
