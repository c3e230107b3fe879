"""The delivery log: who got which version, when, and whether it went out (reports/deliveries.jsonl).

One JSON object a line, appended with a single write (O_APPEND), so concurrent deliveries never
interleave and a crash loses at most the line being written. The log answers three questions:
was this version already sent to these recipients (no duplicates unless forced), which versions
were delivered (prune keeps them), and what the index shows beside each run.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

LOG_NAME = "deliveries.jsonl"
RESULTS = ("sent", "partial", "failed", "dry-run")


def log_path(reports_root: Path) -> Path:
    return Path(reports_root) / LOG_NAME


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def append(reports_root: Path, entry: dict[str, Any]) -> None:
    """Add one record; `at` defaults to now (UTC)."""
    record = {"at": now_utc(), **entry}
    line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    path = log_path(reports_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_log(reports_root: Path) -> list[dict[str, Any]]:
    """Every record, oldest first; a damaged line (a crash mid-write) is skipped, not fatal."""
    path = log_path(reports_root)
    if not path.is_file():
        return []
    entries = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict):
                entries.append(item)
    return entries


def _key(entry: dict[str, Any]) -> tuple[str, str, str]:
    return str(entry.get("report")), str(entry.get("name")), str(entry.get("version"))


def sent_to(entries: Iterable[dict[str, Any]], report: str, name: str, version: str, kind: str) -> dict[str, str]:
    """Address -> when it was sent, for every address that accepted this version's `kind` message."""
    sent: dict[str, str] = {}
    for e in entries:
        if _key(e) == (report, name, version) and e.get("kind") == kind and e.get("result") in ("sent", "partial"):
            for addr in e.get("accepted") or []:
                sent.setdefault(str(addr).lower(), str(e.get("at", "")))
    return sent


def delivered_versions(entries: Iterable[dict[str, Any]]) -> set[tuple[str, str, str]]:
    """(report, name, version) of every report that reached at least one reader."""
    return {
        _key(e)
        for e in entries
        if e.get("kind") == "report" and e.get("result") in ("sent", "partial") and e.get("accepted")
    }


def run_summaries(reports_root: Path) -> dict[tuple[str, str, str], str]:
    """What the index shows beside each run: the last delivery of that version, in a few words."""
    entries = read_log(reports_root)
    if not entries:  # most indexes: nothing delivered, nothing more to import
        return {}
    from workbench.delivery.text import delivery_note

    latest: dict[tuple[str, str, str], dict[str, Any]] = {}
    for e in entries:
        if e.get("result") != "dry-run":
            latest[_key(e)] = e
    return {key: delivery_note(e) for key, e in latest.items()}
