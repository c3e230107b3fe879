"""Customer sessions input benchmark: the segmentation's and the audience portrait's sessions, from the
sample CSV (load + validation + the per-customer reduction in in-memory DuckDB) vs the same sample as a
DuckDB table (the reduction runs there), in one process, twice (the second run is the one to quote).

Run alone: .venv/bin/python benchmarks/bench_customer_sessions.py [--data data/sample]
Prints seconds and the aggregate rows that reached the kernel; the figures in docs/scale.md
("Which report steps stay on the engine") come from this script.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd


def main() -> None:
    from workbench.data.engines.report_inputs import customer_sessions_input
    from workbench.data.engines.warehouse import write_warehouse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data/sample", help="a folder with sessions.csv and customers.csv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "sample"
        shutil.copytree(args.data, data)
        db = write_warehouse(data)
        customers = pd.read_csv(data / "customers.csv", dtype={"customer_id": str})
        members = pd.DataFrame({"customer_id": customers["customer_id"], "audience": customers.index % 3 == 0})
        sessions = sum(1 for _ in open(data / "sessions.csv", encoding="utf-8")) - 1
        print(f"{sessions:,} sessions, {len(customers):,} customers")
        for run in (1, 2):
            for label, path in (("CSV", str(data / "sessions.csv")), ("DuckDB table", f"duckdb:///{db}#sessions")):
                t0 = time.perf_counter()
                summaries = customer_sessions_input(path)
                per = summaries.per_customer(pd.Timestamp("2026-11-30"))
                t1 = time.perf_counter()
                summaries.per_customer(), summaries.slots(members), summaries.values(members)
                t2 = time.perf_counter()
                when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
                print(
                    f"run {run} {label:12s}: segmentation input {t1 - t0:5.2f} s ({len(per):,} rows); "
                    f"portrait input {t2 - t0:5.2f} s ({summaries.rows:,} rows)  {when}"
                )


if __name__ == "__main__":
    main()
