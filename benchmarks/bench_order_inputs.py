"""Orders input benchmark: the campaign post-mortem's orders (`flight_orders_input`: the flight's orders,
revenue and new customers per day) and the audience portrait's (`customer_orders_input`: RFM totals for the
audience choice, each buyer's orders and median gap, customers per brand / price tier / category / channel
for an audience of a third of the customers) from the sample CSV (load + validation + the reduction over the
loaded frame in in-memory DuckDB) vs the same sample as a DuckDB table (the reduction runs there, after the
data contract's checks), in one process, twice (the second run is the one to quote).

Run alone: .venv/bin/python benchmarks/bench_order_inputs.py [--data data/sample]
Prints seconds and the aggregate rows that reached the kernel; the figures in docs/scale.md
("Which report steps stay on the engine") come from this script.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import tempfile
import time
from pathlib import Path


def main() -> None:
    import pandas as pd

    from workbench.data.engines.report_inputs import customer_orders_input, flight_orders_input
    from workbench.data.engines.warehouse import write_warehouse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data/sample", help="a folder with orders.csv")
    parser.add_argument("--flight", nargs=2, default=["2026-09-01", "2026-10-31"], help="start and end date")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "sample"
        shutil.copytree(args.data, data)
        db = write_warehouse(data)
        orders = sum(1 for _ in open(data / "orders.csv", encoding="utf-8")) - 1
        customers = pd.read_csv(data / "customers.csv", dtype={"customer_id": str})
        members = pd.DataFrame({"customer_id": customers["customer_id"], "audience": customers.index % 3 == 0})
        print(f"{orders:,} orders, {len(customers):,} customers")
        for run in (1, 2):
            for label, path in (("CSV", str(data / "orders.csv")), ("DuckDB table", f"duckdb:///{db}#orders")):
                t0 = time.perf_counter()
                counts = flight_orders_input(path, *args.flight)
                t1 = time.perf_counter()
                when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
                load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
                print(
                    f"run {run} {label:12s}: post-mortem orders {t1 - t0:5.2f} s ({counts.rows:,} rows: "
                    f"{counts.orders:,.0f} orders, {counts.new_customers:,.0f} new customers)  {when}, {load}"
                )
            for label, path in (("CSV", str(data / "orders.csv")), ("DuckDB table", f"duckdb:///{db}#orders")):
                t0 = time.perf_counter()
                summaries = customer_orders_input(path)
                summaries.rfm_totals(summaries.last_date.normalize())
                buyers = summaries.purchases()
                summaries.value_counts(members, ("brand", "price_tier", "category", "channel"))
                t1 = time.perf_counter()
                print(
                    f"run {run} {label:12s}: portrait orders {t1 - t0:5.2f} s ({summaries.rows:,} rows, "
                    f"{len(buyers):,} buyers)"
                )


if __name__ == "__main__":
    main()
