"""`workbench diff`: what differs between two published versions — results.json, params, inputs
(by sha256) and library versions — as plain lines a person can read."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.pipeline import store

MISSING = "(absent)"


@dataclass(frozen=True)
class Difference:
    key: str
    before: Any
    after: Any

    def line(self) -> str:
        return f"{self.key}: {_show(self.before)} -> {_show(self.after)}"


def _show(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resolve_version(spec: str, reports_root: Path, like: Path | None = None) -> Path:
    """REPORT/NAME/VERSION under the reports folder, or a bare VERSION of the same report/name as `like`."""
    parts = [p for p in spec.strip().strip("/").split("/") if p]
    if len(parts) == 3:
        path = store.version_dir(reports_root, parts[0], parts[1], parts[2])
    elif len(parts) == 1 and like is not None:
        path = like.parent / store.check_name("version", parts[0])
    else:
        raise WorkbenchError(f"expected REPORT/NAME/VERSION (or a bare VERSION after the first), found {spec!r}")
    if not (path / "manifest.json").is_file():
        versions = sorted(p.name for p in path.parent.iterdir() if p.is_dir()) if path.parent.is_dir() else []
        hint = f" (versions there: {', '.join(versions[-5:])})" if versions else ""
        raise WorkbenchError(f"no published version at {path}{hint}")
    return path


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts and lists as one level of dotted keys: {"a": {"b": [1]}} -> {"a.b[0]": 1}."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out or {prefix: {}}
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{i}]"))
        return out or {prefix: []}
    return {prefix: value}


def same(a: Any, b: Any, rel: float = 1e-9, abs_tol: float = 1e-12) -> bool:
    """Equal, numbers within a relative tolerance (floating-point noise is not a drift)."""
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)
    return bool(a == b)


def differences(before: dict[str, Any], after: dict[str, Any], rel: float = 1e-9) -> list[Difference]:
    """Keys whose values differ between two flat mappings, in the order of `before` then new keys."""
    keys = [*before, *(k for k in after if k not in before)]
    return [
        Difference(k, before.get(k, MISSING), after.get(k, MISSING))
        for k in keys
        if k not in before or k not in after or not same(before[k], after[k], rel)
    ]


def _manifest(path: Path) -> dict[str, Any]:
    data = store.read_json(path / "manifest.json")
    if not isinstance(data, dict):
        raise WorkbenchError(f"{path / 'manifest.json'} is missing or unreadable")
    return data


def _libraries(manifest: dict[str, Any]) -> dict[str, Any]:
    return dict(manifest.get("environment") or manifest.get("libraries") or {})


def _inputs(manifest: dict[str, Any]) -> dict[str, Any]:
    return {i["path"]: i.get("sha256") for i in manifest.get("inputs") or []}


def diff_versions(a: Path, b: Path) -> dict[str, list[Difference]]:
    """Section name -> differences, for results.json, params, inputs and libraries."""
    ma, mb = _manifest(a), _manifest(b)
    ra, rb = store.read_json(a / "results.json") or {}, store.read_json(b / "results.json") or {}
    return {
        "results.json": differences(flatten(ra), flatten(rb)),
        "params": differences(
            flatten((ma.get("params") or {}).get("values") or {}), flatten((mb.get("params") or {}).get("values") or {})
        ),
        "inputs (sha256)": differences(_inputs(ma), _inputs(mb)),
        "libraries": differences(_libraries(ma), _libraries(mb)),
    }


def format_diff(a: Path, b: Path, sections: dict[str, list[Difference]]) -> str:
    lines = [f"{a.parent.parent.name}/{a.parent.name}: {a.name} -> {b.name}"]
    for title, diffs in sections.items():
        lines.append(f"{title}: " + (f"{len(diffs)} difference(s)" if diffs else "no differences"))
        lines += [f"  {d.line()}" for d in diffs]
    return "\n".join(lines)
