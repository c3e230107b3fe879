"""What checking a table's rows against its data contract costs on the engine (DuckDB, the sample data).

    python benchmarks/bench_rowchecks.py [--warehouse data/sample/warehouse.duckdb] [--runs 3]

For each event-level table: the check alone (`rowchecks.check_table`: one count query over every rule),
and the monthly report's sessions input (`report_inputs.sessions_counts_input`) with and without the
check. Best of `--runs` wall times in this process (connections and Ibis compilation warmed by a first run).
`make sample-data` (or `workbench data sample --warehouse`) writes the warehouse.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _best(call, runs: int) -> tuple[float, float]:
    """Best wall and CPU seconds over `runs` calls, after one warm-up call."""
    call()
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", default=str(ROOT / "data" / "sample" / "warehouse.duckdb"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from workbench.data.engines import open_table
    from workbench.data.engines import report_inputs as inputs
    from workbench.data.engines.rowchecks import check_table, row_rules

    if not Path(args.warehouse).is_file():
        raise SystemExit(
            f"{args.warehouse} not found: write it with `make sample-data` (workbench data sample --warehouse)"
        )
    db = f"duckdb:///{Path(args.warehouse).resolve()}"
    for dataset in ("sessions", "touchpoints", "orders", "ad_stats"):
        t = open_table(f"{db}#{dataset}", dataset)
        rows = int(t.count().execute())
        wall, cpu = _best(lambda t=t, d=dataset: check_table(d, t, d), args.runs)
        rules = len(row_rules(dataset, t))
        print(f"{dataset}: {rows:,} rows, {rules} rules, check {wall:.2f} s wall, {cpu:.2f} s cpu")
    with_check = _best(lambda: inputs.sessions_counts_input(f"{db}#sessions", "2026-06", 3), args.runs)
    checked = inputs.checked_table
    inputs.checked_table = inputs._renamed_table  # the same input without the row check
    try:
        without = _best(lambda: inputs.sessions_counts_input(f"{db}#sessions", "2026-06", 3), args.runs)
    finally:
        inputs.checked_table = checked
    print(
        f"sessions_counts_input: {with_check[0]:.2f} s wall ({with_check[1]:.2f} s cpu) with the row check, "
        f"{without[0]:.2f} s ({without[1]:.2f} s cpu) without"
    )


if __name__ == "__main__":
    main()
