"""Shapley-value attribution over channel coalitions, computed exactly, in two games.

``game="conversions"``: a coalition S of channels "earns" the conversions (and value) of every
journey whose set of channels lies inside S. This game is a sum of unanimity games, so each
channel's Shapley value is *exactly an equal split of each journey's conversions among its
distinct channels* (Zhao, Mahboobi & Bagheri 2018, "Shapley value methods for attribution
modeling in online advertising", arXiv:1804.05327, simplified formula); non-conversions are
never read. The report says so.

``game="conversion_rate"``: the same construction with each channel set's *conversion rate*
(conversions / (conversions + non-conversions) of the journeys whose distinct channels are
exactly that set) as the worth it adds, the KPI choice Zhao et al. describe for the
characteristic function: v(S) = Σ_{T ⊆ S} rate(T). Channel sets that convert better earn more,
channel sets seen often without converting earn less, so non-conversions count. The Shapley
values are then scaled to the total conversions (and value) so that both games read in the same
unit. Without non-conversions every rate is 1 and the variant refuses to run.

Credits always add up to the total (efficiency) and channels that play identical roles get
identical credit (symmetry).
The computation enumerates all 2^n coalitions, so the number of distinct channels is capped
(MAX_CHANNELS); above it the function refuses with a clear message rather than silently
sampling — group rare channels into "other" first.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbench.analysis.campaigns.attribution.rules import PATH_SEPARATOR, validate_paths

__all__ = ["GAMES", "MAX_CHANNELS", "shapley_attribution"]

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


GAMES = ("conversions", "conversion_rate")


def _shapley_from_worths(w: np.ndarray, n: int) -> np.ndarray:
    """Shapley values of the game v(S) = Σ_{T ⊆ S} w[T] (w indexed by bitmask), exactly."""
    size = 1 << n
    sizes = np.array([bin(s).count("1") for s in range(size)])
    fact = [math.factorial(k) for k in range(n + 1)]
    # weight of a coalition S (not containing i) in i's Shapley sum: |S|! (n-|S|-1)! / n!
    coef = np.array([fact[k] * fact[n - k - 1] / fact[n] if k < n else 0.0 for k in range(n + 1)])
    v = _subset_sums(w, n)
    credit = np.empty(n)
    idx = np.arange(size)
    for i in range(n):
        bit = 1 << i
        without = idx[(idx & bit) == 0]
        credit[i] = float(np.sum(coef[sizes[without]] * (v[without | bit] - v[without])))
    return credit


def shapley_attribution(
    paths: pd.DataFrame, sep: str = PATH_SEPARATOR, max_channels: int = MAX_CHANNELS, game: str = "conversions"
) -> pd.DataFrame:
    """Exact Shapley credit per channel for conversions and value (paths contract).

    game: "conversions" (equal split of each journey among its channels) or "conversion_rate"
    (worth of a channel set = its conversion rate; needs non_conversions). Returns channel,
    conversions, value (each summing to the totals over the paths).
    """
    if game not in GAMES:
        raise ValueError(f"game must be one of {', '.join(GAMES)}; got {game!r}")
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
    if game == "conversions":
        out = {"channel": channels}
        for col in ("conversions", "value"):
            out[col] = _shapley_from_worths(np.bincount(path_mask, weights=p[col].to_numpy(float), minlength=size), n)
        return pd.DataFrame(out)
    if p["non_conversions"].sum() <= 0:
        raise ValueError(
            "the conversion-rate Shapley game needs non_conversions (journeys that did not convert): "
            "without them every channel set converts 100 % of the time"
        )
    conv = np.bincount(path_mask, weights=p["conversions"].to_numpy(float), minlength=size)
    seen = conv + np.bincount(path_mask, weights=p["non_conversions"].to_numpy(float), minlength=size)
    rate = np.divide(conv, seen, out=np.zeros(size), where=seen > 0)
    phi = _shapley_from_worths(rate, n)
    share = phi / phi.sum() if phi.sum() > 0 else np.zeros(n)
    return pd.DataFrame(
        {"channel": channels, "conversions": share * p["conversions"].sum(), "value": share * p["value"].sum()}
    )
