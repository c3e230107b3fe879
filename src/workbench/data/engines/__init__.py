"""Tables on an engine: event-level inputs read where they live, with only aggregates brought back.

A report input can be a file (as always) or a table on an engine, written in a params file as a URL
whose fragment names the table::

    sessions_path: "duckdb:///data/warehouse.duckdb#sessions"
    touchpoints_path: "spark://local#touchpoints"               # or spark://host:7077, sc://host:15002
    orders_path: "postgres://analyst@db.internal/shop#public.orders"
    sessions_path: "bigquery://my-project/analytics_123456#events_*"

Connections go through Ibis, so every aggregation in `workbench.data.engines.expressions` is written
once and runs unchanged on DuckDB (the embedded default), Spark, PostgreSQL, BigQuery or ClickHouse.
Credentials never appear in params, manifests or reports: a URL with a password is refused, and the
engine's own configuration (PGPASSWORD / ~/.pgpass, GOOGLE_APPLICATION_CREDENTIALS, CLICKHOUSE_PASSWORD,
a Spark cluster's settings) supplies them.
"""

from workbench.data.engines.source import (
    ENGINE_SCHEMES,
    TableSource,
    describe_source,
    is_engine_source,
    open_table,
    parse_source,
    read_table,
    redact,
)

__all__ = [
    "ENGINE_SCHEMES",
    "TableSource",
    "describe_source",
    "is_engine_source",
    "open_table",
    "parse_source",
    "read_table",
    "redact",
]
