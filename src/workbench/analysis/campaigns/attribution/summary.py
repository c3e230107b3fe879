"""What attribution reads of a campaign's paths, as aggregates that do not grow with the paths.

Every model of the post-mortem needs less than the list of distinct paths: rule-based credit is a sum
per channel, the first-order (or order-k) Markov chain reads transition counts between states, and
Shapley reads the journeys per *set* of channels (at most 2^channels sets, capped by MAX_CHANNELS). A
`PathSummary` holds exactly these, plus the path-length table and the top paths, so an engine can
reduce billions of touches to O(channels² + top_n) rows (`expressions.path_summary`) and the kernel
runs every model on them with the numbers it would get from the paths (`summarise_paths` builds the
same summary from a paths frame, which is how the tests hold the engine to the path-based models).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.analysis.campaigns.attribution.markov import transition_counts
from workbench.analysis.campaigns.attribution.rules import (
    PATH_SEPARATOR,
    heuristic_attribution,
    split_paths,
    validate_paths,
)
from workbench.analysis.campaigns.attribution.shapley import MAX_CHANNELS

__all__ = ["PATH_MODELS", "PathSummary", "path_conversions", "summarise_paths"]

PATH_MODELS = ("first_touch", "last_touch", "linear", "position_based")  # rule-based models paths allow
COUNTS = ["conversions", "non_conversions", "value"]


@dataclass
class PathSummary:
    """Aggregates of a set of journeys, each bounded by the channels (not by the paths):

    heuristic: channel, <model>_conversions, <model>_value for PATH_MODELS (as `heuristic_attribution`);
    transitions: from_state, to_state, journeys, value (`markov.transition_counts` at `order`);
    channel_sets: path (the distinct channels, sorted, " > "), conversions, non_conversions, value; None
    when there are more than max_channels channels (Shapley refuses those);
    lengths: length (touches), journeys, conversions, non_conversions, value;
    top_paths: the top_n paths in the report's order (conversions, then non-conversions, descending);
    totals: paths (distinct), journeys, conversions, non_conversions, value."""

    heuristic: pd.DataFrame
    transitions: pd.DataFrame
    order: int
    channel_sets: pd.DataFrame | None
    lengths: pd.DataFrame
    top_paths: pd.DataFrame
    totals: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Rows held in the kernel: what the engine sent back."""
        frames = (self.heuristic, self.transitions, self.channel_sets, self.lengths, self.top_paths)
        return sum(len(f) for f in frames if f is not None)


def path_conversions(paths: Any) -> float:
    """Total conversions of a paths frame or a `PathSummary` (the attribution caption's count)."""
    if isinstance(paths, PathSummary):
        return float(paths.totals["conversions"])
    return float(paths["conversions"].sum())


def top_paths(paths: pd.DataFrame, top_n: int) -> pd.DataFrame:
    """The first top_n paths by conversions, then non-conversions (descending), then path."""
    order = paths.sort_values(["conversions", "non_conversions", "path"], ascending=[False, False, True], kind="stable")
    return order.head(top_n).reset_index(drop=True)


def summarise_paths(
    paths: pd.DataFrame,
    order: int = 1,
    top_n: int = 20,
    max_channels: int = MAX_CHANNELS,
    sep: str = PATH_SEPARATOR,
) -> PathSummary:
    """The summary of a paths frame (contract path, conversions [, non_conversions, value]), in pandas."""
    p = validate_paths(paths)
    p["path"] = p["path"].astype(object)  # plain strings, as an engine's frames hold them
    steps = split_paths(p["path"], sep)
    heur = heuristic_attribution(paths=p, models=PATH_MODELS, sep=sep)
    sets = p.assign(path=[" > ".join(sorted(set(s))) for s in steps])
    n_channels = len(set().union(*map(set, steps))) if steps else 0
    channel_sets = None
    if n_channels <= max_channels:
        channel_sets = sets.groupby("path", sort=True)[COUNTS].sum().reset_index()
    by_length = p.assign(length=[len(s) for s in steps], journeys=p["conversions"] + p["non_conversions"])
    lengths = by_length.groupby("length", sort=True)[["journeys", *COUNTS]].sum().reset_index()
    totals = {"paths": float(len(p)), "journeys": float(lengths["journeys"].sum())}
    totals |= {c: float(p[c].sum()) for c in COUNTS}
    return PathSummary(
        heuristic=heur,
        transitions=transition_counts(p, order, sep),
        order=int(order),
        channel_sets=channel_sets,
        lengths=lengths,
        top_paths=top_paths(p, top_n),
        totals=totals,
    )
