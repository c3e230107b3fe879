"""Issue 16 calibration: every verdict rule's claimed error rate next to its measured figure.

One command, seeded, a few minutes on a quiet 2-core machine:

    PYTHONPATH=src .venv/bin/python benchmarks/calibrate.py [--quick]

Runs calibration_changes (monthly change detection), calibration_timing (best-time
recommendation), calibration_forecast (interval coverage and the AICc flight test; 400
replications on up to 2 worker processes), calibration_ab (A/B verdicts) and calibration_mmm
(media-mix recovery). --quick runs fewer replications (a smoke test: its figures are too noisy to
judge a claim by). Each part also runs alone: python benchmarks/calibration_<name>.py --help.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(name: str):
    path = HERE / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # worker processes unpickle its functions by module name
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    runs = [
        ("calibration_changes", {"series": 400 if quick else 20000}),
        ("calibration_timing", {"sims": 60 if quick else 300}),
        ("calibration_forecast", {"reps": 40 if quick else 400}),
        ("calibration_ab", {"argv": ["--sims", "100" if quick else "300"]}),
        ("calibration_mmm", {"argv": ["--seeds", "3" if quick else "10"]}),
    ]
    for name, kwargs in runs:
        module = _load(name)
        if module is None:
            print(f"{name}: not present, skipped\n")
            continue
        t0 = time.perf_counter()
        module.main(**kwargs)
        print(f"({name}: {time.perf_counter() - t0:.0f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
