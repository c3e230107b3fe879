"""Monthly forecasts with an interval, for "where will we be at the end of the period?".

Model choice (stated once, here, and repeated in every result's ``spec`` and ``note``):

* At least two full seasons (24 months): SARIMA(0,1,1)(0,1,1)12, Box & Jenkins' "airline model".
  Three parameters (two moving-average terms and the error variance) on top of a regular and a
  seasonal difference: the trend and the seasonal pattern are allowed to drift, which suits
  marketing series, and with so few parameters two or three years of months are enough. In our
  simulations (tests/analysis/performance/test_forecast.py) its 90% intervals covered 84-86% of outcomes
  with 2.5-4 years of history, where exponential smoothing with a damped trend and 17 fitted
  initial states covered 57-74% and took 10-60x longer to fit.
* 10-23 months: no seasonal term (it cannot be told apart from noise in under two seasons; the
  result says so): ARIMA(0,1,1) with drift — exponential smoothing plus a linear trend.
* 4-9 months: ARIMA(0,1,1) without drift (simple exponential smoothing, level only).
* Fewer than 4 months is refused.
* ``log=True`` fits on log values (the seasonal swing becomes proportional to the level and
  forecasts stay positive); point forecasts are then medians, intervals exact quantiles. It needs
  strictly positive values; otherwise the series is fitted as-is and the note says so.
* Intervals include the uncertainty of the estimated parameters. Gaussian prediction intervals
  with the parameters treated as known covered 73-75 % of outcomes at a nominal 80 % in airline-model
  replications with 3-4 years of history (issue 16). The intervals are therefore quantiles of
  simulated future paths in which each batch of paths uses parameters drawn from their posterior:
  the MA coefficients from their likelihood over the invertible region (flat prior, σ² integrated
  out), tabulated on a grid; the innovation variance given them from a scaled inverse chi-square
  (flat prior on log σ); event and drift coefficients held at their estimates. The asymptotic
  normal of the MLE, used before, is useless when the seasonal MA estimate sits near −1, as it
  often does with 2-4 seasons (standard errors of 4-10), and left 12-month totals at 76.8 % / 75.2 %.
  benchmarks/calibration_forecast.py measures the coverage (2026-12-02, 80 % intervals,
  1,000 airline-model replications per history length): monthly values 79.8 % (36 months of
  history) and 78.2 % (48 months); 12-month totals 79.2 % and 78.7 %; see benchmarks/README.md.

Known one-off events (a campaign flight) can be given as regressors, ``events``: one column per
event, the share of each month's days it was live. The model is then a regression with SARIMA
errors (Box & Tiao's intervention analysis), y_t = sum_k beta_k x_kt + u_t: the flight's lift is
estimated as its own effect instead of being read as a new level, and the forecast uses the
events' future values (0 once a flight is over). Caveat, stated in ``note``: the effect is
estimated from the flight's own months only, and the forecast assumes the flight ends when its
last day in the data says it does.

Totals over several future months (a quarter's revenue) are not the sum of monthly interval
bounds: the monthly errors are correlated. Their intervals come from simulated sample paths of
the fitted model (fixed seed, so reports are reproducible).
"""

from __future__ import annotations

import contextlib
import dataclasses
import warnings
from typing import Any

import numpy as np
import pandas as pd

from workbench.analysis.stats.periods import monthly_frame
from workbench.memo import memoized
from workbench.validation import check_fraction

__all__ = [
    "MIN_OBS",
    "MIN_OBS_TREND",
    "MIN_SEASONS",
    "ForecastResult",
    "ModelSpec",
    "choose_spec",
    "fit_forecast",
    "flight_regressors",
    "monthly_series",
]

MIN_OBS = 4


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """The Kalman filter multiplies tiny matrices; multi-threaded BLAS only adds contention
    (a 40x slow-down measured on a busy 2-core machine). threadpoolctl comes with scikit-learn."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn (a dependency) installs it
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


MIN_OBS_TREND = 10
MIN_SEASONS = 2  # full seasons of history needed before a seasonal term is fitted


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    order: tuple[int, int, int]
    seasonal_order: tuple[int, int, int, int]
    trend: str | None  # "t" = drift (a constant in the differenced series)
    log: bool
    note: str

    @property
    def label(self) -> str:
        p, d, q = self.order
        text = f"ARIMA({p},{d},{q})"
        if self.seasonal_order[3]:
            P, D, Q, m = self.seasonal_order
            text = f"SARIMA({p},{d},{q})({P},{D},{Q}){m}"
        if self.trend:
            text += " with drift"
        return text + (" on log values" if self.log else "")


def choose_spec(n_obs: int, seasonal_periods: int = 12, log: bool = False, positive: bool = True) -> ModelSpec:
    """The model the history can support (see the module docstring for the rule)."""
    if not isinstance(seasonal_periods, (int, np.integer)) or seasonal_periods < 2:
        raise ValueError(f"seasonal_periods must be an integer >= 2; got {seasonal_periods!r}")
    if n_obs < MIN_OBS:
        raise ValueError(f"a forecast needs at least {MIN_OBS} months of history; got {n_obs}")
    notes = []
    use_log = bool(log)
    if log and not positive:
        use_log = False
        notes.append("series has zero or negative values: fitted on the original scale, not log")
    if n_obs >= MIN_SEASONS * seasonal_periods:
        return ModelSpec((0, 1, 1), (0, 1, 1, int(seasonal_periods)), None, use_log, "; ".join(notes))
    notes.insert(
        0, f"only {n_obs} months of history (< {MIN_SEASONS * seasonal_periods}, two seasons): no seasonal term"
    )
    if n_obs >= MIN_OBS_TREND:
        return ModelSpec((0, 1, 1), (0, 0, 0, 0), "t", use_log, "; ".join(notes))
    notes.insert(1, f"under {MIN_OBS_TREND} months: no trend term, level only")
    return ModelSpec((0, 1, 1), (0, 0, 0, 0), None, use_log, "; ".join(notes))


@dataclasses.dataclass
class ForecastResult:
    """A fitted model and its forecast.

    ``forecast`` has one row per future month (PeriodIndex) with columns mean, lower, upper.
    ``spec`` names the model, ``note`` says why it is simpler than the full one (or "").
    ``effects``: event -> estimated effect of a fully live month (relative, e.g. 2.5 = +250%, on
    log models; absolute units otherwise), empty without events.
    """

    spec: str
    note: str
    level: float
    history: pd.Series
    forecast: pd.DataFrame
    effects: dict[str, float] = dataclasses.field(default_factory=dict)
    _results: Any = dataclasses.field(repr=False, default=None)
    _log: bool = dataclasses.field(repr=False, default=False)
    _future_exog: Any = dataclasses.field(repr=False, default=None)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the fitted model as its recipe (data, orders, parameters), not as statsmodels'
        objects: an unpickled SARIMAX state space does not reproduce its own likelihood (measured
        on statsmodels 0.14/0.15: 88.62 → 85.43 at the same parameters), so the build-wide memo
        (workbench.memo) handed the second report of a plan different simulated intervals."""
        state = dict(self.__dict__)
        results = state.pop("_results")
        if results is not None:
            model = results.model
            state["_recipe"] = {
                "endog": model.data.orig_endog,
                "exog": model.data.orig_exog,
                "order": model.order,
                "seasonal_order": model.seasonal_order,
                "trend": model.trend,
                "params": np.asarray(results.params, dtype=float),
                "cov_type": results.cov_type,
            }
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        recipe = state.pop("_recipe", None)
        self.__dict__.update(state)
        self._results = None
        if recipe is not None:
            from statsmodels.tsa.statespace.sarimax import SARIMAX

            params, cov_type = recipe.pop("params"), recipe.pop("cov_type")
            model = SARIMAX(recipe.pop("endog"), exog=recipe.pop("exog"), **recipe)
            with warnings.catch_warnings(), _one_blas_thread():
                warnings.simplefilter("ignore")
                self._results = model.filter(params, cov_type=cov_type)

    def simulate_paths(self, horizon: int | None = None, repetitions: int = 2000, seed: int = 0) -> np.ndarray:
        """Simulated future paths, shape (horizon, repetitions), on the original scale, with
        parameter uncertainty (see the module docstring)."""
        horizon = len(self.forecast) if horizon is None else int(horizon)
        if horizon < 1:
            return np.zeros((0, repetitions))
        exog = None if self._future_exog is None else self._future_exog[:horizon]
        with _one_blas_thread():
            sims = simulate_with_parameter_uncertainty(self._results, horizon, repetitions, exog, seed)
        return np.exp(sims) if self._log else sims

    def total(self, horizon: int | None = None, repetitions: int = 2000, seed: int = 0) -> tuple[float, float, float]:
        """(point, lower, upper) of the sum of the next `horizon` months.

        Point: sum of the monthly point forecasts; interval: quantiles of simulated path sums.
        """
        horizon = len(self.forecast) if horizon is None else int(horizon)
        if horizon == 0:
            return 0.0, 0.0, 0.0
        if horizon > len(self.forecast):
            raise ValueError(f"horizon must be <= {len(self.forecast)} (the fitted horizon); got {horizon}")
        sums = self.simulate_paths(horizon, repetitions, seed).sum(axis=0)
        a = (1 - self.level) / 2
        return (
            float(self.forecast["mean"].iloc[:horizon].sum()),
            float(np.quantile(sums, a)),
            float(np.quantile(sums, 1 - a)),
        )


PARAM_DRAWS = 20  # parameter draws per simulation; each costs one Kalman filter pass
GRID_CELLS = {1: 64, 2: 16}  # cells per MA coefficient of the posterior grid (64 or 16 x 16 likelihoods)


def _parameter_draws(results: Any, draws: int, rng: np.random.Generator) -> list[np.ndarray]:
    """`draws` parameter vectors from their posterior: MA coefficients from the likelihood over
    the invertible region (flat prior), σ² given them from a scaled inverse χ² (flat prior on
    log σ); event and drift coefficients held at their estimates (see the module docstring)."""
    names = list(results.model.param_names)
    isig = names.index("sigma2")
    arma = [i for i, n in enumerate(names) if n.startswith(("ma.", "ar."))]
    n_eff = int(results.nobs - results.loglikelihood_burn)
    df = max(n_eff - (len(names) - 1 - len(arma)), 2)
    if arma and len(arma) <= 2 and all(names[i].startswith("ma.") for i in arma):
        return _grid_posterior_draws(results, arma, isig, n_eff, df, draws, rng)
    return _normal_draws(results, arma, isig, n_eff, df, draws, rng)


def _ma_posterior(results: Any, ma: list[int], isig: int) -> tuple[Any, np.ndarray, list[int], np.ndarray, np.ndarray]:
    """The MA coefficients' posterior on a grid over (−1, 1)^k, computed once per fitted model.

    The likelihood with σ² concentrated out equals, up to a constant, the likelihood with σ²
    integrated out under the prior 1/σ², so at the cell centres it gives the marginal posterior of
    the MA coefficients under a flat prior on the invertible region (a midpoint-rule density,
    constant within each cell). Returns the concentrated model, the parameter vector it takes, the
    MA positions in it, the cell centres and their probabilities.
    """
    cached = getattr(results, "_wb_ma_posterior", None)
    if cached is not None:
        return cached
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    model = results.model
    params = np.asarray(results.params, dtype=float)
    conc = SARIMAX(
        model.data.orig_endog,
        exog=model.data.orig_exog,
        order=model.order,
        seasonal_order=model.seasonal_order,
        trend=model.trend,
        concentrate_scale=True,
    )
    keep = [i for i in range(len(params)) if i != isig]  # the concentrated model has no sigma2
    pos = [keep.index(i) for i in ma]
    cells = GRID_CELLS[len(ma)]
    mids = np.linspace(-1.0, 1.0, cells + 1)[:-1] + 1.0 / cells
    centres = np.stack(np.meshgrid(*[mids] * len(ma), indexing="ij"), -1).reshape(-1, len(ma))
    base = params[keep]
    ll = np.empty(len(centres))
    for j, pt in enumerate(centres):
        base[pos] = pt
        ll[j] = conc.loglike(base)
    ok = np.isfinite(ll)
    if not ok.any():
        raise ValueError("the forecast model's likelihood is not finite anywhere on the invertible region")
    w = np.where(ok, np.exp(ll - ll[ok].max()), 0.0)
    out = (conc, base, pos, centres, w / w.sum())
    results._wb_ma_posterior = out
    return out


def _grid_posterior_draws(
    results: Any, ma: list[int], isig: int, n_eff: int, df: int, draws: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """MA coefficients drawn from their grid posterior (a cell by its probability, systematic
    resampling; then a uniform point inside it), σ² given them from a scaled inverse χ².

    Why not the asymptotic normal of the MLE: with 2-4 seasons the seasonal MA estimate often sits
    at the −1 boundary, where that normal says the seasonal pattern is known almost exactly; with
    it the 12-month totals covered 75-77 % at a nominal 80 % (benchmarks/README.md).
    """
    conc, base, pos, centres, prob = _ma_posterior(results, ma, isig)
    params = np.asarray(results.params, dtype=float)
    half = 1.0 / GRID_CELLS[len(ma)]
    picks = np.searchsorted(np.cumsum(prob), (rng.uniform() + np.arange(draws)) / draws)
    out = []
    for j in np.minimum(picks, len(centres) - 1):
        point = np.clip(centres[j] + rng.uniform(-half, half, len(ma)), -0.995, 0.995)
        base = base.copy()
        base[pos] = point
        scale = float(conc.filter(base, cov_type="none", return_ssm=True).scale)
        q = params.copy()
        q[ma] = point
        q[isig] = scale * n_eff / rng.chisquare(df)
        out.append(q)
    return out


def _normal_draws(
    results: Any, arma: list[int], isig: int, n_eff: int, df: int, draws: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """Models with AR terms or more than two MA terms (not chosen by choose_spec): ARMA
    coefficients from the asymptotic normal of the MLE, invertible / stationary draws only."""
    params = np.asarray(results.params, dtype=float)
    cov = np.asarray(results.cov_params(), dtype=float)[np.ix_(arma, arma)]
    usable = bool(arma) and np.isfinite(cov).all() and np.all(np.linalg.eigvalsh((cov + cov.T) / 2) >= -1e-12)
    out = []
    for _ in range(draws):
        q = params.copy()
        for _ in range(20 if usable else 0):
            d = rng.multivariate_normal(params[arma], cov, method="eigh")
            if np.all(np.abs(d) < 0.99):
                q[arma] = d
                break
        q[isig] = params[isig] * n_eff / rng.chisquare(df)
        out.append(q)
    return out


def simulate_with_parameter_uncertainty(
    results: Any, horizon: int, repetitions: int, exog: np.ndarray | None = None, seed: int = 0
) -> np.ndarray:
    """Future paths (horizon, repetitions) of a fitted SARIMAX, batches under drawn parameters."""
    rng = np.random.default_rng(seed)
    draws = max(1, min(PARAM_DRAWS, repetitions))
    sizes = np.full(draws, repetitions // draws)
    sizes[: repetitions % draws] += 1
    batches = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for q, k in zip(_parameter_draws(results, draws, rng), sizes, strict=True):
            batches.append(_simulate_from_end(results.model, q, horizon, int(k), exog, rng))
    return np.hstack(batches)


def _simulate_from_end(model: Any, params: np.ndarray, horizon: int, k: int, exog: Any, rng: Any) -> np.ndarray:
    """``model.filter(params).simulate(horizon, anchor="end", repetitions=k, exog=exog, rng=rng)``,
    shape (horizon, k), vectorised over the repetitions.

    statsmodels (0.15) loops in Python over repetitions, one simulation-smoother call each, which
    made the simulation 80 % of a forecast's run time. This takes the same random draws in the same
    order (initial states from the predicted state at the end of the sample; then per repetition
    the measurement shocks, then the state shocks) through the same recursion, so the paths equal
    statsmodels' up to floating-point rounding (tests/analysis/performance/test_forecast.py checks
    it). Models with more than one observed series or state shock use statsmodels' own loop.
    """
    if model.k_endog != 1 or model.ssm.k_posdef != 1 or model.ssm.filter_concentrated:
        sim = model.filter(params).simulate(horizon, anchor="end", repetitions=k, exog=exog, rng=rng)
        return np.asarray(sim, dtype=float).reshape(horizon, k)
    filtered = model.filter(params, cov_type="none", return_ssm=True)
    nobs = model.nobs
    states = rng.multivariate_normal(
        filtered.predicted_state[:, nobs], filtered.predicted_state_cov[:, :, nobs], size=k
    ).T
    extra = {}
    if model.exog is not None or not model.ssm.time_invariant:
        extra = model._get_extension_time_varying_matrices(params, exog, horizon, transformed=True, includes_fixed=True)
    ext = model.ssm.extend(np.zeros((horizon, 1)), start=nobs, end=nobs, **extra)
    shocks = rng.standard_normal((k, 2, horizon))  # per repetition: measurement shocks, then state shocks

    def at(name: str, t: int) -> np.ndarray:
        m = np.asarray(getattr(ext, name))
        return m[..., t] if m.shape[-1] > 1 else m[..., 0]

    out = np.empty((horizon, k))
    for t in range(horizon):
        h_sd = np.sqrt(at("obs_cov", t)[0, 0])
        q_sd = np.sqrt(at("state_cov", t)[0, 0])
        out[t] = at("obs_intercept", t)[0] + at("design", t)[0] @ states + h_sd * shocks[:, 0, t]
        states = at("state_intercept", t)[:, None] + at("transition", t) @ states
        states += at("selection", t)[:, :1] * (q_sd * shocks[:, 1, t])
    return out


def _as_monthly(series: pd.Series) -> pd.Series:
    if not isinstance(series, pd.Series):
        raise TypeError(f"series must be a pandas Series indexed by month; got {type(series).__name__}")
    s = pd.to_numeric(series, errors="coerce").astype(float)
    idx = s.index
    if isinstance(idx, pd.DatetimeIndex):
        idx = idx.to_period("M")
    if not isinstance(idx, pd.PeriodIndex):
        raise ValueError(f"series must have a monthly PeriodIndex or DatetimeIndex; got {type(series.index).__name__}")
    s.index = idx.asfreq("M")
    s = s.sort_index()
    if s.index.has_duplicates:
        raise ValueError("series has duplicate months; aggregate it first (see monthly_series)")
    full = pd.period_range(s.index.min(), s.index.max(), freq="M")
    if len(full) != len(s):
        missing = [str(p) for p in full.difference(s.index)[:5]]
        raise ValueError(
            f"series has gaps (missing months such as {missing}); fill them (0 for counts) before forecasting"
        )
    if s.isna().any():
        raise ValueError(f"series has missing values in months {[str(p) for p in s.index[s.isna()][:5]]}")
    return s


def flight_regressors(flights: dict[str, tuple[Any, Any]], months: pd.PeriodIndex) -> pd.DataFrame:
    """One column per flight {name: (first day, last day)}: the share of each month's days it is live."""
    months = pd.PeriodIndex(months, freq="M")
    out = pd.DataFrame(index=months)
    for name, (first, last) in flights.items():
        first, last = pd.Timestamp(first).normalize(), pd.Timestamp(last).normalize()
        if pd.isna(first) or pd.isna(last) or last < first:
            raise ValueError(f"flight {name!r}: needs a first day on or before its last day; got {first} … {last}")
        starts, ends = months.start_time.normalize(), months.end_time.normalize()
        live = (np.minimum(ends, last) - np.maximum(starts, first)).days + 1
        out[name] = np.clip(np.asarray(live, float), 0, None) / np.asarray(months.days_in_month, float)
    out.index.name = "month"
    return out


def _event_matrix(events: pd.DataFrame | pd.Series, months: pd.PeriodIndex) -> pd.DataFrame:
    frame = monthly_frame(events, "events", "a DataFrame (one column per event) or None")
    frame = frame.apply(pd.to_numeric, errors="coerce")
    if frame.isna().to_numpy().any() or not np.isfinite(frame.to_numpy(dtype=float)).all():
        raise ValueError("events must hold finite numbers (share of the month an event is live)")
    return frame.reindex(months, fill_value=0.0).astype(float)


@memoized
def fit_forecast(
    series: pd.Series,
    horizon: int,
    level: float = 0.9,
    log: bool = False,
    seasonal_periods: int = 12,
    events: pd.DataFrame | None = None,
    event_test: str = "aicc",
) -> ForecastResult:
    """Fit the model the history supports and forecast `horizon` months with a `level` interval.

    `events`: optional monthly regressors for known one-off events (see the module docstring and
    flight_regressors); months they do not list count as 0. Events never live in the history
    cannot be estimated and are left out. event_test="aicc" keeps the events only when they
    lower the small-sample AIC against the same model without them (as X-13ARIMA-SEATS' aictest
    does for user regressors), so a series the event did not move is not fitted with a noisy
    effect; "always" keeps them. Measured (benchmarks/calibration_forecast.py, 400 runs each, 48
    months, a two-month flight): a zero effect is kept in 13.5 % of runs and a real +10 % flight is
    dropped in 19.2 %; a dropped event reads "not distinguishable from no lift" with the smallest
    lift that would have been seen.
    """
    if event_test not in ("aicc", "always"):
        raise ValueError(f"event_test must be 'aicc' or 'always'; got {event_test!r}")
    check_fraction("level", level, example="0.9")
    if not isinstance(horizon, (int, np.integer)) or horizon < 0:
        raise ValueError(f"horizon must be a non-negative integer; got {horizon!r}")
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    s = _as_monthly(series)
    spec = choose_spec(len(s), seasonal_periods, log=log, positive=bool((s > 0).all()))
    future = pd.period_range(s.index[-1] + 1, periods=int(horizon), freq="M")
    exog = future_exog = None
    names: list[str] = []
    note = spec.note
    if events is not None:
        mat = _event_matrix(events, s.index.append(future))
        names = [c for c in mat.columns if (mat.loc[s.index, c] != 0).any()]
        if names:
            exog = mat.loc[s.index, names].to_numpy()
            future_exog = mat.loc[future, names].to_numpy() if horizon > 0 else None
            months_live = {n: int((mat.loc[s.index, n] > 0).sum()) for n in names}
    y = np.log(s) if spec.log else s
    endog = y.to_timestamp(how="start").asfreq("MS")

    def fit(ex):
        m = SARIMAX(endog, exog=ex, order=spec.order, seasonal_order=spec.seasonal_order, trend=spec.trend)
        with warnings.catch_warnings(), _one_blas_thread():
            warnings.simplefilter("ignore")  # start-parameter and convergence chatter; the MLE is still used
            return m, m.fit(disp=False)

    model, results = fit(exog)
    if names and event_test == "aicc":
        plain_model, plain = fit(None)
        if not plain.aicc > results.aicc:  # the events do not earn their parameters: keep the plain model
            dropped = _not_distinguishable(names, model, results, spec.log)
            model, results, exog, future_exog = plain_model, plain, None, None
            note = "; ".join(x for x in (spec.note, dropped) if x)
            names = []
    with warnings.catch_warnings(), _one_blas_thread():
        warnings.simplefilter("ignore")
        pred = results.get_forecast(int(horizon), exog=future_exog).predicted_mean if horizon > 0 else None
        sims = simulate_with_parameter_uncertainty(results, int(horizon), 2000, future_exog) if horizon > 0 else None
    if pred is not None:
        a = (1 - level) / 2
        frame = pd.DataFrame(
            {
                "mean": np.asarray(pred, dtype=float),
                "lower": np.quantile(sims, a, axis=1),
                "upper": np.quantile(sims, 1 - a, axis=1),
            },
            index=future,
        )
        if spec.log:
            frame = np.exp(frame)
    else:
        frame = pd.DataFrame({"mean": [], "lower": [], "upper": []}, index=future, dtype=float)
    frame.index.name = "month"
    betas = np.asarray(pd.Series(results.params, index=model.param_names)[model.exog_names], float) if names else []
    effects = {n: float(np.expm1(b) if spec.log else b) for n, b in zip(names, betas, strict=False)}
    if effects:
        lifts = ", ".join(
            f"{n}: {e:+.0%} in its {months_live[n]} months"
            if spec.log
            else f"{n}: {e:+,.4g} per month over {months_live[n]} months"
            for n, e in effects.items()
        )
        note = "; ".join(x for x in (spec.note, f"one-off lift fitted ({lifts})") if x)
    label = spec.label + (f" + {len(names)} event regressor{'s' if len(names) > 1 else ''}" if names else "")
    return ForecastResult(
        spec=label,
        note=note,
        level=float(level),
        history=s,
        forecast=frame,
        effects=effects,
        _results=results,
        _log=spec.log,
        _future_exog=future_exog,
    )


def _not_distinguishable(names: list[str], model: Any, results: Any, log: bool) -> str:
    """Words for events the AICc test dropped: not "no lift", but no lift that the data could tell
    apart from noise, with the smallest lift that would have been seen (80 % power, 5 % two-sided:
    2.8 standard errors of the estimated effect)."""
    se = pd.Series(np.asarray(results.bse, float), index=model.param_names)[model.exog_names]

    def size(n: str, e: float) -> str:
        if not np.isfinite(e) or (log and 2.8 * e > np.log(11.0)):  # beyond +1,000 %: the data cannot bound it
            return f"{n}: the data cannot tell how large a lift would have been seen"
        if log:
            return f"{n}: a lift under {np.expm1(2.8 * e):.0%} could not have been seen"
        return f"{n}: a lift under {2.8 * e:,.4g} a month could not have been seen"

    sizes = ", ".join(size(n, float(e)) for n, e in zip(names, se, strict=True))
    return f"{', '.join(names)}: not distinguishable from no lift (tested by AICc; {sizes})"


def monthly_series(
    frame: pd.DataFrame,
    date_col: str,
    value_col: str | None = None,
    how: str = "sum",
    start: Any = None,
    end: Any = None,
) -> pd.Series:
    """Aggregate events to a gap-free monthly series (months without events are 0).

    value_col=None counts rows; how is "sum", "count" or "nunique" of value_col. `start`/`end`
    extend the range so leading or trailing empty months are kept.
    """
    if how not in ("sum", "count", "nunique"):
        raise ValueError(f"how must be 'sum', 'count' or 'nunique'; got {how!r}")
    if date_col not in frame.columns:
        raise ValueError(f"date_col={date_col!r} is not a column; columns are {list(frame.columns)}")
    if value_col is not None and value_col not in frame.columns:
        raise ValueError(f"value_col={value_col!r} is not a column; columns are {list(frame.columns)}")
    months = pd.to_datetime(frame[date_col], errors="coerce").dt.to_period("M")
    if value_col is None:
        agg = months.value_counts()
    else:
        vals = frame[value_col]
        if how == "sum":
            vals = pd.to_numeric(vals, errors="coerce").fillna(0.0)
        agg = getattr(vals.groupby(months), how)()
    lo = [
        p
        for p in (agg.index.min() if len(agg) else None, pd.Period(start, "M") if start is not None else None)
        if p is not None
    ]
    hi = [
        p
        for p in (agg.index.max() if len(agg) else None, pd.Period(end, "M") if end is not None else None)
        if p is not None
    ]
    if not lo or not hi:
        return pd.Series(dtype=float, index=pd.PeriodIndex([], freq="M"), name=value_col or "count")
    full = pd.period_range(min(lo), max(hi), freq="M")
    out = agg.reindex(full, fill_value=0).astype(float)
    out.index.name = "month"
    out.name = value_col or "count"
    return out
