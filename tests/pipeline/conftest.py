"""Fixtures for the pipeline tests: a throw-away project root with tiny real notebooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_project(root: Path) -> Path:
    """notebooks/{tiny,chart}.ipynb, data/numbers.csv and one params file per notebook."""
    (root / "notebooks").mkdir(parents=True)
    for nb in ("tiny.ipynb", "chart.ipynb"):
        shutil.copy(FIXTURES / nb, root / "notebooks" / nb)
    (root / "data").mkdir()
    (root / "data" / "numbers.csv").write_text("value\n1\n2\n3.5\n", encoding="utf-8")
    (root / "params" / "tiny").mkdir(parents=True)
    (root / "params" / "chart").mkdir(parents=True)
    (root / "params" / "tiny" / "default.yaml").write_text(
        "scale: 2\nstart_date: 2025-02-01\nend_date: 2025-02-28\n", encoding="utf-8"
    )
    (root / "params" / "chart" / "default.yaml").write_text("points: 6\n", encoding="utf-8")
    return root


@pytest.fixture
def wb_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary project root; WORKBENCH_ROOT points at it so the real reports/ is never touched."""
    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("WORKBENCH_ROOT", str(root))
    monkeypatch.setenv("WORKBENCH_REPORTS_DIR", str(root / "reports"))
    monkeypatch.setenv("WORKBENCH_CHROMIUM", "off")  # PDFs cost seconds: only the PDF tests print them
    return root


def run_cli(root: Path, *args: str, timeout: float = 180, **kwargs) -> subprocess.CompletedProcess:
    """`workbench ARGS` in a fresh process with the project root set."""
    env = {**os.environ, "WORKBENCH_ROOT": str(root)}
    env.pop("WORKBENCH_REPORTS_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


@pytest.fixture
def cli(wb_project: Path):
    """Run the workbench command line against the temporary project."""

    def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
        return run_cli(wb_project, *args, **kwargs)

    return run
