"""`workbench reproduce` and `workbench diff` through the command line, on the tiny fixture project
and on one params file of every sample report (kernel time: kept to one run and one re-run each)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.pipeline.diff import differences, flatten

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _versions(root: Path, report: str, name: str) -> list[str]:
    return sorted(p.name for p in (root / report / name).iterdir() if p.is_dir() and p.name != "latest")


def test_flatten_and_differences_tolerate_float_noise():
    a = flatten({"h": {"x": 1.0, "l": [1, {"y": "a"}]}, "gone": 1})
    b = flatten({"h": {"x": 1.0 + 1e-13, "l": [1, {"y": "b"}]}, "new": 2})
    assert [d.line() for d in differences(a, b)] == ["h.l[1].y: a -> b", "gone: 1 -> (absent)", "new: (absent) -> 2"]


def test_reproduce_diff_and_a_changed_input(wb_project, cli):
    assert cli("run", "tiny", "params/tiny/default.yaml").returncode == 0
    (wb_project / "params/tiny/default.yaml").write_text("scale: 3\n")
    assert cli("run", "tiny", "params/tiny/default.yaml").returncode == 0
    first, second = _versions(wb_project / "reports", "tiny", "default")
    manifest = json.loads((wb_project / "reports/tiny/default" / second / "manifest.json").read_text())
    assert manifest["compared_with"] == {"version": first}
    assert manifest["environment"]["pandas"] and len(manifest["environment"]) > 20  # every distribution
    assert manifest["pdf"]["status"] == "skipped" and "switched off" in manifest["pdf"]["reason"]

    res = cli("diff", f"tiny/default/{first}", second)
    assert res.returncode == 0, res.stderr
    assert "total: 13.0 -> 19.5" in res.stdout and "scale: 2.0 -> 3.0" in res.stdout
    assert "inputs (sha256): no differences" in res.stdout

    res = cli("reproduce", f"tiny/default/{first}")
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip().endswith("identical")

    (wb_project / "data" / "numbers.csv").write_text("value\n1\n2\n3.6\n")
    res = cli("reproduce", f"tiny/default/{first}")
    assert res.returncode == 2
    assert "input data/numbers.csv (params key 'numbers_path') changed since version" in res.stderr

    res = cli("diff", f"tiny/default/{first}", "nope")
    assert res.returncode == 2 and "no published version" in res.stderr


def test_reproduce_reports_drift(wb_project, cli):
    assert cli("run", "tiny", "params/tiny/default.yaml").returncode == 0
    [version] = _versions(wb_project / "reports", "tiny", "default")
    results = wb_project / "reports/tiny/default" / version / "results.json"
    data = json.loads(results.read_text())
    data["total"] = 12.5  # as if the published run had computed something else
    results.write_text(json.dumps(data))
    res = cli("reproduce", f"tiny/default/{version}")
    assert res.returncode == 1
    assert "1 value(s) drifted:" in res.stdout and "total: 12.5 -> 13.0" in res.stdout


@pytest.mark.skipif(not (ROOT / "data" / "sample" / "orders.csv").exists(), reason="sample data not generated")
def test_every_sample_report_reproduces_identically(tmp_path):
    """One params file per sample report: build it, then reproduce it from its manifest."""
    chosen = sorted({p.parent.name: p for p in sorted((ROOT / "params").glob("*/*.yaml"))}.values())
    env = {
        **os.environ,
        "WORKBENCH_ROOT": str(ROOT),
        "WORKBENCH_REPORTS_DIR": str(tmp_path / "reports"),
        "WORKBENCH_CHROMIUM": "off",
    }
    patterns = [f"{p.parent.name}/{p.stem}" for p in chosen]
    cmd = [sys.executable, "-m", "workbench.cli", "build", *patterns, "--jobs", "2", "-q"]
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr
    for pattern in patterns:
        report, name = pattern.split("/")
        [version] = _versions(tmp_path / "reports", report, name)
        cmd = [sys.executable, "-m", "workbench.cli", "reproduce", f"{report}/{name}/{version}"]
        res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0 and res.stdout.strip().endswith("identical"), res.stdout + res.stderr
