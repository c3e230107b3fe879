"""Retention: scheduled runs pile up versions (1–35 MB each); `workbench prune` removes the old ones.

Per params file (report/name) it keeps the newest N versions, every version that was delivered
to a reader (the e-mail may point at it) and, always, the version `latest` points at. N comes
from `--keep-last` or the params file's `_retention: {keep_last: N}`; a report with neither is
left alone. A version leaves in one rename into the staging folder before it is deleted, so
readers never see half a version, and the index is rebuilt under the reports lock.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import ParamsError
from workbench.pipeline import store


@dataclass
class PrunePlan:
    """One report/name: which versions stay (and why) and which go (with their size in bytes)."""

    report: str
    name: str
    keep_last: int
    keep: dict[str, str] = field(default_factory=dict)  # version -> reason
    delete: dict[str, int] = field(default_factory=dict)  # version -> bytes

    @property
    def freed(self) -> int:
        return sum(self.delete.values())


def retention_problems(value: Any) -> list[str]:
    """What is wrong with a `_retention` value: a positive whole number, or {keep_last: N}."""
    try:
        keep_last_of(value)
    except ValueError as exc:
        return [str(exc)]
    return []


def keep_last_of(value: Any) -> int:
    """N of `_retention: N` or `_retention: {keep_last: N}` (ValueError naming what was found)."""
    n = value.get("keep_last") if isinstance(value, dict) else value
    extra = sorted(set(value) - {"keep_last"}) if isinstance(value, dict) else []
    if extra:
        raise ValueError(f"unknown key(s) {', '.join(map(repr, extra))}; expected {{keep_last: N}}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"expected keep_last as a whole number of versions >= 1 (e.g. {{keep_last: 12}}), found {n!r}")
    return n


def _size(path: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, f))
            except OSError:
                pass
    return total


def _retention_from_params(root: Path) -> dict[tuple[str, str], int]:
    from workbench.pipeline.build import discover
    from workbench.pipeline.params import load_params_file

    found, problems = {}, []
    for f in discover(root):
        raw = load_params_file(f)
        if "_retention" in raw:
            try:
                found[(f.parent.name, f.stem)] = keep_last_of(raw["_retention"])
            except ValueError as exc:
                problems.append(f"{f.relative_to(root).as_posix()}: key '_retention': {exc}")
    if problems:
        raise ParamsError("\n".join(problems))
    return found


def plan_prune(
    reports_root: Path, root: Path, keep_last: int | None = None, only: str | None = None
) -> list[PrunePlan]:
    """What a prune would do. `keep_last` overrides the params files; `only` limits it to REPORT[/NAME]."""
    from workbench.delivery.log import delivered_versions, read_log

    policy = _retention_from_params(root) if (root / "params").is_dir() else {}
    delivered = delivered_versions(read_log(reports_root))
    runs: dict[tuple[str, str], list[Path]] = {}
    for version_dir, _ in store.iter_manifests(reports_root):
        runs.setdefault((version_dir.parent.parent.name, version_dir.parent.name), []).append(version_dir)
    plans = []
    for (report, name), dirs in sorted(runs.items()):
        if only and only not in (report, f"{report}/{name}"):
            continue
        n = keep_last or policy.get((report, name))
        if not n:
            continue
        latest = store.read_latest(reports_root, report, name)
        plan = PrunePlan(report, name, n)
        for i, d in enumerate(sorted(dirs, key=lambda p: p.name, reverse=True)):
            if latest and d.name == latest.get("version"):
                plan.keep[d.name] = "latest good version"
            elif (report, name, d.name) in delivered:
                plan.keep[d.name] = "delivered"
            elif i < n:
                plan.keep[d.name] = f"among the last {n}"
            else:
                plan.delete[d.name] = _size(d)
        plans.append(plan)
    return plans


def apply_prune(reports_root: Path, plans: list[PrunePlan]) -> int:
    """Delete the planned versions (each vanishes in one rename), rebuild the index; bytes freed."""
    from workbench.pipeline.index import write_index

    freed = 0
    trash = reports_root / store.TMP / f"prune-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    with store.locked(reports_root):
        trash.mkdir(parents=True, exist_ok=True)
        for plan in plans:
            latest = store.read_latest(reports_root, plan.report, plan.name)
            for version, size in plan.delete.items():
                if latest and latest.get("version") == version:  # latest moved since planning: keep it
                    continue
                src = reports_root / plan.report / plan.name / version
                if src.is_dir():
                    os.rename(src, trash / f"{plan.report}-{plan.name}-{version}")
                    freed += size
        write_index(reports_root)
    shutil.rmtree(trash, ignore_errors=True)
    return freed
