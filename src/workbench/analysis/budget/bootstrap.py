"""Uncertainty by refitting: a moving-block bootstrap of the residuals (Künsch 1989,
doi:10.1214/aos/1176347265), each draw refitted from the point estimate.

Blocks keep the residuals' autocorrelation (weekly sales errors come in runs), which an ordinary
residual bootstrap would break and so understate the spread. The intervals are conditional on the
model's form (adstock kind, controls); they say how much the estimates move with the noise in
this data, not whether the model is the right one — the holdout check speaks to that.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from workbench.analysis.budget.model import MMMFit, refit

__all__ = ["Bootstrap", "block_bootstrap", "block_resample", "inflated_residuals"]


@dataclass
class Bootstrap:
    """The refitted draws of one model (each an MMMFit sharing the data of the original)."""

    draws: list[MMMFit]
    block: int

    def __len__(self) -> int:
        return len(self.draws)


def inflated_residuals(fit: MMMFit) -> np.ndarray:
    """Centred residuals scaled by sqrt(n / (n - p)): in-sample residuals of a model with p
    parameters are smaller than the noise, and resampling them as they are makes intervals too narrow."""
    n = len(fit.y)
    p = fit.phi.size + fit.beta.size + fit.gamma.size
    r = fit.y - fit.fitted
    return (r - r.mean()) * np.sqrt(n / max(n - p, 1))


def block_resample(residuals: np.ndarray, block: int, rng: np.random.Generator) -> np.ndarray:
    """A circular moving-block resample of `residuals`, same length."""
    n = len(residuals)
    starts = rng.integers(0, n, size=int(np.ceil(n / block)))
    idx = (starts[:, None] + np.arange(block)[None, :]).ravel()[:n] % n
    return residuals[idx]


def block_bootstrap(fit: MMMFit, n_draws: int = 100, block: int | None = None, seed: int = 0) -> Bootstrap:
    """`n_draws` refits on fitted + block-resampled residuals; block length n^(1/3) by default."""
    if n_draws < 2:
        raise ValueError(f"bootstrap_draws must be at least 2; got {n_draws!r}")
    n = len(fit.y)
    block = block or max(2, int(round(n ** (1 / 3))))
    rng = np.random.default_rng(seed)
    fitted = fit.fitted
    resid = inflated_residuals(fit)
    draws = [replace(refit(fit, fitted + block_resample(resid, block, rng)), y=fit.y) for _ in range(n_draws)]
    return Bootstrap(draws, block)
