"""Search-demand trends per keyword group: STL decomposition, Sen's slope, Mann-Kendall, seasonality.

Monthly search demand mixes three things a planner must keep apart: the season (tents in June),
the long-run direction (a topic growing year after year) and noise. Each group's series is
decomposed with STL (Cleveland et al. 1990, statsmodels, robust to outliers). The direction is
measured on the seasonally adjusted series (trend + remainder) with two rank-based statistics that
a single spike cannot move:

* Sen's slope (Sen 1968, doi:10.1080/01621459.1968.10480934): the median of the slopes between all
  pairs of months; reported per year and relative to the group's mean level;
* the Mann-Kendall test (Mann 1945; Kendall 1975) of "no monotonic trend", with the variance
  corrected for ties and a continuity correction (as in Hipel & McLeod 1994 and pymannkendall's
  `original_test`), two-sided.

Testing many groups at once inflates false "rising topics", so the p-values are adjusted across
groups with Benjamini-Hochberg (false discovery rate). The seasonality calendar reads STL's
seasonal component by calendar month, relative to the group's level; its strength is Wang, Smith &
Hyndman's (2006) F_S = max(0, 1 − Var(R) / Var(S + R)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from workbench.analysis.content.keywords import core_lemmas
from workbench.analysis.stats.multiple_testing import adjust_pvalues
from workbench.validation import check_fraction

__all__ = [
    "MannKendall",
    "demand_groups",
    "forecast_groups",
    "group_series",
    "mann_kendall",
    "seasonality_calendar",
    "sens_slope",
    "stl_decompose",
    "trend_table",
]

MIN_MONTHS_STL = 24  # two full seasons


def sens_slope(y) -> float:
    """Median of (y_j − y_i) / (j − i) over all pairs i < j (equally spaced points, NaN skipped)."""
    y = np.asarray(y, dtype=float)
    x = np.arange(y.size, dtype=float)
    ok = ~np.isnan(y)
    x, y = x[ok], y[ok]
    if y.size < 2:
        raise ValueError(f"Sen's slope needs at least two values; got {y.size}")
    i, j = np.triu_indices(y.size, k=1)
    return float(np.median((y[j] - y[i]) / (x[j] - x[i])))


@dataclass(frozen=True)
class MannKendall:
    """Mann-Kendall statistic S, its tie-corrected variance, z (continuity-corrected) and the
    two-sided p-value; trend is 'increasing', 'decreasing' or 'no trend' at `alpha`."""

    s: float
    var_s: float
    z: float
    p: float
    trend: str


def mann_kendall(y, alpha: float = 0.05) -> MannKendall:
    """The Mann-Kendall trend test of a series in time order (NaN skipped)."""
    check_fraction("alpha", alpha, example="0.05")
    y = np.asarray(y, dtype=float)
    y = y[~np.isnan(y)]
    n = y.size
    if n < 3:
        raise ValueError(f"the Mann-Kendall test needs at least three values; got {n}")
    i, j = np.triu_indices(n, k=1)
    s = float(np.sign(y[j] - y[i]).sum())
    _, counts = np.unique(y, return_counts=True)
    ties = counts[counts > 1].astype(float)
    var_s = (n * (n - 1) * (2 * n + 5) - float(np.sum(ties * (ties - 1) * (2 * ties + 5)))) / 18.0
    if var_s <= 0:
        z = 0.0
    else:
        z = (s - np.sign(s)) / math.sqrt(var_s)
    p = float(2 * stats.norm.sf(abs(z)))
    trend = "no trend" if p >= alpha else ("increasing" if z > 0 else "decreasing")
    return MannKendall(s, var_s, float(z), p, trend)


def demand_groups(keywords) -> dict[str, str]:
    """Keyword -> group: the keyword's core lemma (no intent or negative markers) shared by the
    most keywords of the list — its head term, "палатка" for "купить палатку" and "как выбрать
    палатку"; ties go to the lemma earlier in the keyword. A keyword with no core word is its own group."""
    kws = list(dict.fromkeys(str(k) for k in keywords))
    words = {k: core_lemmas(k) for k in kws}
    df: dict[str, int] = {}
    for ws in words.values():
        for w in ws:
            df[w] = df.get(w, 0) + 1
    out = {}
    for k, ws in words.items():
        out[k] = max(ws, key=lambda w: (df[w], -ws.index(w))) if ws else k
    return out


def group_series(demand: pd.DataFrame, groups: dict[str, str] | None = None) -> pd.DataFrame:
    """Monthly demand per group: a frame indexed by month (PeriodIndex) with one column per group
    (sum over its keywords and regions). Months missing inside the range are NaN."""
    for col in ("keyword", "month", "demand"):
        if col not in demand.columns:
            raise ValueError(f"search demand needs column {col!r}; it has {list(demand.columns)}")
    groups = groups or demand_groups(demand["keyword"].unique())
    month = pd.to_datetime(demand["month"]).dt.to_period("M")
    frame = demand.assign(_group=demand["keyword"].astype(str).map(groups), _month=month)
    wide = frame.pivot_table(index="_month", columns="_group", values="demand", aggfunc="sum")
    full = pd.period_range(wide.index.min(), wide.index.max(), freq="M")
    wide = wide.reindex(full)
    wide.index.name, wide.columns.name = "month", None
    return wide


def stl_decompose(series: pd.Series, period: int = 12, robust: bool = True) -> pd.DataFrame:
    """STL of a monthly series (gaps filled by linear interpolation): columns observed, trend,
    seasonal, resid, adjusted (observed − seasonal). Needs two full seasons."""
    from statsmodels.tsa.seasonal import STL

    y = pd.Series(series, dtype=float).interpolate(limit_direction="both")
    if y.notna().sum() < 2 * period:
        raise ValueError(f"STL needs at least {2 * period} months; the series has {int(y.notna().sum())}")
    res = STL(y.to_numpy(), period=period, robust=robust).fit()
    return pd.DataFrame(
        {
            "observed": y.to_numpy(),
            "trend": res.trend,
            "seasonal": res.seasonal,
            "resid": res.resid,
            "adjusted": y.to_numpy() - res.seasonal,
        },
        index=series.index,
    )


def trend_table(wide: pd.DataFrame, alpha: float = 0.05, period: int = 12, min_change: float = 0.05) -> pd.DataFrame:
    """One row per group: months, mean level, Sen's slope per year (absolute and relative to the
    mean level), Mann-Kendall S, z, p, Benjamini-Hochberg-adjusted p across groups, direction
    and seasonal strength. Groups with fewer than 24 months are tested on the raw series (no
    seasonal adjustment; `adjusted` False).

    Direction is 'rising' or 'falling' when the adjusted p is below `alpha` *and* the slope is at
    least `min_change` of the level a year: the seasonally adjusted series keeps STL's smooth
    trend, whose autocorrelation makes Mann-Kendall's p-values too small, so a change of a few
    per mille a year can test "significant" without mattering for a plan."""
    check_fraction("alpha", alpha, example="0.05")
    check_fraction("min_change", min_change, inclusive=True, example="0.05 for 5% a year")
    rows = []
    for group in wide.columns:
        y = wide[group].dropna()
        if len(y) < 3:
            continue
        adjusted = len(y) >= 2 * period
        if adjusted:
            dec = stl_decompose(wide[group].loc[y.index.min() : y.index.max()], period=period)
            series = dec["adjusted"]
            var_sr = float(np.var(dec["seasonal"] + dec["resid"]))
            strength = max(0.0, 1 - float(np.var(dec["resid"])) / var_sr) if var_sr > 0 else 0.0
        else:
            series, strength = y, np.nan
        mk = mann_kendall(series.to_numpy(), alpha=alpha)
        slope = sens_slope(series.to_numpy()) * period
        level = float(y.mean())
        rows.append(
            {
                "group": group,
                "months": int(len(y)),
                "level": level,
                "slope_per_year": slope,
                "relative_slope_per_year": slope / level if level else np.nan,
                "mk_s": mk.s,
                "mk_z": mk.z,
                "p_value": mk.p,
                "seasonal_strength": strength,
                "adjusted": adjusted,
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["p_adjusted"] = adjust_pvalues(out["p_value"].to_numpy(), method="fdr_bh")
    moved = (out["p_adjusted"] < alpha) & (out["relative_slope_per_year"].abs() >= min_change)
    out["direction"] = np.where(moved, np.where(out["mk_z"] > 0, "rising", "falling"), "flat")
    return out.sort_values("relative_slope_per_year", ascending=False, kind="mergesort").reset_index(drop=True)


def seasonality_calendar(wide: pd.DataFrame, period: int = 12, threshold: float = 0.15) -> pd.DataFrame:
    """Group × calendar month (1–12): the mean STL seasonal component of that month relative to
    the group's mean level (+0.40 = 40% above the usual level). attrs["peaks"]: group -> list of
    months at least `threshold` above the level, highest first (empty when the group has no
    season that strong); only groups with 24+ months appear."""
    rows, peaks = {}, {}
    for group in wide.columns:
        y = wide[group].dropna()
        if len(y) < 2 * period:
            continue
        dec = stl_decompose(wide[group].loc[y.index.min() : y.index.max()], period=period)
        level = float(y.mean())
        by_month = dec["seasonal"].groupby(dec.index.month).mean() / level
        rows[group] = by_month.reindex(range(1, 13))
        ranked = by_month[by_month >= threshold].sort_values(ascending=False)
        peaks[group] = [int(m) for m in ranked.index]
    out = pd.DataFrame(rows).T
    out.columns = list(range(1, 13))
    out.attrs["peaks"] = peaks
    return out


def forecast_groups(wide: pd.DataFrame, horizon: int = 12, level: float = 0.9, groups=None) -> pd.DataFrame:
    """The next `horizon` months of each group (or of `groups`) with a `level` interval, from
    `workbench.analysis.performance.forecast.fit_forecast` (airline model on log values with two
    seasons of history; simpler models with less). Long format: group, month, mean, lower,
    upper, model."""
    from workbench.analysis.performance.forecast import fit_forecast

    frames = []
    for group in groups if groups is not None else wide.columns:
        y = wide[group].dropna()
        if len(y) < 4:
            continue
        y = wide[group].loc[y.index.min() : y.index.max()].interpolate(limit_direction="both")
        fc = fit_forecast(y, horizon=int(horizon), level=level, log=bool((y > 0).all()))
        frames.append(fc.forecast.reset_index().assign(group=group, model=fc.spec))
    if not frames:
        return pd.DataFrame(columns=["group", "month", "mean", "lower", "upper", "model"])
    out = pd.concat(frames, ignore_index=True)
    return out[["group", "month", "mean", "lower", "upper", "model"]]
