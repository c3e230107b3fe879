"""Calibration of the best-time recommendation (stats.timing), issue 16.

Claim: when hour × weekday slots do not really differ, no slot is recommended in >= 90 % of
simulations (evidence gate at 0.05); and with a real evening lift the evening slots are named.
Slots: 168 (7 × 24) with sizes following a daily traffic curve (about 10,000 visits), rate 4 %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.stats.timing import best_times

HOURS = np.arange(24)
SIZE = 60 * (0.3 + np.exp(-(((HOURS - 20) / 4.0) ** 2)) + 0.5 * np.exp(-(((HOURS - 12) / 3.0) ** 2)))


def _table(rng: np.random.Generator, rates: np.ndarray) -> pd.DataFrame:
    n = rng.poisson(np.tile(SIZE, 7)) + 1
    k = rng.binomial(n, rates)
    return pd.DataFrame({"weekday": np.arange(168) // 24, "hour": np.arange(168) % 24, "n": n, "successes": k})


def run(sims: int = 300, seed: int = 16) -> dict:
    rng = np.random.default_rng(seed)
    flat, pooled, named = 0, 0, 0
    lift = np.where(np.tile(HOURS, 7) >= 19, 0.08, 0.04)
    for _ in range(sims):
        best = best_times(_table(rng, np.full(168, 0.04)).assign(rate_low=0.0), top=5, evidence_alpha=0.05)
        flat += best.empty
        pooled += best.attrs["prior_a"] + best.attrs["prior_b"] >= 1e8
        real = best_times(_table(rng, lift).assign(rate_low=0.0), top=5, evidence_alpha=0.05)
        named += (not real.empty) and bool((real["hour"] >= 19).all())
    return {"no_recommendation_null": flat / sims, "full_pooling_null": pooled / sims, "evening_named": named / sims}


def main(sims: int = 300, seed: int = 16) -> None:
    r = run(sims, seed)
    print(f"best-time shrinkage ({sims} simulations, 168 slots, 4 % rate)")
    print(f"  claim: no slot recommended under no difference in >= 90 %: measured {r['no_recommendation_null']:.1%}")
    print(f"  exact profile fit finds full pooling under no difference in {r['full_pooling_null']:.0%} (was 4 of 25)")
    print(f"  evenings converting at 8 % vs 4 %: all 5 named slots in the evening in {r['evening_named']:.0%}")


if __name__ == "__main__":
    main()
