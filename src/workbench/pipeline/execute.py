"""Execute a notebook with injected parameters, the papermill way, in a kernel of its own.

Parameters are injected by papermill (a cell tagged `injected-parameters` right after the cell
tagged `parameters`); execution is nbclient's, driven here so that a failing cell, a timeout
and a dying kernel all leave the partial notebook and a short description of what went wrong.
The notebook is not saved per cell (papermill's per-cell saving costs O(cells²) in batch runs).

Kernels talk over IPC sockets in a private temporary folder where the platform allows it, so
parallel runs never race for TCP ports.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.pipeline.kernel_init import read_line, reset_line

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class Failure:
    """What stopped a run: the cell (index in the notebook as written, and first line) and the error."""

    kind: str  # error, timeout, dead-kernel, startup
    message: str  # the exception's last line
    cell_index: int | None = None
    cell_line: str = ""
    traceback: str = ""

    def describe(self) -> str:
        where = f"cell {self.cell_index} (`{self.cell_line}`)" if self.cell_index is not None else "start-up"
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "cell_index": self.cell_index,
            "cell_line": self.cell_line,
            "traceback": self.traceback,
        }


@dataclass
class Execution:
    notebook: Any  # nbformat.NotebookNode, executed (partially when failed)
    duration_s: float
    failure: Failure | None = None
    timings: list[float] = field(default_factory=list)
    kernel_start_s: float = 0.0  # from the call until the first cell started (kernel start and ready)
    cell_times: dict[int, float] = field(default_factory=dict)  # executed cell index -> seconds

    @property
    def ok(self) -> bool:
        return self.failure is None

    def profile(self) -> dict[str, Any]:
        """Where the execution time went, for `workbench build --profile` and the manifest."""
        cells = []
        for index, seconds in self.cell_times.items():
            cell = self.notebook.cells[index]
            cells.append(
                {
                    "cell": _source_index(self.notebook, index),
                    "line": _first_line(cell.source),
                    "imports": _only_imports(cell.source),
                    "injected": "injected-parameters" in cell.metadata.get("tags", []),
                    "s": round(seconds, 4),
                }
            )
        return {"kernel_start_s": round(self.kernel_start_s, 4), "cells": cells}


def _only_imports(source: str) -> bool:
    """A cell that does nothing but import (its time is the import cost)."""
    import ast

    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in body)


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def _source_index(nb: Any, index: int) -> int:
    """Index of executed cell `index` in the notebook as written (without the injected cell)."""
    injected = [i for i, c in enumerate(nb.cells) if "injected-parameters" in c.metadata.get("tags", [])]
    return index - 1 if injected and injected[0] < index else index


def _failure_from_cell(nb: Any, index: int, kind: str, message: str | None = None, line: int | None = None) -> Failure:
    cell = nb.cells[index]
    tb = ""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            tb = strip_ansi("\n".join(out.get("traceback", [])))
            if message is None:
                message = f"{out.get('ename')}: {out.get('evalue')}".strip()
    if message is None:
        message = "the cell failed"
    return Failure(
        kind,
        message.splitlines()[-1] if message.strip() else message,
        _source_index(nb, index),
        _failing_line(cell.source, tb, line),
        tb,
    )


_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


def _failing_line(source: str, traceback: str, line: int | None = None) -> str:
    """The line of the cell the traceback points at (IPython's `Cell In[n], line k`), else the line the
    kernel last started (`line`, from the kernel's statement marker: a dead kernel leaves no traceback),
    else the cell's first line."""
    match = _CELL_LINE.search(traceback)
    lines = source.splitlines()
    for number in (int(match.group(1)) if match else None, line):
        if number is not None and 1 <= number <= len(lines) and lines[number - 1].strip():
            return lines[number - 1].strip()[:120]
    return _first_line(source)


def prepare(notebook_path: Path, overrides: dict[str, Any]) -> Any:
    """Read the notebook and inject the params papermill-style (after the `parameters` cell)."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(notebook_path))  # adds the metadata papermill's injection expects
    for cell in nb.cells:  # a notebook committed with outputs must not leak them into the report
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    if overrides:
        nb = parameterize_notebook(nb, overrides, kernel_name="python3", language="python")
    return nb


def _transport_config() -> tuple[Any, str | None]:
    from traitlets.config import Config

    config = Config()
    ipc_dir = None
    if os.name == "posix":
        ipc_dir = tempfile.mkdtemp(prefix="wbk-")
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = os.path.join(ipc_dir, "k")
    return config, ipc_dir


#: The kernel's own log (not the notebook's output) stays quiet: stopping a kernel whose cell ran
#: past the timeout otherwise prints a ZMQ traceback into the build's progress display.
#: `exec_lines` runs workbench.pipeline.kernel_init before the notebook: warm imports and the
#: statement marker that lets a dead kernel name its line (nothing lands in the notebook's namespace).
KERNEL_ARGS = [
    "--IPKernelApp.log_level=CRITICAL",
    "--IPKernelApp.exec_lines=import workbench.pipeline.kernel_init as _wbk; _wbk.setup(); del _wbk",
]


#: Thread pools (BLAS, OpenMP, numexpr) of every kernel the pipeline starts, whatever the machine, the
#: user's environment or --jobs. A BLAS sums in an order that depends on its thread count, so the
#: budget and content reports differed at the 8th-9th significant digit between a build (1 thread
#: per kernel), `workbench run` and `reproduce` (all cores). One fixed count makes them agree bit for
#: bit; reports run side by side for parallelism instead. WORKBENCH_KERNEL_THREADS sets another
#: count; the manifest records the count and `reproduce` uses the recorded one.
THREAD_ENV = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
THREADS_ENV = "WORKBENCH_KERNEL_THREADS"
DEFAULT_KERNEL_THREADS = 1


def kernel_threads() -> int:
    """The thread count for new kernels: WORKBENCH_KERNEL_THREADS, else 1 (a bad value is an error)."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return DEFAULT_KERNEL_THREADS
    if not raw.isdigit() or int(raw) < 1:
        from workbench.errors import WorkbenchError

        raise WorkbenchError(f"{THREADS_ENV}: expected a whole number of threads >= 1, found {raw!r}")
    return int(raw)


def thread_env(threads: int) -> dict[str, str]:
    """The environment that pins every BLAS/OpenMP pool of a kernel to `threads`."""
    return {name: str(threads) for name in THREAD_ENV}


@dataclass
class Kernel:
    """A started kernel with its private folder (IPC sockets, line file)."""

    manager: Any
    folder: str
    line_file: str


_spare: dict[tuple[str, str, int], Kernel] = {}
#: Set by a build's workers: their kernels are forked from a zygote (see forked_kernels).
_fork_kernels = False


def use_forked_kernels(on: bool = True) -> None:
    """Fork this process's kernels from a pre-imported zygote (a build worker runs many reports)."""
    global _fork_kernels
    _fork_kernels = on


def start_kernel(cwd: Path, kernel_name: str = "python3", threads: int | None = None) -> Kernel:
    """Start a kernel in `cwd` talking over IPC sockets in a private folder (no port races), its thread
    pools pinned to `threads` (default: kernel_threads())."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    from workbench.pipeline.kernel_init import LINE_FILE_ENV

    config, ipc_dir = _transport_config()
    folder = ipc_dir or tempfile.mkdtemp(prefix="wbk-")
    line_file = os.path.join(folder, "line")
    km = AsyncKernelManager(kernel_name=kernel_name, config=config)
    if _fork_kernels:
        from workbench.pipeline import forked_kernels

        if forked_kernels.enabled():
            forked_kernels.provisioner_for(km)
    env = {**os.environ, **thread_env(threads or kernel_threads()), LINE_FILE_ENV: line_file}
    run_sync(km.start_kernel)(cwd=str(cwd), extra_arguments=list(KERNEL_ARGS), env=env)
    return Kernel(km, folder, line_file)


def stop_kernel(kernel: Kernel, client: Any = None) -> None:
    from jupyter_core.utils import run_sync

    try:
        if client is not None and client.kc is not None:
            client.kc.stop_channels()
        run_sync(kernel.manager.shutdown_kernel)(now=True)
    except Exception:
        pass
    finally:
        shutil.rmtree(kernel.folder, ignore_errors=True)


def prestart_kernel(cwd: Path, kernel_name: str = "python3", threads: int | None = None) -> None:
    """Start the next run's kernel now (a worker calls this between runs), so that its start-up
    overlaps with other work. The kernel is fresh: nothing of the notebook runs in it before the run."""
    threads = threads or kernel_threads()
    key = (str(cwd), kernel_name, threads)
    if key not in _spare:
        _spare[key] = start_kernel(cwd, kernel_name, threads)


def shutdown_spare_kernels() -> None:
    while _spare:
        _, kernel = _spare.popitem()
        stop_kernel(kernel)
    if _fork_kernels:
        from workbench.pipeline.forked_kernels import close_zygotes

        close_zygotes()


def execute(
    notebook_path: Path,
    overrides: dict[str, Any],
    cwd: Path,
    timeout: float | None = None,
    kernel_name: str = "python3",
    startup_timeout: float = 60,
    threads: int | None = None,
) -> Execution:
    """Run the notebook top to bottom in a fresh kernel started in `cwd`; never raises for notebook errors.
    `timeout` (seconds) bounds the whole run, not each cell: a run past it fails in the cell it reached.
    `threads`: the kernel's BLAS/OpenMP thread count (default kernel_threads(); see THREAD_ENV)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = prepare(Path(notebook_path), overrides)
    t0 = time.perf_counter()
    try:
        threads = threads or kernel_threads()
        kernel = _spare.pop((str(cwd), kernel_name, threads), None) or start_kernel(cwd, kernel_name, threads)
    except Exception as exc:  # no kernel at all: a start-up failure, never an exception out of here
        msg = f"{type(exc).__name__}: {exc}".strip().splitlines()[-1]
        return Execution(nb, time.perf_counter() - t0, Failure("startup", msg))
    current: dict[str, int | None] = {"index": None}
    timings: list[float] = []
    started: dict[int, float] = {}
    cell_times: dict[int, float] = {}

    def on_start(cell: Any, cell_index: int) -> None:
        current["index"] = cell_index
        reset_line(kernel.line_file)
        started[cell_index] = time.perf_counter()

    def on_done(cell: Any, cell_index: int, **_: Any) -> None:
        took = time.perf_counter() - started.get(cell_index, time.perf_counter())
        timings.append(took)
        cell_times[cell_index] = took

    deadline = t0 + timeout if timeout else None

    def time_left(cell: Any) -> float | None:
        """The timeout covers the whole run: each cell gets what is left of it (nbclient reads
        0 or less as 'no timeout', hence the small floor)."""
        return None if deadline is None else max(0.05, deadline - time.perf_counter())

    client = NotebookClient(
        nb,
        timeout=timeout,
        timeout_func=time_left if deadline else None,
        startup_timeout=startup_timeout,
        kernel_name=kernel_name,
        extra_arguments=list(KERNEL_ARGS),
        resources={"metadata": {"path": str(cwd)}},
        km=kernel.manager,
        record_timing=True,
        on_cell_start=on_start,
        on_cell_executed=on_done,
    )
    failure: Failure | None = None
    env_before = os.environ.get("PYDEVD_DISABLE_FILE_VALIDATION")
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # silences a debugger warning on frozen modules
    try:
        client.execute()
    except CellTimeoutError:
        idx = current["index"]
        msg = f"TimeoutError: the run passed its {timeout:g} s timeout"
        failure = _failure_from_cell(nb, idx, "timeout", msg) if idx is not None else Failure("timeout", msg)
    except DeadKernelError as exc:
        idx = current["index"]
        msg = f"DeadKernelError: the kernel died ({exc}); out of memory?".replace("\n", " ")
        line = read_line(kernel.line_file)
        failure = (
            _failure_from_cell(nb, idx, "dead-kernel", msg, line=line)
            if idx is not None
            else Failure("dead-kernel", msg)
        )
    except CellExecutionError:
        idx = current["index"]
        failure = _failure_from_cell(nb, idx, "error") if idx is not None else Failure("error", "the cell failed")
    except Exception as exc:  # kernel could not start, etc.
        idx = current["index"]
        msg = f"{type(exc).__name__}: {exc}".strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        failure = _failure_from_cell(nb, idx, "error", msg) if idx is not None else Failure("startup", msg)
    finally:
        if env_before is None:
            os.environ.pop("PYDEVD_DISABLE_FILE_VALIDATION", None)
        stop_kernel(kernel, client)  # ours to stop: nbclient stops only kernels it started itself
    first = min(started.values(), default=time.perf_counter())
    return Execution(nb, time.perf_counter() - t0, failure, timings, first - t0, cell_times)
