"""Budget planning with a media-mix model: adstock and Hill saturation per channel, fitted by
regularised regression with a hyperparameter search, bootstrap uncertainty, decomposition,
response curves, diagnostics and budget allocation (see docs/budget-planning.md)."""

from workbench.analysis.budget.allocation import optimise_allocation, plan_allocation, years_plan
from workbench.analysis.budget.bootstrap import Bootstrap, block_bootstrap
from workbench.analysis.budget.decomposition import contribution_summary, contributions_by_period
from workbench.analysis.budget.diagnostics import holdout_check, parameter_stability, spend_warnings
from workbench.analysis.budget.model import MMMFit, MMMSpec, fit_mmm
from workbench.analysis.budget.panel import weekly_panel
from workbench.analysis.budget.response import current_spend, marginal_table, response_curves
from workbench.analysis.budget.study import BudgetStudy, run_study

__all__ = [
    "Bootstrap",
    "BudgetStudy",
    "MMMFit",
    "MMMSpec",
    "block_bootstrap",
    "contribution_summary",
    "contributions_by_period",
    "current_spend",
    "fit_mmm",
    "holdout_check",
    "marginal_table",
    "optimise_allocation",
    "parameter_stability",
    "plan_allocation",
    "response_curves",
    "run_study",
    "spend_warnings",
    "weekly_panel",
    "years_plan",
]
