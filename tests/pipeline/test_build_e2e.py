"""End to end: tiny real notebooks through real kernels, via the `workbench` command line."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.slow


class Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if v and k in ("src", "href", "data", "poster", "action", "xlink:href"):
                self.refs.append(v)
            elif v and k in ("srcset", "imagesrcset"):
                self.refs += [item.split()[0] for item in v.split(",") if item.strip()]


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?['"]?([^'")\s;]+)""", re.IGNORECASE)


def _is_external(ref: str) -> bool:
    ref = ref.strip()
    return urlparse(ref).scheme not in ("", "data") or ref.startswith("//")


def external_refs(html: str) -> list[str]:
    """References that would make the browser contact a network host: src/href/data attributes
    (srcset items too) and, in styles, url(...) and @import (fonts, background images, style sheets)."""
    p = Refs()
    p.feed(html)
    refs = [r for r in p.refs if _is_external(r)]
    refs += [m.group(2) for m in _CSS_URL.finditer(html) if _is_external(m.group(2))]
    refs += [m.group(1) for m in _CSS_IMPORT.finditer(html)]  # any @import fetches something
    return refs


def test_external_refs_catches_every_kind_of_reference():
    """The checker itself: each line below must be caught; embedded and local references must not."""
    bad = [
        '<script src="https://cdn.example/x.js"></script>',
        '<link rel="stylesheet" href="//fonts.example/f.css">',
        '<img srcset="https://img.example/a.png 2x">',
        "<style>@import 'https://fonts.example/css';</style>",
        '<style>@font-face{src:url("https://fonts.example/f.woff2")}</style>',
        '<div style="background:url(http://img.example/b.png)"></div>',
    ]
    for html in bad:
        assert external_refs(html), html
    good = (
        '<img src="data:image/png;base64,AAAA"><a href="v1/report.html">x</a>'
        "<style>.a{background:url(data:image/svg+xml;utf8,x)}</style>"
    )
    assert external_refs(good) == []


def versions(root: Path, report: str, name: str) -> list[Path]:
    base = root / "reports" / report / name
    return sorted(p for p in base.iterdir() if p.is_dir() and p.name != "latest") if base.is_dir() else []


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def assert_consistent(root: Path) -> None:
    """Every version folder is complete, latest pointers lead to good versions, the index links resolve."""
    reports = root / "reports"
    for folder in reports.glob("*/*/*"):
        if folder.is_dir() and folder.name != "latest" and not folder.parts[-3].startswith("."):
            assert sorted(p.name for p in folder.iterdir()) == sorted(
                ["manifest.json", "notebook.ipynb", "report.html", "results.json"]
            ), folder
            json.loads((folder / "manifest.json").read_text())
    for latest in reports.glob("*/*/latest.json"):
        target = latest.parent / json.loads(latest.read_text())["version"]
        assert manifest(target)["status"] == "ok"
    for page in reports.rglob("*.html"):  # every page the pipeline produced: reports, error pages, latest, index
        assert external_refs(page.read_text(encoding="utf-8")) == [], page
    index = reports / "index.html"
    if index.exists():
        refs = Refs()
        refs.feed(index.read_text())
        for ref in refs.refs:
            assert (reports / ref).is_file(), ref


def test_success_publishes_versioned_self_contained_reports(wb_project, cli):
    res = cli("build", "--jobs", "2")
    assert res.returncode == 0, res.stderr
    assert "done" in res.stderr and "tiny/default" in res.stderr
    [tiny] = versions(wb_project, "tiny", "default")
    [chart] = versions(wb_project, "chart", "default")
    m = manifest(tiny)
    assert m["status"] == "ok" and m["params"]["values"]["scale"] == 2.0
    assert m["inputs"][0]["path"] == "data/numbers.csv" and m["inputs"][0]["size"] == 14
    assert {"python", "pandas", "numpy", "scikit-learn", "seaborn", "papermill"} <= set(m["libraries"])
    results = json.loads((tiny / "results.json").read_text())
    assert results["total"] == pytest.approx((1 + 2 + 3.5) * 2) and results["n"] == 3
    html = (tiny / "report.html").read_text()
    assert external_refs(html) == []
    assert "record('total'" not in html  # code hidden by default
    assert "application/vnd.workbench.results" not in html and "Tiny report" in html
    assert "2025-02-01 – 2025-02-28" in html  # data period in the header
    assert "No data for extra" in html  # the optional input is absent
    chart_html = (chart / "report.html").read_text()
    assert "data:image/png;base64," in chart_html and external_refs(chart_html) == []
    assert json.loads((wb_project / "reports/tiny/default/latest.json").read_text())["version"] == tiny.name
    assert f"../{tiny.name}/report.html" in (wb_project / "reports/tiny/default/latest/index.html").read_text()
    index = (wb_project / "reports" / "index.html").read_text()
    assert external_refs(index) == [] and "Tiny report" in index and "Chart report" in index
    assert_consistent(wb_project)
    listing = cli("list")
    assert tiny.name in listing.stdout and "ok" in listing.stdout


def test_run_one_with_show_code(wb_project, cli, tmp_path):
    params = tmp_path / "custom.yaml"
    params.write_text("scale: 0.5\n")
    res = cli("run", "notebooks/tiny.ipynb", str(params), "--show-code")
    assert res.returncode == 0, res.stderr
    [v] = versions(wb_project, "tiny", "custom")
    html = (v / "report.html").read_text()
    assert "record" in html and "total" in html  # code is shown
    assert json.loads((v / "results.json").read_text())["total"] == pytest.approx(3.25)


def test_failing_cell_keeps_latest_good_and_reports(wb_project, cli):
    assert cli("build", "tiny").returncode == 0
    [good] = versions(wb_project, "tiny", "default")
    (wb_project / "params/tiny/default.yaml").write_text("fail: true\n")
    res = cli("build", "--jobs", "2")
    assert res.returncode == 1
    assert (
        'tiny/default (params params/tiny/default.yaml): cell 4 `raise ValueError("planted failure for the tests")`'
        in res.stderr
    )  # the line the traceback points at, not the first line of the cell
    assert "ValueError: planted failure for the tests" in res.stderr
    assert "cached chart/default" not in res.stderr and "done   chart/default" in res.stderr  # the build went on
    failed = [v for v in versions(wb_project, "tiny", "default") if v != good]
    assert len(failed) == 1
    m = manifest(failed[0])
    assert m["status"] == "failed" and m["failure"]["cell_index"] == 4
    assert "This run failed" in (failed[0] / "report.html").read_text()
    assert json.loads((wb_project / "reports/tiny/default/latest.json").read_text())["version"] == good.name
    assert failed[0].name in (wb_project / "reports/index.html").read_text()
    assert_consistent(wb_project)


def test_bad_params_exit_2_and_write_nothing(wb_project, cli):
    (wb_project / "params/tiny/default.yaml").write_text("scael: 2\nend_date: 2024-01-01\n")
    res = cli("build")
    assert res.returncode == 2
    assert "params/tiny/default.yaml" in res.stderr and "did you mean 'scale'" in res.stderr
    assert "reversed date range" in res.stderr
    assert not (wb_project / "reports").exists()
    assert cli("validate").returncode == 2


def test_cache_hit_force_and_data_change(wb_project, capsys):
    # In-process, so the workbench source hash is computed once (other edits to src/ cannot interfere).
    from workbench.pipeline.build import build

    def statuses(**kwargs) -> dict[str, str]:
        return {o.label: o.status for o in build(n_jobs=1, **kwargs)}

    assert statuses() == {"tiny/default": "ok", "chart/default": "ok"}
    assert statuses() == {"tiny/default": "cached", "chart/default": "cached"}
    assert "cached tiny/default" in capsys.readouterr().err
    assert len(versions(wb_project, "tiny", "default")) == 1
    assert statuses(patterns=["tiny"], force=True) == {"tiny/default": "ok"}
    assert len(versions(wb_project, "tiny", "default")) == 2
    (wb_project / "data" / "numbers.csv").write_text("value\n10\n")
    assert statuses() == {"tiny/default": "ok", "chart/default": "cached"}
    newest = versions(wb_project, "tiny", "default")[-1]
    assert json.loads((newest / "results.json").read_text())["total"] == pytest.approx(20.0)
    (wb_project / "params/chart/default.yaml").write_text("points: 4\n")
    assert statuses() == {"tiny/default": "cached", "chart/default": "ok"}


def test_timeout_and_dead_kernel_are_failed_runs(wb_project, cli):
    (wb_project / "params/tiny/slow.yaml").write_text("sleep_s: 30\n_timeout: 3\n")
    (wb_project / "params/tiny/dies.yaml").write_text("die: true\n")
    res = cli("build", "tiny/slow", "tiny/dies", "--jobs", "2")
    assert res.returncode == 1
    assert "tiny/slow" in res.stderr and "timeout" in res.stderr.lower()
    assert "tiny/dies" in res.stderr and "kernel died" in res.stderr
    for name in ("slow", "dies"):
        [v] = versions(wb_project, "tiny", name)
        assert manifest(v)["status"] == "failed"
        assert not (wb_project / "reports/tiny" / name / "latest.json").exists()
    assert_consistent(wb_project)


def test_two_concurrent_builds(wb_project):
    env = {**os.environ, "WORKBENCH_ROOT": str(wb_project)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "workbench.cli", "build", "--force", "--jobs", "2"],
            cwd=wb_project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert len(versions(wb_project, "tiny", "default")) == 2
    assert len(versions(wb_project, "chart", "default")) == 2
    assert not any((wb_project / "reports" / ".tmp").iterdir())
    assert_consistent(wb_project)


def test_build_killed_midway_leaves_consistent_reports(wb_project, cli):
    assert cli("build", "chart").returncode == 0
    (wb_project / "params/tiny/default.yaml").write_text("sleep_s: 60\n")
    env = {**os.environ, "WORKBENCH_ROOT": str(wb_project)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench.cli", "build", "--jobs", "2"],
        cwd=wb_project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    staging = wb_project / "reports" / ".tmp"
    deadline = time.time() + 60
    while time.time() < deadline and not (staging.is_dir() and any(staging.iterdir())):
        time.sleep(0.1)
    assert staging.is_dir() and any(staging.iterdir()), "the build never started a run"
    time.sleep(2)  # the kernel is now inside the long cell
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert versions(wb_project, "tiny", "default") == []  # nothing half-written was published
    assert_consistent(wb_project)
    (wb_project / "params/tiny/default.yaml").write_text("scale: 3\n")
    res = cli("build")
    assert res.returncode == 0, res.stderr
    assert not any(staging.iterdir())  # the killed build's staging folder was cleaned up
    assert_consistent(wb_project)


def test_cli_timeout_overrides_params_and_bounds_the_whole_run(wb_project, cli):
    """Three cells of 2 s each: none passes a 5 s timeout alone, the run as a whole does. The CLI's
    --timeout wins over the params file's _timeout; the run is reported like a failing cell."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("title: str = 'Steps'\npause: float = 2.0", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import time"),
    ]
    nb.cells += [nbformat.v4.new_code_cell(f"time.sleep(pause)  # step {i}") for i in range(3)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, wb_project / "notebooks" / "steps.ipynb")
    (wb_project / "params" / "steps").mkdir()
    (wb_project / "params" / "steps" / "default.yaml").write_text("_timeout: 60\n")
    res = cli("build", "steps", "--timeout", "5")
    assert res.returncode == 1, res.stderr
    assert "steps/default (params params/steps/default.yaml): cell" in res.stderr
    assert "TimeoutError: the run passed its 5 s timeout" in res.stderr
    [v] = versions(wb_project, "steps", "default")
    m = manifest(v)
    assert m["status"] == "failed" and m["failure"]["kind"] == "timeout" and m["options"]["timeout_s"] == 5
    assert "This run failed" in (v / "report.html").read_text()
    assert_consistent(wb_project)
