"""What each part of the model contributed: base, seasonality, holidays, controls and each channel,
per period and in total, with bootstrap intervals; ROAS over the modelled period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.budget.bootstrap import Bootstrap
from workbench.analysis.budget.model import MMMFit, control_group, media_features
from workbench.analysis.budget.transforms import lag_stack
from workbench.validation import check_fraction

__all__ = ["contribution_summary", "contributions_by_period", "interval"]


def interval(samples: np.ndarray, level: float, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Equal-tailed percentile interval of bootstrap samples."""
    level = check_fraction("interval_level", level)
    a = (1 - level) / 2
    return np.quantile(samples, a, axis=axis), np.quantile(samples, 1 - a, axis=axis)


def contributions_by_period(fit: MMMFit) -> pd.DataFrame:
    """Outcome units per period: one column per group (base, seasonality, holidays, controls) and channel."""
    Z = fit.controls
    parts: dict[str, np.ndarray | float] = {}
    for col, g in zip(Z.columns, fit.gamma, strict=True):
        group = control_group(col)
        parts[group] = parts.get(group, 0.0) + Z[col].to_numpy() * g * fit.y_scale
    H = media_features(lag_stack(fit.spend / fit.spend_scale, fit.spec.max_lag), fit.phi, fit.spec)
    for i, ch in enumerate(fit.channels):
        parts[ch] = H[:, i] * fit.beta[i] * fit.y_scale
    return pd.DataFrame(parts, index=fit.index)


def contribution_summary(fit: MMMFit, boot: Bootstrap, level: float = 0.9) -> pd.DataFrame:
    """One row per component: total contribution, share of the outcome, interval; channels add spend
    and ROAS (contribution per unit of spend over the modelled period) with its interval."""
    point = contributions_by_period(fit).sum()
    draws = pd.DataFrame([contributions_by_period(d).sum() for d in boot.draws]).reindex(columns=point.index)
    lo, hi = interval(draws.fillna(0.0).to_numpy(), level)
    total = float(fit.y.sum())
    out = pd.DataFrame(
        {
            "component": point.index,
            "kind": ["channel" if c in fit.channels else "baseline" for c in point.index],
            "contribution": point.to_numpy(),
            "lower": lo,
            "upper": hi,
            "share": point.to_numpy() / total,
        }
    )
    spend = pd.Series(fit.spend.sum(axis=0), index=fit.channels)
    out["spend"] = out["component"].map(spend)
    out["roas"] = out["contribution"] / out["spend"]
    out["roas_lower"] = out["lower"] / out["spend"]
    out["roas_upper"] = out["upper"] / out["spend"]
    return out.reset_index(drop=True)
