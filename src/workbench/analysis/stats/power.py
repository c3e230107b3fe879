"""Power and sample size for comparing two conversion rates (normal approximation, Cohen's h).

Used to say *how many more users* an inconclusive test needs and which effect it could have seen,
so "no significant difference" is never read as "no difference".
"""

from __future__ import annotations

import math

from scipy import stats

from workbench.validation import check_fraction

__all__ = ["achieved_power", "cohens_h", "minimum_detectable_rate", "required_n_per_arm"]


def _check(alpha: float, power: float | None = None) -> None:
    check_fraction("alpha", alpha)
    if power is not None:
        check_fraction("power", power)


def cohens_h(p_t: float, p_c: float) -> float:
    """Effect size h = 2·asin(√p_t) − 2·asin(√p_c) (arcsine variance-stabilised difference)."""
    for name, p in (("p_t", p_t), ("p_c", p_c)):
        if not 0 <= p <= 1:
            raise ValueError(f"{name} must be a proportion in [0, 1]; got {p!r}")
    return 2 * math.asin(math.sqrt(p_t)) - 2 * math.asin(math.sqrt(p_c))


def achieved_power(p_t: float, p_c: float, n_t: float, n_c: float, alpha: float = 0.05) -> float:
    """Probability that a two-sided test at `alpha` detects the difference p_t − p_c with these n."""
    _check(alpha)
    h = abs(cohens_h(p_t, p_c))
    z = stats.norm.ppf(1 - alpha / 2)
    scale = math.sqrt(n_t * n_c / (n_t + n_c))
    return float(stats.norm.sf(z - h * scale) + stats.norm.cdf(-z - h * scale))


def required_n_per_arm(p_t: float, p_c: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Users per arm (equal split) needed to detect p_t vs p_c; inf when the rates are equal."""
    _check(alpha, power)
    h = abs(cohens_h(p_t, p_c))
    if h == 0:
        return math.inf
    z_a, z_b = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    n = 2 * ((z_a + z_b) / h) ** 2
    # refine for the (tiny) far-tail term so the figure matches an exact power solve
    for _ in range(3):
        scale = math.sqrt(n / 2)
        pw = stats.norm.sf(z_a - h * scale) + stats.norm.cdf(-z_a - h * scale)
        dens = stats.norm.pdf(z_a - h * scale) * h / (4 * scale) - stats.norm.pdf(-z_a - h * scale) * h / (4 * scale)
        if dens <= 0:
            break
        n -= (pw - power) / dens
    return float(n)


def minimum_detectable_rate(p_c: float, n_t: float, n_c: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """The treatment rate above p_c that these sample sizes detect with `power` (upwards MDE)."""
    _check(alpha, power)
    z_a, z_b = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    h = (z_a + z_b) / math.sqrt(n_t * n_c / (n_t + n_c))
    angle = min(math.asin(math.sqrt(p_c)) + h / 2, math.pi / 2)
    return float(math.sin(angle) ** 2)
