"""One call from the report's parameters to every result the budget-planning report shows, and
the JSON-ready records it publishes, so that the notebook only loads, calls and displays."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from workbench.analysis.budget.allocation import plan_allocation, years_plan
from workbench.analysis.budget.bootstrap import Bootstrap, block_bootstrap
from workbench.analysis.budget.decomposition import contribution_summary, contributions_by_period
from workbench.analysis.budget.diagnostics import holdout_check, parameter_stability, spend_warnings
from workbench.analysis.budget.model import MMMFit, MMMSpec, fit_mmm
from workbench.analysis.budget.response import current_spend, marginal_table, response_curves
from workbench.memo import memoized
from workbench.validation import check_fraction

__all__ = ["BudgetStudy", "run_study"]


@dataclass
class BudgetStudy:
    """Everything the report shows: the fit, its draws and the tables made from them."""

    spend: pd.DataFrame
    outcome: pd.Series
    fit: MMMFit
    boot: Bootstrap
    level: float
    by_period: pd.DataFrame
    summary: pd.DataFrame
    marginal: pd.DataFrame
    curves: pd.DataFrame
    stability: pd.DataFrame
    warnings: list[dict]
    holdout: pd.DataFrame | None
    holdout_summary: dict | None
    train_fit: MMMFit | None
    allocation: pd.DataFrame
    uplift: dict
    plan: pd.DataFrame | None = None
    plan_summary: dict = field(default_factory=dict)

    def _not_identified(self) -> list[str]:
        st = self.stability
        rows = st[(st["parameter"] == "half_saturation") & ~st["identified"]]
        return [str(c) for c in rows["channel"]]

    def records(self) -> dict:
        """JSON-ready results: contributions, roas, marginal_roas, response_curves, holdout_error,
        allocation, expected_uplift, plus model, warnings and (with a plan) budget_plan."""
        s = self.summary
        ch = s[s["kind"] == "channel"]
        curves = {
            c: {
                "spend": g["spend"].round(2).tolist(),
                "response": g["response"].round(2).tolist(),
                "lower": g["lower"].round(2).tolist(),
                "upper": g["upper"].round(2).tolist(),
                "current_spend": float(g["current_spend"].iloc[0]),
            }
            for c, g in self.curves.groupby("channel", sort=False)
        }
        out = {
            "contributions": s[["component", "kind", "contribution", "lower", "upper", "share"]].to_dict("records"),
            "roas": {
                r["component"]: {"roas": r["roas"], "interval": [r["roas_lower"], r["roas_upper"]], "spend": r["spend"]}
                for _, r in ch.iterrows()
            },
            "marginal_roas": {
                r["channel"]: {
                    "marginal_roas": r["marginal_roas"],
                    "interval": [r["marginal_lower"], r["marginal_upper"]],
                    "current_spend_per_week": r["current_spend"],
                }
                for _, r in self.marginal.iterrows()
            },
            "response_curves": curves,
            "holdout_error": self.holdout_summary or {},
            "allocation": self.allocation.to_dict("records"),
            "expected_uplift": self.uplift,
            "model": {
                "adstock": self.fit.spec.adstock,
                "weeks": len(self.outcome),
                "r2": self.fit.r2(),
                "nrmse": self.fit.nrmse(),
                "mape": self.fit.mape(),
                "bootstrap_draws": len(self.boot),
                "block_length": self.boot.block,
                "interval_level": self.level,
                "parameters": self.fit.params_frame().reset_index().to_dict("records"),
                # channels whose half-saturation point the data cannot place (see parameter_stability)
                "saturation_not_identified": self._not_identified(),
            },
            "data_warnings": self.warnings,
        }
        if self.plan is not None:
            out["budget_plan"] = {
                y: {r["channel"]: round(float(r["optimal"]), 2) for _, r in g.iterrows()}
                for y, g in self.plan.groupby("year", sort=False)
            }
            out["budget_plan_outcome"] = self.plan_summary
        return out


@memoized
def run_study(
    spend: pd.DataFrame,
    outcome: pd.Series,
    spec: MMMSpec,
    *,
    bootstrap_draws: int = 100,
    interval_level: float = 0.9,
    holdout_weeks: int = 13,
    current_weeks: int = 13,
    budget: float = 0.0,
    plan_weeks: int = 52,
    channel_bounds: Mapping[str, list[float]] | None = None,
    default_bounds: tuple[float, float] = (0.5, 2.0),
    plan_budgets: Mapping[str, float] | None = None,
    max_correlation: float = 0.7,
) -> BudgetStudy:
    """Fit, bootstrap, decompose, check on a holdout, and allocate. `budget` 0 means the current
    run-rate over `plan_weeks`; `holdout_weeks` 0 skips the holdout check."""
    level = check_fraction("interval_level", interval_level)
    fit = fit_mmm(spend, outcome, spec)
    boot = block_bootstrap(fit, bootstrap_draws, seed=spec.seed)
    holdout = hsum = train = None
    if holdout_weeks:
        holdout, hsum, train = holdout_check(
            spend, outcome, spec, holdout_weeks, max(20, bootstrap_draws // 2), level, spec.seed
        )
    cur = current_spend(fit, current_weeks)
    total = float(budget) if budget else float(cur.sum() * plan_weeks)
    alloc, uplift = plan_allocation(
        fit,
        boot,
        total,
        plan_weeks,
        channel_bounds,
        (float(default_bounds[0]), float(default_bounds[1])),
        current_weeks,
        level,
    )
    plan = None
    plan_sum: dict = {}
    if plan_budgets:
        plan, plan_sum = years_plan(
            fit,
            boot,
            plan_budgets,
            52,
            channel_bounds,
            (float(default_bounds[0]), float(default_bounds[1])),
            current_weeks,
            level,
        )
    return BudgetStudy(
        spend=spend,
        outcome=outcome,
        fit=fit,
        boot=boot,
        level=level,
        by_period=contributions_by_period(fit),
        summary=contribution_summary(fit, boot, level),
        marginal=marginal_table(fit, boot, current_weeks, level),
        curves=response_curves(fit, boot, current_weeks, level, points=31),
        stability=parameter_stability(fit, boot, level),
        warnings=spend_warnings(spend, max_correlation),
        holdout=holdout,
        holdout_summary=hsum,
        train_fit=train,
        allocation=alloc,
        uplift=uplift,
        plan=plan,
        plan_summary=plan_sum,
    )
