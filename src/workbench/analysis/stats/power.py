"""Power and sample size for comparing two conversion rates (normal approximation, Cohen's h).

Used to say which effect a test could have seen and how many users a test at a given split needs
for a *stated* minimum effect, so "no significant difference" is never read as "no difference".
Every function takes the two arms' sizes separately: with 100,000 users in one arm and 2,000 in
the other, the effective size n_t·n_c / (n_t + n_c) is about 1,960, not the average 51,000.
Power is never computed for the *observed* difference (post-hoc power is a restatement of the
p-value, Hoenig & Heisey 2001, doi:10.1198/000313001300339897).
"""

from __future__ import annotations

import math

from scipy import special, stats

from workbench.validation import check_fraction

__all__ = [
    "achieved_power",
    "cohens_h",
    "minimum_detectable_rate",
    "required_n_per_arm",
    "required_total_n",
    "target_rate",
]


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
    """Probability that a two-sided test at `alpha` detects a *stated* difference p_t − p_c with
    these arm sizes (unequal allowed); matches statsmodels' NormalIndPower with ratio = n_c / n_t."""
    _check(alpha)
    h = abs(cohens_h(p_t, p_c))
    z = special.ndtri(1 - alpha / 2)
    scale = math.sqrt(n_t * n_c / (n_t + n_c))
    return float(special.ndtr(h * scale - z) + special.ndtr(-z - h * scale))


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


def _pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def target_rate(p_c: float, min_effect: float, direction: str = "increase") -> float:
    """The treatment rate a relative `min_effect` stands for: p_c·(1 ± min_effect), kept in [0, 1]."""
    if direction not in ("increase", "decrease"):
        raise ValueError(f"direction must be 'increase' or 'decrease'; got {direction!r}")
    if not min_effect > 0:
        raise ValueError(f"min_effect must be a positive relative lift (e.g. 0.05); got {min_effect!r}")
    sign = 1.0 if direction == "increase" else -1.0
    return float(min(max(p_c * (1 + sign * min_effect), 0.0), 1.0))


def required_total_n(
    p_t: float, p_c: float, share_t: float = 0.5, alpha: float = 0.05, power: float = 0.8
) -> tuple[float, float]:
    """Users needed in (treatment, control) when a `share_t` of the pair's users go to treatment.

    Sized for a two-sided test of the stated p_t against p_c (Cohen's h, normal approximation, both
    tails), so an unequal split needs more users in total than an equal one; inf when the rates are equal.
    """
    _check(alpha, power)
    check_fraction("share_t", share_t)
    h = abs(cohens_h(p_t, p_c))
    if h == 0:
        return math.inf, math.inf
    z_a, z_b = special.ndtri(1 - alpha / 2), special.ndtri(power)
    eff = ((z_a + z_b) / h) ** 2  # effective size n_t·n_c/(n_t+n_c) for the near tail alone
    for _ in range(4):  # Newton steps adding the far tail, so power is exact to the normal model
        scale = math.sqrt(eff)
        pw = special.ndtr(h * scale - z_a) + special.ndtr(-z_a - h * scale)
        dens = (_pdf(z_a - h * scale) - _pdf(-z_a - h * scale)) * h / (2 * scale)
        if dens <= 0:
            break
        eff -= (pw - power) / dens
    total = eff / (share_t * (1 - share_t))
    return float(total * share_t), float(total * (1 - share_t))
