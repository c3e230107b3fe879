"""Every attribution model side by side, from touchpoints, aggregated paths or a `PathSummary`.

Disagreement between models is information: a channel that wins under last touch but shrinks
under Markov and Shapley closes journeys that other channels opened.
"""

from __future__ import annotations

import pandas as pd

from workbench.analysis.campaigns.attribution.markov import markov_attribution
from workbench.analysis.campaigns.attribution.rules import heuristic_attribution, paths_from_journeys
from workbench.analysis.campaigns.attribution.shapley import MAX_CHANNELS, shapley_attribution
from workbench.analysis.campaigns.attribution.summary import PathSummary

__all__ = ["MODEL_LABELS", "compare_attribution"]

MODEL_LABELS = {
    "first_touch": "First touch",
    "last_touch": "Last touch",
    "linear": "Linear",
    "time_decay": "Time decay",
    "position_based": "Position-based (40/20/40)",
    "markov": "Markov (data-driven)",
    "shapley": "Shapley (equal split per journey)",
    "shapley_rate": "Shapley (conversion rates)",
}


def compare_attribution(
    paths: pd.DataFrame | PathSummary | None = None,
    journeys: pd.DataFrame | None = None,
    half_life_days: float = 7.0,
    markov_order: int = 1,
    max_shapley_channels: int = MAX_CHANNELS,
    time_decay: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Long table: model, channel, conversions, value, share (of the model's conversions).

    With journeys (from touchpoints) every model runs, time decay included; with paths only,
    time decay is absent (timestamps are lost in aggregation). Given both, rule-based models use
    the journeys and Markov/Shapley the paths (e.g. paths aggregated in DuckDB from a big file).
    Shapley is skipped, not failed, when there are more than `max_shapley_channels` channels; its
    conversion-rate game runs only when the paths carry non-conversions. `time_decay` (channel,
    time_decay_conversions, time_decay_value: computed on an engine from the touches, see
    `workbench.data.engines.expressions.time_decay_credit`) adds time decay to a paths-only run.
    `paths` may be a `PathSummary` (aggregates computed on an engine): every model then reads it
    instead of the paths, with the same numbers.
    """
    if paths is None and journeys is None:
        raise ValueError("give paths= or journeys= (or both)")
    if isinstance(paths, PathSummary) and journeys is not None:
        raise ValueError("give a PathSummary or journeys, not both: the summary already holds the rule-based credit")
    if journeys is not None:
        heur = heuristic_attribution(journeys=journeys, half_life_days=half_life_days)
        if paths is None:
            paths = paths_from_journeys(journeys)
    else:
        heur = paths.heuristic.copy() if isinstance(paths, PathSummary) else heuristic_attribution(paths=paths)
        if time_decay is not None:
            td = time_decay.set_index("channel")[["time_decay_conversions", "time_decay_value"]]
            heur = heur.join(td.astype(float), on="channel").fillna({c: 0.0 for c in td.columns})
    frames = []
    for col in heur.columns:
        if col.endswith("_conversions"):
            model = col[: -len("_conversions")]
            frames.append(
                pd.DataFrame(
                    {
                        "model": model,
                        "channel": heur["channel"],
                        "conversions": heur[col],
                        "value": heur[f"{model}_value"],
                    }
                )
            )
    mk = markov_attribution(paths, order=markov_order).credit
    frames.append(mk[["channel", "conversions", "value"]].assign(model="markov"))
    if isinstance(paths, PathSummary):  # Shapley reads only the journeys per set of channels
        coalitions, has_null = paths.channel_sets, paths.totals["non_conversions"] > 0
    else:
        coalitions, has_null = paths, "non_conversions" in paths.columns and paths["non_conversions"].sum() > 0
    games = {"shapley": "conversions"}
    if has_null:
        games["shapley_rate"] = "conversion_rate"  # needs journeys that did not convert
    for model, game in games.items():
        if coalitions is None:  # the engine found more channels than Shapley takes
            break
        try:
            frames.append(
                shapley_attribution(coalitions, max_channels=max_shapley_channels, game=game).assign(model=model)
            )
        except ValueError:  # too many channels: Shapley is left out, the other models stand
            pass
    out = pd.concat(frames, ignore_index=True)[["model", "channel", "conversions", "value"]]
    tot = out.groupby("model")["conversions"].transform("sum")
    out["share"] = out["conversions"] / tot.where(tot > 0)
    return out
