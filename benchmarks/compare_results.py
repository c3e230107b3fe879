"""Are two builds' headline numbers identical? Compares the newest results.json of every report.

A refactoring promise ("behaviour does not change") is checked here, not asserted: build the sample
reports before and after the change into two report folders and run

    python benchmarks/compare_results.py BEFORE/reports AFTER/reports

It prints `same` or `DIFF` per report/params name (with every differing key) and exits 1 on any
difference or on a report present in only one of the two trees.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def newest_versions(root: Path) -> dict[str, Path]:
    """{'report/name': its newest version folder with a results.json}."""
    out: dict[str, Path] = {}
    for name_dir in sorted(p for p in root.glob("*/*") if p.is_dir() and not p.name.startswith(".")):
        versions = sorted(v for v in name_dir.glob("*/results.json") if v.parent.name != "latest")
        if versions:
            out[str(name_dir.relative_to(root))] = versions[-1].parent
    return out


def newest_results(root: Path) -> dict[str, dict]:
    """{'report/name': results of its newest version folder with a results.json}."""
    return {k: json.loads((v / "results.json").read_text(encoding="utf-8")) for k, v in newest_versions(root).items()}


def kernel_threads(version: Path) -> object:
    """The BLAS/OpenMP thread count the version ran with (None: not recorded, before it was pinned)."""
    try:
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return (manifest.get("options") or {}).get("kernel_threads")


def compare(before: Path, after: Path) -> int:
    a, b = newest_results(before), newest_results(after)
    differences = 0
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            print(f"ONLY {'after' if key in b else 'before'}: {key}")
            differences += 1
            continue
        if a[key] == b[key]:
            print(f"same {key}")
            continue
        differences += 1
        print(f"DIFF {key}")
        threads = (kernel_threads(newest_versions(before)[key]), kernel_threads(newest_versions(after)[key]))
        if threads[0] != threads[1]:  # a BLAS sums in another order with another thread count
            print(f"    (BLAS/OpenMP threads per kernel: {threads[0]} -> {threads[1]}; last digits may differ)")
        for name in sorted(set(a[key]) | set(b[key])):
            if a[key].get(name) != b[key].get(name):
                print(f"    {name}: {str(a[key].get(name))[:160]!s} -> {str(b[key].get(name))[:160]!s}")
    return 1 if differences else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(compare(Path(sys.argv[1]), Path(sys.argv[2])))
