"""`workbench deliver REPORT/NAME [VERSION]`: send a published version to its readers.

Without VERSION: the latest good version goes to `_delivery.to`, and when the newest run failed
its error summary goes to `_delivery.failure_to` (only there). The delivery log keeps the same
version from going twice to the same address unless `force`; `dry_run` writes .eml files to
the outbox instead of sending; a message the server did not take stays in the outbox with its
error, and `retry` sends it later. Every attempt is logged and the index rebuilt.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from workbench.delivery import content, log, message, outbox
from workbench.delivery.errors import DeliveryError, SendError
from workbench.delivery.spec import DeliverySpec, address_problem, parse_delivery

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


@dataclass
class Delivery:
    """The outcome of one message: sent, partial, failed, dry-run or skipped (with why)."""

    kind: str  # report | failure
    label: str
    version: str
    recipients: list[str]
    result: str
    detail: str = ""
    eml: str | None = None
    refused: dict[str, str] = field(default_factory=dict)

    def line(self) -> str:
        who = ", ".join(self.recipients) or "nobody"
        what = "failure notice" if self.kind == "failure" else "report"
        extra = f": {self.detail}" if self.detail else ""
        return f"{self.result:8} {what} {self.label}/{self.version} -> {who}{extra}"


def parse_target(target: str, version: str | None = None) -> tuple[str, str, str | None]:
    """REPORT/NAME or REPORT/NAME/VERSION (names checked: no path may leave the reports folder)."""
    parts = target.strip("/").split("/")
    if len(parts) == 3 and version is None:
        parts, version = parts[:2], parts[2]
    if len(parts) != 2:
        raise DeliveryError(f"expected REPORT/NAME (e.g. monthly_report/last_month), found {target!r}")
    for part in [*parts, *([version] if version else [])]:
        if not _NAME.match(part):
            raise DeliveryError(f"{target!r}: {part!r} is not a report, params or version name")
    return parts[0], parts[1], version


def load_spec(root: Path, report: str, name: str) -> tuple[DeliverySpec, str]:
    """The `_delivery` block of params/<report>/<name>.yaml, validated (and the file's path)."""
    from workbench.pipeline.params import load_params_file

    path = next(
        (p for p in (root / "params" / report / f"{name}{ext}" for ext in (".yaml", ".yml")) if p.is_file()), None
    )
    if path is None:
        raise DeliveryError(f"no params file params/{report}/{name}.yaml: its _delivery block says who gets the report")
    rel = path.relative_to(root).as_posix()
    raw = load_params_file(path)
    if "_delivery" not in raw:
        raise DeliveryError(f"{rel} has no _delivery block: add one with at least `to:` (see docs/delivery.md)")
    return parse_delivery(raw["_delivery"], where=f"{rel}: key '_delivery'"), rel


def sender_address(spec: DeliverySpec, env: Mapping[str, str], username: str = "") -> str:
    """`_delivery.from`, else $WORKBENCH_MAIL_FROM, else the SMTP login where it is an address."""
    for candidate, where in (
        (spec.sender, "_delivery.from"),
        (env.get("WORKBENCH_MAIL_FROM", ""), "WORKBENCH_MAIL_FROM"),
    ):
        if candidate:
            err = address_problem(candidate)
            if err:
                raise DeliveryError(f"{where}: {err}")
            return candidate
    if "@" in username and not address_problem(username):
        return username
    return f"marketing-workbench@{socket.gethostname() or 'localhost'}"


@dataclass
class _Outgoing:
    kind: str
    version: content.Version
    recipients: list[str]
    message: EmailMessage


def _plan(
    reports_root: Path, report: str, name: str, version: str | None, spec: DeliverySpec, sender: str, force: bool
) -> tuple[list[_Outgoing], list[Delivery]]:
    """The messages to send and the ones skipped (already sent, nobody to tell)."""
    from workbench.pipeline.store import read_latest

    all_runs = content.runs(reports_root, report, name)
    if not all_runs:
        raise DeliveryError(f"{report}/{name} has no published version under {reports_root}: run it first")
    if version:
        chosen = [content.find_version(reports_root, report, name, version)]
    else:
        pointer = read_latest(reports_root, report, name) or {}
        good = next((v for v in all_runs if v.version == pointer.get("version")), None)
        good = good or next((v for v in reversed(all_runs) if v.ok), None)
        chosen = [v for v in (all_runs[-1] if not all_runs[-1].ok else None, good) if v is not None]
    entries = log.read_log(reports_root)
    out, skipped = [], []
    for v in chosen:
        kind = "report" if v.ok else "failure"
        wanted = list(spec.to if v.ok else spec.failure_to)
        if not wanted:
            skipped.append(Delivery(kind, v.label, v.version, [], "skipped", "no failure_to in _delivery: nobody told"))
            continue
        done = {} if force else log.sent_to(entries, report, name, v.version, kind)
        todo = [a for a in wanted if a.lower() not in done]
        if not todo:
            when = max(done.values())[:16].replace("T", " ")
            skipped.append(Delivery(kind, v.label, v.version, wanted, "skipped", f"already sent {when} UTC (--force)"))
            continue
        fields = message.subject_fields(v)
        if v.ok:
            previous = content.previous_good(all_runs, v.version)
            changes, _ = content.what_changed(reports_root, v, previous)
            body, subject = message.report_body(v, previous, changes, spec), spec.subject.format(**fields)
        else:
            latest = next((r for r in reversed(all_runs) if r.ok), None)
            body, subject = message.failure_body(v, latest, spec), spec.failure_subject.format(**fields)
        out.append(_Outgoing(kind, v, todo, message.build_message(body, subject, sender, todo, v, kind)))
    return out, skipped


def _record(reports_root: Path, o: _Outgoing, result: str, **extra: Any) -> None:
    v = o.version
    log.append(
        reports_root,
        {
            "report": v.report,
            "name": v.name,
            "version": v.version,
            "kind": o.kind,
            "recipients": o.recipients,
            "subject": str(o.message["Subject"]),
            "message_id": str(o.message["Message-ID"]),
            "result": result,
            **extra,
        },
    )


def _send_one(o: _Outgoing, settings: Any, reports_root: Path, box: Path) -> Delivery:
    from workbench.delivery.smtp import send

    label, where = o.version.label, settings.describe()
    meta = {"report": o.version.report, "name": o.version.name, "version": o.version.version, "kind": o.kind}
    try:
        refused = send(o.message, o.recipients, settings)
    except SendError as exc:
        eml = outbox.put(box, o.message, {**meta, "recipients": o.recipients, "status": "unsent", "error": str(exc)})
        _record(reports_root, o, "failed", accepted=[], error=str(exc), smtp=where, outbox=str(eml))
        return Delivery(o.kind, label, o.version.version, o.recipients, "failed", f"{exc}; kept in {eml}", str(eml))
    accepted = [a for a in o.recipients if a not in refused]
    if not refused:
        _record(reports_root, o, "sent", accepted=accepted, smtp=where)
        return Delivery(o.kind, label, o.version.version, o.recipients, "sent")
    error = "; ".join(f"{a}: {r}" for a, r in refused.items())
    eml = outbox.put(box, o.message, {**meta, "recipients": list(refused), "status": "unsent", "error": error})
    _record(reports_root, o, "partial", accepted=accepted, refused=refused, error=error, smtp=where, outbox=str(eml))
    return Delivery(o.kind, label, o.version.version, o.recipients, "partial", f"refused {error}", str(eml), refused)


def deliver(
    target: str,
    version: str | None = None,
    *,
    dry_run: bool = False,
    force: bool = False,
    outbox_dir: Path | None = None,
    root: Path | None = None,
    reports_root: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> list[Delivery]:
    """Send (or with `dry_run` write to the outbox) what REPORT/NAME [VERSION] owes its readers."""
    from workbench.config import project_root, reports_dir
    from workbench.delivery.smtp import settings_from_env

    env = os.environ if env is None else env
    root, reports_root = root or project_root(), reports_root or reports_dir()
    report, name, version = parse_target(target, version)
    spec, _ = load_spec(root, report, name)
    settings = None if dry_run else settings_from_env(env)  # before any work: no SMTP, no attempt
    sender = sender_address(spec, env, settings.username if settings else "")
    planned, results = _plan(reports_root, report, name, version, spec, sender, force)
    box = outbox_dir or outbox.default_outbox(reports_root)
    for o in planned:
        if dry_run:
            meta = {"report": report, "name": name, "version": o.version.version, "kind": o.kind}
            eml = outbox.put(box, o.message, {**meta, "recipients": o.recipients, "status": "dry-run"})
            _record(reports_root, o, "dry-run", accepted=[], outbox=str(eml))
            results.append(
                Delivery(o.kind, o.version.label, o.version.version, o.recipients, "dry-run", str(eml), str(eml))
            )
        else:
            results.append(_send_one(o, settings, reports_root, box))
    if planned:
        _rewrite_index(reports_root)
    return results


def retry(
    outbox_dir: Path | None = None, reports_root: Path | None = None, env: Mapping[str, str] | None = None
) -> list[Delivery]:
    """Send again every message the outbox kept after a failure; what goes out leaves the outbox."""
    from workbench.config import reports_dir
    from workbench.delivery.smtp import settings_from_env

    reports_root = reports_root or reports_dir()
    box = outbox_dir or outbox.default_outbox(reports_root)
    kept = outbox.pending(box)
    if not kept:
        return []
    settings = settings_from_env(os.environ if env is None else env)
    results = []
    for eml, meta in kept:
        runs = content.runs(reports_root, str(meta.get("report")), str(meta.get("name")))
        v = next((r for r in runs if r.version == meta.get("version")), None)
        if v is None:  # pruned or moved since: keep the file, say so
            results.append(Delivery(str(meta.get("kind")), f"{meta.get('report')}/{meta.get('name')}",
                                    str(meta.get("version")), list(meta.get("recipients", [])), "failed",
                                    f"version no longer published; {eml} kept", str(eml)))  # fmt: skip
            continue
        o = _Outgoing(str(meta.get("kind")), v, list(meta.get("recipients", [])), outbox.load(eml))
        d = _send_one(o, settings, reports_root, box)
        outbox.remove(eml)  # a failure wrote a fresh copy with the new error
        results.append(d)
    _rewrite_index(reports_root)
    return results


def _rewrite_index(reports_root: Path) -> None:
    from workbench.pipeline import store
    from workbench.pipeline.index import write_index

    with store.locked(reports_root):
        write_index(reports_root)
