"""What changed since the previous version: every headline number against a baseline version.

The baseline is, in order: the version asked for (``--baseline`` or ``_baseline`` in params), the
one the version was compared with when it was built (recorded in its manifest), else the newest
*successful* version of the same report and params name before it.

The numbers come from results.json: entries of the ``headline`` record given as numbers or as
``{"value": ..., "text": ...}`` (see `workbench.report.headline_number`), then every other top-level
scalar number. A headline given only as text is compared by the number it starts with
("17,435 (-3.2% MoM)", "2.41%", "48.7M RUB"), so older versions compare too.

Whether a change is beyond normal variation is decided only where the variation is known:

* a rate recorded with its counts (``successes`` of ``trials``) in both versions: the pooled
  two-proportion z-test (two-sided), beyond when p < 0.05;
* an estimate recorded with a 95 % interval (``ci``) in both versions: the difference over the
  combined standard error, each taken as the interval's half-width / 1.96 (normal approximation),
  beyond when the two-sided p < 0.05;
* anything else: ``None`` (unknown) — a plain number carries no information on its own noise.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.pipeline import store

ALPHA = 0.05
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Number:
    """One headline number with what is known of its variation."""

    value: float
    text: str
    successes: float | None = None
    trials: float | None = None
    ci: tuple[float, float] | None = None


@dataclass(frozen=True)
class Change:
    """One headline number in two versions: `previous`/`current` are None where absent."""

    name: str
    previous: float | None
    current: float | None
    delta: float | None
    relative: float | None
    beyond_variation: bool | None
    text: str


# --------------------------------------------------------------------------- numbers out of results.json
def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


_LEADING = re.compile(r"^\s*([-+−]?\d[\d,]*(?:\.\d+)?)\s*([%kKMB]?)(?=$|\s|\))(\s+[A-Za-z/]+)?\s*(?=$|\()")
_SCALE = {"": 1.0, "%": 0.01, "k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9}


def number_from_text(text: str) -> float | None:
    """The number a headline text starts with ('17,435 (-3.2% MoM)' -> 17435.0, '2.41%' -> 0.0241,
    '48.7M RUB' -> 48.7e6); None when the text does not start with a number and a unit alone."""
    match = _LEADING.match(text)
    if not match:
        return None
    digits = match.group(1).replace(",", "").replace("−", "-")
    return float(digits) * _SCALE[match.group(2)]


def _entry(value: Any) -> Number | None:
    from workbench.report.format import number

    if _is_number(value):
        return Number(float(value), number(value))
    if isinstance(value, str):
        parsed = number_from_text(value)
        return Number(parsed, value.strip()) if parsed is not None else None
    if isinstance(value, dict) and _is_number(value.get("value")):
        successes, trials, ci = value.get("successes"), value.get("trials"), value.get("ci")
        counted = _is_number(successes) and _is_number(trials)
        bounded = isinstance(ci, list) and len(ci) == 2 and all(_is_number(c) for c in ci)
        return Number(
            float(value["value"]),
            str(value.get("text") or number(value["value"])),
            float(successes) if counted else None,  # type: ignore[arg-type]
            float(trials) if counted else None,  # type: ignore[arg-type]
            (float(ci[0]), float(ci[1])) if bounded else None,  # type: ignore[index]
        )
    return None


def headline_numbers(results: dict[str, Any]) -> dict[str, Number]:
    """Every comparable number of a results.json: headline entries first, then top-level scalars."""
    found: dict[str, Number] = {}
    headline = results.get("headline")
    if isinstance(headline, dict):
        for name, value in headline.items():
            entry = _entry(value)
            if entry is not None:
                found[str(name)] = entry
    for name, value in results.items():
        if name != "headline" and name not in found and _is_number(value):
            entry = _entry(value)
            if entry is not None:
                found[name] = entry
    return found


# --------------------------------------------------------------------------- normal variation
def _two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def two_proportion_p(s1: float, n1: float, s2: float, n2: float) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test (None where undefined)."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (s1 + s2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return None if s1 / n1 == s2 / n2 else 0.0
    return _two_sided_p((s2 / n2 - s1 / n1) / se)


def interval_p(a: float, ci_a: tuple[float, float], b: float, ci_b: tuple[float, float]) -> float | None:
    """Two-sided p-value of b - a with standard errors read off two 95 % intervals."""
    se = math.hypot((ci_a[1] - ci_a[0]) / (2 * Z95), (ci_b[1] - ci_b[0]) / (2 * Z95))
    if se == 0:
        return None
    return _two_sided_p((b - a) / se)


def variation(previous: Number, current: Number, alpha: float = ALPHA) -> tuple[bool | None, str]:
    """(beyond normal variation?, how that was decided) for one number in two versions."""
    from workbench.report.format import p_value

    if None not in (previous.successes, previous.trials, current.successes, current.trials):
        p = two_proportion_p(previous.successes, previous.trials, current.successes, current.trials)  # type: ignore[arg-type]
        if p is not None:
            return p < alpha, f"two-proportion z-test, p = {p_value(p)}"
    if previous.ci is not None and current.ci is not None:
        p = interval_p(previous.value, previous.ci, current.value, current.ci)
        if p is not None:
            return p < alpha, f"difference against the 95% intervals, p = {p_value(p)}"
    return None, ""


# --------------------------------------------------------------------------- sentences
def change_text(name: str, previous: Number | None, current: Number | None, beyond: bool | None, how: str) -> str:
    """The one sentence a reader sees for a change."""
    from workbench.report.format import signed_pct

    if previous is None and current is not None:
        return f"{name}: new in this version ({current.text})."
    if current is None and previous is not None:
        return f"{name}: not in this version (was {previous.text})."
    assert previous is not None and current is not None
    if previous.value == current.value:
        return f"{name}: unchanged ({current.text})."
    rel = (current.value - previous.value) / abs(previous.value) if previous.value else None
    moved = f" ({signed_pct(rel)})" if rel is not None else ""
    verdict = ""
    if beyond is not None:
        verdict = "; beyond normal variation" if beyond else "; within normal variation"
        verdict += f" ({how})"
    return f"{name}: {previous.text} → {current.text}{moved}{verdict}."


def compare_results(previous: dict[str, Any], current: dict[str, Any]) -> list[Change]:
    """Every headline number of `current` against `previous` (then those only `previous` had)."""
    before, after = headline_numbers(previous or {}), headline_numbers(current or {})
    changes = []
    for name in [*after, *(n for n in before if n not in after)]:
        a, b = before.get(name), after.get(name)
        beyond, how = variation(a, b) if a is not None and b is not None else (None, "")
        delta = b.value - a.value if a is not None and b is not None else None
        relative = delta / abs(a.value) if delta is not None and a is not None and a.value else None
        changes.append(
            Change(
                name,
                a.value if a else None,
                b.value if b else None,
                delta,
                relative,
                beyond,
                change_text(name, a, b, beyond, how),
            )
        )
    return changes


# --------------------------------------------------------------------------- versions on disk
def successful_versions(report_dir: Path) -> list[str]:
    """Versions of one report/params name whose run succeeded, oldest first."""
    if not Path(report_dir).is_dir():
        return []
    out = []
    for path in sorted(p for p in Path(report_dir).iterdir() if p.is_dir() and p.name != "latest"):
        manifest = store.read_json(path / "manifest.json")
        if isinstance(manifest, dict) and manifest.get("status") == "ok":
            out.append(path.name)
    return out


def previous_version(report_dir: Path, version: str) -> str | None:
    """The newest successful version older than `version` (ids sort by time)."""
    older = [v for v in successful_versions(report_dir) if v < version]
    return older[-1] if older else None


def choose_baseline(report_dir: Path, version: str, asked: str | None, manifest: dict[str, Any] | None) -> str | None:
    """The version to compare with: asked for, else recorded in the manifest, else the previous good one."""
    if asked:
        return store.check_name("baseline version", asked)
    recorded = (manifest or {}).get("compared_with")
    if isinstance(recorded, dict) and recorded.get("version"):
        return str(recorded["version"])
    option = ((manifest or {}).get("params") or {}).get("options", {}).get("_baseline")
    if option:
        return str(option)
    return previous_version(report_dir, version)


def _results(report_dir: Path, version: str, role: str) -> dict[str, Any]:
    path = Path(report_dir) / store.check_name("version", version) / "results.json"
    data = store.read_json(path)
    if not isinstance(data, dict):
        raise WorkbenchError(f"{role} version {version}: no readable results.json at {path}")
    return data


def what_changed(report_dir: Path, version: str, baseline: str | None = None) -> list[Change]:
    """Every headline number of `version` (a folder under `report_dir` = reports/<report>/<name>)
    against the baseline version; an empty list when there is nothing to compare with."""
    report_dir = Path(report_dir)
    manifest = store.read_json(report_dir / store.check_name("version", version) / "manifest.json")
    if not isinstance(manifest, dict):
        raise WorkbenchError(f"no version {version} under {report_dir} (no manifest.json)")
    base = choose_baseline(report_dir, version, baseline, manifest)
    if base is None or base == version:
        return []
    return compare_results(_results(report_dir, base, "baseline"), _results(report_dir, version, "compared"))
