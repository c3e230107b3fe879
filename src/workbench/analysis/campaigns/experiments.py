"""A/B and multivariate tests read honestly: SRM first, then intervals, corrected p-values,
the risk of each choice, and a verdict in words (the words are in `verdicts`).

Order matters: a sample-ratio mismatch (the split is not what was planned) means assignment or
logging is broken and every later number is suspect, so it stops the reading. Each 0/1 metric
(conversion, or several such as day-1 and day-7 retention) is compared with a Newcombe interval
and a pooled z-test, revenue per user with Welch's t-test (revenue is skewed and arms differ in
variance) plus a seeded bootstrap interval; several variants × metrics are corrected with Holm or
Benjamini–Hochberg. Every interval is at the level 1 − `alpha`. Power is only computed for a
*stated* minimum effect and the actual split, never for the observed difference.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special, stats

from workbench.analysis.campaigns.verdicts import explain_experiment, read_verdicts
from workbench.analysis.stats.multiple_testing import CORRECTIONS, adjust_pvalues
from workbench.analysis.stats.power import achieved_power, minimum_detectable_rate, required_total_n, target_rate
from workbench.analysis.stats.proportions import (
    newcombe_interval,
    relative_lift_interval,
    two_proportion_ztest,
    wilson_interval,
)
from workbench.errors import DataValidationError
from workbench.validation import check_fraction

__all__ = [
    "CORRECTION_FAMILIES",
    "DIRECTIONS",
    "ExperimentResult",
    "analyse_experiment",
    "bootstrap_mean_difference",
    "expected_loss",
    "explain_experiment",
    "metric_name",
    "prob_beat_control",
    "srm_check",
    "summarise_variants",
    "welch_test",
]

CORRECTION_FAMILIES = ("metric", "all")
DIRECTIONS = ("either", "increase", "decrease")  # which way a stated min_effect is sized

_CONTROL_NAMES = ("control", "a", "baseline")


# ---------------------------------------------------------------- building blocks
def srm_check(units: pd.Series | dict, planned_split: dict | None = None) -> dict:
    """Chi-square goodness-of-fit of the observed units per variant against the planned split.

    `units` maps variant -> units; `planned_split` maps variant -> share (any positive weights,
    normalised); None means equal. Returns chi2, dof, p_value and the expected counts.
    """
    observed = pd.Series(units, dtype=float)
    if len(observed) < 2:
        raise ValueError("srm_check needs at least two variants")
    if planned_split is None:
        shares = pd.Series(1.0, index=observed.index)
    else:
        shares = pd.Series(planned_split, dtype=float)
        missing = sorted(set(observed.index) - set(shares.index))
        extra = sorted(set(shares.index) - set(observed.index))
        if missing or extra:
            raise ValueError(
                f"planned_split must name exactly the variants {sorted(observed.index)}; "
                f"missing {missing}, unknown {extra}"
            )
        if (shares <= 0).any():
            raise ValueError(f"planned_split shares must be positive; got {dict(shares)}")
        shares = shares.reindex(observed.index)
    expected = shares / shares.sum() * observed.sum()
    chi2 = float(((observed - expected) ** 2 / expected).sum())
    dof = len(observed) - 1
    return {
        "chi2": chi2,
        "dof": dof,
        "p_value": float(stats.chi2.sf(chi2, dof)),
        "observed": observed.to_dict(),
        "expected": expected.to_dict(),
    }


def welch_test(x, y, alpha: float = 0.05) -> dict:
    """Welch's unequal-variance t-test of mean(x) − mean(y), with its (1 − alpha) interval."""
    check_fraction("alpha", alpha)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.size < 2 or y.size < 2:
        raise ValueError("welch_test needs at least two observations in each group")
    vx, vy = x.var(ddof=1) / x.size, y.var(ddof=1) / y.size
    diff = x.mean() - y.mean()
    se = math.sqrt(vx + vy)
    if se == 0:
        return {
            "difference": float(diff),
            "t": float("nan"),
            "df": float("nan"),
            "p_value": float("nan"),
            "ci_low": float(diff),
            "ci_high": float(diff),
        }
    df = (vx + vy) ** 2 / (vx**2 / (x.size - 1) + vy**2 / (y.size - 1))
    t = diff / se
    q = stats.t.ppf(1 - alpha / 2, df)
    return {
        "difference": float(diff),
        "t": float(t),
        "df": float(df),
        "p_value": float(2 * stats.t.sf(abs(t), df)),
        "ci_low": float(diff - q * se),
        "ci_high": float(diff + q * se),
    }


def bootstrap_mean_difference(x, y, n_boot: int = 2000, alpha: float = 0.05, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval for mean(x) − mean(y), resampling units within each arm.

    Seeded, so a report re-run gives the same interval."""
    if n_boot < 100:
        raise ValueError(f"n_boot must be at least 100; got {n_boot!r}")
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    diffs = np.empty(n_boot)
    chunk = max(1, int(2e7 // max(x.size + y.size, 1)))  # bound memory for big arms
    for start in range(0, n_boot, chunk):
        k = min(chunk, n_boot - start)
        mx = x[rng.integers(0, x.size, size=(k, x.size))].mean(axis=1)
        my = y[rng.integers(0, y.size, size=(k, y.size))].mean(axis=1)
        diffs[start : start + k] = mx - my
    low, high = np.quantile(diffs, [alpha / 2, 1 - alpha / 2])
    return float(low), float(high)


def _prob_greater(a1: float, b1: float, a2: float, b2: float) -> float:
    """P(X1 > X2) for independent X1 ~ Beta(a1, b1), X2 ~ Beta(a2, b2), a1 a whole number.

    Evan Miller's closed form, summed in log space: exact, so reports do not wobble with
    Monte-Carlo noise; the sum runs over a1 terms (fine up to millions)."""
    i = np.arange(int(a1), dtype=float)
    log_terms = special.betaln(a2 + i, b1 + b2) - np.log(b1 + i) - special.betaln(1 + i, b1) - special.betaln(a2, b2)
    return float(min(max(np.exp(special.logsumexp(log_terms)), 0.0), 1.0))


def _posteriors(conv_t: int, n_t: int, conv_c: int, n_c: int) -> tuple[float, float, float, float]:
    a_t, b_t = 1 + conv_t, 1 + n_t - conv_t
    a_c, b_c = 1 + conv_c, 1 + n_c - conv_c
    if min(b_t, b_c) < 1 or min(a_t, a_c) < 1:
        raise ValueError("conversions must lie between 0 and units")
    return a_t, b_t, a_c, b_c


def prob_beat_control(conv_t: int, n_t: int, conv_c: int, n_c: int) -> float:
    """P(p_t > p_c) under independent Beta(1, 1) priors, in closed form (Evan Miller's sum)."""
    a_t, b_t, a_c, b_c = _posteriors(conv_t, n_t, conv_c, n_c)
    return _prob_greater(a_t, b_t, a_c, b_c)


def expected_loss(conv_t: int, n_t: int, conv_c: int, n_c: int) -> tuple[float, float]:
    """Expected loss (risk) of shipping the treatment, E[max(p_c − p_t, 0)], and of keeping the
    control, E[max(p_t − p_c, 0)], in rate points under Beta(1, 1) priors (closed form, Stucchio 2015,
    "Bayesian A/B testing at VWO"). P(beat control) says how likely a choice is right; the risk
    says how much is lost on average when it is wrong, which is what a decision should weigh."""
    a_t, b_t, a_c, b_c = _posteriors(conv_t, n_t, conv_c, n_c)
    m_t, m_c = a_t / (a_t + b_t), a_c / (a_c + b_c)
    # E[X_c 1{X_c > X_t}] = m_c P(X_c' > X_t) with X_c' ~ Beta(a_c + 1, b_c) (size-biased), likewise for X_t
    c_above = m_c * _prob_greater(a_c + 1, b_c, a_t, b_t) - m_t * _prob_greater(a_c, b_c, a_t + 1, b_t)
    t_above = m_t * _prob_greater(a_t + 1, b_t, a_c, b_c) - m_c * _prob_greater(a_t, b_t, a_c + 1, b_c)
    return max(float(c_above), 0.0), max(float(t_above), 0.0)


# ---------------------------------------------------------------- data shape
def metric_name(column: str) -> str:
    """The metric a 0/1 column measures: `converted` is the conversion rate, others keep their name."""
    return "conversion_rate" if column == "converted" else str(column)


def _binary(frame: pd.DataFrame, column: str) -> pd.Series:
    """A 0/1 column as integers; true/false, yes/no and 1/0 are accepted, anything else is named."""
    if column not in frame.columns:
        raise DataValidationError(
            f"experiment: metric column {column!r} is not in the file; 0/1 columns found: "
            f"{[c for c in frame.columns if c not in ('unit_id', 'variant', 'revenue', 'exposed_at', 'segment')]}"
        )
    raw = frame[column]
    conv = raw
    if conv.dtype == object or isinstance(conv.dtype, pd.StringDtype):
        conv = conv.astype(str).str.strip().str.lower().map({"1": 1, "0": 0, "true": 1, "false": 0, "yes": 1, "no": 0})
    conv = pd.to_numeric(conv, errors="coerce")
    bad = conv.isna() | ~conv.isin([0, 1])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataValidationError(
            f"experiment: column {column!r} must be 0/1 or true/false; row {row} holds {raw.iloc[row]!r}"
        )
    return conv.astype(int)


def _unit_level(experiment: pd.DataFrame, metrics: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    units = experiment.copy()
    for col in metrics:
        units[col] = _binary(experiment, col)
    dupes = units["unit_id"].duplicated()
    if dupes.any():
        raise DataValidationError(
            f"experiment: unit_id {units['unit_id'][dupes].iloc[0]!r} appears more than "
            "once; each unit must be assigned to one variant once"
        )
    if "revenue" in units.columns:
        units["revenue"] = pd.to_numeric(units["revenue"], errors="coerce").fillna(0.0)
    g = units.groupby("variant", sort=True)
    frames = []
    for col in metrics:
        agg = g.agg(units=("unit_id", "size"), conversions=(col, "sum")).assign(metric=metric_name(col))
        if "revenue" in units.columns:
            agg["revenue"] = g["revenue"].sum()
        frames.append(agg)
    return pd.concat(frames), units


def summarise_variants(
    experiment: pd.DataFrame, metrics: list[str] | None = None, alpha: float = 0.05
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Per variant × 0/1 metric: units, conversions, rate with its Wilson (1 − alpha) interval, revenue.

    Accepts unit-level rows (unit_id, variant and one or more 0/1 `metrics` columns, `converted`
    by default [, revenue]) or one row per variant (variant, units, conversions [, revenue = total]).
    Returns (summary with a `metric` column, unit-level frame or None)."""
    if not isinstance(experiment, pd.DataFrame) or "variant" not in experiment.columns:
        raise DataValidationError(
            "experiment data needs a 'variant' column (contract: unit_id, variant, "
            "converted — or variant, units, conversions)"
        )
    metrics = list(metrics or ["converted"])
    if {"units", "conversions"} <= set(experiment.columns):
        if metrics != ["converted"]:
            raise DataValidationError(
                f"experiment: metrics {metrics} need one row per unit (unit_id, variant, the metric columns); "
                "this file is aggregated (variant, units, conversions) and holds one metric, conversions"
            )
        agg = experiment.groupby("variant", sort=True).agg(units=("units", "sum"), conversions=("conversions", "sum"))
        if "revenue" in experiment.columns:
            agg["revenue"] = experiment.groupby("variant")["revenue"].sum()
        agg["metric"] = "conversion_rate"
        units = None
    elif "unit_id" in experiment.columns and all(m in experiment.columns for m in metrics):
        agg, units = _unit_level(experiment, metrics)
    else:
        raise DataValidationError(
            "experiment data must hold either unit_id, variant and the metric column(s) "
            f"{metrics} (one row per unit) or variant, units, conversions (one row per variant); "
            f"found {list(experiment.columns)}"
        )
    agg = agg.astype({"units": int, "conversions": int})
    if (agg["conversions"] > agg["units"]).any():
        bad_v = agg.index[agg["conversions"] > agg["units"]][0]
        raise DataValidationError(f"experiment: variant {bad_v!r} has more conversions than units")
    agg["rate"] = agg["conversions"] / agg["units"]
    agg["rate_low"], agg["rate_high"] = wilson_interval(agg["conversions"].to_numpy(), agg["units"].to_numpy(), alpha)
    if "revenue" in agg.columns:
        agg["revenue_per_user"] = agg["revenue"] / agg["units"]
    out = agg.reset_index()
    return out[["variant", "metric", *[c for c in out.columns if c not in ("variant", "metric")]]], units


# ---------------------------------------------------------------- the whole reading
@dataclass
class ExperimentResult:
    """What a report shows and records about one experiment."""

    control: str
    summary: pd.DataFrame  # one row per variant × 0/1 metric
    comparisons: pd.DataFrame  # one row per treatment × metric
    srm: dict
    verdict: str
    verdicts: dict = field(default_factory=dict)  # treatment -> verdict on the decision metric
    notes: list = field(default_factory=list)
    correction: str = "holm"
    family: str = "metric"
    alpha: float = 0.05
    metrics: list = field(default_factory=lambda: ["conversion_rate"])  # 0/1 metrics, decision metric first
    min_effect: float | None = None
    power: float = 0.8
    labels: dict = field(default_factory=dict)  # metric -> words the report uses
    # the readings in the report's language (verdict, verdicts, notes and the verdict column stay English)
    verdict_shown: str = ""
    verdicts_shown: dict = field(default_factory=dict)
    notes_shown: list = field(default_factory=list)
    row_verdicts_shown: dict = field(default_factory=dict)


def _pick_control(variants: list[str], control: str | None) -> str:
    if control is not None:
        if control not in variants:
            close = difflib.get_close_matches(str(control), variants, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"control={control!r} is not a variant; variants are {variants}.{hint}")
        return control
    for v in variants:
        if str(v).lower() in _CONTROL_NAMES:
            return v
    return variants[0]


def _check_args(alpha, correction, srm_alpha, min_effect, family, direction) -> None:
    if family not in CORRECTION_FAMILIES:
        raise ValueError(f"family must be 'metric' or 'all'; got {family!r}")
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}; got {correction!r}")
    if direction not in DIRECTIONS:
        raise ValueError(f"effect_direction must be one of {', '.join(DIRECTIONS)}; got {direction!r}")
    check_fraction("alpha", alpha)
    check_fraction("srm_alpha", srm_alpha)
    if min_effect is not None and min_effect <= 0:
        raise ValueError(f"min_effect must be a positive relative lift (e.g. 0.05) or None; got {min_effect!r}")


def _sizing(p_c: float, n_t: float, n_c: float, alpha, power, min_effect, direction) -> dict:
    """Power for the stated minimum effect at this split and the users a test at this split needs."""
    if min_effect is None or not 0 < p_c < 1:
        return {"power_min_effect": np.nan, "needed_t": np.nan, "needed_c": np.nan}
    ways = ("increase", "decrease") if direction == "either" else (direction,)
    share = n_t / (n_t + n_c)
    best = None
    for way in ways:  # the harder direction decides: the test must see either
        p_t = target_rate(p_c, min_effect, way)
        pw = achieved_power(p_t, p_c, n_t, n_c, alpha)
        need = required_total_n(p_t, p_c, share, alpha, power)
        if best is None or pw < best["power_min_effect"]:
            best = {"power_min_effect": pw, "needed_t": need[0], "needed_c": need[1]}
    return best


def _binary_row(v, metric, t, c, alpha, power, min_effect, direction) -> dict:
    d, lo, hi = newcombe_interval(t.conversions, t.units, c.conversions, c.units, alpha)
    _, p = two_proportion_ztest(t.conversions, t.units, c.conversions, c.units)
    lift, llo, lhi = relative_lift_interval(t.conversions, t.units, c.conversions, c.units, alpha)
    loss_t, loss_c = expected_loss(int(t.conversions), int(t.units), int(c.conversions), int(c.units))
    return {
        "variant": v,
        "metric": metric,
        "control_value": c.rate,
        "value": t.rate,
        "difference": d,
        "ci_low": lo,
        "ci_high": hi,
        "rel_lift": lift,
        "lift_low": llo,
        "lift_high": lhi,
        "p_value": p,
        "prob_beat_control": prob_beat_control(int(t.conversions), int(t.units), int(c.conversions), int(c.units)),
        "risk_ship": loss_t,
        "risk_keep_control": loss_c,
        "mde_rate": minimum_detectable_rate(c.rate, t.units, c.units, alpha, power) if 0 <= c.rate < 1 else np.nan,
        **_sizing(c.rate, t.units, c.units, alpha, power, min_effect, direction),
        "boot_low": np.nan,
        "boot_high": np.nan,
    }


def _revenue_row(v, units, ctrl, alpha, n_boot, seed) -> dict:
    x = units.loc[units["variant"].astype(str) == v, "revenue"].to_numpy(float)
    y = units.loc[units["variant"].astype(str) == ctrl, "revenue"].to_numpy(float)
    w = welch_test(x, y, alpha)
    blo, bhi = bootstrap_mean_difference(x, y, n_boot=n_boot, alpha=alpha, seed=seed)
    base = y.mean()
    return {
        "variant": v,
        "metric": "revenue_per_user",
        "control_value": base,
        "value": x.mean(),
        "difference": w["difference"],
        "ci_low": w["ci_low"],
        "ci_high": w["ci_high"],
        "rel_lift": w["difference"] / base if base else np.nan,
        "lift_low": w["ci_low"] / base if base else np.nan,
        "lift_high": w["ci_high"] / base if base else np.nan,
        "p_value": w["p_value"],
        "boot_low": blo,
        "boot_high": bhi,
    }


def _adjust(comparisons: pd.DataFrame, correction: str, family: str) -> pd.Series:
    if family == "all":
        return pd.Series(adjust_pvalues(comparisons["p_value"].to_numpy(), correction), index=comparisons.index)
    return comparisons.groupby("metric")["p_value"].transform(
        lambda p: pd.Series(adjust_pvalues(p.to_numpy(), correction), index=p.index)
    )


def analyse_experiment(
    experiment: pd.DataFrame,
    control: str | None = None,
    planned_split: dict | None = None,
    alpha: float = 0.05,
    correction: str = "holm",
    srm_alpha: float = 0.001,
    power: float = 0.8,
    min_effect: float | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    family: str = "metric",
    metrics: list[str] | dict[str, str] | None = None,
    effect_direction: str = "either",
) -> ExperimentResult:
    """Compare every variant with the control on each 0/1 metric and (unit-level data with
    revenue) revenue per user, and say what the data support.

    Parameters
    ----------
    experiment : DataFrame
        Unit-level rows (unit_id, variant, 0/1 metric columns [, revenue]) or one row per variant
        (variant, units, conversions [, revenue]).
    control : str, optional
        The control variant; default the variant named control, a or baseline, else the first.
    planned_split : dict, optional
        Variant -> planned share for the sample-ratio check; default an equal split.
    alpha : float
        Significance level; every interval is at 1 − alpha.
    correction : {"holm", "fdr_bh", "none"}
        Multiple-testing correction of the p-values.
    srm_alpha : float
        p-value below which the split counts as a sample-ratio mismatch and stops the reading.
    power : float
        Power at which minimum detectable effects and sample sizes are stated.
    min_effect : float, optional
        Smallest relative lift that matters (0.05 = 5 %). With it, an interval inside ±min_effect
        reads "no effect of 5 % or more", and tests are sized for it; without it nothing is sized.
    n_boot, seed : int
        Bootstrap resamples and seed of the revenue-per-user interval.
    family : {"metric", "all"}
        "metric" adjusts across the variants within each metric, "all" across every
        variant × metric pair.
    metrics : list of str or dict, optional
        0/1 columns to analyse, the decision metric first (default ``["converted"]``); a dict maps
        each column to the label the report uses ({"retention_1": "day-1 retention"}).
    effect_direction : {"either", "increase", "decrease"}
        Which way `min_effect` must be detectable; "either" sizes for the harder direction.

    Returns
    -------
    ExperimentResult
    """
    _check_args(alpha, correction, srm_alpha, min_effect, family, effect_direction)
    labels = {metric_name(k): str(v) for k, v in metrics.items()} if isinstance(metrics, dict) else {}
    summary, units = summarise_variants(experiment, list(metrics) if metrics else None, alpha)
    summary["variant"] = [str(v) for v in summary["variant"]]
    variants = list(dict.fromkeys(summary["variant"]))
    if len(variants) < 2:
        raise DataValidationError(f"experiment: needs at least two variants; found {variants}")
    ctrl = _pick_control(variants, control)
    metric_names = list(dict.fromkeys(summary["metric"]))
    per_variant = summary.drop_duplicates("variant").set_index("variant")["units"]
    srm = srm_check(per_variant, planned_split)
    srm["alpha"] = srm_alpha
    srm["mismatch"] = bool(srm["p_value"] < srm_alpha)
    rows = []
    for metric in metric_names:
        by_v = summary[summary["metric"] == metric].set_index("variant")
        for v in variants:
            if v != ctrl:
                rows.append(
                    _binary_row(v, metric, by_v.loc[v], by_v.loc[ctrl], alpha, power, min_effect, effect_direction)
                )
    if units is not None and "revenue" in units.columns:
        rows += [_revenue_row(v, units, ctrl, alpha, n_boot, seed) for v in variants if v != ctrl]
    comparisons = pd.DataFrame(rows)
    comparisons["p_adjusted"] = _adjust(comparisons, correction, family)
    comparisons["significant"] = comparisons["p_adjusted"] < alpha
    comparisons["srm_p_value"] = srm["p_value"]
    result = ExperimentResult(
        control=ctrl,
        summary=summary,
        comparisons=comparisons,
        srm=srm,
        verdict="",
        correction=correction,
        family=family,
        alpha=alpha,
        metrics=metric_names,
        labels={m: labels.get(m, m.replace("_", " ")) for m in [*metric_names, "revenue_per_user"]},
        min_effect=min_effect,
        power=power,
    )
    return read_verdicts(result)
