"""A/B and multivariate tests read honestly: SRM first, then intervals, corrected p-values,
power, and a verdict in words.

Order matters: a sample-ratio mismatch (the split is not what was planned) means assignment or
logging is broken and every later number is suspect, so it stops the reading. Conversion is
compared with a Newcombe interval and a pooled z-test, revenue per user with Welch's t-test
(revenue is skewed and arms differ in variance) plus a seeded bootstrap interval; several
variants × metrics are corrected with Holm or Benjamini–Hochberg. "Not significant" comes with
the users still needed, so nobody reads it as "no effect".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special, stats

from workbench.analysis.stats.multiple_testing import CORRECTIONS, adjust_pvalues
from workbench.analysis.stats.power import achieved_power, minimum_detectable_rate, required_n_per_arm
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
    "ExperimentResult",
    "analyse_experiment",
    "bootstrap_mean_difference",
    "explain_experiment",
    "prob_beat_control",
    "srm_check",
    "summarise_variants",
    "welch_test",
]

CORRECTION_FAMILIES = ("metric", "all")

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


def welch_test(x, y) -> dict:
    """Welch's unequal-variance t-test of mean(x) − mean(y), with its 95 % interval."""
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
    q = stats.t.ppf(0.975, df)
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


def prob_beat_control(conv_t: int, n_t: int, conv_c: int, n_c: int) -> float:
    """P(p_t > p_c) under independent Beta(1, 1) priors, in closed form (Evan Miller's sum).

    Exact, so reports do not wobble with Monte-Carlo noise; the sum runs over the treatment's
    conversions (fine up to millions)."""
    a_t, b_t = 1 + conv_t, 1 + n_t - conv_t
    a_c, b_c = 1 + conv_c, 1 + n_c - conv_c
    if min(b_t, b_c) < 1 or min(a_t, a_c) < 1:
        raise ValueError("conversions must lie between 0 and units")
    i = np.arange(a_t, dtype=float)
    log_terms = (
        special.betaln(a_c + i, b_c + b_t) - np.log(b_t + i) - special.betaln(1 + i, b_t) - special.betaln(a_c, b_c)
    )
    # Evan Miller's closed form: P(p_t > p_c) = sum_{i < a_t} B(a_c+i, b_c+b_t) / ((b_t+i) B(1+i, b_t) B(a_c, b_c))
    return float(min(max(np.exp(special.logsumexp(log_terms)), 0.0), 1.0))


# ---------------------------------------------------------------- data shape
def summarise_variants(experiment: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Per-variant units, conversions, rate (Wilson interval) and revenue.

    Accepts unit-level rows (unit_id, variant, converted [, revenue]) or one row per variant
    (variant, units, conversions [, revenue = total]). Returns (summary, unit-level frame or None).
    """
    if not isinstance(experiment, pd.DataFrame) or "variant" not in experiment.columns:
        raise DataValidationError(
            "experiment data needs a 'variant' column (contract: unit_id, variant, "
            "converted — or variant, units, conversions)"
        )
    if {"units", "conversions"} <= set(experiment.columns):
        agg = experiment.groupby("variant", sort=True).agg(units=("units", "sum"), conversions=("conversions", "sum"))
        if "revenue" in experiment.columns:
            agg["revenue"] = experiment.groupby("variant")["revenue"].sum()
        units = None
    elif {"unit_id", "converted"} <= set(experiment.columns):
        units = experiment.copy()
        conv = units["converted"]
        if conv.dtype == object:
            conv = (
                conv.astype(str).str.strip().str.lower().map({"1": 1, "0": 0, "true": 1, "false": 0, "yes": 1, "no": 0})
            )
        units["converted"] = pd.to_numeric(conv, errors="coerce")
        bad = units["converted"].isna() | ~units["converted"].isin([0, 1])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataValidationError(
                f"experiment: column 'converted' must be 0/1 or true/false; row {row} "
                f"holds {experiment['converted'].iloc[row]!r}"
            )
        dupes = units["unit_id"].duplicated()
        if dupes.any():
            raise DataValidationError(
                f"experiment: unit_id {units['unit_id'][dupes].iloc[0]!r} appears more than "
                "once; each unit must be assigned to one variant once"
            )
        if "revenue" in units.columns:
            units["revenue"] = pd.to_numeric(units["revenue"], errors="coerce").fillna(0.0)
        g = units.groupby("variant", sort=True)
        agg = g.agg(units=("unit_id", "size"), conversions=("converted", "sum"))
        if "revenue" in units.columns:
            agg["revenue"] = g["revenue"].sum()
    else:
        raise DataValidationError(
            "experiment data must hold either unit_id, variant, converted (one row per unit) "
            f"or variant, units, conversions (one row per variant); found {list(experiment.columns)}"
        )
    agg = agg.astype({"units": int, "conversions": int})
    if (agg["conversions"] > agg["units"]).any():
        bad_v = agg.index[agg["conversions"] > agg["units"]][0]
        raise DataValidationError(f"experiment: variant {bad_v!r} has more conversions than units")
    agg["rate"] = agg["conversions"] / agg["units"]
    agg["rate_low"], agg["rate_high"] = wilson_interval(agg["conversions"].to_numpy(), agg["units"].to_numpy())
    if "revenue" in agg.columns:
        agg["revenue_per_user"] = agg["revenue"] / agg["units"]
    return agg.reset_index(), units


# ---------------------------------------------------------------- the whole reading
@dataclass
class ExperimentResult:
    """What a report shows and records about one experiment."""

    control: str
    summary: pd.DataFrame  # one row per variant
    comparisons: pd.DataFrame  # one row per treatment × metric
    srm: dict
    verdict: str
    verdicts: dict = field(default_factory=dict)  # treatment -> verdict
    notes: list = field(default_factory=list)
    correction: str = "holm"
    family: str = "metric"
    alpha: float = 0.05


def _pick_control(variants: list[str], control: str | None) -> str:
    if control is not None:
        if control not in variants:
            raise ValueError(f"control={control!r} is not a variant; variants are {variants}")
        return control
    for v in variants:
        if str(v).lower() in _CONTROL_NAMES:
            return v
    return variants[0]


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
) -> ExperimentResult:
    """Compare every variant with the control on conversion rate and (unit-level data with revenue)
    revenue per user, and say what to do.

    min_effect: the smallest relative lift worth detecting (e.g. 0.05); when the observed lift is
    smaller, the "more users needed" figure is for this effect instead. correction: holm, fdr_bh
    or none. family: "metric" adjusts across the variants within each metric (the decision on the
    primary metric is not diluted by secondary ones), "all" across every variant × metric pair.
    """
    if family not in CORRECTION_FAMILIES:
        raise ValueError(f"family must be 'metric' or 'all'; got {family!r}")
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}; got {correction!r}")
    check_fraction("alpha", alpha)
    check_fraction("srm_alpha", srm_alpha)
    if min_effect is not None and min_effect <= 0:
        raise ValueError(f"min_effect must be a positive relative lift (e.g. 0.05) or None; got {min_effect!r}")
    summary, units = summarise_variants(experiment)
    variants = [str(v) for v in summary["variant"]]
    summary["variant"] = variants
    if len(variants) < 2:
        raise DataValidationError(f"experiment: needs at least two variants; found {variants}")
    ctrl = _pick_control(variants, control)
    srm = srm_check(summary.set_index("variant")["units"], planned_split)
    srm["alpha"] = srm_alpha
    srm["mismatch"] = bool(srm["p_value"] < srm_alpha)
    c = summary.set_index("variant").loc[ctrl]
    rows = []
    for v in variants:
        if v == ctrl:
            continue
        t = summary.set_index("variant").loc[v]
        d, lo, hi = newcombe_interval(t.conversions, t.units, c.conversions, c.units, alpha)
        _, p = two_proportion_ztest(t.conversions, t.units, c.conversions, c.units)
        lift, llo, lhi = relative_lift_interval(t.conversions, t.units, c.conversions, c.units, alpha)
        rows.append(
            {
                "variant": v,
                "metric": "conversion_rate",
                "control_value": c.rate,
                "value": t.rate,
                "difference": d,
                "ci_low": lo,
                "ci_high": hi,
                "rel_lift": lift,
                "lift_low": llo,
                "lift_high": lhi,
                "p_value": p,
                "prob_beat_control": prob_beat_control(
                    int(t.conversions), int(t.units), int(c.conversions), int(c.units)
                ),
                "power": achieved_power(t.rate, c.rate, t.units, c.units, alpha),
                "mde_rate": minimum_detectable_rate(c.rate, t.units, c.units, alpha, power),
                "boot_low": np.nan,
                "boot_high": np.nan,
            }
        )
        if units is not None and "revenue" in units.columns:
            x = units.loc[units["variant"].astype(str) == v, "revenue"].to_numpy(float)
            y = units.loc[units["variant"].astype(str) == ctrl, "revenue"].to_numpy(float)
            w = welch_test(x, y)
            blo, bhi = bootstrap_mean_difference(x, y, n_boot=n_boot, alpha=alpha, seed=seed)
            base = y.mean()
            rows.append(
                {
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
                    "prob_beat_control": np.nan,
                    "power": np.nan,
                    "mde_rate": np.nan,
                    "boot_low": blo,
                    "boot_high": bhi,
                }
            )
    comparisons = pd.DataFrame(rows)
    if family == "all":
        comparisons["p_adjusted"] = adjust_pvalues(comparisons["p_value"].to_numpy(), correction)
    else:
        comparisons["p_adjusted"] = comparisons.groupby("metric")["p_value"].transform(
            lambda p: pd.Series(adjust_pvalues(p.to_numpy(), correction), index=p.index)
        )
    comparisons["significant"] = comparisons["p_adjusted"] < alpha
    comparisons["srm_p_value"] = srm["p_value"]
    verdicts, notes = _verdicts(summary, comparisons, ctrl, srm, alpha, power, min_effect)
    comparisons["verdict"] = comparisons["variant"].map(verdicts)
    overall = _overall(verdicts, comparisons, srm)
    return ExperimentResult(
        control=ctrl,
        summary=summary,
        comparisons=comparisons,
        srm=srm,
        verdict=overall,
        verdicts=verdicts,
        notes=notes,
        correction=correction,
        family=family,
        alpha=alpha,
    )


def _verdicts(summary, comparisons, ctrl, srm, alpha, power, min_effect):
    by_v = summary.set_index("variant")
    c = by_v.loc[ctrl]
    verdicts, notes = {}, []
    conv = comparisons[comparisons["metric"] == "conversion_rate"].set_index("variant")
    rev = comparisons[comparisons["metric"] == "revenue_per_user"].set_index("variant")
    for v, row in conv.iterrows():
        if srm["mismatch"]:
            verdicts[v] = f"stop: SRM detected (p = {srm['p_value']:.2g})"
            continue
        rev_worse = v in rev.index and bool(rev.loc[v, "significant"]) and rev.loc[v, "difference"] < 0
        rev_better = v in rev.index and bool(rev.loc[v, "significant"]) and rev.loc[v, "difference"] > 0
        if row["significant"] and row["difference"] > 0:
            if rev_worse:
                verdicts[v] = f"inconclusive: {v} converts better but earns less per user"
            else:
                verdicts[v] = f"ship {v}"
            continue
        if row["significant"] and row["difference"] < 0:
            verdicts[v] = f"keep {ctrl}: {v} converts worse"
            continue
        if rev_better:
            verdicts[v] = f"ship {v}"
            notes.append(f"{v}: conversion rate not significantly different, revenue per user significantly higher")
            continue
        p_t, p_c = by_v.loc[v, "rate"], c.rate
        n_now = (by_v.loc[v, "units"] + c.units) / 2
        target = p_t
        if min_effect is not None and (p_c == 0 or abs(p_t / p_c - 1) < min_effect):
            target = min(p_c * (1 + min_effect), 1.0)
        if target == p_c:
            verdicts[v] = (
                f"inconclusive: no difference observed; this test could detect rates of "
                f"{row['mde_rate']:.2%} or more against {p_c:.2%}"
            )
            continue
        need = required_n_per_arm(target, p_c, alpha, power)
        more = max(need - n_now, 0)
        verdicts[v] = f"inconclusive: about {_round_users(more):,} more users per arm needed"
    return verdicts, notes


def _round_users(n: float) -> int:
    if not math.isfinite(n):
        return 0
    n = int(math.ceil(n))
    if n < 1000:
        return n
    digits = len(str(n)) - 2
    return int(math.ceil(n / 10**digits) * 10**digits)


def _overall(verdicts: dict, comparisons: pd.DataFrame, srm: dict) -> str:
    if srm["mismatch"]:
        return f"stop: SRM detected (p = {srm['p_value']:.2g}); fix assignment before reading results"
    ships = [v for v, text in verdicts.items() if text.startswith("ship ")]
    if ships:
        conv = comparisons[comparisons["metric"] == "conversion_rate"].set_index("variant")
        best = max(ships, key=lambda v: conv.loc[v, "value"])
        return f"ship {best}"
    if verdicts and all(text.startswith("keep ") for text in verdicts.values()):
        return next(iter(verdicts.values())).split(":")[0]
    inconclusive = [text for text in verdicts.values() if text.startswith("inconclusive")]
    return inconclusive[0] if inconclusive else "inconclusive"


_CORRECTION_NAMES = {"holm": "Holm", "fdr_bh": "Benjamini–Hochberg", "bonferroni": "Bonferroni", "none": "no"}


def explain_experiment(result: ExperimentResult) -> list[str]:
    """The reading in sentences, one per treatment, plus the multiple-testing choice, so the
    verdict, the table and the lessons say the same thing."""
    corr = _CORRECTION_NAMES.get(result.correction, result.correction)
    conv = result.comparisons[result.comparisons["metric"] == "conversion_rate"].set_index("variant")
    n_metrics = result.comparisons["metric"].nunique()
    if result.family == "metric":
        fam = (
            f"p-values are adjusted with the {corr} correction across the {len(conv)} "
            f"{'variants' if len(conv) != 1 else 'variant'} within each "
            f"metric (conversion rate is the decision metric and is not diluted by the secondary one)"
        )
    else:
        fam = (
            f"p-values are adjusted with the {corr} correction across all {len(result.comparisons)} "
            f"variant × metric comparisons ({n_metrics} metrics)"
        )
    lines = [f"Significance at {result.alpha:.0%} after adjustment: {fam}."]
    for v, r in conv.iterrows():
        lift = (
            f"{r['rel_lift']:+.1%} (95% CI {r['lift_low']:+.1%} to {r['lift_high']:+.1%})"
            if pd.notna(r["lift_low"])
            else f"{r['rel_lift']:+.1%}"
        )
        lines.append(
            f"{v}: conversion rate {r['value']:.2%} against {r['control_value']:.2%} for {result.control}, "
            f"{lift}, adjusted p = {r['p_adjusted']:.3g}, power {r['power']:.0%} → "
            f"{result.verdicts.get(v, '')}."
        )
    return lines
