"""report_inputs: a report's heavy input from an engine table comes back as one row per path or per
customer (never one per event), with the numbers of the file-based implementation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.campaigns.attribution import (
    PathSummary,
    compare_attribution,
    markov_attribution,
    summarise_paths,
)
from workbench.analysis.customers import customer_value as cv
from workbench.analysis.customers.rfm import score_rfm
from workbench.data.engines.report_inputs import OrderSummaries, daily_ad_stats_input, flight_paths, order_inputs

ibis = pytest.importorskip("ibis", reason="Ibis is a core dependency; reinstall the project")


def _touchpoints(n_users: int = 60, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(n_users):
        when = pd.Timestamp("2026-08-20") + pd.to_timedelta(np.sort(rng.integers(0, 70 * 86400, 8)), unit="s")
        for ts in when:
            conv = bool(rng.random() < 0.2)
            rows.append((f"u{u}", ts, str(rng.choice(["search", "social", "email"])), conv, 100.0 if conv else 0.0))
    return pd.DataFrame(rows, columns=["user_id", "touched_at", "channel", "converted", "conversion_value"])


def _orders(n_customers: int = 40, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(n_customers):
        for i in range(int(rng.integers(1, 7))):
            day = pd.Timestamp("2025-01-01") + pd.Timedelta(days=int(rng.integers(0, 500)))
            rows.append((f"o{c}-{i}", f"C{c:03d}", day, float(rng.integers(5, 300)), str(rng.choice(["web", "app"]))))
    return pd.DataFrame(rows, columns=["order_id", "customer_id", "order_date", "revenue", "channel"])


@pytest.fixture
def warehouse(tmp_path):
    import duckdb

    db = tmp_path / "w.duckdb"
    touchpoints, orders = _touchpoints(), _orders()  # noqa: F841 - read by name in the SQL below
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE touchpoints AS SELECT * FROM touchpoints")
        con.execute("CREATE TABLE orders AS SELECT * FROM orders")
    return f"duckdb:///{db}"


def _same_summary(engine, files) -> None:
    for name in ("heuristic", "transitions", "channel_sets", "lengths", "top_paths"):
        a, b = getattr(engine, name), getattr(files, name)
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=False, rtol=1e-9, obj=name)
    assert engine.totals == pytest.approx(files.totals, rel=1e-12)


def test_flight_paths_on_an_engine_bring_back_aggregates_and_the_file_numbers(warehouse):
    touches = _touchpoints()
    args = ("2026-09-01", "2026-10-15", 30.0, 7.0)
    engine = flight_paths(None, f"{warehouse}#touchpoints", *args)
    files = flight_paths(touches, "touchpoints.csv", *args)
    assert engine.journeys is None  # no touch-level frame in the kernel
    assert isinstance(engine.paths, PathSummary)  # nor one row per distinct path
    _same_summary(engine.paths, summarise_paths(files.paths))
    assert engine.paths.totals["paths"] == len(files.paths)
    # three channels: 3 credit rows, at most 4 × 5 transitions, 7 channel sets (the rest is top-N and lengths)
    assert len(engine.paths.heuristic) == 3 and len(engine.paths.transitions) <= 20
    assert len(engine.paths.channel_sets) <= 7
    assert engine.scope == files.scope
    with_decay = compare_attribution(paths=engine.paths, time_decay=engine.time_decay)
    from_journeys = compare_attribution(paths=files.paths, journeys=files.journeys)
    pd.testing.assert_frame_equal(with_decay, from_journeys, check_exact=False, rtol=1e-9)
    order2 = flight_paths(None, f"{warehouse}#touchpoints", *args, markov_order=2).paths
    by_engine, by_paths = markov_attribution(order2, order=2).credit, markov_attribution(files.paths, order=2).credit
    pd.testing.assert_frame_equal(by_engine, by_paths, check_exact=False, rtol=1e-9, atol=1e-12)


def test_flight_paths_fall_back_to_every_journey_when_none_ends_in_the_flight(warehouse):
    engine = flight_paths(None, f"{warehouse}#touchpoints", "2030-01-01", "2030-01-31", 0, 7.0)
    files = flight_paths(_touchpoints(), "touchpoints.csv", "2030-01-01", "2030-01-31", 0, 7.0)
    assert engine.scope.startswith("every journey") and files.scope.startswith("every journey")
    _same_summary(engine.paths, summarise_paths(files.paths))


def test_order_summaries_bring_back_one_row_per_customer_and_the_file_numbers(warehouse):
    orders = _orders()
    summaries = order_inputs(f"{warehouse}#orders")
    assert isinstance(summaries, OrderSummaries)
    as_of = orders["order_date"].max().normalize()
    totals = summaries.rfm_totals(as_of)
    assert totals.index.is_unique and len(totals) == orders["customer_id"].nunique() < len(orders)
    expected = score_rfm(orders, as_of=as_of).set_index("customer_id")
    assert (totals["frequency"].to_numpy() == expected["frequency"].to_numpy()).all()
    np.testing.assert_allclose(totals["monetary"].to_numpy(), expected["monetary"].to_numpy(), rtol=1e-12)
    cal_end = pd.Timestamp("2025-12-31")
    engine = summaries.transactions(cal_end, as_of, "W")
    files = cv.transaction_summary(orders, cal_end, observation_end=as_of, time_unit="W")
    files = files.astype({"first_purchase": "datetime64[ns]"})  # the unit of this raw frame; load() gives ns
    assert engine.index.is_unique
    pd.testing.assert_frame_equal(engine, files, check_exact=False, rtol=1e-12, check_index_type=False)
    modes = summaries.modes(as_of)["channel"]
    assert modes.index.is_unique and set(modes) <= {"web", "app"}
    assert summaries.customers()["customer_id"].is_unique


def test_monthly_ad_stats_from_an_engine_come_back_per_day_with_the_row_sums(tmp_path, sample_data):
    """The monthly report's ad statistics: one row per day × channel × campaign instead of one per ad
    group and creative, and the month's cost and live-campaign KPIs of the rows (pandas on the CSV)."""
    import duckdb

    from workbench.analysis.performance.traffic import live_campaigns
    from workbench.data import load, set_load_options

    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:  # the export's own column names: the report's renames apply on the engine
        con.execute(f"CREATE TABLE ads AS SELECT * RENAME (cost AS spend) FROM read_csv('{sample_data}/ad_stats.csv')")
    set_load_options(rename={"ad_stats": {"spend": "cost"}})
    try:
        rows = load("ad_stats", sample_data / "ad_stats.csv", rename={})
        daily = daily_ad_stats_input(f"duckdb:///{db}#ads")
    finally:
        set_load_options()
    assert len(daily) == len(rows.groupby([rows["date"], "channel", "campaign"])) < len(rows)
    month = rows["date"].dt.to_period("M")
    expected = rows.groupby(month)["cost"].sum()
    got = daily.groupby(daily["date"].dt.to_period("M"))["cost"].sum()
    pd.testing.assert_series_equal(got, expected, rtol=1e-12)
    june = pd.Period("2026-06", "M")
    pd.testing.assert_frame_equal(
        live_campaigns(daily, june), live_campaigns(rows, june), check_dtype=False, rtol=1e-12
    )
