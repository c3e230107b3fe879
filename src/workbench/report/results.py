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


def to_jsonable(value: Any) -> Any:
    """Turn pandas/numpy/dataclass values into plain JSON types (NaN and NaT become None)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (_dt.datetime, _dt.date)):
        return None if str(value) == "NaT" else value.isoformat()
    module = type(value).__module__
    if module.startswith("numpy"):
        import numpy as np

        if isinstance(value, np.ndarray):
            return [to_jsonable(v) for v in value.tolist()]
        if isinstance(value, np.generic):
            return to_jsonable(value.item())
    if module.startswith("pandas"):
        import pandas as pd

        if value is pd.NaT:
            return None
        if isinstance(value, pd.Timestamp):
            return value.isoformat()
        if isinstance(value, pd.DataFrame):
            frame = value if isinstance(value.index, pd.RangeIndex) else value.reset_index()
            return [to_jsonable(row) for row in frame.to_dict(orient="records")]
        if isinstance(value, pd.Series):
            return {str(k): to_jsonable(v) for k, v in value.items()}
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError, ImportError):
        pass
    return str(value)


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
