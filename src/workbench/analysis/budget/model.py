"""The media-mix model: outcome = base + trend + seasonality + holidays + controls + media.

    y_t / ȳ = γ·z_t + Σ_c β_c · hill(adstock(x_c / m_c)_t; k_c, s_c) + ε_t

x_c is channel c's spend per period, m_c its mean (so k_c reads "half saturation at k times the
average spend"), z_t the calendar and control columns. Fitted Robyn-style as a regularised
regression with a hyperparameter search, without Nevergrad or a sampler:

1. random search (Latin hypercube) over every channel's adstock and saturation parameters; for
   each candidate the linear part (β ≥ 0, γ free, ridge penalty) is solved exactly with
   ``scipy.optimize.lsq_linear``;
2. the best few candidates are refined jointly (all parameters) with ``scipy.optimize.least_squares``
   under bounds, using a Jacobian that exploits that each channel's parameters touch one column.

Why not a Bayesian model: PyMC-Marketing needs PyMC, PyTensor and a C compiler (hundreds of MB)
and minutes of NUTS sampling per fit on 2 cores; this fit takes well under a second, so the
uncertainty can come from refitting it on block-bootstrapped data (`bootstrap.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.optimize import least_squares, lsq_linear
from scipy.stats import qmc

from workbench.analysis.budget.calendar import fourier_terms, holiday_days
from workbench.analysis.budget.transforms import ADSTOCK_KINDS, lag_stack

__all__ = ["MMMFit", "MMMSpec", "control_design", "fit_mmm", "media_features", "parameter_bounds", "refit"]


@dataclass(frozen=True)
class MMMSpec:
    """How the model is set up; every field has a params key of the same name in the report."""

    adstock: str = "geometric"  # or "weibull" (delayed peak)
    max_lag: int = 13  # periods a spend can still act
    fourier_order: int = 2  # yearly sin/cos pairs
    holiday_countries: tuple[str, ...] = ("RU",)
    trend: bool = True
    ridge: float = 0.01  # penalty on coefficients (outcome scaled to mean 1)
    n_candidates: int = 256  # random-search draws
    n_refine: int = 3  # best draws refined jointly
    seed: int = 0
    decay_max: float = 0.85
    half_bounds: tuple[float, float] = (0.1, 3.0)  # in units of the channel's mean spend
    shape_bounds: tuple[float, float] = (0.5, 3.0)
    prior_sd_log_half: float = 0.7  # weak prior: half saturation near the channel's average spend
    prior_sd_log_shape: float = 0.5  # weak prior: Hill shape near 1 (0 switches the priors off)

    def __post_init__(self) -> None:
        if self.adstock not in ADSTOCK_KINDS:
            raise ValueError(f"adstock must be one of {', '.join(ADSTOCK_KINDS)}; got {self.adstock!r}")
        if int(self.max_lag) < 1:
            raise ValueError(f"max_lag must be at least 1; got {self.max_lag!r}")
        if self.ridge < 0:
            raise ValueError(f"ridge must be 0 or more; got {self.ridge!r}")

    @property
    def n_adstock(self) -> int:
        return 1 if self.adstock == "geometric" else 2


def parameter_bounds(spec: MMMSpec) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of one channel's nonlinear parameters: adstock…, half, shape."""
    if spec.adstock == "geometric":
        lo, hi = [0.0], [spec.decay_max]
    else:  # Weibull shape, scale in periods
        lo, hi = [0.5, 0.5], [5.0, max(1.0, 0.6 * spec.max_lag)]
    lo += [spec.half_bounds[0], spec.shape_bounds[0]]
    hi += [spec.half_bounds[1], spec.shape_bounds[1]]
    return np.array(lo), np.array(hi)


def control_design(
    index: pd.DatetimeIndex, spec: MMMSpec, extra: pd.DataFrame | None = None, origin: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Intercept, trend (years since `origin`), Fourier seasonality, holiday days, extra controls."""
    idx = pd.DatetimeIndex(index)
    origin = idx[0] if origin is None else origin
    parts = [pd.DataFrame({"intercept": np.ones(len(idx))}, index=idx)]
    if spec.trend:
        parts.append(pd.DataFrame({"trend": (idx - origin).days.to_numpy() / 365.25}, index=idx))
    if spec.fourier_order:
        parts.append(fourier_terms(idx, spec.fourier_order))
    freq_days = int(round((idx[1] - idx[0]).days)) if len(idx) > 1 else 7
    if spec.holiday_countries:
        parts.append(holiday_days(idx, list(spec.holiday_countries), freq_days=freq_days))
    if extra is not None and len(extra.columns):
        parts.append(pd.DataFrame({f"control_{c}": extra[c].to_numpy(dtype=float) for c in extra.columns}, index=idx))
    return pd.concat(parts, axis=1)


def control_group(column: str) -> str:
    """Decomposition group of a control column: base, seasonality, holidays or controls."""
    if column in ("intercept", "trend"):
        return "base"
    if column.startswith("season_"):
        return "seasonality"
    if column.startswith("holidays_"):
        return "holidays"
    return "controls"


def media_features(lagged: np.ndarray, phi: np.ndarray, spec: MMMSpec) -> np.ndarray:
    """Saturated media (n, C) from lagged scaled spend (n, L, C) and per-channel params phi (C, p)."""
    L = lagged.shape[1]
    lags = np.arange(L, dtype=float)[:, None]
    if spec.adstock == "geometric":
        w = phi[:, 0][None, :] ** lags  # (L, C); 0**0 = 1
    else:
        shape, scale = phi[:, 0][None, :], phi[:, 1][None, :]
        z = (lags + 1) / scale
        w = shape / scale * z ** (shape - 1) * np.exp(-(z**shape))
        w = np.where(w.sum(axis=0, keepdims=True) > 0, w, np.eye(L, 1))
    w = w / w.sum(axis=0, keepdims=True)
    ad = np.einsum("tlc,lc->tc", lagged, w)
    k = spec.n_adstock
    return _hill_matrix(ad, phi[:, k], phi[:, k + 1])


def _hill_matrix(x: np.ndarray, half: np.ndarray, shape: np.ndarray) -> np.ndarray:
    x = np.maximum(x, 0.0)
    xs = x ** shape[None, :]
    return xs / (xs + half[None, :] ** shape[None, :])


@dataclass
class MMMFit:
    """A fitted model: parameters per channel, coefficients, and what is needed to predict."""

    spec: MMMSpec
    channels: list[str]
    index: pd.DatetimeIndex
    y: np.ndarray
    y_scale: float
    spend: np.ndarray  # (n, C) raw spend
    spend_scale: np.ndarray  # (C,) mean spend per period
    controls: pd.DataFrame  # design of the control part
    phi: np.ndarray  # (C, p): adstock params…, half, shape
    beta: np.ndarray  # (C,) media coefficients (scaled outcome)
    gamma: np.ndarray  # (P,) control coefficients (scaled outcome)
    extra_mean: np.ndarray = field(default_factory=lambda: np.zeros(0))
    extra_std: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cost: float = float("nan")
    prior_w: np.ndarray = field(default_factory=lambda: np.zeros(2))

    @property
    def fitted(self) -> np.ndarray:
        return self.predict_scaled(self.spend, self.controls.to_numpy()) * self.y_scale

    @property
    def residuals(self) -> np.ndarray:
        return self.y - self.fitted

    def predict_scaled(self, spend: np.ndarray, controls: np.ndarray) -> np.ndarray:
        h = media_features(lag_stack(spend / self.spend_scale, self.spec.max_lag), self.phi, self.spec)
        return h @ self.beta + controls @ self.gamma

    def r2(self) -> float:
        """In-sample R² (share of the outcome's variance the model explains)."""
        return float(1 - np.sum(self.residuals**2) / np.sum((self.y - self.y.mean()) ** 2))

    def nrmse(self) -> float:
        """RMSE over the outcome's range, Robyn's fit metric."""
        return float(np.sqrt(np.mean(self.residuals**2)) / (self.y.max() - self.y.min()))

    def mape(self) -> float:
        return float(np.mean(np.abs(self.residuals) / np.abs(self.y)))

    @property
    def half_saturation(self) -> np.ndarray:
        """k_c in money per period (the spend at which a channel reaches half its maximum effect)."""
        return self.phi[:, self.spec.n_adstock] * self.spend_scale

    @property
    def hill_shape(self) -> np.ndarray:
        return self.phi[:, self.spec.n_adstock + 1]

    def params_frame(self) -> pd.DataFrame:
        """One row per channel: adstock parameters, half saturation (money), shape, effect coefficient."""
        names = ["decay"] if self.spec.adstock == "geometric" else ["weibull_shape", "weibull_scale"]
        out = pd.DataFrame(self.phi[:, : self.spec.n_adstock], columns=names, index=self.channels)
        out["half_saturation"] = self.half_saturation
        out["hill_shape"] = self.hill_shape
        out["max_effect"] = self.beta * self.y_scale  # outcome per period at full saturation
        out.index.name = "channel"
        return out


class _Problem:
    """Residuals and Jacobian of the joint least-squares problem (params packed in one vector)."""

    def __init__(self, lagged: np.ndarray, Z: np.ndarray, yn: np.ndarray, spec: MMMSpec) -> None:
        self.lagged, self.Z, self.yn, self.spec = lagged, Z, yn, spec
        self.C = lagged.shape[2]
        self.p = spec.n_adstock + 2
        self.P = Z.shape[1]
        self.sqrt_ridge = np.sqrt(spec.ridge)
        # the intercept is not penalised
        self.pen = np.ones(self.C + self.P)
        self.pen[self.C] = 0.0
        # weak log-normal priors on half saturation and shape (MAP), scaled by the noise level so
        # that they weigh like observations do; set by `set_noise` once the noise is estimated
        self.prior_w = np.zeros(2)
        # prior centres of log half saturation and log shape per channel (2, C): 0 is "the channel's
        # average spend" and "shape 1"; a bootstrap replicate draws them from the prior (see refit)
        self.prior_mu = np.zeros((2, self.C))

    def set_noise(self, noise_sd: float) -> None:
        sd = (self.spec.prior_sd_log_half, self.spec.prior_sd_log_shape)
        self.prior_w = np.array([noise_sd / s if s > 0 else 0.0 for s in sd])

    def _prior_rows(self, phi: np.ndarray) -> np.ndarray:
        k = self.spec.n_adstock
        return np.concatenate(
            [
                self.prior_w[0] * (np.log(phi[:, k]) - self.prior_mu[0]),
                self.prior_w[1] * (np.log(phi[:, k + 1]) - self.prior_mu[1]),
            ]
        )

    def unpack(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        k = self.C * self.p
        return v[:k].reshape(self.C, self.p), v[k : k + self.C], v[k + self.C :]

    def residuals(self, v: np.ndarray) -> np.ndarray:
        phi, beta, gamma = self.unpack(v)
        H = media_features(self.lagged, phi, self.spec)
        r = H @ beta + self.Z @ gamma - self.yn
        return np.concatenate([r, self.sqrt_ridge * self.pen * np.concatenate([beta, gamma]), self._prior_rows(phi)])

    def jacobian(self, v: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        phi, beta, gamma = self.unpack(v)
        n, C, p, P = len(self.yn), self.C, self.p, self.P
        H = media_features(self.lagged, phi, self.spec)
        J = np.zeros((n + C + P + 2 * C, C * p + C + P))
        lo_phi, hi_phi = lo[: C * p].reshape(C, p), hi[: C * p].reshape(C, p)
        for j in range(p):  # perturb parameter j of every channel at once: channel c moves column c only
            h = 1e-6 * (1 + np.abs(phi[:, j]))
            h = np.where(phi[:, j] + h > hi_phi[:, j], -h, h)
            h = np.where(phi[:, j] + h < lo_phi[:, j], 0.5 * (hi_phi[:, j] - lo_phi[:, j]) * 1e-6, h)
            moved = phi.copy()
            moved[:, j] += h
            dH = (media_features(self.lagged, moved, self.spec) - H) / h[None, :]
            J[:n, np.arange(C) * p + j] = dH * beta[None, :]
        J[:n, C * p : C * p + C] = H
        J[:n, C * p + C :] = self.Z
        J[n : n + C + P, C * p :] = np.diag(self.sqrt_ridge * self.pen)
        k = self.spec.n_adstock
        rows = n + C + P + np.arange(C)
        J[rows, np.arange(C) * p + k] = self.prior_w[0] / phi[:, k]
        J[rows + C, np.arange(C) * p + k + 1] = self.prior_w[1] / phi[:, k + 1]
        return J

    def solve_linear(self, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """Exact coefficients for fixed nonlinear params: β ≥ 0, γ free, ridge rows appended."""
        H = media_features(self.lagged, phi, self.spec)
        X = np.hstack([H, self.Z])
        A = np.vstack([X, np.diag(self.sqrt_ridge * self.pen)])
        b = np.concatenate([self.yn, np.zeros(self.C + self.P)])
        lb = np.concatenate([np.zeros(self.C), np.full(self.P, -np.inf)])
        res = lsq_linear(A, b, bounds=(lb, np.full(self.C + self.P, np.inf)), method="bvls")
        prior = float(np.sum(self._prior_rows(phi) ** 2))
        return res.x[: self.C], res.x[self.C :], float(2 * res.cost) + prior


def _validate_inputs(spend: pd.DataFrame, outcome: pd.Series) -> None:
    if len(spend) != len(outcome):
        raise ValueError(f"spend has {len(spend)} periods but the outcome has {len(outcome)}")
    if len(spend) < 20:
        raise ValueError(f"a media-mix model needs at least 20 periods of data; got {len(spend)}")
    bad = [c for c in spend.columns if not np.isfinite(spend[c].to_numpy(dtype=float)).all()]
    if bad:
        raise ValueError(f"spend column(s) {', '.join(bad)} have missing or infinite values")
    neg = [c for c in spend.columns if (spend[c] < 0).any()]
    if neg:
        raise ValueError(f"spend column(s) {', '.join(neg)} have negative values")
    idle = [c for c in spend.columns if spend[c].sum() <= 0]
    if idle:
        raise ValueError(f"channel(s) {', '.join(idle)} have no spend in the modelled period: leave them out")
    y = outcome.to_numpy(dtype=float)
    if not np.isfinite(y).all() or y.mean() <= 0:
        raise ValueError("the outcome must be finite with a positive mean")


def fit_mmm(
    spend: pd.DataFrame,
    outcome: pd.Series,
    spec: MMMSpec | None = None,
    extra_controls: pd.DataFrame | None = None,
) -> MMMFit:
    """Fit the model on aligned per-period spend (columns = channels) and outcome (same index)."""
    spec = spec or MMMSpec()
    _validate_inputs(spend, outcome)
    index = pd.DatetimeIndex(spend.index)
    extra, mean, std = None, np.zeros(0), np.zeros(0)
    if extra_controls is not None and len(extra_controls.columns):
        mean = extra_controls.mean().to_numpy(dtype=float)
        std = extra_controls.std().replace(0, 1).to_numpy(dtype=float)
        extra = (extra_controls - mean) / std
    Zf = control_design(index, spec, extra)
    Zf = Zf.loc[:, (Zf.std() > 0) | (Zf.columns == "intercept")]  # a holiday column of zeros says nothing
    X = spend.to_numpy(dtype=float)
    m = X.mean(axis=0)
    y = outcome.to_numpy(dtype=float)
    ys = float(y.mean())
    prob = _Problem(lag_stack(X / m, spec.max_lag), Zf.to_numpy(), y / ys, spec)
    lo1, hi1 = parameter_bounds(spec)
    C = X.shape[1]
    # 1. random search over the nonlinear parameters, linear part solved exactly for each draw
    draws = qmc.LatinHypercube(d=C * prob.p, seed=spec.seed).random(spec.n_candidates)
    lo_all, hi_all = np.tile(lo1, C), np.tile(hi1, C)
    scored = []
    for u in draws:
        phi = (lo_all + u * (hi_all - lo_all)).reshape(C, prob.p)
        beta, gamma, cost = prob.solve_linear(phi)
        scored.append((cost, phi, beta, gamma))
    scored.sort(key=lambda s: s[0])
    prob.set_noise(float(np.sqrt(scored[0][0] / len(y))))
    scored = [(prob.solve_linear(phi)[2], phi, beta, gamma) for _, phi, beta, gamma in scored[: 4 * spec.n_refine]]
    scored.sort(key=lambda s: s[0])
    # 2. joint refinement of the best draws
    best = None
    for _, phi, beta, gamma in scored[: spec.n_refine]:
        v = _refine(prob, phi, beta, gamma, lo1, hi1)
        if best is None or v[0] < best[0]:
            best = v
    assert best is not None  # n_refine >= 1
    _, phi, beta, gamma = best
    fit = MMMFit(spec, list(spend.columns), index, y, ys, X, m, Zf, phi, beta, gamma, mean, std, best[0])
    fit.prior_w = prob.prior_w
    return fit


def _refine(prob: _Problem, phi, beta, gamma, lo1, hi1, max_nfev: int = 200):
    C, P = prob.C, prob.P
    lo = np.concatenate([np.tile(lo1, C), np.zeros(C), np.full(P, -np.inf)])
    hi = np.concatenate([np.tile(hi1, C), np.full(C, np.inf), np.full(P, np.inf)])
    v0 = np.clip(np.concatenate([phi.ravel(), np.maximum(beta, 1e-9), gamma]), lo, hi)
    res = least_squares(
        prob.residuals,
        v0,
        jac=lambda v: prob.jacobian(v, lo, hi),
        bounds=(lo, hi),
        method="trf",
        max_nfev=max_nfev,
        x_scale="jac",
    )
    phi, beta, gamma = prob.unpack(res.x)
    return float(2 * res.cost), phi.copy(), beta.copy(), gamma.copy()


def refit(
    fit: MMMFit,
    y_new: np.ndarray,
    max_nfev: int = 100,
    rng: np.random.Generator | None = None,
    n_search: int = 0,
) -> MMMFit:
    """The same model refitted on another outcome series (a bootstrap draw).

    With `rng`, the replicate is a randomise-then-optimise draw (randomised maximum likelihood,
    Oliver, He & Reynolds 1996; Bardsley et al. 2014, doi:10.1137/140964023): the priors' centres
    are drawn from the priors themselves as the data are redrawn from the noise, so a parameter the
    data say little about spreads as widely as its prior allows instead of sticking to the estimate.
    With `n_search` > 0 a fresh random search over the bounds gives a second start beside `fit`,
    and the better optimum wins, so replicates can leave the point estimate's basin."""
    lagged = lag_stack(fit.spend / fit.spend_scale, fit.spec.max_lag)
    prob = _Problem(lagged, fit.controls.to_numpy(), np.asarray(y_new, dtype=float) / fit.y_scale, fit.spec)
    prob.prior_w = fit.prior_w
    if rng is not None:
        sd = np.array([fit.spec.prior_sd_log_half, fit.spec.prior_sd_log_shape])[:, None]
        prob.prior_mu = rng.normal(0.0, 1.0, (2, prob.C)) * sd
    lo1, hi1 = parameter_bounds(fit.spec)
    starts = [(fit.phi, fit.beta, fit.gamma)]
    if n_search > 0:
        seed = None if rng is None else int(rng.integers(2**31))
        u = qmc.LatinHypercube(d=prob.C * prob.p, seed=seed).random(n_search)
        lo_all, hi_all = np.tile(lo1, prob.C), np.tile(hi1, prob.C)
        cands = [(lo_all + row * (hi_all - lo_all)).reshape(prob.C, prob.p) for row in u]
        scored = [(prob.solve_linear(phi), phi) for phi in cands]
        (beta, gamma, _), phi = min(scored, key=lambda s: s[0][2])
        starts.append((phi, beta, gamma))
    best = min((_refine(prob, *st, lo1, hi1, max_nfev=max_nfev) for st in starts), key=lambda r: r[0])
    cost, phi, beta, gamma = best
    return replace(fit, y=np.asarray(y_new, dtype=float), phi=phi, beta=beta, gamma=gamma, cost=cost)
