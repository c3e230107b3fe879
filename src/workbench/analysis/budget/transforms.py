"""Carry-over (adstock) and diminishing returns (Hill saturation) of media spend.

Adstock spreads a week's spend over the following weeks with weights that sum to one, so it
moves spend in time without changing its total (as PyMC-Marketing's ``normalize=True``); the
effect size then lives in the regression coefficient alone, which keeps decay and effect apart.
Weights are truncated at ``max_lag`` periods (13 weeks by default).

- geometric: w_l ∝ decay**l (Jin et al. 2017, "Bayesian Methods for Media Mix Modeling with
  Carryover and Shape Effects", Google research; Robyn's ``theta``).
- weibull: w_l ∝ Weibull pdf at lag l+1 (Robyn's ``weibull_pdf``): with shape > 1 the effect
  peaks after a delay (TV, outdoor), with shape ≤ 1 it is largest at once and fades.
- hill: x**s / (x**s + k**s), the share of the channel's maximum effect reached at adstocked
  spend x; k is the half-saturation point, s the shape (s > 1: S-curve).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ADSTOCK_KINDS",
    "adstock",
    "adstock_weights",
    "geometric_weights",
    "hill",
    "hill_derivative",
    "lag_stack",
    "weibull_weights",
]

ADSTOCK_KINDS = ("geometric", "weibull")


def geometric_weights(decay: float, max_lag: int = 13) -> np.ndarray:
    """Weights decay**l for l = 0..max_lag-1, normalised to sum to one."""
    if not 0 <= decay < 1:
        raise ValueError(f"adstock decay must be in [0, 1); got {decay!r}")
    w = float(decay) ** np.arange(max_lag)
    return w / w.sum()


def weibull_weights(shape: float, scale: float, max_lag: int = 13) -> np.ndarray:
    """Weibull pdf at lags 1..max_lag (scale in lags), normalised: Robyn's delayed adstock."""
    if shape <= 0 or scale <= 0:
        raise ValueError(f"Weibull adstock shape and scale must be positive; got shape={shape!r}, scale={scale!r}")
    lags = np.arange(1, max_lag + 1, dtype=float)
    z = lags / scale
    w = (shape / scale) * z ** (shape - 1) * np.exp(-(z**shape))
    total = w.sum()
    if not np.isfinite(total) or total <= 0:
        w = np.zeros(max_lag)
        w[0] = 1.0
        return w
    return w / total


def adstock_weights(kind: str, params: tuple[float, ...], max_lag: int = 13) -> np.ndarray:
    """Weights of one channel: geometric takes (decay,), weibull takes (shape, scale)."""
    if kind == "geometric":
        return geometric_weights(params[0], max_lag)
    if kind == "weibull":
        return weibull_weights(params[0], params[1], max_lag)
    raise ValueError(f"adstock must be one of {', '.join(ADSTOCK_KINDS)}; got {kind!r}")


def lag_stack(x: np.ndarray, max_lag: int) -> np.ndarray:
    """(n, max_lag, channels) array of x lagged 0..max_lag-1 periods (zeros before the start)."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n, c = x.shape
    out = np.zeros((n, max_lag, c))
    for lag in range(max_lag):
        out[lag:, lag, :] = x[: n - lag]
    return out


def adstock(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Carried-over spend: y_t = sum_l w_l x_{t-l} (x before the first period counts as zero)."""
    x = np.asarray(x, dtype=float)
    return np.convolve(x, np.asarray(weights, dtype=float))[: len(x)]


def hill(x: np.ndarray, half: float, shape: float) -> np.ndarray:
    """Share of the maximum effect at (adstocked) spend x: x^s / (x^s + half^s), 0 at x = 0."""
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    xs = x**shape
    return xs / (xs + float(half) ** shape)


def hill_derivative(x: np.ndarray, half: float, shape: float) -> np.ndarray:
    """d hill / dx = s k^s x^(s-1) / (x^s + k^s)^2 (the marginal effect of the next unit)."""
    x = np.maximum(np.asarray(x, dtype=float), 1e-12)
    ks = float(half) ** shape
    xs = x**shape
    return shape * ks * x ** (shape - 1) / (xs + ks) ** 2
