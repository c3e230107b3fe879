"""Errors of e-mail delivery, as WorkbenchErrors so the command line prints them without a traceback."""

from __future__ import annotations

from workbench.errors import WorkbenchError


class DeliveryError(WorkbenchError):
    """A delivery cannot go ahead: a bad `_delivery` block, no SMTP settings, no version to send.

    `problems` keeps the individual findings so params validation can list them one per line."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems) if problems else [message]


class SendError(DeliveryError):
    """The SMTP server could not be reached or refused the message; the outbox keeps it."""
