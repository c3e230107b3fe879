"""The MIME message of a delivery: one body written once as blocks, rendered twice (HTML with inline
styles, no script and no external image; plain text), plus the PDF or HTML report as attachment.

Mail clients drop <style> sheets and block remote images, so every style sits on its element and
nothing is loaded from anywhere; the charts travel inside the attached report.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from workbench.delivery import text
from workbench.delivery.content import Version, headline, period_text
from workbench.delivery.spec import DeliverySpec

Block = tuple[str, Any]  # ("h1" | "p" | "small" | "table" | "list", content)

_CSS = {
    "body": "font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.45;color:#1f2933;max-width:680px",
    "h1": "font-size:20px;margin:0 0 6px 0;color:#102a43",
    "h2": "font-size:16px;margin:18px 0 6px 0;color:#102a43",
    "p": "margin:6px 0",
    "small": "margin:14px 0 0 0;font-size:12px;color:#627d98",
    "table": "border-collapse:collapse;margin:6px 0",
    "th": "text-align:left;padding:4px 12px 4px 0;border-bottom:1px solid #d9e2ec;font-weight:normal;color:#486581",
    "td": "text-align:right;padding:4px 0;border-bottom:1px solid #d9e2ec;font-weight:bold",
    "li": "margin:3px 0",
}


@dataclass
class Attachment:
    path: Path
    filename: str
    mime: tuple[str, str]


@dataclass
class Body:
    blocks: list[Block] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def add(self, kind: str, content: Any) -> None:
        self.blocks.append((kind, content))


def render_html(blocks: list[Block]) -> str:
    """The HTML part: every style inline, every text escaped, no script, no image."""
    e, out = html.escape, []
    for kind, content in blocks:
        if kind == "table":
            rows = "".join(
                f'<tr><th style="{_CSS["th"]}">{e(k)}</th><td style="{_CSS["td"]}">{e(v)}</td></tr>' for k, v in content
            )
            out.append(f'<table role="presentation" style="{_CSS["table"]}">{rows}</table>')
        elif kind == "list":
            items = "".join(f'<li style="{_CSS["li"]}">{e(t)}</li>' for t in content)
            out.append(f'<ul style="margin:6px 0;padding-left:20px">{items}</ul>')
        else:
            tag = "p" if kind == "small" else kind
            out.append(f'<{tag} style="{_CSS[kind]}">{e(content)}</{tag}>')
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
        f'<body style="{_CSS["body"]}">{"".join(out)}</body></html>\n'
    )


def render_plain(blocks: list[Block]) -> str:
    """The plain-text part: the same blocks, aligned for a fixed-width reader."""
    out = []
    for kind, content in blocks:
        if kind == "table":
            width = max((len(k) for k, _ in content), default=0)
            out.append("\n".join(f"  {k.ljust(width)}  {v}" for k, v in content))
        elif kind == "list":
            out.append("\n".join(f"  - {t}" for t in content))
        elif kind in ("h1", "h2"):
            rule = ("=" if kind == "h1" else "-") * len(str(content))
            out.append(f"{content}\n{rule}")
        else:
            out.append(str(content))
    return "\n\n".join(out) + "\n"


def subject_fields(v: Version) -> dict[str, str]:
    return {
        "title": v.title,
        "report": v.report,
        "name": v.name,
        "version": v.version,
        "status": str(v.manifest.get("status", "")),
        "date": str(v.manifest.get("started_at", ""))[:10],
        # ASCII in the subject: Python's header folding doubles the space before an encoded "–"
        "period": period_text(v.results).replace(" – ", " to "),
    }


def location(v: Version, spec: DeliverySpec, page: str = "report.html") -> str:
    """Where the reader finds the full report: under `report_url`, else the file's path."""
    if spec.report_url:
        return f"{spec.report_url.rstrip('/')}/{v.report}/{v.name}/{v.version}/{page}"
    return str((v.path / page).resolve())


def _pdf_reason(manifest: dict[str, Any]) -> str:
    """Why a version has no PDF, where the manifest says (e.g. Chromium absent)."""
    pdf = manifest.get("pdf")
    if isinstance(pdf, dict):
        return str(pdf.get("reason") or pdf.get("error") or pdf.get("message") or "")
    return pdf if isinstance(pdf, str) else ""


def _attach(body: Body, notes: list[str], v: Version, kind: str, limit_mb: float) -> None:
    page = v.path / f"report.{kind}"
    size_mb = page.stat().st_size / 1e6
    if size_mb > limit_mb:
        notes.append(text.too_large_note(page.name, size_mb, limit_mb))
        return
    mime = ("application", "pdf") if kind == "pdf" else ("text", "html")
    body.attachments.append(Attachment(page, f"{v.report}-{v.name}-{v.version}.{kind}", mime))


def plan_attachments(v: Version, spec: DeliverySpec) -> tuple[Body, list[str]]:
    """The files to attach and the sentences that say what was attached instead of what, and why."""
    body, notes = Body(), list[str]()
    wanted, instead = list(spec.attachments), False
    if "pdf" in wanted and not (v.path / "report.pdf").is_file():
        wanted.remove("pdf")
        if "html" not in wanted:
            wanted.append("html")
            instead = True
    for kind in wanted:
        if (v.path / f"report.{kind}").is_file():
            _attach(body, notes, v, kind, spec.max_attachment_mb)
    if body.attachments and instead:
        notes.insert(0, text.no_pdf_note(_pdf_reason(v.manifest)))
    elif body.attachments:
        notes.insert(0, text.attached_note([a.filename.rsplit(".", 1)[1] for a in body.attachments]))
    return body, notes


def report_body(v: Version, previous: Version | None, changes: list[Any], spec: DeliverySpec) -> Body:
    """Headline numbers, what changed since the previous version, attachments and the link."""
    body, notes = plan_attachments(v, spec)
    body.add("h1", v.title)
    body.add("p", text.version_line(v.version, str(v.manifest.get("started_at", "")), period_text(v.results)))
    numbers = [(k, text.value_text(val)) for k, val in headline(v.results).items()]
    if numbers:
        body.add("h2", text.HEADLINE_HEADING)
        body.add("table", numbers)
    body.add("h2", text.CHANGES_HEADING)
    if previous is None:
        body.add("p", text.first_version_note())
    elif not changes:
        body.add("p", text.no_change_note(previous.version))
    else:
        body.add("p", text.changes_intro(previous.version))
        lines = []
        for c in changes:
            verdict = text.beyond_variation_note(getattr(c, "beyond_variation", None))
            line = str(getattr(c, "text", "") or c)
            lines.append(f"{line} — {verdict}" if verdict and "variation" not in line else line)
        body.add("list", lines)
    for note in notes:
        body.add("p", note)
    body.add("p", text.link_line(location(v, spec)))
    return body


def failure_body(v: Version, latest_good: Version | None, spec: DeliverySpec) -> Body:
    """The error summary of a failed run, for the failure address only; its error page attached."""
    body = Body()
    body.add("h1", text.failure_heading(f"{v.title} ({v.label})"))
    body.add("p", text.version_line(v.version, str(v.manifest.get("started_at", "")), ""))
    body.add("p", text.failure_where(v.manifest.get("failure") or {}))
    body.add("p", text.failure_kept_note(latest_good.version if latest_good else None))
    body.add("p", text.link_line(location(v, spec)))
    if (v.path / "report.html").is_file():
        _attach(body, [], v, "html", spec.max_attachment_mb)
    return body


def build_message(body: Body, subject: str, sender: str, to: list[str], v: Version, kind: str) -> EmailMessage:
    """The MIME message: text and HTML alternatives, then the attachments."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or None)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies to a robot
    msg["X-Workbench-Version"] = f"{v.report}/{v.name}/{v.version} {kind}"
    msg.set_content(render_plain(body.blocks), cte="quoted-printable")
    msg.add_alternative(render_html(body.blocks), subtype="html", cte="quoted-printable")
    for a in body.attachments:
        msg.add_attachment(a.path.read_bytes(), maintype=a.mime[0], subtype=a.mime[1], filename=a.filename)
    return msg
