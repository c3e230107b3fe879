"""Which params key feeds which dataset, and which inputs a notebook cannot do without — read from
the notebook itself, so that `workbench validate` catches an empty required input before any
kernel starts.

A key `<dataset>_path` (or `_dir`) takes that dataset. An input is required when the notebook calls
`load("<dataset>", <key>)` unconditionally (at the top level of a cell, not under an `if`, loop,
`try` or function); `load_optional(...)` or a guarded `load(...)` marks it optional. Kept light
(ast, no pandas): it runs on every validation.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.data.contracts import CONTRACTS, PRESET_KEY, unknown_datasets_message
from workbench.data.presets import PRESETS

#: Datasets that can stand in for a missing one in reports that support it (issue 11): a report
#: reads customers from orders (first order = signup), attribution from paths or touchpoints.
STAND_INS: dict[str, tuple[str, ...]] = {
    "customers": ("orders",),
    "ad_stats": ("touchpoints", "paths", "experiment", "email_sends"),
    "touchpoints": ("paths",),
    "paths": ("touchpoints",),
}

_GUARDS = (ast.If, ast.IfExp, ast.For, ast.While, ast.Try, ast.FunctionDef, ast.Lambda, ast.With, ast.comprehension)


@dataclass(frozen=True)
class InputRole:
    key: str
    dataset: str
    required: bool


def dataset_of(key: str) -> str | None:
    """'ad_stats_path' → 'ad_stats'; None when the key names no known dataset."""
    for suffix in ("_path", "_dir"):
        if key.endswith(suffix) and key[: -len(suffix)] in CONTRACTS:
            return key[: -len(suffix)]
    return None


#: `data.engines.report_inputs` calls that take a dataset's key as their first argument (the dataset is the
#: key's), and whether they need it (True: like `load`, an empty value fails; False: like `load_optional`).
REPORT_INPUT_CALLS = {
    "sessions_counts_input": True,
    "flight_sessions_input": False,
    "flight_orders_input": False,
    "orders_monthly_input": False,
    "daily_ad_stats_input": False,
    "flight_ad_stats_input": False,
    "order_inputs": False,
    "customer_sessions_input": False,
    "customer_orders_input": False,
}


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


class _LoadCalls(ast.NodeVisitor):
    def __init__(self) -> None:
        self.depth = 0
        self.found: list[tuple[str, str, bool]] = []  # (dataset, key, unconditional)

    def generic_visit(self, node: ast.AST) -> None:
        guarded = isinstance(node, _GUARDS)
        self.depth += guarded
        if isinstance(node, ast.Call):
            self._call(node)
        super().generic_visit(node)
        self.depth -= guarded

    def _call(self, node: ast.Call) -> None:
        func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if func in REPORT_INPUT_CALLS and node.args:
            for key in (n for n in _names(node.args[0]) if n.endswith(("_path", "_dir"))):
                dataset = dataset_of(key)
                if dataset is not None:
                    self.found.append((dataset, key, REPORT_INPUT_CALLS[func] and self.depth == 0))
            return
        if func not in ("load", "load_optional") or len(node.args) < 2:
            return
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            return
        keys = [n for n in _names(node.args[1]) if n.endswith(("_path", "_dir"))]
        for key in keys:
            self.found.append((first.value, key, func == "load" and self.depth == 0))


def _code(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    text = "".join(src) if isinstance(src, list) else str(src)
    return "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in text.splitlines())


def input_roles(nb: Mapping[str, Any], declared: list[str]) -> dict[str, InputRole]:
    """{params key: InputRole} for the notebook's `*_path`/`*_dir` parameters in `declared`."""
    visitor = _LoadCalls()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            visitor.visit(ast.parse(_code(cell)))
        except SyntaxError:
            continue
    roles: dict[str, InputRole] = {}
    for key in declared:
        dataset = dataset_of(key)
        if dataset is not None:
            roles[key] = InputRole(key, dataset, False)
    for dataset, key, required in visitor.found:
        if key in declared:
            prev = roles.get(key)
            roles[key] = InputRole(key, dataset, required or bool(prev and prev.dataset == dataset and prev.required))
    return roles


def empty_input_problems(roles: Mapping[str, InputRole], values: Mapping[str, Any], report: str) -> list[str]:
    """One message per required input left empty: the key, the dataset and what can stand in."""
    problems = []
    for key, role in roles.items():
        if not role.required or not isinstance(values.get(key), str) or values[key].strip():
            continue
        others = [f"{d} (`{k}`)" for d in STAND_INS.get(role.dataset, ()) for k, r in roles.items() if r.dataset == d]
        stand_in = (
            f"; datasets that can stand in for {role.dataset} where the report supports it: {', '.join(others)}"
            if others
            else ""
        )
        problems.append(
            f"key '{key}': empty, but the {report} report needs a {role.dataset} file here "
            f"(docs/data-contracts.md#{role.dataset}){stand_in}"
        )
    return problems


def column_renames_problems(value: Any, key: str = "column_renames") -> list[str]:
    """Unknown dataset names (with a did-you-mean) and unknown or mismatched `_preset` values."""
    if not isinstance(value, dict) or not value:
        return []
    nested = [isinstance(v, dict) for v in value.values()]
    if any(nested) and not all(nested):
        return [f"key '{key}': map column names to column names, or dataset names to such maps, not both"]
    problems = []
    maps: dict[str | None, Mapping[str, Any]] = {None: value} if not any(nested) else dict(value)
    unknown = [str(k) for k in maps if k is not None and k not in CONTRACTS]
    if unknown:
        problems.append(f"key '{key}': " + unknown_datasets_message(unknown).removeprefix("rename: "))
    for dataset, mapping in maps.items():
        preset = mapping.get(PRESET_KEY)
        if preset is None or preset in ("auto", "none"):
            continue
        where = f"{key}.{dataset}.{PRESET_KEY}" if dataset else f"{key}.{PRESET_KEY}"
        if preset not in PRESETS:
            close = difflib.get_close_matches(str(preset), list(PRESETS), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(f"key '{where}': unknown preset {preset!r}{hint} (presets: {', '.join(PRESETS)})")
        elif dataset and dataset in CONTRACTS and PRESETS[preset].dataset != dataset:
            problems.append(f"key '{where}': preset {preset!r} reads {PRESETS[preset].dataset} files, not {dataset}")
    return problems
