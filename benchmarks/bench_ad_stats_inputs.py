"""Ad statistics input benchmark: the campaign post-mortem's ad statistics (`flight_ad_stats_input`: the
flight's rows summed per day × campaign × channel × platform × ad group × creative) from the sample CSV (load +
validation + the reduction over the loaded frame in in-memory DuckDB) and from the same sample as a DuckDB
table (the reduction runs there, after the data contract's checks), then from a keyword × device table of the
same statistics (every row split into `--split` rows that add up to it), against the path before it (the
whole table read row by row into the kernel, then `scope.flight_ads`), in one process, twice (the second run
is the one to quote).

Run alone: .venv/bin/python benchmarks/bench_ad_stats_inputs.py [--data data/sample] [--split 10]
Prints seconds (and, for a table, the contract checks alone: run again after the reduction) and the rows that
reached the kernel; the figures in docs/scale.md ("Which report steps stay on
the engine") come from this script.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import tempfile
import time
from pathlib import Path


def keyword_rows(ads, split: int):
    """Every row as `split` keyword × device rows whose counts and money add up to it."""
    import pandas as pd

    parts = []
    for i in range(split):
        part = ads.assign(keyword=f"keyword {i // 2}", device=("mobile", "desktop")[i % 2])
        for col in ("impressions", "clicks", "conversions"):
            part[col] = (ads[col] + i) // split  # the parts of n add up to n
        for col in ("cost", "revenue"):
            part[col] = ads[col] / split
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    import duckdb
    import pandas as pd

    from workbench.analysis.campaigns import scope
    from workbench.data.engines.report_inputs import checked_table, flight_ad_stats_input, load_input
    from workbench.data.engines.warehouse import write_warehouse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data/sample", help="a folder with ad_stats.csv")
    parser.add_argument("--campaign", default="autumn_launch_2026")
    parser.add_argument("--flight", nargs=2, default=["2026-09-01", "2026-10-31"], help="start and end date")
    parser.add_argument("--split", type=int, default=10, help="keyword × device rows per row of the sample")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "sample"
        shutil.copytree(args.data, data)
        db = write_warehouse(data)
        rows = keyword_rows(pd.read_csv(data / "ad_stats.csv", parse_dates=["date"]), args.split)
        with duckdb.connect(str(Path(tmp) / "keywords.duckdb")) as con:
            con.register("rows", rows)
            con.execute("CREATE TABLE ad_stats AS SELECT * FROM rows")
        inputs = (
            ("CSV", str(data / "ad_stats.csv")),
            ("DuckDB table", f"duckdb:///{db}#ad_stats"),
            (f"keyword table ({len(rows):,} rows)", f"duckdb:///{Path(tmp) / 'keywords.duckdb'}#ad_stats"),
        )
        for run in (1, 2):
            for label, path in inputs:
                when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
                load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
                t0 = time.perf_counter()
                whole = load_input("ad_stats", path)
                before, _ = scope.flight_ads(whole, args.campaign, *args.flight)
                t1 = time.perf_counter()
                ads, _ = flight_ad_stats_input(path, args.campaign, *args.flight)
                t2 = time.perf_counter()
                check = ""
                if path.startswith("duckdb:"):  # the contract's checks on the engine (part of "now"), timed alone
                    t3 = time.perf_counter()
                    checked_table("ad_stats", path, "ad_stats_path")
                    check = f"; the contract checks alone, run again: {time.perf_counter() - t3:4.2f} s"
                print(
                    f"run {run} {label:30s}: before {t1 - t0:5.2f} s ({len(whole):,} rows in the kernel, "
                    f"{len(before):,} in the flight); now {t2 - t1:5.2f} s ({ads.attrs['kernel_rows']:,} rows: "
                    f"{len(ads):,} groups of {ads.attrs['flight_rows']:,} rows{check})  {when}, {load}"
                )


if __name__ == "__main__":
    main()
