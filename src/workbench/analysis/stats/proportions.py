"""Intervals for proportions, shared by every report that shows a rate.

Wilson's score interval rather than the textbook normal ("Wald") one: it stays inside 0..1 and
keeps close to its nominal coverage with the small counts that marketing tables are full of
(a creative with 3 clicks out of 40 impressions), where the Wald interval collapses to zero width.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from workbench.validation import check_fraction

__all__ = [
    "newcombe_interval",
    "relative_lift_interval",
    "two_proportion_z",
    "two_proportion_ztest",
    "wilson_interval",
    "z_value",
]


def z_value(alpha: float = 0.05) -> float:
    """Two-sided standard-normal quantile for a (1 - alpha) interval."""
    check_fraction("alpha", alpha)
    return float(stats.norm.ppf(1 - alpha / 2))


def wilson_interval(successes, n, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray] | tuple[float, float]:
    """Wilson score interval (low, high) for successes out of n; vectorised over arrays.

    n == 0 gives (nan, nan): no data, no interval. Scalars in give floats out.
    """
    z = z_value(alpha)
    s = np.asarray(successes, dtype=float)
    t = np.asarray(n, dtype=float)
    if np.any(t < 0) or np.any(s < 0):
        raise ValueError("successes and n must be non-negative")
    if np.any(s > t):
        raise ValueError("successes must not exceed n")
    with np.errstate(invalid="ignore", divide="ignore"):
        p = s / t
        denom = 1 + z**2 / t
        centre = (p + z**2 / (2 * t)) / denom
        half = z * np.sqrt(p * (1 - p) / t + z**2 / (4 * t**2)) / denom
        low = np.where(t > 0, np.where(s == 0, 0.0, np.clip(centre - half, 0.0, 1.0)), np.nan)
        high = np.where(t > 0, np.where(s == t, 1.0, np.clip(centre + half, 0.0, 1.0)), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def newcombe_interval(successes_t, n_t, successes_c, n_c, alpha: float = 0.05):
    """Newcombe (1998) hybrid score interval, method 10, for the difference p_t − p_c.

    Built from the two Wilson intervals, so it inherits their good behaviour with small counts
    and rates near 0 (a 0.3 % conversion rate), where the Wald difference interval undercovers.
    Vectorised; returns (difference, low, high).
    """
    st, nt, sc, nc = (np.asarray(v, dtype=float) for v in (successes_t, n_t, successes_c, n_c))
    if np.any(nt <= 0) or np.any(nc <= 0):
        raise ValueError("n_t and n_c must be positive")
    pt, pc = st / nt, sc / nc
    lt, ut = wilson_interval(st, nt, alpha)
    lc, uc = wilson_interval(sc, nc, alpha)
    d = pt - pc
    low = d - np.sqrt((pt - lt) ** 2 + (uc - pc) ** 2)
    high = d + np.sqrt((ut - pt) ** 2 + (pc - lc) ** 2)
    if np.ndim(d) == 0:
        return float(d), float(low), float(high)
    return d, low, high


def two_proportion_z(x1, n1, x2, n2) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided pooled two-proportion z-test (as statsmodels' proportions_ztest), vectorised over rows.

    z and p are NaN where a group is empty or the pooled proportion is 0 or 1 (no variation: the test
    cannot judge); callers decide what that means for them (see `two_proportion_ztest`)."""
    x1, n1, x2, n2 = (np.asarray(a, dtype=float) for a in (x1, n1, x2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (x1 + x2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (x1 / n1 - x2 / n2) / se
    z = np.where((n1 > 0) & (n2 > 0) & (se > 0), z, np.nan)
    return z, 2 * stats.norm.sf(np.abs(z))


def two_proportion_ztest(successes_t, n_t, successes_c, n_c) -> tuple[float, float]:
    """One comparison of `two_proportion_z` as floats (z, p); returns (0, 1) when both arms have the same
    0 % or 100 % rate — identical observed rates are no evidence of a difference, which is what an A/B
    verdict needs (an affinity table keeps NaN instead, to show the trait cannot be judged)."""
    st, nt, sc, nc = (float(v) for v in (successes_t, n_t, successes_c, n_c))
    if nt <= 0 or nc <= 0:
        raise ValueError("n_t and n_c must be positive")
    z, p = two_proportion_z([st], [nt], [sc], [nc])
    return (0.0, 1.0) if np.isnan(z[0]) else (float(z[0]), float(p[0]))


def relative_lift_interval(successes_t, n_t, successes_c, n_c, alpha: float = 0.05) -> tuple[float, float, float]:
    """Relative lift p_t / p_c − 1 with a delta-method interval on the log of the ratio.

    The log scale keeps the interval above −100 % and asymmetric like the ratio itself
    (the Katz log interval for a risk ratio). Returns (lift, low, high); nan when a rate is zero.
    """
    st, nt, sc, nc = (float(v) for v in (successes_t, n_t, successes_c, n_c))
    if st <= 0 or sc <= 0:
        return (float(st / nt / (sc / nc) - 1) if sc > 0 else float("nan")), float("nan"), float("nan")
    ratio = (st / nt) / (sc / nc)
    se = np.sqrt(1 / st - 1 / nt + 1 / sc - 1 / nc)
    z = z_value(alpha)
    return float(ratio - 1), float(ratio * np.exp(-z * se) - 1), float(ratio * np.exp(z * se) - 1)
