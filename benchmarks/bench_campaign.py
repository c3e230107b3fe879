"""Campaign post-mortem benchmark.

1. Markov attribution on the 10,000 real distinct paths (ChannelAttribution's own Data.csv, from
   ../shared/reference-data) — ours (exact removal effects, linear solves) against the
   `channelattribution` package (simulated removal effects) in the same run.
2. Touchpoints → paths for 10 million touchpoints with workbench.data.aggregate.touchpoints_to_paths
   (DuckDB), target < 20 s and < 2 GB peak RSS (run in a child process so its peak is its own).

Run: .venv/bin/python benchmarks/bench_campaign.py [--touchpoints 10000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT.parent / "shared" / "reference-data" / "channelattribution_paths.csv"


def _best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def bench_markov() -> None:
    from workbench.analysis.markov import markov_attribution

    if not REF.is_file():
        print(f"SKIP markov: {REF} is absent")
        return
    raw = pd.read_csv(REF, sep=";")
    paths = raw.rename(columns={"total_conversions": "conversions", "total_conversion_value": "value",
                                "total_null": "non_conversions"})
    ours_t, ours = _best(lambda: markov_attribution(paths))
    print(f"markov (ours, exact, order 1) on {len(paths):,} paths: {ours_t * 1000:.0f} ms")
    for order in (2, 3):
        t, _ = _best(lambda: markov_attribution(paths, order=order), repeat=2)
        print(f"markov (ours, exact, order {order}): {t * 1000:.0f} ms")
    try:
        import ChannelAttribution as ca
    except ImportError:
        print("channelattribution not installed (pip install -e '.[bench]'): no baseline")
        return
    theirs_t, theirs = _best(lambda: ca.markov_model(raw, "path", "total_conversions", var_value="total_conversion_value",
                                                     var_null="total_null", out_more=True, verbose=False, flg_pro=False))
    print(f"markov (channelattribution {getattr(ca, '__version__', '')}, simulated, 1e5 sims): {theirs_t * 1000:.0f} ms")
    print(f"ratio channelattribution / ours: {theirs_t / ours_t:.1f}x")
    re_t = theirs["removal_effects"].set_index("channel_name")["removal_effects_conversion"]
    re_o = ours.credit.set_index("channel")["removal_effect"].reindex(re_t.index)
    print(f"max |removal effect difference| (simulation noise): {np.abs(re_t - re_o).max():.4f}")
    # their simulated effects move with the seed; ours do not
    other = ca.markov_model(raw, "path", "total_conversions", var_value="total_conversion_value",
                            var_null="total_null", out_more=True, verbose=False,
                            flg_pro=False, seed=1)["removal_effects"].set_index("channel_name")["removal_effects_conversion"]
    print(f"channelattribution seed 0 vs 1, max |difference|: {np.abs(re_t - other.reindex(re_t.index)).max():.4f}")


def _make_touchpoints(path: Path, n: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    channels = np.array(["google_ads", "yandex_direct", "meta_ads", "vk_ads", "organic_search", "email",
                         "direct", "referral", "social"])
    users = rng.integers(0, n // 6, n)
    start = np.datetime64("2025-01-01T00:00:00")
    t = start + rng.integers(0, 365 * 86400, n).astype("timedelta64[s]")
    conv = rng.random(n) < 0.03
    df = pd.DataFrame({"user_id": users.astype(str), "touched_at": t, "channel": channels[rng.integers(0, 9, n)],
                       "converted": conv, "conversion_value": np.where(conv, rng.gamma(2, 2000, n).round(2), 0.0)})
    df.to_parquet(path, index=False)


def _child_paths(path: str) -> None:
    from workbench.data.aggregate import touchpoints_to_paths

    t = time.perf_counter()
    out = touchpoints_to_paths(path, lookback_days=30)
    wall = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{wall:.2f} {peak_mb:.0f} {len(out)}")


def bench_paths(n: int) -> None:
    try:
        import workbench.data.aggregate as agg

        agg.touchpoints_to_paths  # noqa: B018
    except (ImportError, AttributeError):
        print("SKIP touchpoints_to_paths: workbench.data.aggregate.touchpoints_to_paths is not available")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "touchpoints.parquet"
        t = time.perf_counter()
        _make_touchpoints(path, n)
        print(f"generated {n:,} synthetic touchpoints in {time.perf_counter() - t:.1f} s (parquet)")
        res = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                             check=True, env={**os.environ})
        wall, peak, n_paths = res.stdout.split()[-3:]
        print(f"touchpoints_to_paths (DuckDB, lookback 30 d): {float(wall):.2f} s, peak RSS {float(peak):,.0f} MB, "
              f"{int(n_paths):,} distinct paths (targets: < 20 s, < 2,048 MB)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--touchpoints", type=int, default=10_000_000)
    ap.add_argument("--child")
    args = ap.parse_args()
    if args.child:
        _child_paths(args.child)
        sys.exit(0)
    bench_markov()
    bench_paths(args.touchpoints)
