"""When things happen: hour × weekday tables, the best time to publish, and daily anomalies.

"Best time" must not reward luck. A slot's raw rate on 71 visits is far noisier than on 900, and
even the Wilson lower bound lets a small slot with a lucky streak beat big, steady slots. So slots
are ranked by an empirical-Bayes *shrunk* rate: a beta prior Beta(a, b) is fitted across all slots
by maximum likelihood of the beta-binomial model (each slot's successes k out of n are binomial with
a rate drawn from the prior), and each slot's rate becomes the posterior mean
(k + a) / (n + a + b). Small slots are pulled strongly towards the overall rate, big slots hardly
move; a + b ("prior strength") is how many visits' worth of evidence the overall rate counts for.
A fitted prior alone does not show that slots differ (under no difference the maximum sits at a
finite strength about half of the time), so a best slot is named only when a likelihood-ratio test
of "the slots' rates differ" rejects at `evidence_alpha` (best_times; difference_p_value).
Slots must also reach a minimum size that grows with the data (`min_share` of the median slot, and
at least `min_n`). Every row keeps its raw rate, its Wilson interval and its n so readers see the
evidence behind it.
Anomalies use a robust z-score (median and MAD) because a single spike inflates the mean and
standard deviation enough to hide itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from workbench.analysis.stats.proportions import wilson_interval
from workbench.validation import check_fraction

__all__ = [
    "WEEKDAY_NAMES",
    "BetaPrior",
    "best_times",
    "best_times_by",
    "best_times_per_group",
    "difference_p_value",
    "fit_beta_prior",
    "hour_weekday_table",
    "robust_anomalies",
    "shrink_rates",
]

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MAD_FACTOR = 0.6745  # Iglewicz & Hoaglin (1993): makes MAD comparable to a standard deviation


def _require_columns(frame: pd.DataFrame, columns: dict[str, str | None]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"events must be a pandas DataFrame; got {type(frame).__name__}")
    for param, col in columns.items():
        if col is not None and col not in frame.columns:
            raise ValueError(f"{param}={col!r} is not a column of events; columns are {list(frame.columns)}")


def hour_weekday_table(
    events: pd.DataFrame, time_col: str, success_col: str | None = None, weight_col: str | None = None
) -> pd.DataFrame:
    """One row per (weekday 0=Mon…6, hour 0…23) present in `events`.

    Columns: weekday, weekday_name, hour, n; with `success_col` also successes, rate, rate_low,
    rate_high (Wilson 95%). `weight_col` makes each row count as that many trials (e.g. an
    e-mail send with `recipients`), and then `success_col` holds the number of successes of the row
    (e.g. `clicks`); without weights `success_col` is read as a 0/1 or boolean flag.
    """
    _require_columns(events, {"time_col": time_col, "success_col": success_col, "weight_col": weight_col})
    ts = pd.to_datetime(events[time_col], errors="coerce")
    if ts.isna().all() and len(ts):
        raise ValueError(f"time_col={time_col!r} holds no parseable timestamps")
    frame = pd.DataFrame({"weekday": ts.dt.day_of_week, "hour": ts.dt.hour})
    frame["n"] = pd.to_numeric(events[weight_col], errors="coerce").fillna(0) if weight_col else 1.0
    if success_col is not None:
        succ = events[success_col]
        if succ.dtype == bool or str(succ.dtype) == "boolean":
            succ = succ.astype(float)
        frame["successes"] = pd.to_numeric(succ, errors="coerce").fillna(0).astype(float)
    frame = frame.dropna(subset=["weekday", "hour"])
    agg = frame.groupby(["weekday", "hour"], as_index=False).sum(numeric_only=True)
    agg["weekday"] = agg["weekday"].astype(int)
    agg["hour"] = agg["hour"].astype(int)
    if not weight_col:
        agg["n"] = agg["n"].astype(int)
    agg.insert(1, "weekday_name", [WEEKDAY_NAMES[d] for d in agg["weekday"]])
    if success_col is not None:
        if (agg["successes"] > agg["n"]).any():
            raise ValueError(
                f"success_col={success_col!r} exceeds the number of trials in some slots; "
                "pass weight_col when each row counts several trials"
            )
        agg["rate"] = np.where(agg["n"] > 0, agg["successes"] / agg["n"].where(agg["n"] > 0), np.nan)
        low, high = wilson_interval(agg["successes"].to_numpy(), agg["n"].to_numpy())
        agg["rate_low"], agg["rate_high"] = low, high
    return agg.sort_values(["weekday", "hour"]).reset_index(drop=True)


@dataclass(frozen=True)
class BetaPrior:
    """A Beta(a, b) prior on a rate: mean a / (a + b), strength a + b (in trials)."""

    a: float
    b: float

    @property
    def mean(self) -> float:
        return self.a / (self.a + self.b)

    @property
    def strength(self) -> float:
        return self.a + self.b


_MAX_STRENGTH = 1e9  # a + b this large means "no real difference between groups": full pooling


def _check_counts(successes, n) -> tuple[np.ndarray, np.ndarray]:
    k = np.asarray(successes, dtype=float).ravel()
    t = np.asarray(n, dtype=float).ravel()
    if k.shape != t.shape:
        raise ValueError(f"successes and n must have the same length; got {k.size} and {t.size}")
    if not (np.isfinite(k).all() and np.isfinite(t).all()):
        raise ValueError("successes and n must be finite numbers")
    if (t < 0).any() or (k < 0).any() or (k > t).any():
        raise ValueError("successes and n must satisfy 0 <= successes <= n")
    return k, t


class _BetaBinomialLikelihood:
    """Beta-binomial log-likelihood of (mean m, strength s) that stays exact as s grows.

    ln B(k + a, n − k + b) − ln B(a, b) with a = m s, b = (1 − m) s equals
    k ln m + (n − k) ln(1 − m) + Σ_{j<k} ln(1 + j/a) + Σ_{j<n−k} ln(1 + j/b) − Σ_{j<n} ln(1 + j/s)
    for whole-number counts: the s-dependent part is written as log1p of small ratios, so it tends
    to 0 (the pooled binomial likelihood) instead of being the difference of two numbers of size
    s ln s, which is what made the flat, "no difference" region invisible to the optimiser. Each
    sum is taken once over j with a weight (how many groups reach j), so one evaluation costs
    O(largest n), not O(total n). Fractional counts fall back to betaln differences.
    """

    def __init__(self, k: np.ndarray, t: np.ndarray) -> None:
        self.k, self.t = k, t
        self.exact = bool(np.all(k == np.round(k)) and np.all(t == np.round(t)) and t.max() <= 5e6)
        if self.exact:

            def reach(counts: np.ndarray) -> np.ndarray:  # weights[j] = #groups with count > j
                hist = np.bincount(counts.astype(np.int64), minlength=int(t.max()) + 1)
                return hist[::-1].cumsum()[::-1][1:].astype(float)

            self.j = np.arange(int(t.max()), dtype=float)
            self.w_succ, self.w_fail, self.w_all = reach(k), reach(t - k), reach(t)
        self.ks, self.fs = float(k.sum()), float((t - k).sum())

    def pooled(self, m: float) -> float:
        """Log-likelihood with no spread between groups (s → ∞)."""
        return self.ks * math.log(m) + self.fs * math.log1p(-m)

    def __call__(self, m: float, s: float) -> float:
        a, b = m * s, (1 - m) * s
        if not self.exact:
            return float(np.sum(special.betaln(self.k + a, self.t - self.k + b) - special.betaln(a, b)))
        j = self.j
        spread = (
            self.w_succ @ np.log1p(j[: self.w_succ.size] / a)
            + self.w_fail @ np.log1p(j[: self.w_fail.size] / b)
            - self.w_all @ np.log1p(j / s)
        )
        return self.pooled(m) + float(spread)

    def profile(self, log_s: float, pooled: float) -> tuple[float, float]:
        """(best log-likelihood, its mean m) at strength exp(log_s): a bounded search over logit m."""
        s = math.exp(log_s)
        centre = special.logit(pooled)
        res = optimize.minimize_scalar(
            lambda x: -self(float(special.expit(x)), s),
            bounds=(centre - 8.0, centre + 8.0),
            method="bounded",
            options={"xatol": 1e-9},
        )
        return -float(res.fun), float(special.expit(res.x))


_LOG_S_BOUNDS = (math.log(1e-3), math.log(_MAX_STRENGTH))


def _fit(k: np.ndarray, t: np.ndarray) -> tuple[BetaPrior, float]:
    """The ML prior and the likelihood-ratio p-value of "groups differ" (see fit_beta_prior)."""
    keep = t > 0
    k, t = k[keep], t[keep]
    if k.size < 2:
        raise ValueError(f"fit_beta_prior needs at least two groups with trials; got {k.size}")
    pooled = k.sum() / t.sum()
    if pooled <= 0 or pooled >= 1:  # every trial failed (or succeeded): nothing to spread
        eps = 0.5 / t.sum()
        return BetaPrior(max(pooled, eps) * _MAX_STRENGTH, max(1 - pooled, eps) * _MAX_STRENGTH), 1.0
    ll = _BetaBinomialLikelihood(k, t)
    # a coarse grid over log strength finds the right basin, a bounded Brent search refines it
    grid = np.linspace(*_LOG_S_BOUNDS, 49)
    values = [ll.profile(g, pooled)[0] for g in grid]
    i = int(np.argmax(values))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    res = optimize.minimize_scalar(
        lambda x: -ll.profile(x, pooled)[0], bounds=(lo, hi), method="bounded", options={"xatol": 1e-6}
    )
    log_s, best = (float(res.x), -float(res.fun)) if -res.fun >= values[i] else (float(grid[i]), values[i])
    m = ll.profile(log_s, pooled)[1]
    s = math.exp(log_s)
    # H0 "no spread" sits on the boundary (s = ∞): the LR statistic is ½χ²₀ + ½χ²₁ (Self & Liang 1987)
    lr = max(2.0 * (best - ll.pooled(pooled)), 0.0)
    p = 1.0 if lr <= 1e-9 else 0.5 * float(stats.chi2.sf(lr, 1))
    return BetaPrior(m * s, (1 - m) * s), p


def fit_beta_prior(successes, n) -> BetaPrior:
    """Maximum-likelihood Beta(a, b) prior of a beta-binomial model across groups (e.g. slots).

    Maximises sum_i [ln B(k_i + a, n_i − k_i + b) − ln B(a, b)] (the beta-binomial log-likelihood
    without its binomial coefficients, which do not depend on a, b). The strength a + b is found by
    a bounded one-dimensional search in log space (1e-3 … 1e9) on the profile likelihood, the mean
    profiled out by a bounded search at each strength, and the likelihood is evaluated in a form
    that stays exact at large a + b (see _BetaBinomialLikelihood): a gradient search stops early
    in the flat region where groups do not differ. Groups with n = 0 carry no information and are
    ignored. Needs at least two groups with trials; when the groups vary no more than binomial
    noise, the strength runs to its cap (1e9) and the prior is the pooled rate.
    """
    return _fit(*_check_counts(successes, n))[0]


def difference_p_value(successes, n) -> float:
    """P-value of "the groups' rates differ" (likelihood ratio, beta-binomial vs one pooled rate).

    Why: a fitted prior with finite strength does not by itself mean the slots differ; under no
    difference it does so about half of the time. A best slot is named only when this test
    rejects "no difference". The null sits on the boundary of the parameter space, so the p-value
    is ½ P(χ²₁ > LR) (Self & Liang 1987, doi:10.1080/01621459.1987.10478472).
    """
    return _fit(*_check_counts(successes, n))[1]


def shrink_rates(successes, n, prior: BetaPrior | None = None) -> np.ndarray:
    """Posterior-mean rates (k + a) / (n + a + b) under `prior` (fitted across the groups when None)."""
    k, t = _check_counts(successes, n)
    prior = fit_beta_prior(k, t) if prior is None else prior
    return (k + prior.a) / (t + prior.a + prior.b)


def best_times(
    table: pd.DataFrame,
    by: str = "rate",
    top: int = 3,
    min_n: int = 30,
    *,
    rank: str = "shrunk",
    min_share: float = 0.25,
    evidence_alpha: float | None = None,
) -> pd.DataFrame:
    """The `top` slots of an hour × weekday table.

    by="rate" ranks by the empirical-Bayes shrunk rate (`rank="shrunk"`, see the module docstring;
    column `rate_shrunk` is added) or, with rank="lower_bound", by the Wilson lower bound
    (`rate_low`); by="n" ranks by volume. A slot needs n >= max(min_n, min_share × the median n
    of the slots with any trials), so the bar rises with the data. The result keeps n and the raw
    rate with its interval, so a report shows the evidence behind each recommendation; attrs hold
    `min_n_used` and, for the shrunk ranking, `prior_a`, `prior_b`, `difference_p`. Empty: no slot
    qualified.

    `evidence_alpha` (shrunk ranking only): name slots only when the slots' rates differ beyond
    chance (difference_p_value < evidence_alpha), and then only slots whose shrunk rate is above the
    fitted average; otherwise the result is empty and attrs["no_difference"] is True. With 0.05,
    slots that do not differ yield no recommendation in about 95 % of cases
    (benchmarks/calibrate.py measures it).
    """
    if by not in ("rate", "n"):
        raise ValueError(f"by must be 'rate' or 'n'; got {by!r}")
    if rank not in ("shrunk", "lower_bound"):
        raise ValueError(f"rank must be 'shrunk' or 'lower_bound'; got {rank!r}")
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive integer; got {top!r}")
    if min_n < 0:
        raise ValueError(f"min_n must be non-negative; got {min_n!r}")
    check_fraction("min_share", min_share, inclusive=True)
    if evidence_alpha is not None:
        check_fraction("evidence_alpha", evidence_alpha, example="0.05")
    needed = ["weekday", "hour", "n"]
    if by == "rate":
        needed += ["successes", "rate_low"] if rank == "shrunk" else ["rate_low"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(
            f"table lacks columns {missing}; build it with hour_weekday_table"
            + (" and a success_col" if "rate_low" in missing or "successes" in missing else "")
        )
    table = table.copy()
    attrs: dict = {}
    if by == "rate" and rank == "shrunk":
        has = table["n"] > 0
        if int(has.sum()) >= 2:
            k_, t_ = _check_counts(table.loc[has, "successes"], table.loc[has, "n"])
            prior, p = _fit(k_, t_)
            table["rate_shrunk"] = np.where(
                has, (table["successes"] + prior.a) / (table["n"] + prior.a + prior.b), np.nan
            )
            attrs.update(prior_a=prior.a, prior_b=prior.b, difference_p=p)
            if evidence_alpha is not None:
                attrs["no_difference"] = not p < evidence_alpha
                keep = (table["rate_shrunk"] > prior.mean) & (not attrs["no_difference"])
                table = table[keep]
        else:  # a single slot: nothing to borrow strength from
            table["rate_shrunk"] = table["rate"] if "rate" in table.columns else np.nan
    positive = table.loc[table["n"] > 0, "n"]
    floor = float(min_n)
    if len(positive) and min_share > 0:
        floor = max(floor, math.ceil(min_share * float(positive.median())))
    attrs["min_n_used"] = floor
    eligible = table[table["n"] >= floor]
    if by == "n":
        key = ["n"]
    else:
        key = ["rate_shrunk", "n"] if rank == "shrunk" else ["rate_low", "n"]
    ranked = eligible.sort_values(key, ascending=False, kind="mergesort").head(int(top)).reset_index(drop=True)
    ranked.attrs.update(attrs)
    return ranked


def best_times_by(
    events: pd.DataFrame, time_col: str, success_col: str, by: str, top: int = 1, **kwargs
) -> pd.DataFrame:
    """The best `top` slots within each group of `by` (e.g. device), each group ranked on its own
    hour × weekday table and its own fitted prior, so a segment whose best hours differ from the
    whole audience's is not drowned by the biggest segment. Columns: `by`, group_n, group_rate
    (the group's overall rate, to read each slot against), then those of `best_times`.
    Groups whose slots do not qualify are left out; kwargs go to `best_times`."""
    _require_columns(events, {"time_col": time_col, "success_col": success_col, "by": by})
    tables = {
        group: hour_weekday_table(g, time_col, success_col) for group, g in events.groupby(by, sort=True, dropna=True)
    }
    return best_times_per_group(tables, by, top, **kwargs)


def best_times_per_group(tables: Mapping[Any, pd.DataFrame], by: str, top: int = 1, **kwargs) -> pd.DataFrame:
    """`best_times_by` from each group's hour × weekday table (with successes) already built, e.g. from
    slot counts an engine returned: the group's name → its table, in the order the rows should take."""
    frames = []
    for group, slots in tables.items():
        if int((slots["n"] > 0).sum()) < 2:
            continue
        ranked = best_times(slots, by="rate", top=top, **kwargs)
        if not len(ranked):
            continue
        n, k = float(slots["n"].sum()), float(slots["successes"].sum())
        ranked.insert(0, "group_rate", k / n if n else np.nan)
        ranked.insert(0, "group_n", n)
        ranked.insert(0, by, group)
        frames.append(ranked)
    if not frames:
        return pd.DataFrame(columns=[by, "group_n", "group_rate", "weekday", "weekday_name", "hour", "n"])
    return pd.concat(frames, ignore_index=True)


def robust_anomalies(series: pd.Series, threshold: float = 3.5, window: int | None = None) -> pd.DataFrame:
    """Flag points whose robust z-score (median/MAD, 0.6745 factor) exceeds `threshold` in size.

    window=None scores against the whole series; an int scores each point against a centred
    rolling window of that many points (for series with a trend). Returns columns value, median,
    mad, robust_z, anomaly, direction ("high"/"low"/"") indexed like the series.
    """
    if not isinstance(series, pd.Series):
        raise TypeError(f"series must be a pandas Series; got {type(series).__name__}")
    if threshold <= 0:
        raise ValueError(f"threshold must be positive; got {threshold!r}")
    if window is not None and (not isinstance(window, (int, np.integer)) or window < 3):
        raise ValueError(f"window must be None or an integer >= 3; got {window!r}")
    x = pd.to_numeric(series, errors="coerce").astype(float)
    if window is None:
        centre = np.nanmedian(x) if x.notna().any() else np.nan
        med = pd.Series(centre, index=x.index)
        dev = (x - med).abs()
        mad = pd.Series(np.nanmedian(dev) if x.notna().any() else np.nan, index=x.index)
        meanad = pd.Series(np.nanmean(dev) if x.notna().any() else np.nan, index=x.index)
    else:
        min_periods = max(3, window // 2)
        med = x.rolling(window, center=True, min_periods=min_periods).median()
        dev = (x - med).abs()
        mad = dev.rolling(window, center=True, min_periods=min_periods).median()
        meanad = dev.rolling(window, center=True, min_periods=min_periods).mean()
    # MAD is zero when over half the points are equal; then scale the mean absolute deviation
    # (1.2533 = sqrt(pi/2), the IBM SPSS convention) so a spike in a flat series is still seen.
    scale = (mad / _MAD_FACTOR).where(mad > 0, 1.253314 * meanad)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = ((x - med) / scale.where(scale > 0)).where(scale > 0, 0.0)
    z = z.where(x.notna() & med.notna())
    anomaly = z.abs() > threshold
    direction = np.where(anomaly & (z > 0), "high", np.where(anomaly & (z < 0), "low", ""))
    return pd.DataFrame(
        {
            "value": x,
            "median": med,
            "mad": mad,
            "robust_z": z,
            "anomaly": anomaly.fillna(False).astype(bool),
            "direction": direction,
        },
        index=series.index,
    )
