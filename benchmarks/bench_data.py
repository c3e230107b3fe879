"""Data layer benchmark: DuckDB aggregations over big files vs plain pandas, in the same run.

    .venv/bin/python benchmarks/bench_data.py            # 10M sessions, 10M touchpoints
    .venv/bin/python benchmarks/bench_data.py --rows 1e6 # quicker

Each method runs in its own child process that reports its wall time and peak RSS, so the
memory figures do not mix. Targets: sessions by hour × device with DuckDB < 1 GB peak;
touchpoints_to_paths on 10M touches < 20 s and < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

CHILD = r"""
import json, resource, sys, time
method, path = sys.argv[1], sys.argv[2]
t = time.perf_counter()
if method == "duckdb_sessions":
    from workbench.data.aggregate import sessions_by_hour_device
    res = sessions_by_hour_device(path)
elif method == "pandas_sessions":
    import pandas as pd
    df = pd.read_csv(path, usecols=["started_at", "device", "converted", "revenue"], parse_dates=["started_at"])
    res = (df.assign(weekday=df["started_at"].dt.day_of_week, hour=df["started_at"].dt.hour)
             .groupby(["device", "weekday", "hour"])
             .agg(sessions=("device", "size"), conversions=("converted", "sum"), revenue=("revenue", "sum"))
             .reset_index())
elif method == "duckdb_paths":
    from workbench.data.aggregate import touchpoints_to_paths
    res = touchpoints_to_paths(path)
elif method == "duckdb_paths_sql":
    # the previous implementation (window + ordered STRING_AGG + join, all in SQL), kept as a baseline
    from workbench.data.aggregate import _run, _table
    with _table(path, ("user_id", "touched_at", "channel")) as (con, name, cols):
        res = _run(con, name, '''
            WITH t AS (SELECT CAST(user_id AS VARCHAR) AS u, CAST(touched_at AS TIMESTAMP) AS t,
                              CAST(channel AS VARCHAR) AS ch, COALESCE(CAST(converted AS BOOLEAN), FALSE) AS c,
                              COALESCE(CAST(conversion_value AS DOUBLE), 0) AS v FROM src),
            j AS (SELECT *, COALESCE(SUM(CAST(c AS INTEGER)) OVER (PARTITION BY u ORDER BY t, c, ch
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS k FROM t),
            e AS (SELECT u, k, BOOL_OR(c) AS conv, SUM(CASE WHEN c THEN v ELSE 0 END) AS value FROM j GROUP BY u, k),
            p AS (SELECT u, k, STRING_AGG(ch, ' > ' ORDER BY t, c, ch) AS path FROM j GROUP BY u, k)
            SELECT p.path, SUM(CASE WHEN e.conv THEN 1 ELSE 0 END) AS conversions,
                   SUM(CASE WHEN e.conv THEN 0 ELSE 1 END) AS non_conversions, SUM(e.value) AS value
            FROM p JOIN e USING (u, k) GROUP BY p.path ORDER BY conversions DESC, non_conversions DESC, p.path''')
elif method == "pandas_paths":
    import pandas as pd
    from workbench.data.aggregate import paths_from_touchpoints_frame
    res = paths_from_touchpoints_frame(pd.read_csv(path))
wall = time.perf_counter() - t
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
cpu_s = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
print(json.dumps({"method": method, "wall_s": round(wall, 2), "cpu_s": round(cpu_s, 1), "peak_mb": round(peak_mb),
                  "rows_out": len(res)}))
"""


def make_files(rows: int) -> tuple[Path, Path]:
    import duckdb

    OUT.mkdir(exist_ok=True)
    sessions, touch = OUT / f"sessions_{rows}.csv", OUT / f"touchpoints_{rows}.csv"
    con = duckdb.connect()
    if not sessions.exists():
        con.execute(f"""COPY (SELECT 'S' || i AS session_id,
                   TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(i) % 86400000 AS BIGINT)) AS started_at,
                   ['desktop','mobile','tablet'][1 + CAST(hash(i * 7) % 3 AS INTEGER)] AS device,
                   'google' AS source, 'organic' AS medium, (hash(i * 13) % 100) < 3 AS converted,
                   CASE WHEN (hash(i * 13) % 100) < 3 THEN (hash(i * 17) % 100000) / 10.0 ELSE 0 END AS revenue
                   FROM range({rows}) t(i)) TO '{sessions}' (HEADER, DELIMITER ',')""")
    if not touch.exists():
        con.execute(f"""COPY (SELECT 'U' || (hash(i) % {max(rows // 10, 1)}) AS user_id,
                   TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(i * 3) % 86400000 AS BIGINT)) AS touched_at,
                   ['email','direct','vk_ads','google_ads','organic_search','social']
                       [1 + CAST(hash(i * 5) % 6 AS INTEGER)] AS channel,
                   (hash(i * 11) % 100) < 8 AS converted,
                   CASE WHEN (hash(i * 11) % 100) < 8 THEN (hash(i * 19) % 100000) / 10.0 ELSE 0 END AS conversion_value
                   FROM range({rows}) t(i)) TO '{touch}' (HEADER, DELIMITER ',')""")
    return sessions, touch


def run(method: str, path: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, method, str(path)], capture_output=True, text=True)
    if proc.returncode:
        return {"method": method, "error": proc.stderr.strip().splitlines()[-1]}
    return json.loads([ln for ln in proc.stdout.splitlines() if ln.startswith('{"method')][-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=float, default=10_000_000)
    ap.add_argument("--skip-pandas-paths", action="store_true", help="the pandas paths baseline is slow")
    args = ap.parse_args()
    rows = int(args.rows)
    t = time.perf_counter()
    sessions, touch = make_files(rows)
    print(
        f"input files ({rows:,} rows each) ready in {time.perf_counter() - t:.1f} s: "
        f"{sessions.stat().st_size / 1e6:.0f} MB, {touch.stat().st_size / 1e6:.0f} MB"
    )
    print("load before:", os.getloadavg())
    results = [
        run("duckdb_sessions", sessions),
        run("pandas_sessions", sessions),
        run("duckdb_paths", touch),
        run("duckdb_paths_sql", touch),
    ]
    if not args.skip_pandas_paths:
        results.append(run("pandas_paths", touch))
    for r in results:
        print(json.dumps(r))
    print("load after:", os.getloadavg(), f"({os.cpu_count()} cores; cpu_s = user + system time of the child)")
    by = {r["method"]: r for r in results if "error" not in r}
    if "duckdb_sessions" in by and "pandas_sessions" in by:
        d, p = by["duckdb_sessions"], by["pandas_sessions"]
        print(
            f"sessions by hour×device: DuckDB {d['wall_s']} s / {d['peak_mb']} MB vs pandas {p['wall_s']} s / "
            f"{p['peak_mb']} MB  → time ×{p['wall_s'] / d['wall_s']:.1f}, memory ×{p['peak_mb'] / d['peak_mb']:.1f}"
            f"  (target DuckDB < 1024 MB: {'OK' if d['peak_mb'] < 1024 else 'MISSED'})"
        )
    if "duckdb_paths" in by:
        d = by["duckdb_paths"]
        line = f"touchpoints_to_paths: DuckDB {d['wall_s']} s / {d['peak_mb']} MB"
        if "pandas_paths" in by:
            p = by["pandas_paths"]
            line += f" vs pandas {p['wall_s']} s / {p['peak_mb']} MB"
        if "duckdb_paths_sql" in by:
            b = by["duckdb_paths_sql"]
            line += (
                f" vs the previous all-SQL query {b['wall_s']} s / {b['peak_mb']} MB "
                f"(time ×{b['wall_s'] / d['wall_s']:.1f}, CPU ×{b['cpu_s'] / d['cpu_s']:.1f})"
            )
        ok = d["wall_s"] < 20 and d["peak_mb"] < 2048
        print(line + f"  (target < 20 s and < 2048 MB: {'OK' if ok else 'MISSED'})")


if __name__ == "__main__":
    main()
