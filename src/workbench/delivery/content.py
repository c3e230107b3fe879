"""What a delivery e-mail is about: a published version, its headline numbers, and what changed.

"What changed" comes from `workbench.pipeline.compare.what_changed` where that module exists; a
project without it gets the same list from the previous successful version's results.json
(`_changes_from_results`), so the e-mail reads the same either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.delivery.errors import DeliveryError
from workbench.pipeline.store import read_json

#: results.json entries that describe the report rather than being headline numbers.
NOT_HEADLINE = ("data_period", "skipped_sections", "headline")


@dataclass(frozen=True)
class Version:
    """One published version folder with its manifest and results."""

    report: str
    name: str
    version: str
    path: Path
    manifest: dict[str, Any]
    results: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.manifest.get("status") == "ok"

    @property
    def label(self) -> str:
        return f"{self.report}/{self.name}"

    @property
    def title(self) -> str:
        return str(self.manifest.get("title") or self.label)


@dataclass(frozen=True)
class Change:
    """One headline number against the previous version (the fields of pipeline.compare's Change)."""

    name: str
    previous: Any
    current: Any
    delta: float | None
    relative: float | None
    beyond_variation: bool | None
    text: str


def runs(reports_root: Path, report: str, name: str) -> list[Version]:
    """Every published version of report/name, oldest first."""
    base = Path(reports_root) / report / name
    found = []
    if base.is_dir():
        for d in sorted(p for p in base.iterdir() if p.is_dir() and p.name != "latest"):
            manifest = read_json(d / "manifest.json")
            if isinstance(manifest, dict):
                results = read_json(d / "results.json")
                found.append(Version(report, name, d.name, d, manifest, results if isinstance(results, dict) else {}))
    return found


def find_version(reports_root: Path, report: str, name: str, version: str) -> Version:
    """One named version (DeliveryError listing the versions there are)."""
    all_runs = runs(reports_root, report, name)
    for v in all_runs:
        if v.version == version:
            return v
    have = ", ".join(v.version for v in all_runs[-5:]) or "none"
    raise DeliveryError(f"{report}/{name} has no version {version!r} under {reports_root} (newest: {have})")


def previous_good(all_runs: list[Version], version: str) -> Version | None:
    """The newest successful version older than `version`."""
    older = [v for v in all_runs if v.ok and v.version < version]
    return older[-1] if older else None


def headline(results: dict[str, Any]) -> dict[str, Any]:
    """The numbers a reader sees first: the notebook's `headline` record where it made one, else its
    scalar results (the same choice as the index)."""
    chosen = results.get("headline")
    if not isinstance(chosen, dict):
        chosen = {k: v for k, v in results.items() if k not in NOT_HEADLINE}
    return {str(k): v for k, v in chosen.items() if v is not None and not isinstance(v, (dict, list))}


def period_text(results: dict[str, Any]) -> str:
    period = results.get("data_period")
    if isinstance(period, dict) and (period.get("start") or period.get("end")):
        start, end = str(period.get("start") or "…")[:10], str(period.get("end") or "…")[:10]
        return start if start == end else f"{start} – {end}"
    return ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _changes_from_results(previous: dict[str, Any], current: dict[str, Any]) -> list[Change]:
    """Headline numbers that differ between two results.json (new and dropped names included)."""
    from workbench.delivery.text import change_sentence

    before, after = headline(previous), headline(current)
    changes = []
    for name in [*after, *(k for k in before if k not in after)]:
        prev, cur = before.get(name), after.get(name)
        if prev == cur:
            continue
        delta: float | None = None
        relative: float | None = None
        if _is_number(prev) and _is_number(cur) and prev is not None and cur is not None:
            delta = float(cur) - float(prev)
            relative = delta / abs(float(prev)) if prev else None
        changes.append(
            Change(name, prev, cur, delta, relative, None, change_sentence(name, prev, cur, delta, relative))
        )
    return changes


def what_changed(reports_root: Path, current: Version, previous: Version | None) -> tuple[list[Any], str]:
    """(changes, source): the pipeline's comparison where installed ("compare"), else ours ("results")."""
    if previous is None:
        return [], "none"
    try:
        from workbench.pipeline.compare import what_changed as compare
    except ImportError:
        return _changes_from_results(previous.results, current.results), "results"
    report_dir = Path(reports_root) / current.report / current.name
    return list(compare(report_dir, current.version, baseline=previous.version)), "compare"
