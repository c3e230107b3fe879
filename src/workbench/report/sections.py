"""Sections whose inputs are absent: one line in the report, one entry in results.json, nothing invented.

A report runs with whatever subset of its inputs at least one section can use. A section that cannot
run says so in one line ("Not in this report: attribution — needs touchpoints (`touchpoints_path`) or
aggregated paths (`paths_path`)") and records the skip under ``skipped_sections`` so that machines
reading results.json (the index, version comparisons) know the number is absent, not zero.

Usage in a notebook::

    need = requires("A/B tests", experiment_path=("experiment file", experiment_path))
    if need.ok:
        ...
    else:
        display(need.note)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.report.display import HTMLBlock, _esc
from workbench.report.results import record

__all__ = ["SectionNeeds", "not_in_report", "requires", "skipped_sections"]

_skipped: dict[str, dict[str, Any]] = {}


def _given(value: Any) -> bool:
    """A parameter counts as given when it is a non-empty path or a non-empty value."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if hasattr(value, "empty"):  # a DataFrame or Series
        return not value.empty
    return True


@dataclass
class SectionNeeds:
    """Whether a section can run, and the note it shows when it cannot."""

    section: str
    missing: dict[str, str] = field(default_factory=dict)  # params key -> what the data is
    any_of: bool = False

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def note(self) -> HTMLBlock:
        return not_in_report(self.section, self.missing, any_of=self.any_of)


def requires(section: str, *, any_of: bool = False, **inputs: tuple[str, Any]) -> SectionNeeds:
    """Check a section's inputs: ``requires("E-mail", email_sends_path=("e-mail sends", email_sends_path))``.

    With ``any_of=True`` one given input is enough (attribution from touchpoints *or* paths)."""
    missing = {key: label for key, (label, value) in inputs.items() if not _given(value)}
    if any_of and len(missing) < len(inputs):
        missing = {}
    return SectionNeeds(section, missing, any_of)


def not_in_report(section: str, needs: dict[str, str], *, any_of: bool = False) -> HTMLBlock:
    """The one-line note for a skipped section; records it under ``skipped_sections`` in results.json."""
    joiner = " or " if any_of else " and "
    needed = joiner.join(f"{label} (`{key}`)" for key, label in needs.items())
    _skipped[section] = {"needs": list(needs), "reason": f"needs {needed}"}
    record("skipped_sections", dict(_skipped))
    return HTMLBlock(f'<div class="wb-nodata">Not in this report: {_esc(section)} — needs {_esc(needed)}.</div>')


def skipped_sections() -> dict[str, dict[str, Any]]:
    """Sections skipped so far in this process (for tests and interactive use)."""
    return dict(_skipped)
