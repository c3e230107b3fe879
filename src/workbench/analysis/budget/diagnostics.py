"""How far the model can be trusted: out-of-time holdout error and interval coverage, parameter
stability across bootstrap refits, and the data problems that stop a model from telling channels
apart (spend that moves together, spend that hardly moves)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy.stats import norm

from workbench.analysis.budget.bootstrap import block_bootstrap, block_resample, inflated_residuals
from workbench.analysis.budget.decomposition import interval
from workbench.analysis.budget.model import MMMFit, MMMSpec, control_design, fit_mmm

__all__ = ["holdout_check", "parameter_stability", "prior_share", "spend_warnings"]


def _predict(fit: MMMFit, spend: pd.DataFrame) -> np.ndarray:
    """Outcome over the whole `spend` index (history first, so carry-over enters the new periods)."""
    Z = control_design(pd.DatetimeIndex(spend.index), fit.spec, origin=fit.index[0])
    Z = Z.reindex(columns=fit.controls.columns, fill_value=0.0)
    return fit.predict_scaled(spend.to_numpy(dtype=float), Z.to_numpy()) * fit.y_scale


def holdout_check(
    spend: pd.DataFrame,
    outcome: pd.Series,
    spec: MMMSpec,
    holdout: int = 13,
    n_draws: int = 60,
    level: float = 0.9,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict, MMMFit]:
    """Fit on all but the last `holdout` periods, forecast them from the actual spend, and score:
    MAPE and the share of actual values inside the prediction interval (refit draws + block noise).
    Returns (per-period table, summary, the training fit)."""
    n = len(outcome)
    if not 1 <= holdout <= n - 26:
        raise ValueError(f"holdout_periods must be between 1 and {n - 26} (26 periods are kept to fit); got {holdout}")
    train = fit_mmm(spend.iloc[: n - holdout], outcome.iloc[: n - holdout], spec)
    boot = block_bootstrap(train, n_draws=n_draws, seed=seed)
    rng = np.random.default_rng(seed + 1)
    resid = inflated_residuals(train)
    sims = []
    for d in boot.draws:
        path = _predict(replace(d, spend_scale=train.spend_scale), spend)[n - holdout :]
        sims.append(path + block_resample(resid, boot.block, rng)[:holdout])
    lo, hi = interval(np.array(sims), level)
    pred = _predict(train, spend)[n - holdout :]
    actual = outcome.to_numpy(dtype=float)[n - holdout :]
    table = pd.DataFrame(
        {"actual": actual, "predicted": pred, "lower": lo, "upper": hi}, index=outcome.index[n - holdout :]
    )
    inside = (actual >= lo) & (actual <= hi)
    summary = {
        "periods": int(holdout),
        "mape": float(np.mean(np.abs(actual - pred) / np.abs(actual))),
        "coverage": float(inside.mean()),
        "level": level,
        "train_mape": train.mape(),
        "train_r2": train.r2(),
    }
    return table, summary, train


def prior_share(fit: MMMFit, boot, level: float = 0.9) -> np.ndarray:
    """Per channel: width of the half-saturation interval over refits (log scale) as a share of the
    same-level interval of its prior alone, within the search bounds. Near 1 the data added nothing:
    the refits spread over everything the prior allows."""
    k, sd = fit.spec.n_adstock, fit.spec.prior_sd_log_half
    lo_b, hi_b = np.log(fit.spec.half_bounds)
    z = float(norm.ppf(0.5 + level / 2))
    prior_width = min(hi_b, z * sd) - max(lo_b, -z * sd) if sd > 0 else hi_b - lo_b
    logs = np.log(np.array([d.phi[:, k] for d in boot.draws]))
    lo, hi = interval(logs, level)
    return (hi - lo) / prior_width


def parameter_stability(
    fit: MMMFit,
    boot,
    level: float = 0.9,
    wide: float = 1.0,
    wide_decay: float = 0.5,
    max_prior_share: float = 0.8,
) -> pd.DataFrame:
    """Per channel and parameter: estimate, interval over refits and its width (absolute for the decay,
    relative to the estimate otherwise); `unstable` where the width exceeds `wide` (the data cannot pin
    it down: a decay anywhere in a band 0.5 wide, or an effect whose interval is wider than itself).
    `identified` is False for a half-saturation point whose interval is still at least
    `max_prior_share` of its prior's (`prior_share`): spend never varied enough to show where the
    curve bends, and the interval is the range of values consistent with the data, not an estimate."""
    rows = []
    point = fit.params_frame()
    draws = pd.concat([d.params_frame().assign(draw=i) for i, d in enumerate(boot.draws)])
    shares = dict(zip(fit.channels, prior_share(fit, boot, level), strict=True))
    for ch in fit.channels:
        sub = draws.loc[ch]
        for param in point.columns:
            lo, hi = interval(sub[param].to_numpy(), level)
            est = float(point.loc[ch, param])
            # decay lives in [0, 1): judged on its absolute width, the others relative to the estimate
            width = float(hi - lo) if param == "decay" else (float(hi - lo) / abs(est) if est else float("inf"))
            rows.append(
                {
                    "channel": ch,
                    "parameter": param,
                    "estimate": est,
                    "lower": float(lo),
                    "upper": float(hi),
                    "relative_width": width,
                    "unstable": bool(width > (wide_decay if param == "decay" else wide)),
                    "identified": not (param == "half_saturation" and shares[ch] >= max_prior_share),
                }
            )
    return pd.DataFrame(rows)


def spend_warnings(
    spend: pd.DataFrame, max_correlation: float = 0.7, min_variation: float = 0.15, min_active: float = 0.2
) -> list[dict]:
    """Data problems per channel or pair: {"kind": "collinear", "channels": [a, b], "value": r},
    {"kind": "flat", …, "value": coefficient of variation},
    {"kind": "rare", …, "value": share of periods with spend}."""
    out = []
    cols = list(spend.columns)
    corr = spend.corr().to_numpy()
    for i in range(len(cols)):
        for j in range(i + 1, len(cols)):
            if abs(corr[i, j]) >= max_correlation:
                out.append({"kind": "collinear", "channels": [cols[i], cols[j]], "value": float(corr[i, j])})
    for c in cols:
        x = spend[c].to_numpy(dtype=float)
        active = float((x > 0).mean())
        if active < min_active:
            out.append({"kind": "rare", "channels": [c], "value": active})
            continue
        on = x[x > 0]
        cv = float(on.std() / on.mean()) if on.mean() > 0 else 0.0
        if cv < min_variation and active > 0.95:
            out.append({"kind": "flat", "channels": [c], "value": cv})
    return out
