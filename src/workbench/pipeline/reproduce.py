"""`workbench reproduce`: re-execute a published version from its manifest and compare results.json.

The notebook is the one the version ran: its outputs-free fingerprint must match the manifest,
taken from the recorded git commit where there is one, else from the working tree. Params are the
recorded values; every input is verified by sha256 first (a changed input stops it, naming the
file). The run happens in a temporary folder; nothing is published.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.pipeline import cache, store
from workbench.pipeline.diff import Difference, differences, flatten


@dataclass
class Reproduction:
    version_dir: Path
    notebook_source: str  # where the notebook came from
    drifts: list[Difference] = field(default_factory=list)
    environment: list[Difference] = field(default_factory=list)  # library versions then vs now
    failure: str | None = None

    @property
    def identical(self) -> bool:
        return self.failure is None and not self.drifts

    def report(self) -> str:
        head = f"{self.version_dir.parent.parent.name}/{self.version_dir.parent.name}/{self.version_dir.name}"
        lines = [f"{head}: notebook from {self.notebook_source}"]
        if self.failure:
            lines.append(f"the re-run failed: {self.failure}")
        elif self.identical:
            lines.append("identical")
        else:
            lines.append(f"{len(self.drifts)} value(s) drifted:")
            lines += [f"  {d.line()}" for d in self.drifts]
        if self.environment and not self.identical:
            lines.append("library versions then -> now:")
            lines += [f"  {d.line()}" for d in self.environment[:40]]
        return "\n".join(lines)


def verify_inputs(manifest: dict[str, Any], root: Path) -> None:
    """Every recorded input must still have its recorded sha256; the first that does not stops us."""
    from workbench.config import resolve

    for item in manifest.get("inputs") or []:
        path = resolve(item["path"]) if not Path(item["path"]).is_absolute() else Path(item["path"])
        if not path.is_file():
            raise WorkbenchError(
                f"input {item['path']} (params key '{item.get('param')}') is gone: version "
                f"{manifest['version']} read it with sha256 {item['sha256'][:12]}…; restore it to reproduce"
            )
        now = cache.sha256_file(path)
        if now != item["sha256"]:
            raise WorkbenchError(
                f"input {item['path']} (params key '{item.get('param')}') changed since version {manifest['version']}: "
                f"sha256 recorded {item['sha256'][:12]}…, now {now[:12]}…; restore it to reproduce"
            )


def _git_show(root: Path, commit: str, path: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "show", f"{commit}:./{path}"], cwd=root, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def find_notebook(manifest: dict[str, Any], root: Path) -> tuple[str, str]:
    """(notebook JSON text, where it came from) whose fingerprint is the recorded one."""
    recorded = manifest["notebook"].get("fingerprint")
    path = manifest["notebook"]["path"]
    commit = (manifest.get("workbench") or {}).get("git_commit")
    candidates: list[tuple[str, str | None]] = []
    if commit:
        candidates.append((f"git commit {commit}", _git_show(root, commit, path)))
    working = root / path
    current = working.read_text(encoding="utf-8") if working.is_file() else None
    candidates.append((f"the working tree ({path})", current))
    for where, text in candidates:
        if text is None:
            continue
        try:
            fingerprint = cache.notebook_fingerprint(json.loads(text))
        except ValueError:
            continue
        if recorded is None or fingerprint == recorded:
            return text, where
    tried = ", ".join(w for w, t in candidates if t is not None) or "nowhere (no commit, no file)"
    raise WorkbenchError(
        f"notebook {path}: no copy matches the one version {manifest['version']} ran (fingerprint "
        f"{str(recorded)[:12]}…); looked in {tried}"
    )


def recorded_threads(manifest: dict[str, Any]) -> int:
    """The BLAS/OpenMP thread count the version ran with (manifests before it was recorded: the
    pipeline's default), so the re-run sums in the same order."""
    from workbench.pipeline.execute import DEFAULT_KERNEL_THREADS

    value = (manifest.get("options") or {}).get("kernel_threads")
    return int(value) if isinstance(value, int) and value >= 1 else DEFAULT_KERNEL_THREADS


def reproduce(version_dir: Path, root: Path, timeout: float | None = None) -> Reproduction:
    """Re-run one version in a temporary folder and compare its results.json with the published one."""
    from workbench.pipeline.execute import execute
    from workbench.report import collect_results

    manifest = store.read_json(version_dir / "manifest.json")
    published = store.read_json(version_dir / "results.json")
    if not isinstance(manifest, dict) or not isinstance(published, dict):
        raise WorkbenchError(f"{version_dir}: manifest.json or results.json is missing or unreadable")
    verify_inputs(manifest, root)
    text, source = find_notebook(manifest, root)
    overrides = (manifest.get("params") or {}).get("overrides") or {}
    limit = timeout or (manifest.get("options") or {}).get("timeout_s") or 1800
    env_before = {k: os.environ.get(k) for k in ("WORKBENCH_ROOT",)}
    os.environ["WORKBENCH_ROOT"] = str(root)  # the kernel resolves inputs against the same root
    try:
        with tempfile.TemporaryDirectory(prefix="wb-reproduce-") as tmp:
            notebook = Path(tmp) / Path(manifest["notebook"]["path"]).name
            notebook.write_text(text, encoding="utf-8")
            result = execute(notebook, overrides, root, timeout=float(limit), threads=recorded_threads(manifest))
            results = json.loads(json.dumps(collect_results(result.notebook), default=str))
    finally:
        for k, v in env_before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    env_then = manifest.get("environment") or manifest.get("libraries") or {}
    env_now = cache.installed_distributions() if manifest.get("environment") else cache.dependency_versions()
    return Reproduction(
        version_dir,
        source,
        differences(flatten(published), flatten(results)),
        differences(dict(env_then), dict(env_now)),
        result.failure.describe() if result.failure else None,
    )
