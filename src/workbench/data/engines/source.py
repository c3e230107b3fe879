"""Parse, open and describe engine table sources (`scheme://…#table`), through Ibis.

Why a URL with a fragment: a params value stays one string (the `*_path` keys keep their type, so a
file can be swapped for a warehouse table without touching the notebook), the scheme picks the Ibis
backend, and the fragment names the table, which may be a wildcard for sharded exports (`events_*`).
"""

from __future__ import annotations

import hashlib
import os
import threading
from typing import Any
from urllib.parse import urlsplit

from workbench.config import resolve
from workbench.engine_url import ENGINE_SCHEMES, TableSource, is_engine_source, parse_source, redact
from workbench.errors import DataValidationError

__all__ = [
    "ENGINE_SCHEMES",
    "TableSource",
    "describe_source",
    "is_engine_source",
    "open_table",
    "parse_source",
    "redact",
]

_connections: dict[str, Any] = {}
_lock = threading.Lock()


def _spark_session(src: TableSource) -> Any:
    """A Spark session: `spark://local` runs in this process (local mode, WORKBENCH_SPARK_CORES cores,
    default 2), `spark://host:7077` joins a standalone cluster, `sc://host:15002` uses Spark Connect."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("marketing-workbench")
    if src.scheme == "sc":
        return builder.remote(src.url).getOrCreate()
    where = urlsplit(src.url).netloc or "local"
    cores = os.environ.get("WORKBENCH_SPARK_CORES", "2")
    master = f"local[{cores}]" if where == "local" else f"spark://{where}"
    return (
        builder.master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", os.environ.get("WORKBENCH_SPARK_PARTITIONS", "8"))
        .getOrCreate()
    )


def _duckdb_database(path: str) -> str:
    """duckdb:///data/x.duckdb → project-relative file; duckdb:////abs/x.duckdb → absolute; duckdb:// → memory."""
    if path.startswith("//"):
        return path[1:]
    return str(resolve(path.lstrip("/"))) if path.strip("/") else ":memory:"


def _connect(src: TableSource) -> Any:
    import ibis

    key = src.url
    with _lock:
        if key in _connections:
            return _connections[key]
        if src.backend == "duckdb":
            con = limit_duckdb_memory(ibis.duckdb.connect(_duckdb_database(urlsplit(src.url).path), read_only=True))
        elif src.backend == "pyspark":
            con = ibis.pyspark.connect(_spark_session(src))
        else:
            con = ibis.connect(src.url)
        _connections[key] = con
        return con


def limit_duckdb_memory(con: Any) -> Any:
    """Cap an embedded DuckDB at WORKBENCH_DUCKDB_MEMORY_LIMIT (default 512MB; "" = DuckDB's own 80 % of
    RAM), spilling larger sorts to a temporary folder: embedded, its memory is the notebook kernel's,
    which the engine path keeps under 1 GB whatever the rows (benchmarks/bench_scale.py measures it)."""
    import tempfile

    limit = os.environ.get("WORKBENCH_DUCKDB_MEMORY_LIMIT", "512MB").strip()
    if limit:
        spill = os.path.join(tempfile.gettempdir(), "workbench-duckdb-spill")
        os.makedirs(spill, exist_ok=True)
        con.raw_sql(f"SET memory_limit = '{limit}'")
        con.raw_sql(f"SET temp_directory = '{spill}'")
    return con


def register_connection(url: str, connection: Any) -> None:
    """Use an existing Ibis connection for `url` (tests, notebooks that already hold a Spark session)."""
    with _lock:
        _connections[parse_source(url + "#_").url] = connection


def open_table(source: str | TableSource, key: str = "input") -> Any:
    """The Ibis table behind `source` (a lazy expression: nothing is read until it is executed)."""
    src = parse_source(source, key) if isinstance(source, str) else source
    try:
        con = _connect(src)
    except ImportError as exc:
        extra = "spark" if src.backend == "pyspark" else src.backend
        raise DataValidationError(
            f"{key}: reading {src.scheme}:// tables needs the Ibis {src.backend} backend "
            f"(pip install 'marketing-workbench[{extra}]'): {exc}"
        ) from None
    name = src.table
    try:
        if "*" in name and src.backend == "duckdb":
            return con.sql(f"SELECT * FROM read_parquet('{name}', union_by_name = true)")
        if "*" in name:
            return con.table(name)
        database = tuple(name.split(".")[:-1]) or None
        table = name.split(".")[-1]
        return con.table(table, database=database) if database else con.table(table)
    except Exception as exc:  # noqa: BLE001 - every backend raises its own "no such table"
        raise DataValidationError(
            f"{key}: table {name!r} not found at {redact(src.url)} ({type(exc).__name__}: {str(exc).splitlines()[0]})"
        ) from None


def describe_source(source: str | TableSource, key: str = "input") -> dict[str, Any]:
    """What a manifest records of an engine input: URL without secrets, table, row count and a content
    fingerprint (a hash over every row's values, computed on the engine), which the cache key uses."""
    import ibis

    src = parse_source(source, key) if isinstance(source, str) else source
    t = open_table(src, key)
    row_text = ibis.literal("|").join([t[c].cast("string").fill_null("\x00") for c in t.columns])
    stats = t.aggregate(rows=t.count(), fingerprint=row_text.hash().sum())
    frame = stats.execute()
    rows, digest = int(frame["rows"].iloc[0]), frame["fingerprint"].iloc[0]
    fingerprint = hashlib.sha256(f"{src.backend}:{rows}:{digest}:{','.join(t.columns)}".encode()).hexdigest()
    return {"url": redact(src.url), "table": src.table, "rows": rows, "fingerprint": fingerprint}


def read_table(dataset: str, source: str, rename: dict | None = None) -> tuple[Any, Any]:
    """Rows of a warehouse table as a raw frame for `validate_frame`, reading only the contract's columns.

    For datasets a report needs row by row (customers, a campaign's ad statistics); event-level inputs
    should go through the aggregations in `workbench.data.engines.expressions` instead, so that only
    aggregates leave the engine."""
    from pathlib import Path

    from workbench.data.contracts import get_contract
    from workbench.data.readers import Source, normalise_name

    src = parse_source(source, dataset)
    t = open_table(src, dataset)
    contract = get_contract(dataset)
    wanted = set(contract.required) | set(contract.optional)
    rename = {normalise_name(k): v for k, v in (rename or {}).items()}
    keep = [c for c in t.columns if rename.get(normalise_name(c), normalise_name(c)) in wanted]
    frame = (t.select(keep) if keep else t).execute()
    label = f"{redact(src.url)}#{src.table}"
    return frame, Source(Path(label), "frame", display=label)
