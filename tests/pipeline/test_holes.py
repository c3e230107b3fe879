"""The holes found by the bad-input and fault tests (issue 15), each closed here."""

from __future__ import annotations

import ast
import builtins
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from workbench.errors import ParamsError
from workbench.pipeline import kernel_init, store
from workbench.pipeline.params import MAX_PARAMS_BYTES, MAX_STRING_CHARS, load_params_file


# --------------------------------------------------------------------------- names that leave reports/
@pytest.mark.parametrize("bad", ["...", "..", ".", ".hidden", "a/b", "a\\b", "", "x" * 200, "ü"])
def test_check_name_rejects_names_that_are_not_one_plain_segment(bad):
    with pytest.raises(ParamsError, match="cannot name a folder under reports/"):
        store.check_name("params name", bad, "params/x/y.yaml")


@pytest.mark.parametrize("good", ["default", "2026_06", "autumn-launch.v2", "A1"])
def test_check_name_accepts_ordinary_names(good):
    assert store.check_name("params name", good) == good


def test_version_dir_is_where_paths_are_built_and_checks_every_part(tmp_path):
    assert store.version_dir(tmp_path, "tiny", "default", "v1") == tmp_path / "tiny" / "default" / "v1"
    for parts in (("..", "x", "v"), ("tiny", "..", "v"), ("tiny", "x", "..")):
        with pytest.raises(ParamsError):
            store.version_dir(tmp_path, *parts)


@pytest.mark.parametrize("file_name", ["...yaml", "..yaml"])
def test_validate_rejects_params_names_that_escape(wb_project, cli, file_name):
    (wb_project / "params" / "tiny" / file_name).write_text("scale: 2\n")
    res = cli("validate", f"params/tiny/{file_name}")
    assert res.returncode == 2, res.stdout + res.stderr
    assert "cannot name a folder under reports/" in res.stderr
    res = cli("run", "tiny", f"params/tiny/{file_name}")
    assert res.returncode == 2
    assert sorted(p.name for p in wb_project.iterdir()) == ["data", "notebooks", "params"]


def test_run_rejects_a_notebook_named_dots(wb_project, cli):
    (wb_project / "notebooks" / "...ipynb").write_bytes((wb_project / "notebooks" / "tiny.ipynb").read_bytes())
    (wb_project / "params" / "tiny" / "escape1.yaml").write_text("scale: 2\n")
    res = cli("run", "notebooks/...ipynb", "params/tiny/escape1.yaml")
    assert res.returncode == 2 and "the report '..'" in res.stderr, res.stderr
    assert not (wb_project / "escape1").exists() and not (wb_project / "reports").exists()


# --------------------------------------------------------------------------- params size and aliases
def _bomb(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    lines.append(f"column_renames: {{orders: *l{levels - 1}}}")
    return "\n".join(lines) + "\n"


def test_alias_bomb_in_a_mapping_parameter_is_rejected_before_anything_is_built(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb())  # 9^9 = 387 million strings once expanded
    with pytest.raises(ParamsError, match=r"YAML aliases \(\*name\) are expanded"):
        load_params_file(path)


def test_self_referring_alias_is_rejected(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("labels: &a [1, *a]\n")
    with pytest.raises(ParamsError, match="key 'labels': a YAML alias refers to itself"):
        load_params_file(path)


def test_a_few_aliases_are_fine(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {impr: impressions}\ncolumn_renames: {ad_stats: *b, sessions: *b}\n")
    assert load_params_file(path)["column_renames"] == {
        "ad_stats": {"impr": "impressions"},
        "sessions": {"impr": "impressions"},
    }


def test_a_5_mb_title_is_rejected_by_size_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("title: " + "x" * 5_000_000 + "\n")
    with pytest.raises(ParamsError, match=f"expected at most {MAX_PARAMS_BYTES // 1024} KB"):
        load_params_file(path)


def test_a_long_string_names_its_key_and_line(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text("scale: 2\ntitle: " + "x" * (MAX_STRING_CHARS + 1) + "\n")
    with pytest.raises(ParamsError, match=r"line 2: key 'title': expected a value of at most 10,000 characters"):
        load_params_file(path)


# --------------------------------------------------------------------------- the line a dead kernel was on
def test_line_marker_records_each_statement_outside_functions():
    seen: list[int] = []
    source = "x = 1\nfor i in range(2):\n    y = i\ndef f():\n    return 1\nif x:\n    z = f()\nx\n"
    tree = kernel_init.LineMarker().visit(ast.parse(source))
    setattr(builtins, kernel_init.RECORDER, seen.append)
    try:
        namespace: dict = {}
        exec(compile(tree, "<cell>", "exec"), namespace)
    finally:
        delattr(builtins, kernel_init.RECORDER)
    assert seen == [1, 2, 3, 3, 4, 6, 7, 8]
    assert namespace["z"] == 1 and isinstance(tree.body[-1], ast.Expr)  # the last expression still displays


def test_line_file_round_trip(tmp_path):
    path = str(tmp_path / "line")
    assert kernel_init.read_line(path) is None
    kernel_init.reset_line(path)
    assert kernel_init.read_line(path) is None
    fd = os.open(path, os.O_WRONLY)
    os.pwrite(fd, kernel_init.encode_line(17), 0)
    os.close(fd)
    assert kernel_init.read_line(path) == 17


@pytest.mark.slow
def test_dead_kernel_names_the_failing_line_not_the_first(wb_project):
    from workbench.pipeline.execute import execute

    result = execute(wb_project / "notebooks" / "tiny.ipynb", {"die": True}, wb_project, timeout=60)
    assert result.failure is not None and result.failure.kind == "dead-kernel"
    assert result.failure.cell_line == "os._exit(1)"  # the cell's first line is time.sleep(sleep_s)


# --------------------------------------------------------------------------- processes and staging after a build
def _processes_with(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            if marker.encode() in environ:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")[:120]
                state, ppid = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:2]
                found.append(f"{entry.name} (state {state}, parent {ppid}): {cmdline!r}")
        except OSError:
            continue
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc to list processes")
def test_build_leaves_no_process_behind_and_cleans_staging_every_time(wb_project):
    (wb_project / "params" / "tiny" / "second.yaml").write_text("scale: 3\n")
    marker = f"WB_TEST_MARKER_{uuid.uuid4().hex}"
    env = {**os.environ, "WORKBENCH_ROOT": str(wb_project), marker: "1", "WORKBENCH_PRELOAD": ""}
    env.pop("WORKBENCH_REPORTS_DIR", None)
    cmd = [sys.executable, "-m", "workbench.cli", "build", "--jobs", "2", "-q"]
    res = subprocess.run(cmd, cwd=wb_project, env=env, capture_output=True, text=True, timeout=240)
    assert res.returncode == 0, res.stderr
    assert _processes_with(marker) == []  # no worker, no spare kernel outlives the build

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = wb_project / "reports" / store.TMP / f"{int(dead.stdout)}-killedbuild"
    stale.mkdir(parents=True)
    res = subprocess.run(cmd, cwd=wb_project, env=env, capture_output=True, text=True, timeout=240)
    assert res.returncode == 0, res.stderr  # everything cached: nothing runs ...
    assert not stale.exists()  # ... and the killed build's staging folder is gone all the same


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc to list processes")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["kill", "kill-9"])
def test_a_killed_build_takes_its_workers_and_kernels_along(wb_project, signum):
    """`kill PID` (as a scheduler sends it) or `kill -9 PID` of the build alone must not orphan the
    pool's workers, their kernel zygotes or the kernels running reports; nothing half-written is published."""
    (wb_project / "params/tiny/default.yaml").write_text("sleep_s: 60\n")
    marker = f"WB_TEST_MARKER_{uuid.uuid4().hex}"
    env = {**os.environ, "WORKBENCH_ROOT": str(wb_project), marker: "1"}
    env.pop("WORKBENCH_REPORTS_DIR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench.cli", "build", "--jobs", "2", "-q"],
        cwd=wb_project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        staging = wb_project / "reports" / store.TMP
        deadline = time.time() + 120
        while time.time() < deadline and not (staging.is_dir() and any(staging.iterdir())):
            time.sleep(0.1)
        assert staging.is_dir() and any(staging.iterdir()), "the build never started a run"
        time.sleep(3)  # the tiny report's kernel is now inside its 60 s cell
        assert len(_processes_with(marker)) >= 3  # the build, its workers and at least one kernel
        proc.send_signal(signum)
        assert proc.wait(timeout=30) == -signum
        deadline = time.time() + 60  # generous: on a loaded CI machine a worker's imports take seconds
        while time.time() < deadline and _processes_with(marker):
            time.sleep(0.2)
        assert _processes_with(marker) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    published = wb_project / "reports" / "tiny" / "default"
    assert not published.exists() or not any(p.name[0].isdigit() for p in published.iterdir())
