"""Where the next budget should go: maximise the fitted steady-state response for a total budget
within per-channel bounds (scipy SLSQP with the analytic gradient, several starts because S-shaped
curves make the problem non-concave), then compare with the current split of the same budget.

The expected outcome is the media-driven outcome (what the channels add over the base); its
interval and the uplift's come from evaluating both splits under every bootstrap draw (paired, so
the uplift's interval is not the difference of two wide intervals).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from workbench.analysis.budget.bootstrap import Bootstrap
from workbench.analysis.budget.decomposition import interval
from workbench.analysis.budget.model import MMMFit
from workbench.analysis.budget.response import current_spend, marginal_roas, response

__all__ = ["channel_bounds", "optimise_allocation", "plan_allocation", "years_plan"]


def channel_bounds(
    channels: list[str], current: np.ndarray, bounds: Mapping[str, list[float]] | None, default: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel (lower, upper) spend per period from multiples of current spend (params `channel_bounds`)."""
    bounds = dict(bounds or {})
    unknown = sorted(set(bounds) - set(channels))
    if unknown:
        raise ValueError(f"channel_bounds: unknown channel(s) {', '.join(unknown)}; channels are {', '.join(channels)}")
    lo, hi = np.empty(len(channels)), np.empty(len(channels))
    for i, ch in enumerate(channels):
        pair = bounds.get(ch, default)
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2 and 0 <= float(pair[0]) <= float(pair[1])):
            raise ValueError(
                f"channel_bounds[{ch!r}] must be [lower, upper] multiples of current spend with 0 ≤ lower ≤ upper; "
                f"got {pair!r}"
            )
        lo[i], hi[i] = float(pair[0]) * current[i], float(pair[1]) * current[i]
    return lo, hi


def optimise_allocation(
    fit: MMMFit, total: float, lower: np.ndarray, upper: np.ndarray, start: np.ndarray | None = None
) -> np.ndarray:
    """Spend per period per channel maximising the summed response, summing to `total`, within bounds."""
    if total < lower.sum() - 1e-6 or total > upper.sum() + 1e-6:
        raise ValueError(
            f"the budget per period {total:,.0f} cannot be split within channel_bounds: they allow "
            f"{lower.sum():,.0f} to {upper.sum():,.0f}; widen the bounds or change the budget"
        )
    scale = max(total, 1.0)

    def neg(u):
        return -response(fit, u * scale).sum() / scale

    def grad(u):
        return -marginal_roas(fit, u * scale)

    cons = {"type": "eq", "fun": lambda u: u.sum() - total / scale, "jac": lambda u: np.ones_like(u)}
    bnds = list(zip(lower / scale, upper / scale, strict=True))
    starts = [_feasible(np.full(len(lower), total / len(lower)), lower, upper, total)]
    if start is not None:
        starts.append(_feasible(np.asarray(start, dtype=float), lower, upper, total))
    starts.append(_feasible(fit.spend_scale * total / fit.spend_scale.sum(), lower, upper, total))
    best = None
    for s in starts:
        res = minimize(
            neg,
            s / scale,
            jac=grad,
            bounds=bnds,
            constraints=[cons],
            method="SLSQP",
            options={"maxiter": 300, "ftol": 1e-12},
        )
        u = np.clip(res.x, lower / scale, upper / scale)
        if best is None or neg(u) < neg(best):
            best = u
    assert best is not None  # starts is never empty
    return best * scale


def _feasible(x: np.ndarray, lower: np.ndarray, upper: np.ndarray, total: float) -> np.ndarray:
    """Project a split onto {lower ≤ x ≤ upper, sum = total} by bisection on a shift."""
    lo, hi = -total - upper.max(), total + upper.max()
    for _ in range(100):
        mid = (lo + hi) / 2
        if np.clip(x + mid, lower, upper).sum() > total:
            hi = mid
        else:
            lo = mid
    return np.clip(x + (lo + hi) / 2, lower, upper)


def plan_allocation(
    fit: MMMFit,
    boot: Bootstrap,
    budget: float,
    periods: int,
    bounds: Mapping[str, list[float]] | None = None,
    default_bounds: tuple[float, float] = (0.5, 2.0),
    current_periods: int = 13,
    level: float = 0.9,
) -> tuple[pd.DataFrame, dict]:
    """Optimal and current split of `budget` over `periods` periods, and the expected media-driven
    outcome of each with intervals; returns (per-channel table, summary dict)."""
    if budget <= 0 or periods < 1:
        raise ValueError(f"budget must be positive and plan_periods at least 1; got {budget!r}, {periods!r}")
    cur = current_spend(fit, current_periods)
    if cur.sum() <= 0:
        raise ValueError("no spend in the current period: the current split is undefined")
    per = budget / periods
    base_split = cur / cur.sum() * per  # the current shares, scaled to the new budget
    lo, hi = channel_bounds(fit.channels, cur * per / cur.sum(), bounds, default_bounds)
    best = optimise_allocation(fit, per, lo, hi, start=base_split)
    r_opt, r_cur = response(fit, best) * periods, response(fit, base_split) * periods
    d_opt = np.array([response(d, best) for d in boot.draws]) * periods
    d_cur = np.array([response(d, base_split) for d in boot.draws]) * periods
    olo, ohi = interval(d_opt, level)
    table = pd.DataFrame(
        {
            "channel": fit.channels,
            "current_split": base_split * periods,
            "optimal": best * periods,
            "change": best / np.where(base_split > 0, base_split, np.nan) - 1,
            "outcome_current": r_cur,
            "outcome_optimal": r_opt,
            "outcome_lower": olo,
            "outcome_upper": ohi,
            "marginal_roas_optimal": marginal_roas(fit, best),
        }
    )
    up = d_opt.sum(axis=1) - d_cur.sum(axis=1)
    tlo, thi = interval(d_opt.sum(axis=1), level)
    clo, chi = interval(d_cur.sum(axis=1), level)
    ulo, uhi = interval(up, level)
    summary = {
        "budget": float(budget),
        "periods": int(periods),
        "outcome_current": float(r_cur.sum()),
        "outcome_current_interval": [float(clo), float(chi)],
        "outcome_optimal": float(r_opt.sum()),
        "outcome_optimal_interval": [float(tlo), float(thi)],
        "uplift": float(r_opt.sum() - r_cur.sum()),
        "uplift_interval": [float(ulo), float(uhi)],
        "uplift_share": float((r_opt.sum() - r_cur.sum()) / r_cur.sum()) if r_cur.sum() > 0 else float("nan"),
        "level": level,
    }
    return table, summary


def years_plan(
    fit: MMMFit,
    boot: Bootstrap,
    budgets: Mapping[str, float],
    periods_per_year: int = 52,
    bounds: Mapping[str, list[float]] | None = None,
    default_bounds: tuple[float, float] = (0.5, 2.0),
    current_periods: int = 13,
    level: float = 0.9,
) -> tuple[pd.DataFrame, dict]:
    """The allocation for each year's budget of a multi-year plan ({"2027": 40e6, …}); returns a long
    table (year, channel, budget, expected outcome…) and {year: summary}. The response curves are
    today's: a plan that changes creatives, prices or markets changes them too."""
    if not budgets:
        raise ValueError("plan_budgets is empty: give at least one {year: total budget}")
    tables, summaries = [], {}
    for year, total in budgets.items():
        try:
            amount = float(total)
        except (TypeError, ValueError):
            raise ValueError(f"plan_budgets[{year!r}] must be a number; got {total!r}") from None
        t, s = plan_allocation(fit, boot, amount, periods_per_year, bounds, default_bounds, current_periods, level)
        tables.append(t.assign(year=str(year)))
        summaries[str(year)] = s
    return pd.concat(tables, ignore_index=True), summaries
