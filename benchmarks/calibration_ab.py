"""Calibration of the A/B verdicts: how often each reading is wrong on simulated tests.

Every claim the post-mortem's A/B section can print is checked against tests whose truth is known
(seeded, a few seconds). Printed next to each claim: the nominal rate and the measured one with its
Monte-Carlo standard error.

1. A/A tests (2 arms, no effect): "ship" is declared at most `alpha` of the time (two-sided test,
   so about alpha / 2 for the upward "winner").
2. A/A/A tests (3 arms, Holm across the 2 treatments): "ship" for any arm at most `alpha`.
3. A true lift exactly at min_effect (+5 %), 60,000 users per arm at 10 % (wide enough an interval
   for the reading to be possible): "no effect of 5 % or more" printed at most alpha / 2 of the time
   (it needs the whole interval below +5 %).
4. The lift interval's coverage of the true lift at 1 − alpha (nominal 95 %).
5. An unequal split (10 % / 90 %) under no effect: still at most `alpha` "ship".

Run: .venv/bin/python benchmarks/calibration_ab.py [--sims 300] [--seed 7]
(1,500 analyses; 97 s on a 2-core machine at load 9, a fraction of that when quiet; --sims 5000
for tighter figures.)
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

from workbench.analysis.campaigns.experiments import analyse_experiment


def _simulate(rng, rates: dict, units: dict, **kw):
    conv = {v: int(rng.binomial(units[v], p)) for v, p in rates.items()}
    frame = pd.DataFrame(
        {"variant": list(rates), "units": [units[v] for v in rates], "conversions": [conv[v] for v in rates]}
    )
    split = {v: units[v] for v in rates}
    return analyse_experiment(frame, control="control", planned_split=split, **kw)


def _rate(hits: int, n: int) -> str:
    p = hits / n
    return f"{p:.2%} ± {math.sqrt(p * (1 - p) / n):.2%}"


def scenario(rng, sims: int, rates: dict, units: dict, check, **kw) -> int:
    return sum(bool(check(_simulate(rng, rates, units, **kw))) for _ in range(sims))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sims", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    alpha, me, n = 0.05, 0.05, args.sims
    t0 = time.perf_counter()
    rows = []

    ships = scenario(
        rng,
        n,
        {"control": 0.05, "b": 0.05},
        {"control": 5000, "b": 5000},
        lambda r: r.verdict.startswith("ship"),
        alpha=alpha,
        min_effect=me,
    )
    rows.append(
        ("A/A, 2 arms × 5,000, p = 5 %: 'ship' declared", f"≤ {alpha:.0%} (≈ {alpha / 2:.1%})", _rate(ships, n))
    )

    three = {"control": 0.05, "b": 0.05, "c": 0.05}
    ships3 = scenario(
        rng, n, three, dict.fromkeys(three, 5000), lambda r: r.verdict.startswith("ship"), alpha=alpha, min_effect=me
    )
    rows.append(("A/A/A, Holm over 2 treatments: any 'ship'", f"≤ {alpha:.0%}", _rate(ships3, n)))

    big = {"control": 60_000, "b": 60_000}  # interval half-width > min_effect / 2, so the reading is possible
    no_eff = scenario(
        rng,
        n,
        {"control": 0.10, "b": 0.105},
        big,
        lambda r: r.verdict.startswith("no effect"),
        alpha=alpha,
        min_effect=me,
    )
    rows.append(("true lift = +5 % = min_effect: 'no effect of 5% or more'", f"≤ {alpha / 2:.1%}", _rate(no_eff, n)))

    def covers(r):
        row = r.comparisons.iloc[0]
        return row["lift_low"] <= 0.05 <= row["lift_high"]

    cover = scenario(rng, n, {"control": 0.10, "b": 0.105}, {"control": 20_000, "b": 20_000}, covers, alpha=alpha)
    rows.append(("lift interval covers the true +5 % lift", f"{1 - alpha:.0%}", _rate(cover, n)))

    uneq = scenario(
        rng,
        n,
        {"control": 0.05, "b": 0.05},
        {"control": 18_000, "b": 2_000},
        lambda r: r.verdict.startswith("ship"),
        alpha=alpha,
        min_effect=me,
    )
    rows.append(("A/A, unequal split 90/10: 'ship' declared", f"≤ {alpha:.0%}", _rate(uneq, n)))

    width = max(len(r[0]) for r in rows)
    print(f"A/B verdict calibration: {n:,} simulated tests per line, seed {args.seed}, alpha {alpha:.0%}")
    print(f"{'claim'.ljust(width)}  {'nominal':>14}  measured")
    for claim, nominal, measured in rows:
        print(f"{claim.ljust(width)}  {nominal:>14}  {measured}")
    print(f"({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
