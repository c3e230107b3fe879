"""Published versions: immutable folders, atomic publishing, and the `latest` pointer.

Layout under the reports folder::

    <report>/<name>/<version>/{report.html, notebook.ipynb, manifest.json, results.json}
    <report>/<name>/latest/index.html    redirect page to the newest good version (any OS, any static server)
    <report>/<name>/latest.json          {"version": ..., "cache_key": ...} for tools and the cache
    .tmp/<staging folders>               a run writes here, then one os.rename publishes it
    .lock                                held (fcntl) while latest pointers and the index change

A build killed at any moment leaves at most a staging folder (ignored, and removed by the next
build once its process is gone); a version folder either exists complete or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.errors import ParamsError

TMP = ".tmp"
LOCK = ".lock"
VERSION_FILES = ("report.html", "notebook.ipynb", "manifest.json", "results.json")


#: A report, params or version name is one plain path segment: it starts with a letter or digit, so
#: `.`, `..`, `...` and hidden names can never lead outside (or to a hidden corner of) the reports folder.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def check_name(kind: str, value: str, source: str = "") -> str:
    """The one check on every name that becomes part of a path under the reports folder.

    `kind` says what the name is (report, params name, version) and `source` where it came from
    (the notebook or params file), so the message tells the user which file to rename."""
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        where = f"{source}: " if source else ""
        raise ParamsError(
            f"{where}the {kind} {value!r} cannot name a folder under reports/: expected letters, digits, "
            f"'_', '-' or '.', starting with a letter or digit (at most 128 characters)"
        )
    return value


def version_dir(root: Path, report: str, name: str, version: str | None = None) -> Path:
    """reports/<report>/<name>[/<version>]: every path to a version is built here, after the name check."""
    path = root / check_name("report", report) / check_name("params name", name)
    return path / check_name("version", version) if version is not None else path


def write_text_atomic(path: Path, text: str) -> None:
    """Write via a temporary sibling and os.replace, so readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_json_atomic(path: Path, data: Any) -> None:
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def new_version_id(cache_key: str, now: _dt.datetime | None = None) -> str:
    """Sortable by time: UTC timestamp (to the millisecond) then a short hash of the run's cache key."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z-{cache_key[:6]}"


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """An exclusive inter-process lock on the reports folder (no-op where fcntl is missing)."""
    root.mkdir(parents=True, exist_ok=True)
    fh = open(root / LOCK, "a+")
    try:
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        except ImportError:  # Windows: msvcrt locking of one byte
            import msvcrt

            getattr(msvcrt, "locking")(fh.fileno(), getattr(msvcrt, "LK_LOCK"), 1)  # noqa: B009 (Windows only)
        yield
    finally:
        fh.close()  # closing releases the lock


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    try:  # a killed process nobody reaped yet is a zombie: as dead as it gets
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True


def _try_lock(fh) -> bool | None:
    """Lock the open file without waiting: True if we got it, False if held elsewhere, None if unsupported."""
    try:
        import fcntl
    except ImportError:
        return None
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


class Staging:
    """A private folder inside the reports folder where one run writes before it is published.

    While it lives, its owner holds a lock on `<folder>.lock` beside it: the lock vanishes with the
    process however it dies, so a later build knows the folder is abandoned."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / TMP / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.path.with_name(self.path.name + ".lock"), "w")
        _try_lock(self._lock)
        self.path.mkdir()

    def write_text(self, name: str, text: str) -> None:
        with open(self.path / name, "w", encoding="utf-8") as fh:
            fh.write(text)

    def write_json(self, name: str, data: Any) -> None:
        self.write_text(name, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")

    def publish(self, report: str, name: str, version: str) -> tuple[Path, str]:
        """Move the folder into place in one rename; a taken version id gets a suffix."""
        for path in self.path.iterdir():  # data on disk before the folder becomes visible
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
        parent = version_dir(self.root, report, name)
        parent.mkdir(parents=True, exist_ok=True)
        candidate = version
        for attempt in range(2, 100):
            target = parent / check_name("version", candidate)
            try:
                if target.exists():
                    raise FileExistsError(target)
                os.rename(self.path, target)
                self._release()
                return target, candidate
            except (FileExistsError, OSError) as exc:
                if not target.exists():
                    raise exc
                candidate = f"{version}-{attempt}"
        raise FileExistsError(f"could not find a free version id for {report}/{name}/{version}")

    def _release(self) -> None:
        if not self._lock.closed:
            self._lock.close()
            with contextlib.suppress(OSError):
                os.unlink(self._lock.name)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self._release()


def clean_stale_staging(root: Path) -> None:
    """Remove staging folders whose owner is gone (a killed build); live runs keep theirs."""
    tmp = root / TMP
    if not tmp.is_dir():
        return
    for entry in tmp.iterdir():
        if not entry.is_dir():
            continue
        lock_path = entry.with_name(entry.name + ".lock")
        abandoned = None
        if lock_path.exists():
            with open(lock_path, "a") as fh:
                got = _try_lock(fh)
                abandoned = got if got is not None else None
                if got:
                    shutil.rmtree(entry, ignore_errors=True)
                    with contextlib.suppress(OSError):
                        os.unlink(lock_path)
                    continue
        if abandoned is None:  # no lock file (or no fcntl): fall back to the owner's pid
            try:
                pid = int(entry.name.split("-", 1)[0])
            except ValueError:
                pid = -1
            if pid <= 0 or not _pid_alive(pid):
                shutil.rmtree(entry, ignore_errors=True)
                with contextlib.suppress(OSError):
                    os.unlink(lock_path)


def read_latest(root: Path, report: str, name: str) -> dict[str, Any] | None:
    """The latest pointer, if it still leads to an existing version."""
    base = version_dir(root, report, name)
    data = read_json(base / "latest.json")
    if not isinstance(data, dict) or not (base / str(data.get("version")) / "manifest.json").is_file():
        return None
    return data


def _redirect_page(version: str, title: str) -> str:
    from workbench.pipeline.render import esc

    url = f"../{esc(version)}/report.html"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={url}">'
        f"<title>{esc(title)} (latest)</title></head>"
        f'<body><p>The latest version of {esc(title)} is <a href="{url}">{esc(version)}</a>.</p></body></html>\n'
    )


def update_latest(root: Path, manifest: dict[str, Any]) -> bool:
    """Point `latest` at this version if it is a good run newer than the current latest (call under lock)."""
    if manifest.get("status") != "ok":
        return False
    report, name, version = manifest["report"], manifest["name"], manifest["version"]
    current = read_latest(root, report, name)
    if current and str(current.get("version", "")) > version:
        return False
    base = version_dir(root, report, name)
    write_text_atomic(base / "latest" / "index.html", _redirect_page(version, manifest.get("title", name)))
    write_json_atomic(
        base / "latest.json",
        {"version": version, "cache_key": manifest.get("cache_key"), "started_at": manifest.get("started_at")},
    )
    return True


def iter_manifests(root: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every published version's manifest (staging and hidden folders skipped)."""
    if not root.is_dir():
        return
    for report_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for name_dir in sorted(p for p in report_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for version_dir in sorted(p for p in name_dir.iterdir() if p.is_dir() and p.name != "latest"):
                manifest = read_json(version_dir / "manifest.json")
                if isinstance(manifest, dict):
                    yield version_dir, manifest
