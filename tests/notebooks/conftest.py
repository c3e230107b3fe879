"""Run a report notebook end to end the way papermill does in the pipeline (cwd = project root)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class NotebookRun:
    notebook: Any  # the executed nbformat notebook
    results: dict  # what the notebook recorded with workbench.report.record()
    html: str  # every text/html output joined: what the report shows besides charts


@pytest.fixture
def execute_notebook(project_root: Path, tmp_path: Path) -> Callable[[str, dict], NotebookRun]:
    """`execute_notebook("campaign_postmortem", params)` runs notebooks/<name>.ipynb with papermill
    (raising papermill.PapermillExecutionError when a cell fails) and returns what it recorded."""

    def run(name: str, params: dict) -> NotebookRun:
        import nbformat
        import papermill as pm

        from workbench.report import collect_results

        out = tmp_path / f"{name}.out.ipynb"
        pm.execute_notebook(
            str(project_root / "notebooks" / f"{name}.ipynb"),
            str(out),
            parameters=params,
            kernel_name="python3",
            cwd=str(project_root),
            progress_bar=False,
            log_output=False,
        )
        nb = nbformat.read(out, as_version=4)
        html = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells for o in c.get("outputs", []))
        return NotebookRun(nb, collect_results(nb), html)

    return run
