"""Cache keys: a run is skipped when nothing it depends on has changed.

The key covers the notebook without outputs, the params, the content of every input file
(`*_path`, and every file under `*_dir`), the workbench package's source and the installed
dependency versions. File hashes are remembered by (size, mtime) in `.workbench-cache/` so a
no-op rebuild reads no data file twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from workbench.engine_url import is_engine_source

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_SOURCE_SUFFIXES = {".py", ".css", ".j2", ".json", ".html", ".tpl"}
_lock = threading.Lock()


class HashCache:
    """sha256 of files, remembered by path, size and mtime (stored as JSON, rewritten atomically)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, list] = {}
        self.dirty = False
        if path is not None:
            try:
                self.entries = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}

    def sha256(self, file: Path) -> str:
        st = file.stat()
        key = str(file.resolve())
        hit = self.entries.get(key)
        if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return hit[2]
        digest = sha256_file(file)
        with _lock:
            self.entries[key] = [st.st_size, st.st_mtime_ns, digest]
            self.dirty = True
        return digest

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self.entries), encoding="utf-8")
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            pass  # the cache is an optimisation only


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def notebook_fingerprint(nb: dict) -> str:
    """Hash of what a notebook *does*: cell types, sources and tags; outputs and counts excluded."""
    from workbench.pipeline.params import cell_source

    cells = [
        [c.get("cell_type"), cell_source(c), sorted((c.get("metadata") or {}).get("tags") or [])]
        for c in nb.get("cells", [])
    ]
    kernel = ((nb.get("metadata") or {}).get("kernelspec") or {}).get("language")
    return sha256_text(canonical_json({"cells": cells, "language": kernel}))


def input_files(value: str, resolve_path) -> list[Path]:
    """The files an input parameter stands for: the file itself, or every file under a folder."""
    path = resolve_path(value)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [path] if path.is_file() else []


def describe_inputs(input_paths: dict[str, str], resolve_path, hashes: HashCache) -> list[dict[str, Any]]:
    """Every input file with its size and sha256 (for the manifest and the cache key)."""
    out = []
    for name, value in sorted(input_paths.items()):
        if is_engine_source(value):  # a warehouse table: row count and a content fingerprint from the engine
            from workbench.data.engines import describe_source

            d = describe_source(value, name)
            out.append(
                {"param": name, "path": f"{d['url']}#{d['table']}", "rows": d["rows"], "sha256": d["fingerprint"]}
            )
            continue
        base = resolve_path(value)
        for f in input_files(value, resolve_path):
            rel = value if f == base else f"{value.rstrip('/')}/{f.relative_to(base).as_posix()}"
            out.append({"param": name, "path": rel, "size": f.stat().st_size, "sha256": hashes.sha256(f)})
    return out


_source_hash: str | None = None
_deps_versions: dict[str, str] | None = None


def package_source_hash(hashes: HashCache | None = None) -> str:
    """One hash over the workbench package's source files (any code change re-runs every report)."""
    global _source_hash
    if _source_hash is None:
        h = hashlib.sha256()
        for f in sorted(_PACKAGE_DIR.rglob("*")):
            if f.suffix in _SOURCE_SUFFIXES and "__pycache__" not in f.parts and f.is_file():
                h.update(f.relative_to(_PACKAGE_DIR).as_posix().encode())
                h.update((hashes.sha256(f) if hashes else sha256_file(f)).encode())
        _source_hash = h.hexdigest()
    return _source_hash


def dependency_versions() -> dict[str, str]:
    """Installed versions of python and of every runtime dependency declared by the package."""
    global _deps_versions
    if _deps_versions is None:
        import re
        from importlib import metadata

        versions = {"python": sys.version.split()[0]}
        try:
            requires = metadata.requires("marketing-workbench") or []
        except metadata.PackageNotFoundError:
            requires = []
        names = {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].strip() for r in requires if "extra ==" not in r}
        for name in sorted(n for n in names if n):
            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = "missing"
        _deps_versions = versions
    return _deps_versions


_distributions: dict[str, str] | None = None


def installed_distributions() -> dict[str, str]:
    """Every installed distribution and its version (the manifest's full environment), sorted by name,
    so a drift found by `workbench reproduce` can be traced to a library change."""
    global _distributions
    if _distributions is None:
        from importlib import metadata

        found: dict[str, str] = {"python": sys.version.split()[0]}
        for dist in metadata.distributions():
            name = (dist.metadata["Name"] or "").strip()
            if name and name.lower() not in {k.lower() for k in found}:
                found[name] = dist.version
        _distributions = dict(sorted(found.items(), key=lambda kv: kv[0].lower()))
    return _distributions


def cache_key(
    notebook_hash: str,
    params: dict[str, Any],
    inputs: list[dict[str, Any]],
    options: dict[str, Any],
    hashes: HashCache | None = None,
) -> str:
    """The run's cache key (sha256 hex)."""
    payload = {
        "notebook": notebook_hash,
        "params": params,
        "inputs": [[i["path"], i["sha256"]] for i in inputs],
        "options": options,
        "workbench": package_source_hash(hashes),
        "deps": dependency_versions(),
    }
    return sha256_text(canonical_json(payload))
