"""Response curves and marginal return at steady state.

A channel run at a constant S per period settles (normalised adstock) at adstocked spend S, so its
outcome per period is max_effect · hill(S; k, s): the curve the allocation optimises and the chart
shows. Marginal ROAS is its slope at the current spend: the outcome of the next unit of money.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.budget.bootstrap import Bootstrap
from workbench.analysis.budget.decomposition import interval
from workbench.analysis.budget.model import MMMFit
from workbench.analysis.budget.transforms import hill, hill_derivative

__all__ = ["current_spend", "marginal_roas", "marginal_table", "response", "response_curves"]


def current_spend(fit: MMMFit, periods: int = 13) -> np.ndarray:
    """Mean spend per period over the last `periods` periods: the run-rate decisions start from."""
    if periods < 1:
        raise ValueError(f"current_periods must be at least 1; got {periods!r}")
    return fit.spend[-periods:].mean(axis=0)


def response(fit: MMMFit, spend: np.ndarray) -> np.ndarray:
    """Steady-state outcome per period of each channel at spend per period `spend` (C,) or (m, C)."""
    s = np.asarray(spend, dtype=float)
    k = fit.half_saturation
    out = np.stack([hill(s[..., i], k[i], fit.hill_shape[i]) for i in range(len(fit.channels))], axis=-1)
    return out * fit.beta * fit.y_scale


def marginal_roas(fit: MMMFit, spend: np.ndarray) -> np.ndarray:
    """d response / d spend per channel: outcome per extra unit of money at `spend`."""
    s = np.asarray(spend, dtype=float)
    k = fit.half_saturation
    d = np.array([hill_derivative(s[i], k[i], fit.hill_shape[i]) for i in range(len(fit.channels))])
    return d * fit.beta * fit.y_scale


def marginal_table(fit: MMMFit, boot: Bootstrap, periods: int = 13, level: float = 0.9) -> pd.DataFrame:
    """Per channel: current spend per period, steady-state ROAS and marginal ROAS there, with intervals."""
    cur = current_spend(fit, periods)
    m = np.array([marginal_roas(d, cur) for d in boot.draws])
    r = np.array([response(d, cur) for d in boot.draws]) / np.where(cur > 0, cur, np.nan)
    mlo, mhi = interval(m, level)
    rlo, rhi = interval(np.nan_to_num(r), level)
    return pd.DataFrame(
        {
            "channel": fit.channels,
            "current_spend": cur,
            "steady_roas": response(fit, cur) / np.where(cur > 0, cur, np.nan),
            "steady_roas_lower": rlo,
            "steady_roas_upper": rhi,
            "marginal_roas": marginal_roas(fit, cur),
            "marginal_lower": mlo,
            "marginal_upper": mhi,
        }
    )


def response_curves(
    fit: MMMFit, boot: Bootstrap, periods: int = 13, level: float = 0.9, max_multiple: float = 3.0, points: int = 41
) -> pd.DataFrame:
    """Long table channel × spend level (0 to `max_multiple` × the larger of current and average
    spend): response per period with its interval, and the current spend per period."""
    cur = current_spend(fit, periods)
    top = max_multiple * np.maximum(cur, fit.spend_scale)
    grid = np.linspace(0, 1, points)[:, None] * top[None, :]
    point = response(fit, grid)
    lo, hi = interval(np.array([response(d, grid) for d in boot.draws]), level)
    rows = []
    for i, ch in enumerate(fit.channels):
        rows.append(
            pd.DataFrame(
                {
                    "channel": ch,
                    "spend": grid[:, i],
                    "response": point[:, i],
                    "lower": lo[:, i],
                    "upper": hi[:, i],
                    "current_spend": cur[i],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)
