"""Sections whose inputs are absent: one line in the report, one entry in results.json, nothing invented.

A report runs with whatever subset of its inputs at least one section can use. A section that cannot
run says so in one line ("Not in this report: attribution — needs touchpoints (`touchpoints_path`) or
aggregated paths (`paths_path`)") and records the skip under ``skipped_sections`` so that machines
reading results.json (the index, version comparisons) know the number is absent, not zero.

The section name and the input labels are English message ids (mark them with ``N_`` so the
catalogue holds them): the note shows them in the report's language, while results.json keeps the
English ids, so machines read the same keys whatever the language.

Usage in a notebook::

    need = requires(N_("A/B tests"), experiment_path=(N_("experiment file"), experiment_path))
    if need.ok:
        ...
    else:
        display(need.note)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.i18n import _
from workbench.report.display import HTMLBlock, _esc
from workbench.report.format import join_list
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
    if isinstance(value, (dict, list, tuple, set)):  # an empty mapping or list in params means "none given"
        return len(value) > 0
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
    """The one-line note for a skipped section; records it under ``skipped_sections`` in results.json
    (keyed by the English section id, with the English reason, in every language)."""
    english = (" or " if any_of else " and ").join(f"{label} (`{key}`)" for key, label in needs.items())
    _skipped[section] = {"needs": list(needs), "reason": f"needs {english}"}
    record("skipped_sections", dict(_skipped))
    needed = join_list([f"{_(label)} (`{key}`)" for key, label in needs.items()], any_of=any_of)
    text = _("Not in this report: {section} — needs {needed}.").format(section=_(section), needed=needed)
    return HTMLBlock(f'<div class="wb-nodata">{_esc(text)}</div>')


def skipped_sections() -> dict[str, dict[str, Any]]:
    """Sections skipped so far in this process (for tests and interactive use)."""
    return dict(_skipped)
