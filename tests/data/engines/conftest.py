"""Engines for the engine-path tests: DuckDB always; Spark in local mode where pyspark and Java exist.

Spark is the real thing (pyspark in local[2] mode, Java from Debian's openjdk-17-jre-headless, both
installed by the project's own files: `make test` installs the `spark` extra, `.ci/run` installs Java).
Without them the Spark cases skip with the reason.
"""

from __future__ import annotations

import importlib.util
import shutil
import uuid

import pandas as pd
import pytest

ENGINES = ["duckdb", "spark"]


def spark_missing() -> str | None:
    if importlib.util.find_spec("ibis") is None:
        return "Ibis is not installed (the project's `spark` extra; `make test` installs it)"
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (the project's `spark` extra; `make test` installs it)"
    if shutil.which("java") is None:
        return "Java is not installed (Debian openjdk-17-jre-headless; .ci/run installs it)"
    return None


@pytest.fixture(scope="session")
def spark_backend():
    why = spark_missing()
    if why:
        pytest.skip(why)
    import ibis
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("workbench-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield ibis.pyspark.connect(session)


@pytest.fixture(scope="session")
def duckdb_backend():
    ibis = pytest.importorskip("ibis", reason="Ibis is not installed (the project's `warehouse`/`spark` extras)")

    return ibis.duckdb.connect()


def _spark_value(v):
    """A pandas cell as Spark takes it: None for missing, datetime for Timestamp, Python scalars."""
    if pd.isna(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v.item() if hasattr(v, "item") else v


class Engine:
    """One engine under test: turn a pandas frame (or a SQL/Spark schema builder) into an Ibis table."""

    def __init__(self, name: str, backend) -> None:
        self.name, self.backend = name, backend

    def table(self, frame: pd.DataFrame):
        name = f"t_{uuid.uuid4().hex[:10]}"
        if self.name == "duckdb":
            self.backend.con.register(f"{name}_src", frame)
            self.backend.raw_sql(f"CREATE TABLE {name} AS SELECT * FROM {name}_src")
        else:
            session = self.backend._session
            # pandas' missing strings would reach Spark as the string "NaN": give it real nulls
            rows = [tuple(_spark_value(v) for v in r) for r in frame.itertuples(index=False)]
            schema = session.createDataFrame(frame).schema
            session.createDataFrame(rows, schema=schema).createOrReplaceTempView(name)
        return self.backend.table(name)


@pytest.fixture(scope="session")
def duck(duckdb_backend) -> Engine:
    return Engine("duckdb", duckdb_backend)


@pytest.fixture(scope="session")
def spark(spark_backend) -> Engine:
    return Engine("spark", spark_backend)


@pytest.fixture(params=ENGINES)
def engine(request) -> Engine:
    if request.param == "spark":
        return Engine("spark", request.getfixturevalue("spark_backend"))
    return Engine("duckdb", request.getfixturevalue("duckdb_backend"))
