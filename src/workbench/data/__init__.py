"""Data access: every report reads its inputs through `load`, which recognises platform exports
(workbench.data.presets), validates them against the dataset's contract (workbench.data.contracts)
and returns a typed DataFrame.

    from workbench.data import load, load_optional
    orders = load("orders", "data/sample/orders.csv")
    social = load_optional("social", params_social_path)   # None when the path is ""

The names below load lazily (PEP 562), so that light modules — the pipeline's params validation,
`workbench inspect --help` — can import `workbench.data.contracts` and `.presets` without pandas.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "CONTRACTS",
    "DATASETS",
    "PRESETS",
    "REFERENCES",
    "Contract",
    "check_references",
    "dropped_summary",
    "dropped_table",
    "dropped_text",
    "get_contract",
    "load",
    "load_optional",
    "loads_with_drops",
    "set_load_options",
    "normalise_name",
    "site_pages",
    "validate_frame",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("workbench.data.loading"), name)
    raise AttributeError(f"module 'workbench.data' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
