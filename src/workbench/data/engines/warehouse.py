"""The sample data as a warehouse: one DuckDB database file and a Parquet copy of every table.

So that the engine path is exercised on the same data as the files: a report run on
`duckdb:///data/sample/warehouse.duckdb#sessions` must publish the same results.json as one run on
`data/sample/sessions.csv` (tests/data/engines/test_reports_on_engine.py checks it).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_warehouse"]


def write_warehouse(sample_dir: Path) -> Path:
    """Write `<sample_dir>/warehouse.duckdb` (a table per CSV) and `<sample_dir>/parquet/<table>.parquet`,
    read through `workbench.data.load` so that column types are the contracts' and not DuckDB's guesses."""
    import duckdb

    from workbench.data import get_contract, load

    sample_dir = Path(sample_dir)
    db = sample_dir / "warehouse.duckdb"
    tmp = db.with_suffix(".duckdb.tmp")
    tmp.unlink(missing_ok=True)
    (sample_dir / "parquet").mkdir(exist_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for csv in sorted(sample_dir.glob("*.csv")):
            name = csv.stem
            try:
                get_contract(name)
            except (KeyError, ValueError):
                continue  # not a dataset of the contracts
            frame = load(name, csv)
            frame.attrs = {}
            con.register("frame", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
            con.unregister("frame")
            frame.to_parquet(sample_dir / "parquet" / f"{name}.parquet", index=False)
    finally:
        con.close()
    tmp.replace(db)
    return db
