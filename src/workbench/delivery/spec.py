"""The `_delivery` block of a params file: who gets a report, who hears of failures, what the e-mail says.

Checked when the params file is validated (before any kernel starts) so that a typo in an address
or a subject field stops `workbench run`/`validate`, not the e-mail that was due on Monday morning.
SMTP settings are deliberately *not* part of the block: they come from the environment only
(`workbench.delivery.smtp`), so no password lands in params, manifests or reports.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.delivery.errors import DeliveryError

#: Fields a subject template may use, with what each holds.
SUBJECT_FIELDS = {
    "title": "the report's title",
    "report": "the report (notebook) name",
    "name": "the params file name",
    "version": "the version id",
    "status": "ok or failed",
    "date": "the run's date (YYYY-MM-DD, UTC)",
    "period": "the data period the report covers",
}
ATTACHMENTS = ("pdf", "html")
DEFAULT_SUBJECT = "{title} ({date})"
DEFAULT_FAILURE_SUBJECT = "FAILED: {title} ({version})"
DEFAULT_MAX_ATTACHMENT_MB = 15.0

KEYS = {
    "to": "recipients of the report (an address or a list)",
    "failure_to": "recipients of failure notices (an address or a list; default: nobody)",
    "subject": "subject template, fields " + ", ".join("{" + f + "}" for f in SUBJECT_FIELDS),
    "failure_subject": "subject template of failure notices (same fields)",
    "attachments": "list of pdf and/or html (default [pdf]: the PDF, or the HTML where there is no PDF)",
    "report_url": "base URL where the reports folder is served (links in the e-mail); default: file path",
    "from": "sender address (default: $WORKBENCH_MAIL_FROM)",
    "max_attachment_mb": "larger attachments are left out and linked instead (default 15)",
}

# One address, local@domain.tld, without display names, spaces or line breaks (header injection).
_ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


@dataclass(frozen=True)
class DeliverySpec:
    """A validated `_delivery` block."""

    to: tuple[str, ...]
    failure_to: tuple[str, ...] = ()
    subject: str = DEFAULT_SUBJECT
    failure_subject: str = DEFAULT_FAILURE_SUBJECT
    attachments: tuple[str, ...] = ("pdf",)
    report_url: str = ""
    sender: str = ""
    max_attachment_mb: float = DEFAULT_MAX_ATTACHMENT_MB


def address_problem(value: Any) -> str | None:
    """None for a usable address, else what is wrong with it."""
    if not isinstance(value, str):
        return f"expected an e-mail address, found {type(value).__name__} {value!r}"
    if not _ADDRESS.match(value) or ".." in value:
        return f"expected an e-mail address like name@example.com, found {value!r}"
    return None


def _addresses(key: str, value: Any, problems: list[str], required: bool) -> tuple[str, ...]:
    if value is None or value == "" or value == []:
        if required:
            problems.append(f"'{key}': required (an address or a list of addresses), found nothing")
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        problems.append(f"'{key}': expected an address or a list of addresses, found {type(value).__name__}")
        return ()
    good = []
    for i, item in enumerate(items):
        err = address_problem(item)
        if err:
            problems.append(
                f"'{key}'[{i}]: {err}" if len(items) > 1 or not isinstance(value, str) else f"'{key}': {err}"
            )
        else:
            good.append(item)
    return tuple(dict.fromkeys(good))  # duplicates once, order kept


def template_problems(template: Any) -> list[str]:
    """What is wrong with a subject template (unknown fields, attribute access, line breaks)."""
    if not isinstance(template, str) or not template.strip():
        return [f"expected a non-empty text template, found {template!r}"]
    if "\n" in template or "\r" in template:
        return ["a subject is one line: remove the line break"]
    problems = []
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        return [f"not a valid template ({exc}); write literal braces as {{{{ and }}}}"]
    for f in fields:
        if f not in SUBJECT_FIELDS:
            close = difflib.get_close_matches(f, list(SUBJECT_FIELDS), n=1)
            hint = f"; did you mean {{{close[0]}}}?" if close else ""
            problems.append(f"unknown field {{{f}}}{hint} (fields: {', '.join('{' + k + '}' for k in SUBJECT_FIELDS)})")
    if not problems:
        try:
            template.format(**{k: "x" for k in SUBJECT_FIELDS})
        except (ValueError, IndexError) as exc:
            problems.append(f"not a valid template ({exc})")
    return problems


def delivery_problems(value: Any) -> list[str]:
    """Every problem of a `_delivery` block (empty list: valid)."""
    try:
        parse_delivery(value)
    except DeliveryError as exc:
        return list(exc.problems)
    return []


def parse_delivery(value: Any, where: str = "_delivery") -> DeliverySpec:
    """A `DeliverySpec` from the params file's block; one DeliveryError lists every problem."""
    problems: list[str] = []
    if not isinstance(value, Mapping):
        raise DeliveryError(
            f"{where}: expected a mapping with at least 'to', found {type(value).__name__}",
            [f"expected a mapping with at least 'to' (e.g. {{to: [head@example.com]}}), found {value!r}"],
        )
    for key in value:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), list(KEYS), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(f"unknown key '{key}'{hint} (known: {', '.join(KEYS)})")
    to = _addresses("to", value.get("to"), problems, required=True)
    failure_to = _addresses("failure_to", value.get("failure_to"), problems, required=False)
    subjects = {}
    for key, default in (("subject", DEFAULT_SUBJECT), ("failure_subject", DEFAULT_FAILURE_SUBJECT)):
        subjects[key] = value.get(key, default)
        problems.extend(f"'{key}': {p}" for p in template_problems(subjects[key]))
    attachments = value.get("attachments", ["pdf"])
    if isinstance(attachments, str):
        attachments = [attachments]
    if not isinstance(attachments, list) or any(a not in ATTACHMENTS for a in attachments):
        problems.append(f"'attachments': expected a list of {' and/or '.join(ATTACHMENTS)}, found {attachments!r}")
        attachments = []
    url = value.get("report_url", "")
    if not isinstance(url, str) or (url and not re.match(r"^https?://[^\s]+$", url)):
        problems.append(f"'report_url': expected an http(s) URL like https://intranet/reports/, found {url!r}")
        url = ""
    sender = value.get("from", "")
    if sender:
        err = address_problem(sender)
        if err:
            problems.append(f"'from': {err}")
    limit = value.get("max_attachment_mb", DEFAULT_MAX_ATTACHMENT_MB)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit <= 0:
        problems.append(f"'max_attachment_mb': expected a positive number of megabytes, found {limit!r}")
        limit = DEFAULT_MAX_ATTACHMENT_MB
    if problems:
        raise DeliveryError(f"{where}: " + "; ".join(problems), problems)
    return DeliverySpec(
        to=to,
        failure_to=failure_to,
        subject=subjects["subject"],
        failure_subject=subjects["failure_subject"],
        attachments=tuple(dict.fromkeys(attachments)),
        report_url=url,
        sender=sender or "",
        max_attachment_mb=float(limit),
    )
