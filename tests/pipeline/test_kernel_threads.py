"""Every kernel the pipeline starts has its BLAS/OpenMP pools pinned to one recorded thread count, so
build, run and reproduce sum in the same order and agree to the last digit (a BLAS sums in an order
that depends on its thread count: the budget and content reports drifted at the 8th-9th digit)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from workbench.pipeline.execute import THREAD_ENV

pytestmark = pytest.mark.slow

PROBE = """import os

import numpy as np
import threadpoolctl

from workbench.pipeline.execute import THREAD_ENV
from workbench.report import record

np.ones((2, 2)) @ np.ones((2, 2))
record("env", {name: os.environ.get(name) for name in THREAD_ENV})
record("blas_threads", sorted({p["num_threads"] for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"}))
"""


def _add_probe(root: Path) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('label: str = "probe"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Thread probe"), params, nbformat.v4.new_code_cell(PROBE)]
    nbformat.write(nb, root / "notebooks" / "probe.ipynb")
    (root / "params" / "probe").mkdir()
    (root / "params" / "probe" / "default.yaml").write_text("label: threads\n")


def _only_version(root: Path) -> Path:
    [version] = [p for p in (root / "reports" / "probe" / "default").iterdir() if p.is_dir() and p.name != "latest"]
    return version


def test_kernels_get_one_thread_whatever_the_environment_and_the_manifest_says_so(wb_project, cli, monkeypatch):
    _add_probe(wb_project)
    monkeypatch.setenv("OMP_NUM_THREADS", "2")  # what the user's shell (or all cores by default) would give
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    res = cli("run", "probe", "params/probe/default.yaml")
    assert res.returncode == 0, res.stderr
    version = _only_version(wb_project)
    results = json.loads((version / "results.json").read_text())
    assert results["env"] == {name: "1" for name in THREAD_ENV}
    assert results["blas_threads"] == [1]
    manifest = json.loads((version / "manifest.json").read_text())
    assert manifest["options"]["kernel_threads"] == 1


def test_reproduce_uses_the_recorded_thread_count(wb_project, cli, monkeypatch):
    _add_probe(wb_project)
    monkeypatch.setenv("WORKBENCH_KERNEL_THREADS", "2")
    assert cli("run", "probe", "params/probe/default.yaml").returncode == 0
    version = _only_version(wb_project)
    assert json.loads((version / "results.json").read_text())["blas_threads"] == [2]
    assert json.loads((version / "manifest.json").read_text())["options"]["kernel_threads"] == 2

    monkeypatch.delenv("WORKBENCH_KERNEL_THREADS")  # today's default would be 1: the re-run must still use 2
    res = cli("reproduce", f"probe/default/{version.name}")
    assert res.returncode == 0 and res.stdout.strip().endswith("identical"), res.stdout + res.stderr


def test_a_bad_thread_count_stops_the_build_naming_the_variable(wb_project, cli, monkeypatch):
    monkeypatch.setenv("WORKBENCH_KERNEL_THREADS", "many")
    res = cli("build", "tiny")
    assert res.returncode != 0
    assert "WORKBENCH_KERNEL_THREADS: expected a whole number of threads >= 1, found 'many'" in res.stderr
