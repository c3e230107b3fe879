"""The media-mix model against click attribution: which channels attribution over- or under-credits.

Attribution shares a tracked conversion's credit among the clicks before it; the model explains all of
the outcome, tracked or not, by spend. Over the model's period both give each channel a share of the
outcome: attribution its credited value (or conversions) over all credited value, the model its
contribution over the whole outcome, with the bootstrap interval. A channel whose attribution share
lies above the model's interval is over-credited by attribution, below it under-credited, inside it
the two agree. Channels that only one source knows are listed, not judged: attribution never sees TV
or outdoor (no clicks), and organic or direct visits are the model's base.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.analysis.campaigns.attribution import heuristic_attribution, markov_attribution, paths_from_journeys
from workbench.analysis.campaigns.attribution.rules import journeys_from_touchpoints

__all__ = ["MODELS", "VERDICTS", "attribution_credit", "compare_with_mmm", "comparison_record"]

MODELS = ("last_touch", "markov")
VERDICTS = ("over", "under", "agrees", "attribution_only", "mmm_only")


def attribution_credit(
    touchpoints: pd.DataFrame,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    *,
    outcome: str = "revenue",
    models: Sequence[str] = MODELS,
    lookback_days: float | None = 30.0,
) -> pd.DataFrame:
    """Credit per model and channel for the journeys that end from `start` to `end` (inclusive days;
    lapsed journeys too, which Markov's removal effect needs): model, channel, credit, share (of the
    model's credit). Revenue is credited by conversion
    value, orders by conversions; every channel touched in those journeys gets a row (zero if never
    credited), so "present in attribution" means "tracked", not "credited"."""
    if outcome not in ("revenue", "orders"):
        raise ValueError(f"outcome must be 'revenue' or 'orders'; got {outcome!r}")
    unknown = sorted(set(models) - {"last_touch", "markov", "first_touch", "linear", "position_based"})
    if unknown or not models:
        raise ValueError(f"models must be among last_touch, markov, first_touch, linear, position_based; got {unknown}")
    j = journeys_from_touchpoints(touchpoints, lookback_days)
    ends = j.groupby("journey_id")["touched_at"].transform("max")
    lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    j = j[(ends >= lo) & (ends < hi)]
    if not j["converted"].any():
        raise ValueError(
            f"touchpoints: no converting journey ends between {lo.date()} and {(hi - pd.Timedelta(days=1)).date()} "
            "(the media-mix model's period); give touchpoints that cover it"
        )
    col = "value" if outcome == "revenue" else "conversions"
    channels = sorted(j["channel"].unique())
    frames = []
    rules = [m for m in models if m != "markov"]
    if rules:
        heur = heuristic_attribution(journeys=j, models=rules).set_index("channel")
        for m in rules:
            frames.append(
                pd.DataFrame({"model": m, "channel": channels, "credit": heur[f"{m}_{col}"].reindex(channels)})
            )
    if "markov" in models:
        mk = markov_attribution(paths_from_journeys(j)).credit.set_index("channel")[col]
        frames.append(pd.DataFrame({"model": "markov", "channel": channels, "credit": mk.reindex(channels)}))
    out = pd.concat(frames, ignore_index=True)
    out["credit"] = out["credit"].fillna(0.0).astype(float)
    total = out.groupby("model")["credit"].transform("sum")
    out["share"] = out["credit"] / total.where(total > 0)
    return out


def compare_with_mmm(summary: pd.DataFrame, credit: pd.DataFrame, outcome_total: float) -> pd.DataFrame:
    """One row per model and channel: attribution_share, mmm_share, mmm_lower, mmm_upper, verdict.

    `summary` is `contribution_summary` (its lower/upper are the bootstrap interval of the
    contribution; divided by `outcome_total`, the outcome summed over the model's weeks, they bound
    the share). Verdict: "over" (attribution
    share above the interval), "under" (below), "agrees" (inside), "attribution_only" (a tracked
    channel the model has no spend for), "mmm_only" (a modelled channel attribution never saw)."""
    total = float(outcome_total)
    if not total > 0:
        raise ValueError(f"the model's outcome must be positive to share it; got a total of {total!r}")
    mmm = summary[summary["kind"] == "channel"].set_index("component")
    rows = []
    for model, g in credit.groupby("model", sort=False):
        attr = g.set_index("channel")["share"]
        for ch in list(mmm.index) + sorted(set(attr.index) - set(mmm.index)):
            a = float(attr[ch]) if ch in attr.index else np.nan
            if ch in mmm.index:
                r = mmm.loc[ch]
                m, lo, hi = r["contribution"] / total, r["lower"] / total, r["upper"] / total
            else:
                m = lo = hi = np.nan
            if np.isnan(m):
                verdict = "attribution_only"
            elif np.isnan(a):
                verdict = "mmm_only"
            else:
                verdict = "over" if a > hi else "under" if a < lo else "agrees"
            rows.append([model, ch, a, m, lo, hi, verdict])
    cols = ["model", "channel", "attribution_share", "mmm_share", "mmm_lower", "mmm_upper", "verdict"]
    return pd.DataFrame(rows, columns=cols)


def comparison_record(comparison: pd.DataFrame, credit: pd.DataFrame, start, end, level: float) -> dict:
    """The comparison as results.json holds it: period, level, credited total per model, and per
    model {channel: attribution_share, mmm_share, mmm_interval, verdict} (None where a source lacks it)."""

    def num(v: float) -> float | None:
        return None if pd.isna(v) else round(float(v), 4)

    return {
        "period": [str(pd.Timestamp(start).date()), str(pd.Timestamp(end).date())],
        "interval_level": level,
        "credited": {m: round(float(v), 2) for m, v in credit.groupby("model", sort=False)["credit"].sum().items()},
        "models": {
            m: {
                r["channel"]: {
                    "attribution_share": num(r["attribution_share"]),
                    "mmm_share": num(r["mmm_share"]),
                    "mmm_interval": [num(r["mmm_lower"]), num(r["mmm_upper"])],
                    "verdict": r["verdict"],
                }
                for _i, r in g.iterrows()
            }
            for m, g in comparison.groupby("model", sort=False)
        },
    }
