"""Engine table URLs in params: parsed, opened, described for the manifest, and never carrying secrets."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.data.engines import describe_source, is_engine_source, open_table, parse_source, redact
from workbench.errors import DataValidationError


def test_engine_urls_are_told_from_file_paths():
    assert is_engine_source("duckdb:///data/warehouse.duckdb#sessions")
    assert is_engine_source("bigquery://my-project/analytics_1#events_*")
    assert not is_engine_source("data/sample/sessions.csv") and not is_engine_source("")
    assert not is_engine_source("https://example.com/file.csv")  # a web address is not an engine


def test_a_url_without_a_table_or_with_a_password_is_refused():
    with pytest.raises(DataValidationError, match=r"sessions_path: .* names no table; add it after '#'"):
        parse_source("duckdb:///w.duckdb", "sessions_path")
    with pytest.raises(DataValidationError, match="carries a secret; credentials come from the environment"):
        parse_source("postgres://analyst:hunter2@db/shop#orders", "orders_path")
    with pytest.raises(DataValidationError, match="carries a secret"):
        parse_source("clickhouse://db:8443/shop?password=x#visits", "sessions_path")


def test_redact_keeps_user_and_host_and_drops_secrets():
    assert redact("postgres://analyst:hunter2@db.internal:5432/shop?sslmode=require&token=abc") == (
        "postgres://analyst@db.internal:5432/shop?sslmode=require"
    )


def _warehouse(tmp_path, frame: pd.DataFrame) -> str:
    import duckdb

    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.register("src", frame)
    con.execute("CREATE OR REPLACE TABLE orders AS SELECT * FROM src")
    con.close()
    return f"duckdb:///{path}"


def test_open_and_describe_a_duckdb_file_table(tmp_path):
    frame = pd.DataFrame({"order_id": ["o1", "o2"], "customer_id": ["c1", "c1"], "revenue": [10.0, 12.5]})
    url = _warehouse(tmp_path, frame) + "#orders"  # duckdb:////abs/path: an absolute path
    t = open_table(url, "orders_path")
    assert t.count().execute() == 2
    first = describe_source(url, "orders_path")
    assert first["rows"] == 2 and first["table"] == "orders" and "hunter" not in first["url"]
    assert describe_source(url, "orders_path")["fingerprint"] == first["fingerprint"]  # stable


def test_the_fingerprint_changes_with_the_content(tmp_path):
    a = pd.DataFrame({"order_id": ["o1"], "customer_id": ["c1"], "revenue": [10.0]})
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    fa = describe_source(_warehouse(tmp_path / "a", a) + "#orders")["fingerprint"]
    fb = describe_source(_warehouse(tmp_path / "b", a.assign(revenue=[11.0])) + "#orders")["fingerprint"]
    assert fa != fb


def test_a_missing_table_names_what_was_asked(tmp_path):
    url = _warehouse(tmp_path, pd.DataFrame({"x": [1]}))
    with pytest.raises(DataValidationError, match=r"sessions_path: table 'sessions' not found at duckdb://"):
        open_table(url + "#sessions", "sessions_path")


def test_a_report_input_can_be_a_warehouse_table(tmp_path, sample_data):
    """`load` reads a table like a file: same contract, same validated frame, only contract columns read."""
    import duckdb

    from workbench.data import load

    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute(f"CREATE TABLE ads AS SELECT *, 'x' AS extra FROM read_csv_auto('{sample_data / 'ad_stats.csv'}')")
    con.close()
    from_table = load("ad_stats", f"duckdb:///{path}#ads")
    from_file = load("ad_stats", sample_data / "ad_stats.csv")
    assert "extra" not in from_table.columns
    pd.testing.assert_frame_equal(
        from_table.sort_values(["date", "campaign"]).reset_index(drop=True),
        from_file.sort_values(["date", "campaign"]).reset_index(drop=True)[list(from_table.columns)],
        check_dtype=False,
    )


def test_params_accept_a_table_url_and_reject_a_secret(tmp_path):
    from workbench.engine_url import is_engine_source

    assert is_engine_source("spark://local#touchpoints")
    with pytest.raises(DataValidationError, match="key 'orders_path': the URL carries a secret"):
        parse_source("postgres://a:b@h/db#orders", "key 'orders_path'")


@pytest.mark.parametrize(("setting", "expected_bytes"), [(None, 512 * 10**6), ("300MB", 300 * 10**6)])
def test_an_embedded_duckdb_is_capped_so_the_kernel_stays_small(monkeypatch, setting, expected_bytes):
    """Embedded DuckDB's memory is the notebook kernel's: engine connections cap it (spilling to disk);
    WORKBENCH_DUCKDB_MEMORY_LIMIT changes the cap. DuckDB reports it in MiB."""
    import ibis

    from workbench.data.engines.source import limit_duckdb_memory

    if setting is None:
        monkeypatch.delenv("WORKBENCH_DUCKDB_MEMORY_LIMIT", raising=False)
    else:
        monkeypatch.setenv("WORKBENCH_DUCKDB_MEMORY_LIMIT", setting)
    con = limit_duckdb_memory(ibis.duckdb.connect())
    limit = con.raw_sql("SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'").fetchone()[0]
    value, unit = limit.split()
    assert unit == "MiB" and float(value) == pytest.approx(expected_bytes / 2**20, abs=0.1)
