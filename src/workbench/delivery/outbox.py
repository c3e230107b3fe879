"""The outbox: messages written as .eml files, each with a .json note of where it should go and why
it is there (a dry run, or the error that stopped it). Nothing that could not be sent is lost:
`workbench deliver --retry` sends what the outbox holds and removes what went out."""

from __future__ import annotations

import datetime as _dt
import json
import re
import uuid
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from workbench.pipeline.store import write_json_atomic

OUTBOX = ".outbox"


def default_outbox(reports_root: Path) -> Path:
    return Path(reports_root) / OUTBOX


def put(outbox: Path, message: EmailMessage, meta: dict[str, Any]) -> Path:
    """Write the message and its note; returns the .eml path."""
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{meta.get('report')}-{meta.get('name')}-{meta.get('kind')}")
    path = outbox / f"{stamp}-{slug}-{uuid.uuid4().hex[:6]}.eml"
    tmp = path.with_suffix(".eml.tmp")
    tmp.write_bytes(message.as_bytes(policy=policy.SMTP))
    tmp.replace(path)
    write_json_atomic(path.with_suffix(".json"), meta)
    return path


def pending(outbox: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Messages kept because sending failed (dry runs are not retried), oldest first."""
    if not outbox.is_dir():
        return []
    found = []
    for eml in sorted(outbox.glob("*.eml")):
        try:
            meta = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if meta.get("status") == "unsent":
            found.append((eml, meta))
    return found


def load(eml: Path) -> EmailMessage:
    with open(eml, "rb") as fh:
        return BytesParser(policy=policy.default).parse(fh)


def remove(eml: Path) -> None:
    eml.unlink(missing_ok=True)
    eml.with_suffix(".json").unlink(missing_ok=True)


def note_error(eml: Path, meta: dict[str, Any], error: str) -> None:
    """Record another failed attempt on a kept message."""
    meta = {**meta, "error": error, "attempts": int(meta.get("attempts", 1)) + 1}
    write_json_atomic(eml.with_suffix(".json"), meta)
