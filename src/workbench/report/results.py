"""Headline results a notebook records for machines: collected into the version's results.json.

A recorded value travels inside the executed notebook as a display output with its own MIME
type, so nothing is written beside the notebook and a run in JupyterLab needs no set-up.
The pipeline collects these outputs (and strips them from the HTML).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from typing import Any

RESULTS_MIMETYPE = "application/vnd.workbench.results+json"

_recorded: dict[str, Any] = {}


def _plain(value: Any) -> tuple[bool, Any]:
    """(True, JSON value) for Python's own scalars, dates and containers; (False, None) otherwise."""
    if value is None or isinstance(value, (bool, str, int)):
        return True, value
    if isinstance(value, float):
        return True, None if math.isnan(value) or math.isinf(value) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return True, {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return True, {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return True, [to_jsonable(v) for v in value]
    if isinstance(value, (_dt.datetime, _dt.date)):
        return True, None if str(value) == "NaT" else value.isoformat()
    return False, None


def _numpy(value: Any) -> tuple[bool, Any]:
    import numpy as np

    if isinstance(value, np.ndarray):
        return True, [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return True, to_jsonable(value.item())
    return False, None


def _pandas(value: Any) -> tuple[bool, Any]:
    import pandas as pd

    if value is pd.NaT:
        return True, None
    if isinstance(value, pd.Timestamp):
        return True, value.isoformat()
    if isinstance(value, pd.DataFrame):
        frame = value if isinstance(value.index, pd.RangeIndex) else value.reset_index()
        return True, [to_jsonable(row) for row in frame.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return True, {str(k): to_jsonable(v) for k, v in value.items()}
    return False, None


def to_jsonable(value: Any) -> Any:
    """Turn pandas/numpy/dataclass values into plain JSON types (NaN and NaT become None)."""
    done, out = _plain(value)
    if done:
        return out
    module = type(value).__module__
    for prefix, convert in (("numpy", _numpy), ("pandas", _pandas)):
        if module.startswith(prefix):
            done, out = convert(value)
            if done:
                return out
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError, ImportError):
        pass
    return str(value)


def headline_number(
    value: Any,
    text: str | None = None,
    *,
    successes: Any = None,
    trials: Any = None,
    ci: tuple[Any, Any] | None = None,
) -> dict[str, Any]:
    """A headline entry that keeps the number beside its text, so versions can be compared:
    ``record("headline", {"Revenue": headline_number(17435, "17,435 (-3.2% MoM)")})``.

    For a rate give its counts (`successes` of `trials`), for an estimate its 95 % interval (`ci`):
    "what changed" then says whether a change is beyond normal variation. Plain values and strings
    in a headline keep working (backwards compatible)."""
    from workbench.report.format import number

    entry: dict[str, Any] = {"value": to_jsonable(value), "text": text if text is not None else number(value)}
    if successes is not None and trials is not None:
        entry["successes"], entry["trials"] = to_jsonable(successes), to_jsonable(trials)
    if ci is not None:
        entry["ci"] = [to_jsonable(ci[0]), to_jsonable(ci[1])]
    return entry


def record(name: str, value: Any) -> None:
    """Record one headline result under `name` (e.g. ``record("roas", 3.2)``).

    Returns nothing on purpose: a cell that ends with ``record(...)`` must not display the value
    a second time (a recorded DataFrame would otherwise appear as a raw table in the report)."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"record() needs a non-empty string name, got {name!r}")
    payload = to_jsonable(value)
    _recorded[name] = payload
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({RESULTS_MIMETYPE: {name: payload}}, raw=True)
    except ImportError:  # plain Python, e.g. in unit tests
        pass


def data_period(start: Any, end: Any, label: str | None = None) -> None:
    """Record the period the data covers; the report header shows it. `label` names what the dates
    are (e.g. "rankings"): a single snapshot (start = end) then reads "rankings as of 2026-10-31"."""
    period = {"start": to_jsonable(start), "end": to_jsonable(end)}
    if label:
        period["label"] = str(label)
    record("data_period", period)


def recorded() -> dict[str, Any]:
    """What this process has recorded so far (for tests and interactive use)."""
    return dict(_recorded)


def collect_results(notebook: dict) -> dict[str, Any]:
    """Merge every recorded result from an executed notebook (a later record of a name wins)."""
    results: dict[str, Any] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if RESULTS_MIMETYPE in data:
                results.update(data[RESULTS_MIMETYPE])
    return results
