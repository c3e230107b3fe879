"""General statistics shared by every report: intervals, corrections, power, timing, periods."""

from workbench.analysis.stats.multiple_testing import CORRECTIONS, adjust_pvalues
from workbench.analysis.stats.periods import monthly_frame
from workbench.analysis.stats.power import achieved_power, minimum_detectable_rate, required_n_per_arm
from workbench.analysis.stats.proportions import (
    newcombe_interval,
    relative_lift_interval,
    two_proportion_ztest,
    wilson_interval,
)
from workbench.analysis.stats.timing import (
    best_times,
    best_times_by,
    hour_weekday_table,
    robust_anomalies,
    shrink_rates,
)

__all__ = [
    "CORRECTIONS",
    "achieved_power",
    "adjust_pvalues",
    "best_times",
    "best_times_by",
    "hour_weekday_table",
    "minimum_detectable_rate",
    "monthly_frame",
    "newcombe_interval",
    "relative_lift_interval",
    "required_n_per_arm",
    "robust_anomalies",
    "shrink_rates",
    "two_proportion_ztest",
    "wilson_interval",
]
