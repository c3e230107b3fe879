"""`workbench prune`: keep the last N per params file, every delivered version and the latest good one;
a dry run deletes nothing; the index and `latest` stay valid."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.delivery import log
from workbench.errors import ParamsError
from workbench.pipeline import store
from workbench.pipeline.index import write_index
from workbench.pipeline.prune import apply_prune, keep_last_of, plan_prune, retention_problems

# oldest first: v1 delivered, v2..v4 good, v5 good (latest), v6 and v7 failed (newer than latest)
STATUSES = ["ok", "ok", "ok", "ok", "ok", "failed", "failed"]


def _version(i: int) -> str:
    return f"202501{i:02d}T070000000Z-abc{i:03d}"


def _publish(reports: Path, report: str, name: str) -> list[str]:
    versions = []
    for i, status in enumerate(STATUSES, start=1):
        v = _version(i)
        d = reports / report / name / v
        d.mkdir(parents=True)
        (d / "report.html").write_text("x" * 1000)
        manifest = {"report": report, "name": name, "version": v, "status": status, "title": name}
        store.write_json_atomic(d / "manifest.json", manifest)
        store.write_json_atomic(d / "results.json", {"total": i})
        store.update_latest(reports, manifest)
        versions.append(v)
    return versions


@pytest.fixture
def reports(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    root = tmp_path / "proj"
    (root / "params" / "tiny").mkdir(parents=True)
    (root / "params" / "tiny" / "default.yaml").write_text("_retention: {keep_last: 2}\n")
    reports = root / "reports"
    versions = _publish(reports, "tiny", "default")
    _publish(reports, "tiny", "manual")  # no _retention: left alone unless --keep-last
    log.append(reports, {"report": "tiny", "name": "default", "version": versions[0], "kind": "report",
                         "result": "sent", "accepted": ["a@b.com"]})  # fmt: skip
    log.append(reports, {"report": "tiny", "name": "default", "version": versions[1], "kind": "report",
                         "result": "failed", "accepted": []})  # fmt: skip
    write_index(reports)
    return root, reports, versions


def test_retention_values():
    assert keep_last_of(3) == 3 and keep_last_of({"keep_last": 12}) == 12
    assert "found 0" in retention_problems({"keep_last": 0})[0]
    assert "found True" in retention_problems(True)[0]
    assert "unknown key(s) 'keep'" in retention_problems({"keep": 2})[0]


def test_plan_keeps_last_n_delivered_and_latest_and_nothing_else(reports):
    root, reports_root, v = reports
    [plan] = plan_prune(reports_root, root)
    assert (plan.report, plan.name, plan.keep_last) == ("tiny", "default", 2)
    assert plan.keep == {
        v[6]: "among the last 2",
        v[5]: "among the last 2",
        v[4]: "latest good version",
        v[0]: "delivered",  # the failed delivery of v[1] does not protect it
    }
    assert set(plan.delete) == {v[1], v[2], v[3]} and plan.freed > 3000
    assert all((reports_root / "tiny" / "default" / x).is_dir() for x in v)  # planning deletes nothing


def test_keep_last_on_the_command_line_wins_and_the_latest_survives_keep_last_1(reports):
    root, reports_root, v = reports
    plans = {p.name: p for p in plan_prune(reports_root, root, keep_last=1)}
    assert set(plans) == {"default", "manual"}
    assert set(plans["manual"].keep) == {v[6], v[4]}  # newest (failed) and the latest good one
    assert set(plan_prune(reports_root, root, keep_last=1, only="tiny/manual")[0].keep) == {v[6], v[4]}


def test_apply_deletes_and_leaves_index_and_latest_valid(reports):
    root, reports_root, v = reports
    freed = apply_prune(reports_root, plan_prune(reports_root, root))
    assert freed > 3000
    left = sorted(p.name for p in (reports_root / "tiny" / "default").iterdir() if p.is_dir() and p.name != "latest")
    assert left == sorted([v[0], v[4], v[5], v[6]])
    assert store.read_latest(reports_root, "tiny", "default")["version"] == v[4]
    latest_page = (reports_root / "tiny" / "default" / "latest" / "index.html").read_text()
    assert f"../{v[4]}/report.html" in latest_page
    index = (reports_root / "index.html").read_text()
    links = re.findall(r'href="([^"]+)"', index)
    assert links and all((reports_root / link).exists() for link in links), "every index link leads somewhere"
    assert f"tiny/default/{v[1]}/" not in index and f"tiny/default/{v[0]}/" in index
    assert not any((reports_root / store.TMP).iterdir())  # the trash is gone


def test_bad_retention_in_a_params_file_is_named(reports):
    root, reports_root, _ = reports
    (root / "params" / "tiny" / "default.yaml").write_text("_retention: {keep_last: -1}\n")
    with pytest.raises(ParamsError, match=r"params/tiny/default.yaml: key '_retention': .*found -1"):
        plan_prune(reports_root, root)


def test_cli_dry_run_deletes_nothing_then_prune_does(reports):
    root, reports_root, v = reports
    (root / "notebooks").mkdir()
    (root / "pyproject.toml").write_text("")
    env = {**os.environ, "WORKBENCH_ROOT": str(root)}
    env.pop("WORKBENCH_REPORTS_DIR", None)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "workbench.cli", "prune", *args], env=env, capture_output=True,
                              text=True, timeout=60)  # fmt: skip

    dry = cli("--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"would delete {v[1]}" in dry.stdout and "nothing deleted" in dry.stdout
    assert (reports_root / "tiny" / "default" / v[1]).is_dir()
    done = cli()
    assert done.returncode == 0 and "freed" in done.stdout
    assert not (reports_root / "tiny" / "default" / v[1]).exists()
    assert json.loads((reports_root / "tiny" / "default" / "latest.json").read_text())["version"] == v[4]
