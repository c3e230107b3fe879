"""`workbench build --profile`: where each report's time went (kernel start, imports, each cell,
render, PDF, publish), so repeated work is found by measurement rather than by guess."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

TOP_CELLS = 5


def phases(timings: dict[str, Any]) -> dict[str, float]:
    """The phases of one run in seconds: kernel start, parameters, imports, other cells, render, pdf, publish."""
    cells = timings.get("cells") or []
    imports = sum(c["s"] for c in cells if c.get("imports"))
    injected = sum(c["s"] for c in cells if c.get("injected"))
    other = sum(c["s"] for c in cells if not c.get("imports") and not c.get("injected"))
    return {
        "kernel start": float(timings.get("kernel_start_s", 0.0)),
        "imports": imports,
        "parameters": injected,
        "cells": other,
        "render": float(timings.get("render_s", 0.0)),
        "pdf": float(timings.get("pdf_s", 0.0)),
        "publish": float(timings.get("publish_s", 0.0)),
    }


def slowest_cells(timings: dict[str, Any], n: int = TOP_CELLS) -> list[dict[str, Any]]:
    cells = [c for c in timings.get("cells") or [] if not c.get("injected")]
    return sorted(cells, key=lambda c: c["s"], reverse=True)[:n]


def profile_table(outcomes: Iterable[Any]) -> str:
    """A plain-text table: one line of phases per report, then its slowest cells."""
    names = ("kernel start", "imports", "parameters", "cells", "render", "pdf", "publish")
    lines = ["profile (seconds)", f"  {'report':40} " + " ".join(f"{n:>12}" for n in names) + f" {'total':>8}"]
    for outcome in outcomes:
        timings = getattr(outcome, "timings", None) or {}
        if not timings:
            lines.append(f"  {outcome.label:40} {outcome.status!s:>12} (not run)")
            continue
        ph = phases(timings)
        lines.append(
            f"  {outcome.label:40} "
            + " ".join(f"{ph[n]:12.2f}" for n in names)
            + f" {getattr(outcome, 'duration_s', 0.0):8.2f}"
        )
        for cell in slowest_cells(timings):
            lines.append(f"      cell {cell['cell']:>3} {cell['s']:7.2f}s  {cell['line'][:80]}")
    return "\n".join(lines)
