"""The post-mortem, the segmentation, the audience portrait and the monthly report on warehouse tables publish
the numbers of the CSV run, with the heavy step (touchpoints → paths, orders and sessions → per-customer
summaries, sessions → groups) computed on the engine."""

from __future__ import annotations

import shutil

import pytest

from workbench.data.engines.warehouse import write_warehouse


def _numbers(value):
    """The numeric leaves of a results.json, keyed by their path (as in test_engine_path)."""
    if isinstance(value, dict):
        return {f"{k}.{p}": v for k, sub in value.items() for p, v in _numbers(sub).items()}
    if isinstance(value, list):
        return {f"{i}.{p}": v for i, sub in enumerate(value) for p, v in _numbers(sub).items()}
    return {"": value} if isinstance(value, (int, float)) and not isinstance(value, bool) else {}


@pytest.fixture(scope="module")
def warehouse(sample_data, tmp_path_factory):
    pytest.importorskip("ibis", reason="Ibis is a core dependency; reinstall the project")
    data = tmp_path_factory.mktemp("engine_reports") / "sample"
    shutil.copytree(sample_data, data)
    return data, write_warehouse(data)


def _assert_same_numbers(from_tables: dict, from_files: dict) -> None:
    tables, files = _numbers(from_tables), _numbers(from_files)
    assert tables.keys() == files.keys()
    assert tables == pytest.approx(files, rel=1e-9, abs=1e-9)


@pytest.mark.slow
def test_campaign_postmortem_with_touchpoints_and_sessions_on_duckdb_equals_the_csv_run(execute_notebook, warehouse):
    data, db = warehouse
    names = ("ad_stats", "orders", "experiment", "email_sends")
    common = {f"{n}_path": str(data / f"{n}.csv") for n in names}
    files = {"touchpoints_path": str(data / "touchpoints.csv"), "sessions_path": str(data / "sessions.csv")}
    from_files = execute_notebook("campaign_postmortem", {**common, **files})
    touch_table = {**files, "touchpoints_path": f"duckdb:///{db}#touchpoints"}
    from_tables = execute_notebook("campaign_postmortem", {**common, **touch_table})
    _assert_same_numbers(from_tables.results, from_files.results)
    assert "time_decay" in str(from_tables.results["attribution"])  # time decay computed on the engine too
    # sessions on the engine as well: KPIs, funnels and timing from the counts it sends back
    both_tables = {**touch_table, "sessions_path": f"duckdb:///{db}#sessions"}
    from_both = execute_notebook("campaign_postmortem", {**common, **both_tables})
    _assert_same_numbers(from_both.results, from_files.results)
    assert from_both.results["headline"] == from_files.results["headline"]
    kpis = {r["kpi"]: r["actual"] for r in from_both.results["kpis"]}
    assert kpis["sessions"] > 0 and len(from_both.results["best_times_by_device"]) > 0


@pytest.mark.slow
def test_campaign_postmortem_with_orders_on_duckdb_equals_the_csv_run(execute_notebook, warehouse, tmp_path):
    """Ad statistics without platform conversions and no sessions: the KPIs take conversions and revenue
    from the flight's orders, and the CAC from its new customers; from the table's daily counts the same
    results.json as from the CSV, and the figures of a pandas count over the CSV rows."""
    import pandas as pd

    data, db = warehouse
    ads = pd.read_csv(data / "ad_stats.csv").drop(columns=["conversions", "revenue"])
    ads.to_csv(tmp_path / "ad_stats.csv", index=False)
    common = {"ad_stats_path": str(tmp_path / "ad_stats.csv"), "sessions_path": "", "touchpoints_path": ""}
    common |= {"experiment_path": "", "email_sends_path": "", "targets": {}}
    from_files = execute_notebook("campaign_postmortem", {**common, "orders_path": str(data / "orders.csv")})
    from_tables = execute_notebook("campaign_postmortem", {**common, "orders_path": f"duckdb:///{db}#orders"})
    _assert_same_numbers(from_tables.results, from_files.results)
    assert from_tables.results["headline"] == from_files.results["headline"]
    rows = pd.read_csv(data / "orders.csv", parse_dates=["order_date"])
    flight = rows[(rows["order_date"] >= "2026-09-01") & (rows["order_date"] < "2026-11-01")]
    first = rows.groupby("customer_id")["order_date"].min()
    new = ((first >= "2026-09-01") & (first < "2026-11-01")).sum()
    kpis = {r["kpi"]: r["actual"] for r in from_tables.results["kpis"]}
    assert kpis["conversions"] == len(flight) and kpis["revenue"] == pytest.approx(flight["revenue"].sum(), rel=1e-12)
    assert new > 0 and kpis["cac"] == pytest.approx(kpis["cost"] / new, rel=1e-12)


def test_postmortem_orders_table_sends_one_row_per_day_of_the_flight(warehouse):
    """The flight's orders, revenue and new customers per day: as many rows as days with orders, never one
    per order, with the sums of the CSV rows."""
    import pandas as pd

    from workbench.data.engines.report_inputs import flight_orders_input

    data, db = warehouse
    counts = flight_orders_input(f"duckdb:///{db}#orders", "2026-09-01", "2026-10-31")
    rows = pd.read_csv(data / "orders.csv", parse_dates=["order_date"])
    flight = rows[(rows["order_date"] >= "2026-09-01") & (rows["order_date"] < "2026-11-01")]
    assert counts.rows == flight["order_date"].dt.normalize().nunique() <= 61
    assert counts.rows < len(flight) / 5 and counts.orders == len(flight)
    assert counts.revenue == pytest.approx(flight["revenue"].sum(), rel=1e-12)
    first = rows.groupby("customer_id")["order_date"].min()
    assert counts.new_customers == ((first >= "2026-09-01") & (first < "2026-11-01")).sum()


@pytest.mark.slow
def test_segmentation_with_orders_on_duckdb_equals_the_csv_run(execute_notebook, warehouse):
    data, db = warehouse
    common = {"customers_path": str(data / "customers.csv"), "sessions_path": "", "survey_path": ""}
    common |= {"calibration_end": "2025-10-31", "k_range": [2, 4], "sample_size": 3000}
    from_files = execute_notebook("segmentation", {**common, "orders_path": str(data / "orders.csv")})
    from_tables = execute_notebook("segmentation", {**common, "orders_path": f"duckdb:///{db}#orders"})
    _assert_same_numbers(from_tables.results, from_files.results)
    assert from_tables.results["bgnbd"] == pytest.approx(from_files.results["bgnbd"], rel=1e-9)


@pytest.mark.slow
def test_monthly_report_with_sessions_on_duckdb_equals_the_csv_run(execute_notebook, warehouse):
    data, db = warehouse
    common = {f"{n}_path": str(data / f"{n}.csv") for n in ("orders", "ad_stats", "email_sends")} | {"month": "2026-06"}
    from_files = execute_notebook("monthly_report", {**common, "sessions_path": str(data / "sessions.csv")})
    from_tables = execute_notebook("monthly_report", {**common, "sessions_path": f"duckdb:///{db}#sessions"})
    _assert_same_numbers(from_tables.results, from_files.results)
    assert from_tables.results["headline"] == from_files.results["headline"]


def test_monthly_sessions_table_sends_only_its_groups_to_the_kernel(warehouse):
    import pandas as pd

    from workbench.data.engines.report_inputs import sessions_counts_input

    data, db = warehouse
    counts = sessions_counts_input(f"duckdb:///{db}#sessions", "2026-06", 3)
    rows = pd.read_csv(data / "sessions.csv", parse_dates=["started_at"], dtype={"customer_id": "string"})
    groups = rows.groupby([rows["started_at"].dt.to_period("M"), "source", "medium", "device", "landing_page"])
    window = rows[(rows["started_at"] >= "2026-04-01") & (rows["started_at"] < "2026-07-01")]
    slots = window.groupby(["device", window["started_at"].dt.weekday, window["started_at"].dt.hour])
    june = rows[rows["started_at"].dt.to_period("M") == "2026-06"]
    visitor_types = 2 + int(june["customer_id"].isna().any())  # new, returning (both in June), not identified
    assert counts.rows == 1 + groups.ngroups + slots.ngroups + visitor_types  # the span, then one row per group
    assert counts.rows < len(rows) / 50
    assert counts.groups["sessions"].sum() == len(rows)  # every session counted once


def test_monthly_orders_table_sends_one_row_per_month(warehouse):
    import pandas as pd

    from workbench.data.engines.report_inputs import orders_monthly_input

    data, db = warehouse
    monthly = orders_monthly_input(f"duckdb:///{db}#orders")
    rows = pd.read_csv(data / "orders.csv", parse_dates=["order_date"])
    months = rows["order_date"].dt.to_period("M")
    assert len(monthly) == len(pd.period_range(months.min(), months.max(), freq="M"))
    assert monthly["orders"].sum() == len(rows) and monthly["new_customers"].sum() == rows["customer_id"].nunique()
    assert monthly["revenue"].sum() == pytest.approx(rows["revenue"].sum(), rel=1e-12)


def test_postmortem_sessions_table_sends_only_its_groups_to_the_kernel(warehouse):
    """The flight's campaign × source × device groups and every session's device × weekday × hour slots:
    as many rows as a pandas groupby of the CSV finds groups, never one per session."""
    import pandas as pd

    from workbench.data.engines.report_inputs import flight_sessions_input

    data, db = warehouse
    counts = flight_sessions_input(f"duckdb:///{db}#sessions", "2026-09-01", "2026-10-31")
    rows = pd.read_csv(data / "sessions.csv", parse_dates=["started_at"])
    flight = rows[(rows["started_at"] >= "2026-09-01") & (rows["started_at"] < "2026-11-01")]
    groups = flight.groupby(["campaign", "source", "device"], dropna=False)  # sessions without a campaign too
    slots = rows.groupby(["device", rows["started_at"].dt.weekday, rows["started_at"].dt.hour])
    assert counts.rows == len(counts.groups) + len(counts.slots) == groups.ngroups + slots.ngroups
    assert counts.rows < len(rows) / 50
    assert counts.groups["sessions"].sum() == len(flight) and counts.slots["sessions"].sum() == len(rows)
    assert counts.groups["conversions"].sum() == flight["converted"].sum()


SESSION_FEATURES = ["age", "income_band", "lifestyle", "sessions", "main_device", "device_*_share", "main_source"]


@pytest.mark.slow
def test_segmentation_with_sessions_on_duckdb_equals_the_csv_run(execute_notebook, warehouse):
    """Segments on visits, device shares, main device and main source: from the per-customer aggregates of
    the warehouse table, the same results.json as from the CSV."""
    data, db = warehouse
    common = {f"{n}_path": str(data / f"{n}.csv") for n in ("customers", "orders")} | {"survey_path": ""}
    common |= {"calibration_end": "2025-10-31", "k_range": [2, 4], "sample_size": 3000, "features": SESSION_FEATURES}
    from_files = execute_notebook("segmentation", {**common, "sessions_path": str(data / "sessions.csv")})
    from_tables = execute_notebook("segmentation", {**common, "sessions_path": f"duckdb:///{db}#sessions"})
    _assert_same_numbers(from_tables.results, from_files.results)
    names = lambda r: [(s["name"], s["top_traits"]) for s in r["segments"]]  # noqa: E731
    assert names(from_tables.results) == names(from_files.results)
    assert set(from_files.results["feature_groups"]["behaviour"]) >= {"sessions", "main_device", "device_mobile_share"}


@pytest.mark.slow
def test_audience_portrait_with_sessions_on_duckdb_equals_the_csv_run(execute_notebook, warehouse):
    """Devices, visits, best times and source / medium of an audience, from the warehouse table's
    aggregates: the same results.json as from the CSV."""
    data, db = warehouse
    common = {f"{n}_path": str(data / f"{n}.csv") for n in ("customers", "orders", "survey")}
    common |= {"audience_filter": {"city": ["Moscow", "Saint Petersburg"], "age": [25, 35]}}
    from_files = execute_notebook("audience_portrait", {**common, "sessions_path": str(data / "sessions.csv")})
    from_tables = execute_notebook("audience_portrait", {**common, "sessions_path": f"duckdb:///{db}#sessions"})
    _assert_same_numbers(from_tables.results, from_files.results)
    assert from_tables.results["persona"] == from_files.results["persona"]
    for key in ("devices", "channels"):
        assert from_tables.results[key] == from_files.results[key] and from_files.results[key]
    slots = lambda r: [(b["weekday"], b["hour"]) for b in r["best_times"]]  # noqa: E731
    assert slots(from_tables.results) == slots(from_files.results) and slots(from_files.results)


def test_customer_sessions_table_sends_only_aggregates_to_the_kernel(warehouse):
    """One row per customer, one per audience flag × weekday × hour, one per source / medium and flag:
    never one per session."""
    import pandas as pd

    from workbench.data.engines.report_inputs import SessionSummaries, customer_sessions_input

    data, db = warehouse
    summaries = customer_sessions_input(f"duckdb:///{db}#sessions")
    assert isinstance(summaries, SessionSummaries)
    rows = pd.read_csv(data / "sessions.csv", parse_dates=["started_at"], dtype={"customer_id": "string"})
    linked = rows.dropna(subset=["customer_id"])
    per = summaries.per_customer()
    assert len(per) == linked["customer_id"].nunique() and per["sessions"].sum() == len(linked)
    ids = sorted(linked["customer_id"].unique())
    members = pd.DataFrame({"customer_id": ids, "audience": [i % 3 == 0 for i in range(len(ids))]})
    slots, counted = summaries.slots(members), summaries.values(members)
    assert len(slots) <= 2 * 7 * 24 and slots["n"].sum() == len(linked)
    pairs = linked[["source", "medium"]].drop_duplicates()
    assert len(counted["base"][0]) == len(pairs) and counted["base"][1] == len(ids)
    assert summaries.rows == len(per) + len(slots) + len(counted["base"][0]) + len(counted["audience"][0]) + 2
    assert summaries.rows < len(rows) / 20


@pytest.mark.slow
def test_audience_portrait_with_orders_on_duckdb_equals_the_csv_run(execute_notebook, warehouse):
    """An RFM group chosen from the orders, its buying frequency, brands, price tiers, categories and purchase
    places, from the warehouse table's per-customer aggregates: the same results.json as from the CSV."""
    data, db = warehouse
    common = {f"{n}_path": str(data / f"{n}.csv") for n in ("customers", "sessions", "survey")}
    common |= {"audience_rfm_group": "Champions"}
    from_files = execute_notebook("audience_portrait", {**common, "orders_path": str(data / "orders.csv")})
    from_tables = execute_notebook("audience_portrait", {**common, "orders_path": f"duckdb:///{db}#orders"})
    _assert_same_numbers(from_tables.results, from_files.results)
    assert from_tables.results["persona"] == from_files.results["persona"]
    assert from_tables.results["audience"] == from_files.results["audience"]
    for key in ("brands", "attributes", "purchase_places"):
        assert from_tables.results[key] == from_files.results[key] and from_files.results[key]
    assert from_files.results["purchase_frequency"]["purchases"]


def test_portrait_orders_table_sends_only_aggregates_to_the_kernel(warehouse):
    """One row per buyer for the buying frequency, two per value bought (audience and base), the data
    period: never one per order."""
    import pandas as pd

    from workbench.data.engines.report_inputs import OrderSummaries, customer_orders_input

    data, db = warehouse
    summaries = customer_orders_input(f"duckdb:///{db}#orders")
    assert isinstance(summaries, OrderSummaries)
    rows = pd.read_csv(data / "orders.csv", parse_dates=["order_date"])
    assert (summaries.first_date, summaries.last_date) == (rows["order_date"].min(), rows["order_date"].max())
    per = summaries.purchases()
    assert len(per) == rows["customer_id"].nunique() and per["orders"].sum() == len(rows)
    ids = sorted(rows["customer_id"].unique())
    members = pd.DataFrame({"customer_id": ids, "audience": [i % 3 == 0 for i in range(len(ids))]})
    counted = summaries.value_counts(members, ("brand", "price_tier", "category", "channel"))
    values = {c: rows[c].nunique() for c in ("brand", "price_tier", "category", "channel")}
    assert {c: len(v["base"][0]) for c, v in counted.items()} == values
    assert summaries.rows == 1 + len(per) + 2 * sum(values.values()) + 2 * len(values)
    assert summaries.rows < len(rows) / 4


def _keyword_table(data, db_path):
    """The sample's ad statistics as a keyword × device export (each row split into three rows that add up to
    it) in a DuckDB file, as table ad_stats; returns the rows."""
    import duckdb
    import pandas as pd

    ads = pd.read_csv(data / "ad_stats.csv", parse_dates=["date"])
    parts = []
    for i, (keyword, device) in enumerate([("shoes", "mobile"), ("shoes", "desktop"), ("boots", "mobile")]):
        part = ads.assign(keyword=keyword, device=device)
        for col in ("impressions", "clicks", "conversions"):
            part[col] = (ads[col] + 2 - i) // 3  # the three parts of n add up to n
        for col in ("cost", "revenue"):
            part[col] = ads[col] * (0.5, 0.3, 0.2)[i]
        parts.append(part)
    rows = pd.concat(parts, ignore_index=True)
    with duckdb.connect(str(db_path)) as con:
        con.register("rows", rows)
        con.execute("CREATE TABLE ad_stats AS SELECT * FROM rows")
    return rows


@pytest.mark.slow
def test_campaign_postmortem_with_ad_stats_on_duckdb_equals_the_csv_run(execute_notebook, warehouse, tmp_path):
    """KPIs, pacing, breakdowns, leaders, funnels and daily clicks from the flight's groups summed on the engine
    publish the CSV run's numbers; a keyword × device table of the same statistics publishes them too."""
    data, db = warehouse
    common = {"orders_path": str(data / "orders.csv"), "sessions_path": f"duckdb:///{db}#sessions"}
    common |= {"touchpoints_path": "", "experiment_path": "", "email_sends_path": ""}
    from_files = execute_notebook("campaign_postmortem", {**common, "ad_stats_path": str(data / "ad_stats.csv")})
    from_tables = execute_notebook("campaign_postmortem", {**common, "ad_stats_path": f"duckdb:///{db}#ad_stats"})
    _assert_same_numbers(from_tables.results, from_files.results)
    assert from_tables.results["headline"] == from_files.results["headline"]
    assert {"kpis", "pacing"} <= from_tables.results.keys()
    _keyword_table(data, tmp_path / "keywords.duckdb")
    kw = {**common, "ad_stats_path": f"duckdb:///{tmp_path / 'keywords.duckdb'}#ad_stats"}
    from_keywords = execute_notebook("campaign_postmortem", kw)
    _assert_same_numbers(from_keywords.results, from_files.results)
    assert from_keywords.results["headline"] == from_files.results["headline"]


def test_postmortem_ad_stats_table_sends_one_row_per_group_of_the_flight(warehouse, tmp_path):
    """A keyword × device table: one row per day × campaign × channel × platform × ad group × creative of the
    flight reaches the kernel (and one per campaign for the campaign filter), never one per keyword."""
    import pandas as pd

    from workbench.data.engines.report_inputs import flight_ad_stats_input

    data, _ = warehouse
    rows = _keyword_table(data, tmp_path / "keywords.duckdb")
    source = f"duckdb:///{tmp_path / 'keywords.duckdb'}#ad_stats"
    ads, note = flight_ad_stats_input(source, "autumn_launch_2026", "2026-09-01", "2026-10-31")
    flight = rows[(rows["date"] >= "2026-09-01") & (rows["date"] < "2026-11-01")]
    flight = flight[flight["campaign"] == "autumn_launch_2026"]
    groups = flight.groupby(["date", "campaign", "channel", "platform", "ad_group", "creative"]).ngroups
    assert ads.attrs["kernel_rows"] == len(ads) + rows["campaign"].nunique() == groups + 5
    assert ads.attrs["table_rows"] == len(rows) == 77_448 and ads.attrs["flight_rows"] == len(flight) == 3 * groups
    assert ads.attrs["kernel_rows"] < len(rows) / 75 and note is None
    assert ads["cost"].sum() == pytest.approx(flight["cost"].sum(), rel=1e-12)
    assert ads["clicks"].sum() == flight["clicks"].sum() and "keyword" not in ads.columns
    assert str(ads["date"].dtype) == "datetime64[ns]" and isinstance(ads, pd.DataFrame)
