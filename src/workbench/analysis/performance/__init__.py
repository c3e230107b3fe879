"""Performance: site traffic for a month, changes beyond normal variation, forecasts, the marketing plan."""

from workbench.analysis.performance.changes import change_flags
from workbench.analysis.performance.forecast import fit_forecast
from workbench.analysis.performance.plan import format_metric, metric_label

__all__ = ["change_flags", "fit_forecast", "format_metric", "metric_label"]
