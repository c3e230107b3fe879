"""Calibration of forecast intervals and of the AICc flight test (performance.forecast), issue 16.

Claims: 80 % intervals cover 80 % ± 3 points of outcomes, monthly and for 12-month totals, in
replications of the airline model (log SARIMA(0,1,1)(0,1,1)12, θ = −0.4, Θ = −0.6, σ = 0.05) with 36
and 48 months of history (73-75 % with the parameters treated as known; 12-month totals 75-77 %
with the asymptotic-normal parameter draws that preceded the grid posterior); and the AICc test's
keep / drop rates for a two-month campaign flight with no effect and with a real +10 % effect.

Each replication is seeded by its index, so the figures do not depend on the number of worker
processes and a longer run extends a shorter one. Measured figures: benchmarks/README.md.

Run: PYTHONPATH=src .venv/bin/python benchmarks/calibration_forecast.py [--reps 400] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from workbench.analysis.performance.forecast import fit_forecast, flight_regressors


def airline_path(rng: np.random.Generator, n: int, theta=-0.4, big_theta=-0.6, sigma=0.05, burn=36) -> np.ndarray:
    """Log values of an airline-model series: w = (1 + θB)(1 + ΘB¹²) e, integrated by (1 − B)(1 − B¹²)."""
    total = n + burn + 13
    e = rng.normal(0, sigma, total)
    w = e.copy()
    w[1:] += theta * e[:-1]
    w[12:] += big_theta * e[:-12]
    w[13:] += theta * big_theta * e[:-13]
    z = np.zeros(total)
    for t in range(total):
        z[t] = w[t] + (z[t - 12] if t >= 12 else 0.0)
    season = 0.15 * np.sin(2 * np.pi * np.arange(n) / 12)
    return np.cumsum(z)[burn + 13 :] + np.log(1000) + season


def _one_coverage(args: tuple[int, int, int, float]) -> tuple[float, bool]:
    """One replication: share of the 12 monthly outcomes inside their interval, and whether the
    12-month total is inside its interval. Seeded by (seed, n, i): the same figures whatever the
    number of workers."""
    n, seed, i, level = args
    rng = np.random.default_rng([seed, n, i])
    y = np.exp(airline_path(rng, n + 12))
    hist = pd.Series(y[:n], index=pd.period_range("2020-01", periods=n, freq="M"))
    f = fit_forecast(hist, 12, level=level, log=True)
    fut = y[n:]
    monthly = np.mean((f.forecast["lower"].to_numpy() <= fut) & (fut <= f.forecast["upper"].to_numpy()))
    _, lo, hi = f.total(12, seed=i)  # the reports' default: 2,000 paths
    return float(monthly), bool(lo <= fut.sum() <= hi)


def _one_flight(args: tuple[int, int, float]) -> bool:
    """One replication of the AICc test: is a two-month flight of relative effect `lift` kept?"""
    seed, i, lift = args
    rng = np.random.default_rng([seed, i])
    months = pd.period_range("2020-01", periods=48, freq="M")
    events = flight_regressors({"flight": ("2023-09-01", "2023-10-31")}, months)
    y = np.exp(airline_path(rng, 48) + np.log1p(lift) * events["flight"].to_numpy())
    f = fit_forecast(pd.Series(y, index=months), 0, log=True, events=events)
    return bool(f.effects)


def _map(func, jobs: list, workers: int) -> list:
    if workers <= 1:
        return [func(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(func, jobs, chunksize=max(1, len(jobs) // (8 * workers))))


def coverage(reps: int, n: int, seed: int, level: float = 0.8, workers: int = 1) -> tuple[float, float, float]:
    """(monthly coverage, 12-month-total coverage, standard error of the monthly figure)."""
    out = _map(_one_coverage, [(n, seed, i, level) for i in range(reps)], workers)
    monthly = np.array([m for m, _ in out])
    totals = np.array([t for _, t in out])
    return float(monthly.mean()), float(totals.mean()), float(monthly.std(ddof=1) / np.sqrt(reps))


def aicc_rates(reps: int, seed: int, lift: float, workers: int = 1) -> float:
    """Share of runs in which the AICc test keeps a two-month flight of relative effect `lift`."""
    return float(np.mean(_map(_one_flight, [(seed, i, lift) for i in range(reps)], workers)))


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def main(reps: int = 400, seed: int = 16, workers: int | None = None) -> dict[str, float]:
    workers = default_workers() if workers is None else workers
    figures: dict[str, float] = {}
    half = 1.96 * np.sqrt(0.8 * 0.2 / reps)
    print(f"forecast intervals ({reps} airline-model replications per history length, 80 % level, {workers} workers)")
    for n in (36, 48):
        t0 = time.perf_counter()
        m, t, se = coverage(reps, n, seed + n, workers=workers)
        figures[f"monthly_{n}"], figures[f"total_{n}"] = m, t
        ok = "both inside" if abs(m - 0.8) <= 0.03 and abs(t - 0.8) <= 0.03 else "NOT both inside"
        if half > 0.03:
            ok += " (the total's noise exceeds ± 3: too few replications to judge)"
        print(
            f"  {n} months: monthly coverage {m:.1%} (± {1.96 * se:.1%}), 12-month total {t:.1%} (± {half:.1%}); "
            f"claim 80 % ± 3: {ok}; known parameters 73-75 % monthly, 70-75 % total; normal draws 78-81 % / 75-77 % "
            f"({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
    t0 = time.perf_counter()
    zero = aicc_rates(reps, seed, 0.0, workers)
    real = aicc_rates(reps, seed + 1, 0.10, workers)
    figures["aicc_zero_kept"], figures["aicc_real_dropped"] = zero, 1 - real
    print(
        f"  AICc flight test ({reps} runs each, 48 months, flight in months 45-46): a zero effect kept in "
        f"{zero:.1%} of runs (± {1.96 * np.sqrt(zero * (1 - zero) / reps):.1%}; audit: 14.8 %), a real +10 % "
        f"flight dropped in {1 - real:.1%} (± {1.96 * np.sqrt(real * (1 - real) / reps):.1%}; audit: 18.5 %); "
        f"a dropped flight reads 'not distinguishable from no lift' with the lift that could have been seen "
        f"({time.perf_counter() - t0:.0f} s)",
        flush=True,
    )
    return figures


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=400)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--workers", type=int, default=None, help="processes (default: min(2, cores))")
    a = ap.parse_args()
    main(a.reps, a.seed, a.workers)
