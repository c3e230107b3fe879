"""The A/B section's tables: one row per variant, then each metric's comparisons with control.

Cells are text made by `workbench.report.format`, so the tables and the sentences read the same
numbers the same way (p-values "< 0.001", never "0"; interval levels from `alpha`).
"""

from __future__ import annotations

import pandas as pd

from workbench.analysis.campaigns.experiments import ExperimentResult
from workbench.analysis.campaigns.verdicts import metric_label
from workbench.i18n import _
from workbench.report.format import (
    EMPTY,
    confidence,
    currency_symbol,
    grouped,
    is_missing,
    localize_formatted,
    p_value,
    pct,
    pct_range,
    signed_pct,
)

__all__ = ["comparison_caption", "comparison_table", "experiment_record", "revenue_table", "variants_table"]


def _rate(rate: float, low: float, high: float, digits: int = 2) -> str:
    return f"{pct(rate, digits)} ({pct_range(low, high, digits)})"


def variants_table(result: ExperimentResult, currency: str = "") -> pd.DataFrame:
    """Per variant: users and each 0/1 metric's rate with its interval (and revenue per user)."""
    s = result.summary
    first = s.drop_duplicates("variant").set_index("variant")
    out = pd.DataFrame({_("Variant"): first.index, _("Users"): [grouped(u) for u in first["units"]]})
    level = localize_formatted(confidence(result.alpha))
    for metric in result.metrics:
        m = s[s["metric"] == metric].set_index("variant").reindex(first.index)
        label = metric_label(result, metric)
        out[_("{metric} ({level} CI)").format(metric=label.capitalize(), level=level)] = [
            _rate(r, lo, hi) for r, lo, hi in zip(m["rate"], m["rate_low"], m["rate_high"], strict=True)
        ]
    if "revenue_per_user" in first.columns:
        out[_revenue_header(currency)] = [grouped(v, 2) for v in first["revenue_per_user"]]
    return out


def _revenue_header(currency: str) -> str:
    if not currency:
        return _("Revenue per user")
    return _("Revenue per user ({currency})").format(currency=currency_symbol(currency))


def _ci(lo: float, hi: float, fmt: str) -> str:
    if is_missing(lo):
        return ""
    return _("{low} to {high}").format(low=localize_formatted(fmt.format(lo)), high=localize_formatted(fmt.format(hi)))


def comparison_table(result: ExperimentResult, metric: str) -> pd.DataFrame:
    """Each treatment against control on one 0/1 metric: difference and lift with intervals,
    p-values raw and adjusted, P(beat control), the risk of shipping, the MDE and (with a stated
    min_effect) the power this split had for it, and the verdict."""
    c = result.comparisons[result.comparisons["metric"] == metric]
    level = localize_formatted(confidence(result.alpha))
    shown = result.row_verdicts_shown or c["verdict"].to_dict()
    out = pd.DataFrame(
        {
            _("Variant"): c["variant"].to_numpy(),
            _("Rate"): [pct(v, 2) for v in c["value"]],
            _("Difference ({level} CI)").format(level=level): [
                _("{difference} pp ({range})").format(
                    difference=localize_formatted(f"{d * 100:+.2f}"), range=_ci(lo * 100, hi * 100, "{:+.2f}")
                )
                for d, lo, hi in zip(c["difference"], c["ci_low"], c["ci_high"], strict=True)
            ],
            _("Lift ({level} CI)").format(level=level): [
                f"{signed_pct(x)} ({_ci(lo, hi, '{:+.1%}')})"
                for x, lo, hi in zip(c["rel_lift"], c["lift_low"], c["lift_high"], strict=True)
            ],
            "p": [p_value(p) for p in c["p_value"]],
            _("p adjusted"): [p_value(p) for p in c["p_adjusted"]],
            _("P(beat control)"): [pct(p, 1) for p in c["prob_beat_control"]],
            _("Risk of shipping (pp)"): [localize_formatted(f"{r * 100:.3f}") for r in c["risk_ship"]],
            _("MDE (lift)"): [
                signed_pct(m / b - 1) if b else EMPTY for m, b in zip(c["mde_rate"], c["control_value"], strict=True)
            ],
        }
    )
    if result.min_effect is not None:
        out[_("Power for ±{min_effect}").format(min_effect=pct(result.min_effect))] = [
            pct(p) for p in c["power_min_effect"]
        ]
    out[_("Verdict")] = [shown[i] for i in c.index]
    return out


def revenue_table(result: ExperimentResult, currency: str = "") -> pd.DataFrame | None:
    """Revenue per user against control (Welch and bootstrap intervals); None without revenue."""
    r = result.comparisons[result.comparisons["metric"] == "revenue_per_user"]
    if r.empty:
        return None
    level = localize_formatted(confidence(result.alpha))
    return pd.DataFrame(
        {
            _("Variant"): r["variant"].to_numpy(),
            _revenue_header(currency): [grouped(v, 2) for v in r["value"]],
            _("Difference, Welch {level} CI").format(level=level): [
                f"{localize_formatted(f'{d:+,.2f}')} ({_ci(lo, hi, '{:+,.2f}')})"
                for d, lo, hi in zip(r["difference"], r["ci_low"], r["ci_high"], strict=True)
            ],
            _("Bootstrap {level} CI").format(level=level): [
                _ci(lo, hi, "{:+,.2f}") for lo, hi in zip(r["boot_low"], r["boot_high"], strict=True)
            ],
            _("Lift"): [signed_pct(x) for x in r["rel_lift"]],
            "p": [p_value(p) for p in r["p_value"]],
            _("p adjusted"): [p_value(p) for p in r["p_adjusted"]],
        }
    )


def experiment_record(result: ExperimentResult) -> dict:
    """What results.json keeps of an experiment: setup, SRM, every variant and comparison, the verdict."""
    return {
        "control": result.control,
        "srm_p_value": result.srm["p_value"],
        "srm_alpha": result.srm["alpha"],
        "srm_mismatch": result.srm["mismatch"],
        "correction": result.correction,
        "correction_family": result.family,
        "alpha": result.alpha,
        "min_effect": result.min_effect,
        "metrics": {m: result.labels[m] for m in result.metrics},
        "variants": result.summary,
        "comparisons": result.comparisons,
        "verdict": result.verdict,
    }


def comparison_caption(result: ExperimentResult, metric: str) -> str:
    """'Day-7 retention: each variant against gate_30 (gate_30: 19.02%)'."""
    base = result.comparisons.loc[result.comparisons["metric"] == metric, "control_value"].iloc[0]
    label = metric_label(result, metric)
    return _("{metric}: each variant against {control} ({control}: {value})").format(
        metric=label[:1].upper() + label[1:], control=result.control, value=pct(base, 2)
    )
