"""The workbench's own exceptions: one base class so the CLI can turn any of them into a clear message."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base class for every error the workbench raises on purpose (bad input, not bugs)."""


class ParamsError(WorkbenchError):
    """A params file does not match the notebook's declared parameters."""


class DataValidationError(WorkbenchError):
    """An input file breaks its data contract; the message names file, column, rows and values."""


class BuildError(WorkbenchError):
    """One or more reports failed to build; the message summarises which and why."""
