"""Rule-based attribution (first, last, linear, time decay, position-based) and the path tools
the data-driven models share.

Two input shapes: touch-level journeys (user, time, channel, conversion flag) and aggregated
paths ("a > b > c", conversions, non_conversions, value). Time decay needs the time of every
touch, so it is only available from touchpoints: an aggregated path has lost its timestamps,
and decaying by step count would pass off an assumption as a measurement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.errors import DataValidationError

__all__ = [
    "HEURISTIC_MODELS",
    "PATH_SEPARATOR",
    "heuristic_attribution",
    "journeys_from_touchpoints",
    "paths_from_journeys",
    "split_paths",
    "validate_paths",
]

PATH_SEPARATOR = ">"
HEURISTIC_MODELS = ("first_touch", "last_touch", "linear", "position_based", "time_decay")


def validate_paths(paths: pd.DataFrame, source: str = "paths") -> pd.DataFrame:
    """Check the paths contract and return a clean copy (path, conversions, non_conversions, value)."""
    if not isinstance(paths, pd.DataFrame):
        raise TypeError(f"paths must be a pandas DataFrame; got {type(paths).__name__}")
    missing = [c for c in ("path", "conversions") if c not in paths.columns]
    if missing:
        raise DataValidationError(
            f"{source}: missing required column(s) {missing}; the paths contract is "
            f"path, conversions [, non_conversions, value]; found {list(paths.columns)}"
        )
    out = pd.DataFrame({"path": paths["path"].astype("string").str.strip()})
    for col, default in (("conversions", None), ("non_conversions", 0.0), ("value", 0.0)):
        raw = paths[col] if col in paths.columns else pd.Series(default, index=paths.index)
        num = pd.to_numeric(raw, errors="coerce")
        bad = num.isna() | (num < 0)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataValidationError(
                f"{source}: column '{col}' must hold non-negative numbers; row {row} holds {raw.iloc[row]!r}"
            )
        out[col] = num.astype(float).to_numpy()
    empty = out["path"].isna() | (out["path"] == "")
    if empty.any():
        row = int(np.flatnonzero(empty.to_numpy())[0])
        raise DataValidationError(f"{source}: column 'path' is empty in row {row}; expected channels like 'a > b > c'")
    return out.reset_index(drop=True)


def split_paths(paths: pd.Series, sep: str = PATH_SEPARATOR) -> list[list[str]]:
    """'a > b > c' -> ['a', 'b', 'c'] for each path (blank steps dropped)."""
    return [[step.strip() for step in str(p).split(sep) if step.strip()] for p in paths]


def _position_weights(k: int) -> np.ndarray:
    if k == 1:
        return np.array([1.0])
    if k == 2:
        return np.array([0.5, 0.5])
    w = np.full(k, 0.2 / (k - 2))
    w[0] = w[-1] = 0.4
    return w


def _credit_from_steps(steps: pd.DataFrame, weight_col: str, models: list[str]) -> pd.DataFrame:
    """steps: one row per touch with journey id, channel, conversions, value and per-model weights."""
    out = {}
    for m in models:
        w = steps[f"w_{m}"]
        out[(m, "conversions")] = (w * steps["conversions"]).groupby(steps["channel"]).sum()
        out[(m, "value")] = (w * steps["value"]).groupby(steps["channel"]).sum()
    frame = pd.DataFrame(out).fillna(0.0)
    frame.columns = [f"{m}_{k}" for m, k in frame.columns]
    frame.index.name = "channel"
    return frame


def _steps_from_paths(paths: pd.DataFrame, sep: str) -> pd.DataFrame:
    lists = split_paths(paths["path"], sep)
    lengths = np.fromiter((len(s) for s in lists), int, len(lists))
    if (lengths == 0).any():
        row = int(np.flatnonzero(lengths == 0)[0])
        raise DataValidationError(f"paths: row {row} has no channels in path {paths['path'].iloc[row]!r}")
    jid = np.repeat(np.arange(len(lists)), lengths)
    pos = np.concatenate([np.arange(k) for k in lengths])
    k = np.repeat(lengths, lengths)
    return pd.DataFrame(
        {
            "journey": jid,
            "channel": [c for s in lists for c in s],
            "pos": pos,
            "k": k,
            "conversions": np.repeat(paths["conversions"].to_numpy(float), lengths),
            "value": np.repeat(paths["value"].to_numpy(float), lengths),
        }
    )


def heuristic_attribution(
    paths: pd.DataFrame | None = None,
    journeys: pd.DataFrame | None = None,
    models: list[str] | tuple[str, ...] = HEURISTIC_MODELS,
    half_life_days: float = 7.0,
    sep: str = PATH_SEPARATOR,
) -> pd.DataFrame:
    """Conversions and value credited per channel by each rule-based model.

    Give either aggregated `paths` (contract: path, conversions [, value]) or touch-level
    `journeys` from `journeys_from_touchpoints`. Returns one row per channel with columns
    `<model>_conversions` and `<model>_value`. Position-based is 40/20/40 (one touch: 100 %,
    two touches: 50/50). time_decay weights a touch by 2^(−days before the journey's end /
    half_life_days) and needs journeys; asked of paths, it is left out (see module notes).
    """
    models = list(models)
    unknown = sorted(set(models) - set(HEURISTIC_MODELS))
    if unknown:
        raise ValueError(f"models must be among {', '.join(HEURISTIC_MODELS)}; unknown {unknown}")
    if (paths is None) == (journeys is None):
        raise ValueError("give exactly one of paths= or journeys=")
    if half_life_days <= 0:
        raise ValueError(f"half_life_days must be positive; got {half_life_days!r}")
    if paths is not None:
        models = [m for m in models if m != "time_decay"]
        steps = _steps_from_paths(validate_paths(paths), sep)
    else:
        need = {"journey_id", "channel", "position", "length", "days_before_end", "converted", "value"}
        missing = sorted(need - set(journeys.columns))
        if missing:
            raise ValueError(f"journeys lacks {missing}; build it with journeys_from_touchpoints()")
        j = journeys
        steps = pd.DataFrame(
            {
                "journey": j["journey_id"].to_numpy(),
                "channel": j["channel"].astype(str).to_numpy(),
                "pos": j["position"].to_numpy(),
                "k": j["length"].to_numpy(),
                "conversions": j["converted"].astype(float).to_numpy(),
                "value": j["value"].astype(float).to_numpy(),
            }
        )
        if "time_decay" in models:
            raw = np.power(0.5, j["days_before_end"].to_numpy(float) / half_life_days)
            steps["w_time_decay"] = (
                raw / pd.Series(raw).groupby(steps["journey"].to_numpy()).transform("sum").to_numpy()
            )
    pos, k = steps["pos"].to_numpy(), steps["k"].to_numpy()
    steps["w_first_touch"] = (pos == 0).astype(float)
    steps["w_last_touch"] = (pos == k - 1).astype(float)
    steps["w_linear"] = 1.0 / k
    mid = np.where(k > 2, 0.2 / np.maximum(k - 2, 1), 0.0)
    ends = np.where(k == 1, 1.0, np.where(k == 2, 0.5, 0.4))
    steps["w_position_based"] = np.where((pos == 0) | (pos == k - 1), ends, mid)
    return _credit_from_steps(steps, "", models).reset_index()


def journeys_from_touchpoints(touchpoints: pd.DataFrame, lookback_days: float | None = None) -> pd.DataFrame:
    """Cut each user's touches into journeys: a journey ends at a converting touch (included);
    touches after a user's last conversion form one non-converting journey.

    lookback_days drops touches more than that many days before their journey's end.
    Returns one row per kept touch: journey_id, user_id, touched_at, channel, position, length,
    days_before_end, converted (journey converted), value (journey's conversion value).
    """
    need = ["user_id", "touched_at", "channel"]
    missing = [c for c in need if c not in touchpoints.columns]
    if missing:
        raise DataValidationError(
            f"touchpoints: missing required column(s) {missing}; found {list(touchpoints.columns)}"
        )
    if lookback_days is not None and lookback_days <= 0:
        raise ValueError(f"lookback_days must be positive or None; got {lookback_days!r}")
    t = pd.DataFrame(
        {
            "user_id": touchpoints["user_id"].to_numpy(),
            "touched_at": pd.to_datetime(touchpoints["touched_at"], errors="coerce", format="mixed").to_numpy(),
            "channel": touchpoints["channel"].astype(str).str.strip().to_numpy(),
        }
    )
    if t["touched_at"].isna().any():
        row = int(np.flatnonzero(t["touched_at"].isna().to_numpy())[0])
        raise DataValidationError(
            f"touchpoints: column 'touched_at' row {row} is not a date/time: {touchpoints['touched_at'].iloc[row]!r}"
        )
    conv = touchpoints["converted"] if "converted" in touchpoints.columns else pd.Series(False, index=touchpoints.index)
    t["conv"] = (
        pd.to_numeric(conv.replace({"true": 1, "false": 0, "True": 1, "False": 0}), errors="coerce")
        .fillna(0)
        .to_numpy()
        > 0
    )
    val = (
        touchpoints["conversion_value"]
        if "conversion_value" in touchpoints.columns
        else pd.Series(0.0, index=touchpoints.index)
    )
    t["val"] = pd.to_numeric(val, errors="coerce").fillna(0.0).to_numpy()
    # ties: non-converting touches first, then by channel (as workbench.data.aggregate.touchpoints_to_paths)
    t = t.sort_values(["user_id", "touched_at", "conv", "channel"], kind="mergesort").reset_index(drop=True)
    # journey number within user = conversions strictly before this touch
    conv_int = t["conv"].astype(int)
    t["prior"] = conv_int.groupby(t["user_id"], sort=False).cumsum() - conv_int
    t["journey_id"] = t.groupby(["user_id", "prior"], sort=False).ngroup()
    g = t.groupby("journey_id", sort=False)
    end = g["touched_at"].transform("max")
    t["converted"] = g["conv"].transform("max").astype(bool)
    t["value"] = t["val"].where(t["conv"], 0.0).groupby(t["journey_id"]).transform("sum")
    t["days_before_end"] = (end - t["touched_at"]).dt.total_seconds() / 86400.0
    if lookback_days is not None:
        t = t[t["days_before_end"] <= lookback_days].copy()
    t["position"] = t.groupby("journey_id", sort=False).cumcount()
    t["length"] = t.groupby("journey_id", sort=False)["channel"].transform("size")
    return t[
        [
            "journey_id",
            "user_id",
            "touched_at",
            "channel",
            "position",
            "length",
            "days_before_end",
            "converted",
            "value",
        ]
    ].reset_index(drop=True)


def paths_from_journeys(journeys: pd.DataFrame, sep: str = PATH_SEPARATOR) -> pd.DataFrame:
    """Aggregate journeys to the paths contract: path, conversions, non_conversions, value."""
    j = journeys.sort_values(["journey_id", "position"])
    per = j.groupby("journey_id", sort=False).agg(
        path=("channel", lambda s: f" {sep} ".join(s)), converted=("converted", "first"), value=("value", "first")
    )
    per["conversions"] = per["converted"].astype(float)
    per["non_conversions"] = 1.0 - per["conversions"]
    out = per.groupby("path", sort=True).agg(
        conversions=("conversions", "sum"), non_conversions=("non_conversions", "sum"), value=("value", "sum")
    )
    return out.reset_index()
