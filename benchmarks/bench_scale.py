"""Event-level steps at scale: today's DuckDB-SQL + numpy path vs one Ibis expression on DuckDB and on Spark.

    python benchmarks/bench_scale.py                 # 2 M touchpoints and 2 M sessions (a few minutes)
    python benchmarks/bench_scale.py --rows 100e6 --data-dir /tmp/scale   # the issue's 100 M (~4 GB of
                                                     # Parquet kept in /tmp/scale and reused; long)
    python benchmarks/bench_scale.py --rows 10e6 --data-dir /tmp/scale --engines duckdb --steps paths
    python benchmarks/bench_scale.py --rows 10e6 --data-dir /tmp/scale --steps summary   # what attribution
                                                     # reads of the paths (`path_summary`), O(channels²) rows

Each step runs in a fresh Python process (the "kernel"), so its peak RSS is what a notebook kernel would
hold: the point of the engine path is that only aggregates come back, whatever the rows. Spark runs in
local mode with its own JVM (its memory is the JVM's, not the kernel's; the JVM's CPU is not in the
kernel's CPU time). Ratios are against the named baseline, today's `workbench.data.aggregate`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
CHANNELS = np.array(["direct", "email", "organic_search", "social", "vk_ads", "yandex_direct"])
DEVICES = np.array(["desktop", "mobile", "tablet"])


def write_touchpoints(path: Path, rows: int, chunk: int = 2_000_000, seed: int = 7) -> None:
    """Touches of rows/6 users over a year, ~5 % converting, written in chunks (flat memory)."""
    rng = np.random.default_rng(seed)
    users = max(1, rows // 6)
    t0 = np.datetime64("2026-01-01T00:00:00", "us")
    with pq.ParquetWriter(
        path,
        pa.schema(
            [
                ("user_id", pa.string()),
                ("touched_at", pa.timestamp("us")),
                ("channel", pa.string()),
                ("converted", pa.bool_()),
                ("conversion_value", pa.float64()),
            ]
        ),
    ) as w:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            conv = rng.random(n) < 0.05
            w.write_table(
                pa.table(
                    {
                        "user_id": pa.array(np.char.add("u", rng.integers(0, users, n).astype(str))),
                        "touched_at": pa.array(t0 + rng.integers(0, 365 * 86400 * 10**6, n).astype("timedelta64[us]")),
                        "channel": pa.array(CHANNELS[rng.integers(0, len(CHANNELS), n)]),
                        "converted": pa.array(conv),
                        "conversion_value": pa.array(np.where(conv, rng.gamma(2.0, 1500.0, n).round(2), 0.0)),
                    }
                )
            )


def write_sessions(path: Path, rows: int, chunk: int = 2_000_000, seed: int = 11) -> None:
    rng = np.random.default_rng(seed)
    t0 = np.datetime64("2026-01-01T00:00:00", "us")
    with pq.ParquetWriter(
        path,
        pa.schema(
            [
                ("session_id", pa.string()),
                ("started_at", pa.timestamp("us")),
                ("device", pa.string()),
                ("converted", pa.bool_()),
                ("revenue", pa.float64()),
            ]
        ),
    ) as w:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            conv = rng.random(n) < 0.04
            w.write_table(
                pa.table(
                    {
                        "session_id": pa.array(np.char.add("s", np.arange(start, start + n).astype(str))),
                        "started_at": pa.array(t0 + rng.integers(0, 365 * 86400 * 10**6, n).astype("timedelta64[us]")),
                        "device": pa.array(DEVICES[rng.integers(0, 3, n)]),
                        "converted": pa.array(conv),
                        "revenue": pa.array(np.where(conv, 2500.0, 0.0)),
                    }
                )
            )


STEP = r"""
import json, resource, sys, time
step, engine, path = sys.argv[1:4]
t0, c0 = time.perf_counter(), time.process_time()
if step == "summary":  # what the post-mortem's attribution reads of the paths
    from workbench.analysis.campaigns.attribution import PathSummary, summarise_paths
if engine == "today":
    from workbench.data import aggregate
    if step == "hours":
        out = aggregate.sessions_by_hour_device(path)
    else:
        out = aggregate.touchpoints_to_paths(path)
        out = summarise_paths(out) if step == "summary" else out
else:
    import ibis
    from workbench.data.engines import expressions as E
    if engine == "duckdb":
        from workbench.data.engines.source import limit_duckdb_memory  # as open_table's connections
        con = limit_duckdb_memory(ibis.duckdb.connect()); t = con.read_parquet(path)
    else:
        from pyspark.sql import SparkSession
        s = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.session.timeZone", "UTC").config("spark.driver.memory", "4g").getOrCreate())
        s.sparkContext.setLogLevel("ERROR")
        con = ibis.pyspark.connect(s); t = con.read_parquet(path)
    if step == "paths":
        out = E.finish_paths(E.touchpoints_to_paths(t).execute())
    elif step == "summary":
        out = PathSummary(**E.path_summary(t))
    else:
        out = E.sessions_by_hour_device(t).execute()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if step == "summary":  # a checksum of every count the models read, and the rows the kernel holds
    check = out.transitions["journeys"].sum() + out.heuristic.select_dtypes("number").to_numpy().sum()
    check += out.channel_sets.select_dtypes("number").to_numpy().sum() + out.lengths["journeys"].sum()
    rows = out.rows
else:
    check, rows = out.select_dtypes("number").to_numpy().sum(), len(out)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "rss_mib": rss,
                  "rows_out": int(rows), "check": float(check)}))
"""


def run_step(step: str, engine: str, path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", STEP, step, engine, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "JAVA_HOME": "", "HOME": str(Path.home())}
        | {k: v for k, v in os.environ.items() if k.startswith("WORKBENCH_") or k == "TMPDIR"},
    )
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _data(data_dir: Path, rows: int, steps: list[str]) -> tuple[Path, Path]:
    """The Parquet inputs for `rows` that the steps read, generated once into data_dir and reused by later
    runs (same seeds)."""
    tp, ss = data_dir / f"touchpoints_{rows}.parquet", data_dir / f"sessions_{rows}.parquet"
    t = time.perf_counter()
    needed = [(tp, write_touchpoints)] if set(steps) - {"hours"} else []
    needed += [(ss, write_sessions)] if "hours" in steps else []
    for path, write in needed:
        if not path.exists():
            write(path.with_suffix(".tmp"), rows)
            path.with_suffix(".tmp").rename(path)
    names = ", ".join(p.stem for p, _ in needed)
    print(f"{rows:,} rows of {names} as Parquet in {data_dir} ({time.perf_counter() - t:.0f} s)")
    return tp, ss


LABELS = {
    "today": "today (baseline: DuckDB SQL + numpy)",
    "duckdb": "Ibis on DuckDB",
    "spark": "Ibis on Spark local[2]",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=float, default=2e6)
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--engines", default="today,duckdb,spark", help="comma-separated: today, duckdb, spark")
    ap.add_argument("--steps", default="paths,hours", help="comma-separated: paths, summary, hours")
    ap.add_argument("--data-dir", type=Path, help="keep the generated Parquet here and reuse it (default: a temp dir)")
    args = ap.parse_args()
    rows = int(args.rows)
    engines = [e for e in args.engines.split(",") if e and not (args.no_spark and e == "spark")]
    print(
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        steps = args.steps.split(",")
        tp, ss = _data(data_dir, rows, steps)
        for step in steps:
            path = ss if step == "hours" else tp
            what = {"paths": "paths", "summary": "paths -> attribution aggregates", "hours": "hour x device"}[step]
            print(f"\n{what}: {rows:,} rows", flush=True)
            base, checks = None, set()
            for engine in engines:
                r = run_step(step, engine, path)
                if "error" in r:
                    print(f"  {engine:8s} failed: {r['error']}", flush=True)
                    continue
                base = base or r
                checks.add(round(r["check"], 2))
                print(
                    f"  {LABELS[engine]:38s} wall {r['wall']:7.1f} s ({r['wall'] / base['wall']:.2f}x)   "
                    f"kernel cpu {r['cpu']:6.1f} s   kernel peak RSS {r['rss_mib']:7.0f} MiB   "
                    f"{r['rows_out']:,} rows out   check {r['check']:.2f}   "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
            print(f"  results identical across engines: {'yes' if len(checks) == 1 else 'NO'}", flush=True)


if __name__ == "__main__":
    main()
