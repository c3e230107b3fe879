"""One call per report for its heavy inputs: on an engine table only aggregates reach the kernel.

A report notebook gives the params value (a file path or an engine URL) and gets back what its
analysis reads. For a file, the rows are loaded and reduced in the kernel as before; for an engine
table (`duckdb:///…#touchpoints`, `spark://local#orders`, …) the reduction is an Ibis expression from
`workbench.data.engines.expressions` executed where the table lives, so the kernel holds one row per
path or per customer, never one per event. Both sides give the same numbers (the report tests in
tests/notebooks/test_engine_reports.py compare results.json).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from workbench.engine_url import is_engine_source

__all__ = [
    "FlightPaths",
    "flight_paths",
    "load_input",
    "order_summaries",
]


def load_input(dataset: str, path: str, **kw: Any) -> pd.DataFrame | None:
    """`load_optional` for a params value: "" → None, a file relative to the project, or an engine
    table read row by row (for inputs a report needs whole: customers, a flight's ad statistics)."""
    from workbench.config import resolve
    from workbench.data import load_optional

    if not path:
        return None
    return load_optional(dataset, path if is_engine_source(path) else resolve(path), **kw)


@dataclass
class FlightPaths:
    """A campaign's journeys as attribution reads them: `journeys` (touch level, file input only),
    `paths` (one row per distinct path), `time_decay` (per-channel credit, engine input only) and
    `scope` (which journeys count, for the caption)."""

    journeys: pd.DataFrame | None
    paths: pd.DataFrame
    time_decay: pd.DataFrame | None
    scope: str


def _flight_bounds(start: str, end: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)


def _engine_flight_paths(
    source: str, start: str, end: str, lookback_days: float | None, half_life_days: float
) -> FlightPaths:
    from workbench.data.engines import expressions as ex
    from workbench.data.engines import open_table

    t = open_table(source, "touchpoints_path")
    bounds: tuple | None = _flight_bounds(start, end)
    if ex.journeys_ending(t, bounds, lookback_days) > 0:
        scope = f"journeys that ended between {start} and {end}"
    else:
        bounds, scope = None, "every journey in the touchpoints table (none ended within the flight)"
    if lookback_days:
        scope += f", with touches up to {lookback_days:g} days before each journey's end"
    paths = ex.finish_paths(ex.touchpoints_to_paths(t, lookback_days, bounds).execute())
    # the order and types of rules.paths_from_journeys, so every model sees the file run's input
    paths = paths.sort_values("path", kind="stable").reset_index(drop=True)
    paths = paths.astype({"conversions": float, "non_conversions": float, "value": float})
    decay = ex.time_decay_credit(t, half_life_days, lookback_days, bounds).execute()
    return FlightPaths(None, paths, decay, scope)


def flight_paths(
    touchpoints: pd.DataFrame | None,
    touchpoints_path: str,
    start: str,
    end: str,
    lookback_days: float | None,
    half_life_days: float = 7.0,
) -> FlightPaths | None:
    """The post-mortem's attribution input: journeys that end (convert or lapse) within the flight,
    cut at conversions, with the lookback. From an engine table the paths and the time-decay credit
    are computed there (one row per path and per channel come back); from a loaded touchpoints frame
    the journeys are built in the kernel as before. None when there are no touchpoints."""
    from workbench.analysis.campaigns import scope as flight
    from workbench.analysis.campaigns.attribution import rules

    lookback = lookback_days or None
    if is_engine_source(touchpoints_path):
        return _engine_flight_paths(touchpoints_path, start, end, lookback, half_life_days)
    if touchpoints is None:
        return None
    journeys = rules.journeys_from_touchpoints(touchpoints, lookback)
    journeys, scope = flight.journeys_in_flight(journeys, start, end, lookback_days)
    return FlightPaths(journeys, rules.paths_from_journeys(journeys), None, scope)


def order_summaries(*args: Any, **kwargs: Any) -> Any:  # pragma: no cover - defined below
    raise NotImplementedError
