"""A build worker forks its kernels from one zygote that has already imported the notebooks' libraries.

Specification: a forked kernel behaves as a started one (own process, process group, working folder,
namespace, figures, per-kernel environment), its death, timeout and shutdown are seen as before, and
no process outlives the worker — also when the worker is killed. Where forking could change a result
(more than one BLAS thread, another kernel command) or is turned off, kernels start the normal way.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from workbench.pipeline import execute as ex
from workbench.pipeline import forked_kernels, kernel_zygote

pytestmark = pytest.mark.skipif(os.name != "posix", reason="forking kernels needs a POSIX system")

PROBE = """import json, os
import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "pgid": os.getpgid(0), "cwd": os.getcwd(),
                  "line_file": os.environ.get("WORKBENCH_LINE_FILE"), "backend": plt.get_backend(),
                  "seen_before": "marker" in globals()}))
marker = 1"""


def _notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


def _probe(execution: ex.Execution) -> tuple[dict, list[str]]:
    outputs = execution.notebook.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    kinds = [k for o in outputs for k in o.get("data", {})]
    return json.loads(text.strip().splitlines()[-1]), kinds


def _gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie (exited, not yet collected by whoever is its parent now) counts as gone
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        except (OSError, IndexError):
            pass
        time.sleep(0.1)
    return False


@pytest.fixture
def forking(monkeypatch):
    monkeypatch.setenv("WORKBENCH_PRELOAD", "pandas,matplotlib.pyplot")
    monkeypatch.delenv(forked_kernels.FORK_ENV, raising=False)
    ex.use_forked_kernels(True)
    yield
    ex.shutdown_spare_kernels()
    ex.use_forked_kernels(False)


def test_forked_kernels_run_like_started_ones_each_in_a_process_of_its_own(tmp_path, forking):
    nb = _notebook(tmp_path / "probe.ipynb", PROBE)
    first, second = (ex.execute(nb, {}, tmp_path, timeout=120) for _ in range(2))
    assert first.ok and second.ok, (first.failure, second.failure)
    (a, kinds_a), (b, kinds_b) = _probe(first), _probe(second)
    [zygote] = forked_kernels._zygotes.values()
    assert a["ppid"] == b["ppid"] == zygote.process.pid  # forked, not started
    assert a["pid"] != b["pid"] and a["pgid"] == a["pid"] and b["pgid"] == b["pid"]
    assert a["cwd"] == b["cwd"] == str(tmp_path)
    assert a["line_file"] != b["line_file"]  # the per-kernel environment reached each child
    assert not a["seen_before"] and not b["seen_before"]  # a fresh namespace every run
    assert a["backend"] == "module://matplotlib_inline.backend_inline"
    assert "image/png" in kinds_a and "image/png" in kinds_b  # figures still shown inline
    assert _gone(a["pid"]) and _gone(b["pid"])


def test_a_forked_kernel_that_dies_is_reported_with_its_line(tmp_path, forking):
    nb = _notebook(tmp_path / "dies.ipynb", "import os, signal\nx = 1\nos.kill(os.getpid(), signal.SIGKILL)\ny = 2")
    result = ex.execute(nb, {}, tmp_path, timeout=120)
    assert result.failure is not None and result.failure.kind == "dead-kernel"
    assert "os.kill" in result.failure.cell_line


def test_a_forked_kernel_past_its_timeout_is_stopped(tmp_path, forking):
    nb = _notebook(tmp_path / "slow.ipynb", "import os\nprint(os.getpid(), flush=True)", "import time\ntime.sleep(60)")
    t0 = time.perf_counter()
    result = ex.execute(nb, {}, tmp_path, timeout=8)
    assert result.failure is not None and result.failure.kind == "timeout"
    assert time.perf_counter() - t0 < 40
    pid = int(result.notebook.cells[0].outputs[0]["text"].split()[0])
    assert _gone(pid)


def test_closing_the_zygote_stops_it_and_any_kernel_it_forked(tmp_path, forking):
    ex.prestart_kernel(tmp_path)  # a spare kernel waits, as between two runs of a build worker
    [kernel] = ex._spare.values()
    kernel_pid = kernel.manager.provisioner.pid
    [zygote] = forked_kernels._zygotes.values()
    zygote.close()  # the zygote goes first; the kernel must not outlive it
    forked_kernels._zygotes.clear()
    assert _gone(zygote.process.pid) and _gone(kernel_pid)


def test_a_killed_worker_leaves_neither_zygote_nor_kernels(tmp_path):
    script = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from workbench.pipeline import execute as ex, forked_kernels
        ex.use_forked_kernels(True)
        ex.prestart_kernel(Path({str(tmp_path)!r}))
        [kernel] = ex._spare.values()
        [zygote] = forked_kernels._zygotes.values()
        print(json.dumps([zygote.process.pid, kernel.manager.provisioner.pid]), flush=True)
        sys.stdin.read()
        """
    )
    env = {**os.environ, **ex.thread_env(1)}
    env.pop(forked_kernels.FORK_ENV, None)
    worker = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    try:
        assert worker.stdout is not None
        zygote_pid, kernel_pid = json.loads(worker.stdout.readline())
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        assert _gone(zygote_pid), "the zygote outlived its worker"
        assert _gone(kernel_pid), "a forked kernel outlived its worker"
    finally:
        if worker.poll() is None:
            worker.kill()


def test_a_zygote_still_importing_when_its_worker_is_killed_exits_too(tmp_path):
    """The zygote reads no request while it imports (seconds on a loaded machine), so it cannot see its
    worker's pipe close then: it watches its parent instead, and leaves as soon as the worker is gone."""
    (tmp_path / "slow_to_import.py").write_text("import time\ntime.sleep(120)\n")
    script = textwrap.dedent(
        """
        import subprocess, sys
        zygote = subprocess.Popen([sys.executable, "-m", "workbench.pipeline.kernel_zygote"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        print(zygote.pid, flush=True)
        sys.stdin.read()
        """
    )
    path = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env = {**os.environ, kernel_zygote.PRELOAD_ENV: "slow_to_import", "PYTHONPATH": path}
    worker = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    try:
        assert worker.stdout is not None
        zygote_pid = int(worker.stdout.readline())
        time.sleep(1.0)  # the zygote is inside the 120 s import
        assert not _gone(zygote_pid, within=0.1)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        assert _gone(zygote_pid, within=10.0), "the importing zygote outlived its worker"
    finally:
        if worker.poll() is None:
            worker.kill()


def test_more_than_one_blas_thread_or_the_switch_off_means_a_normal_start(tmp_path, forking, monkeypatch):
    nb = _notebook(tmp_path / "probe.ipynb", PROBE)
    two_threads = ex.execute(nb, {}, tmp_path, timeout=120, threads=2)  # a thread pool must not cross a fork
    monkeypatch.setenv(forked_kernels.FORK_ENV, "0")
    switched_off = ex.execute(nb, {}, tmp_path, timeout=120)
    for result in (two_threads, switched_off):
        assert result.ok, result.failure
        assert _probe(result)[0]["ppid"] == os.getpid()
    assert not forked_kernels._zygotes
