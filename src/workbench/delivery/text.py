"""Every sentence a delivery e-mail (and the index's delivery column) states, one function each.

Numbers become text through `workbench.report.format`; nothing here reads files or sends mail.
"""

from __future__ import annotations

from typing import Any

from workbench.report.format import exact_number as number
from workbench.report.format import signed_pct

HEADLINE_HEADING = "Headline numbers"
CHANGES_HEADING = "What changed since the previous version"


def value_text(value: Any) -> str:
    """A headline value as the e-mail shows it: numbers through `format.number`, text as recorded."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "–" if value is None else str(value)
    return number(value)


def change_sentence(name: str, previous: Any, current: Any, delta: Any = None, relative: Any = None) -> str:
    """'total: 7 → 10.5 (+3.5, +50%)'; text values: 'Sessions: 17,435 → 18,002'."""
    line = f"{name}: {value_text(previous)} → {value_text(current)}"
    parts = []
    if isinstance(delta, (int, float)) and not isinstance(delta, bool):
        parts.append(("+" if delta > 0 else "") + number(delta))
    if isinstance(relative, (int, float)) and not isinstance(relative, bool):
        parts.append(signed_pct(relative))
    return f"{line} ({', '.join(parts)})" if parts else line


def beyond_variation_note(beyond: Any) -> str:
    """The verdict on one change where the comparison could make one ('' where it could not)."""
    if beyond is True:
        return "beyond normal variation"
    if beyond is False:
        return "within normal variation"
    return ""


def changes_intro(previous_version: str) -> str:
    return f"Compared with the previous version {previous_version}:"


def first_version_note() -> str:
    return "This is the first successful version of this report: there is nothing to compare it with yet."


def no_change_note(previous_version: str) -> str:
    return f"No headline number changed since the previous version {previous_version}."


def attached_note(kinds: list[str]) -> str:
    """'The full report is attached as PDF.' / '… as PDF and HTML.'"""
    return f"The full report is attached as {' and '.join(k.upper() for k in kinds)}."


def no_pdf_note(reason: str = "") -> str:
    """Why the HTML travels instead of the PDF."""
    why = f" ({reason})" if reason else ""
    return f"This version has no PDF{why}: the report is attached as HTML, which opens in any browser."


def too_large_note(filename: str, size_mb: float, limit_mb: float) -> str:
    return (
        f"{filename} is not attached: {number(round(size_mb, 1))} MB is over the {number(limit_mb)} MB limit "
        "(max_attachment_mb); open the full report at the link below."
    )


def link_line(location: str) -> str:
    return f"Full report: {location}"


def version_line(version: str, started_at: str, period: str) -> str:
    """'Version V, run 2025-03-02 07:00 UTC, data 2025-02-01 – 2025-02-28.'"""
    when = str(started_at or "")[:16].replace("T", " ")
    data = f", data {period}" if period else ""
    return f"Version {version}, run {when} UTC{data}."


def failure_heading(label: str) -> str:
    return f"The scheduled run of {label} failed."


def failure_where(failure: dict[str, Any]) -> str:
    """Where and why a run failed, from the manifest's `failure` record."""
    message = str(failure.get("message") or "no error message was recorded")
    if failure.get("cell_index") is not None:
        line = str(failure.get("cell_line") or "").strip()
        code = f" (`{line}`)" if line else ""
        return f"It stopped in cell {failure['cell_index']}{code}: {message}"
    kind = str(failure.get("kind") or "run")
    return f"It stopped ({kind}): {message}"


def failure_kept_note(latest_version: str | None) -> str:
    if latest_version:
        return f"Readers were not sent anything; the latest good version stays {latest_version}."
    return "Readers were not sent anything; there is no successful version of this report yet."


def delivery_note(entry: dict[str, Any]) -> str:
    """The index's one-line summary of a delivery log record."""
    when = str(entry.get("at", ""))[:16].replace("T", " ")
    kind = "failure notice" if entry.get("kind") == "failure" else "sent"
    accepted = entry.get("accepted") or []
    result = entry.get("result")
    if result == "sent":
        return f"{kind} to {', '.join(accepted)} ({when} UTC)"
    if result == "partial":
        refused = ", ".join(entry.get("refused") or {})
        return f"{kind} to {', '.join(accepted)}; refused: {refused} ({when} UTC)"
    return f"not sent ({when} UTC): {entry.get('error') or 'unknown error'}; kept in the outbox"
