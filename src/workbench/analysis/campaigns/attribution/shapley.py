"""Shapley-value attribution over channel coalitions, computed exactly.

The game: a coalition S of channels "earns" the conversions (and value) of every journey whose
set of channels lies inside S. Each channel's Shapley value is its average marginal contribution
over all orders in which channels could join, so credits always add up to the total conversions
(efficiency) and channels that play identical roles get identical credit (symmetry).
The computation enumerates all 2^n coalitions, so the number of distinct channels is capped
(MAX_CHANNELS); above it the function refuses with a clear message rather than silently
sampling — group rare channels into "other" first.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbench.analysis.campaigns.attribution.rules import PATH_SEPARATOR, validate_paths

__all__ = ["MAX_CHANNELS", "shapley_attribution"]

MAX_CHANNELS = 20


def _subset_sums(weights: np.ndarray, n: int) -> np.ndarray:
    """v(S) = sum of weights[T] over T ⊆ S, for every bitmask S (zeta transform, O(n·2^n))."""
    v = weights.astype(float).copy()
    for i in range(n):
        bit = 1 << i
        idx = np.arange(1 << n)
        has = (idx & bit) != 0
        v[has] += v[idx[has] ^ bit]
    return v


def shapley_attribution(
    paths: pd.DataFrame, sep: str = PATH_SEPARATOR, max_channels: int = MAX_CHANNELS
) -> pd.DataFrame:
    """Exact Shapley credit per channel for conversions and value (paths contract).

    Returns channel, conversions, value (each summing to the totals over the paths).
    """
    p = validate_paths(paths)
    steps = p["path"].str.split(sep, regex=False).explode().str.strip()
    steps = steps[steps.notna() & (steps != "")]
    channels = sorted(steps.unique().tolist())
    n = len(channels)
    if n == 0:
        raise ValueError("paths hold no channels")
    if n > max_channels:
        raise ValueError(
            f"Shapley attribution enumerates 2^n channel coalitions; {n} channels exceed "
            f"max_channels={max_channels}. Group rare channels (e.g. into 'other') first."
        )
    code = {c: i for i, c in enumerate(channels)}
    masks = (np.left_shift(1, steps.map(code).to_numpy(np.int64))).astype(np.int64)
    path_mask = np.zeros(len(p), dtype=np.int64)
    np.bitwise_or.at(path_mask, steps.index.to_numpy(), masks)
    size = 1 << n
    sizes = np.array([bin(s).count("1") for s in range(size)])
    fact = [math.factorial(k) for k in range(n + 1)]
    # weight of a coalition S (not containing i) in i's Shapley sum: |S|! (n-|S|-1)! / n!
    coef = np.array([fact[k] * fact[n - k - 1] / fact[n] if k < n else 0.0 for k in range(n + 1)])
    out = {"channel": channels}
    for col in ("conversions", "value"):
        w = np.bincount(path_mask, weights=p[col].to_numpy(float), minlength=size)
        v = _subset_sums(w, n)
        credit = np.empty(n)
        idx = np.arange(size)
        for i in range(n):
            bit = 1 << i
            without = idx[(idx & bit) == 0]
            credit[i] = float(np.sum(coef[sizes[without]] * (v[without | bit] - v[without])))
        out[col] = credit
    return pd.DataFrame(out)
