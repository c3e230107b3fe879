"""Attribution: rule-based models, the absorbing Markov chain, Shapley values, and all of them side by side."""

from workbench.analysis.campaigns.attribution.comparison import MODEL_LABELS, compare_attribution
from workbench.analysis.campaigns.attribution.markov import markov_attribution, markov_from_transitions
from workbench.analysis.campaigns.attribution.rules import heuristic_attribution, paths_from_journeys
from workbench.analysis.campaigns.attribution.shapley import shapley_attribution
from workbench.analysis.campaigns.attribution.summary import PathSummary, path_conversions, summarise_paths

__all__ = [
    "MODEL_LABELS",
    "PathSummary",
    "compare_attribution",
    "heuristic_attribution",
    "markov_attribution",
    "markov_from_transitions",
    "path_conversions",
    "paths_from_journeys",
    "shapley_attribution",
    "summarise_paths",
]
