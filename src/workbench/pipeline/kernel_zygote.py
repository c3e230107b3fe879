"""The kernel zygote: one process per build worker that imports ipykernel and the libraries the
notebooks use once, then forks a fresh kernel for each run (``python -m workbench.pipeline.kernel_zygote``).

Why: a report's kernel spent ~2.5 s of CPU starting Python and importing pandas, scipy,
statsmodels, matplotlib and ipykernel, about a third of a sample report's CPU. A forked child shares
those already-imported modules copy-on-write, so its start is the kernel's own set-up only. Each
child is still a new process with its own namespace, its own session and process group, its own
sockets and working folder: nothing of one report reaches the next.

What must not happen before the fork, and how it is kept out:

* threads (a BLAS pool, zmq's I/O thread): the zygote is used only with one BLAS thread per kernel
  (the pipeline's default) and creates no zmq context; the child creates its own.
* matplotlib's inline backend: importing ``matplotlib_inline.backend_inline`` outside a kernel
  would skip its hook into the kernel's shell (figures would vanish), so pyplot is imported with
  the backend named but not loaded, and the zygote checks that the module stayed out.

Protocol on stdin/stdout, one JSON object per line. Requests: ``{"argv": [...], "cwd": ...,
"env": {...}, "status_file": ...}``; answers: ``{"pid": N}`` or ``{"error": "..."}``, after a
first ``{"ready": true}`` (or ``{"error": ...}``) once the imports are done. When a child exits, its
exit code (negative: the signal) is written to its ``status_file``. End of stdin (the worker closed
it or died) kills the children still running and ends the zygote.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import traceback
from collections.abc import Iterator
from typing import Any, BinaryIO

#: Modules to import once, comma-separated (the build passes its notebooks' imports).
PRELOAD_ENV = "WORKBENCH_PRELOAD"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Imported always: what every kernel loads before running a cell.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "workbench.pipeline.kernel_init")

_children: dict[int, str] = {}


def _reap(*_: Any) -> None:
    """Collect every exited child and record its exit code where the worker looks for it."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        path = _children.pop(pid, None)
        if path:
            try:
                with open(path, "w", encoding="ascii") as fh:
                    fh.write(str(os.waitstatus_to_exitcode(status)))
            except OSError:
                pass


def _preload() -> None:
    import importlib

    # ipykernel sets the same default when a kernel starts; matplotlib reads it at import.
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    names = list(KERNEL_MODULES) + [n.strip() for n in (os.environ.get(PRELOAD_ENV) or "").split(",") if n.strip()]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a module that fails here fails in the notebook, with its own message
            pass
    if "matplotlib_inline.backend_inline" in sys.modules:
        raise RuntimeError("the inline backend was loaded outside a kernel: figures would not be shown")


@contextlib.contextmanager
def _exit_if_orphaned_meanwhile(every_s: float = 0.2) -> Iterator[None]:
    """While the heavy imports run (seconds, longer on a loaded machine) the zygote reads no request,
    so it would not see its worker's pipe close: a worker killed meanwhile (its build got kill -9)
    would leave it importing for nothing. A thread watches the parent until the imports are done,
    and is joined before anything is forked (a forked kernel must not start with a stray thread)."""
    import threading

    parent, done = os.getppid(), threading.Event()

    def watch() -> None:
        while not done.wait(every_s):
            if os.getppid() != parent:
                os._exit(1)  # no kernel exists yet: nothing to take along

    thread = threading.Thread(target=watch, name="exit-if-orphaned", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _child(request: dict[str, Any], protocol: tuple[BinaryIO, BinaryIO]) -> None:
    """In the forked child: become a kernel exactly as `python -m ipykernel_launcher ARGV` would."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        os.setsid()  # its own process group: interrupts and kills reach it and its children only
        for stream in protocol:
            stream.close()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        argv = list(request["argv"]) + [f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = [sys.argv[0], *argv]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()
        finally:
            os._exit(code)


def _terminate(*_: Any) -> None:
    raise SystemExit(0)


def _answer(out: BinaryIO, message: dict[str, Any]) -> None:
    out.write(json.dumps(message).encode() + b"\n")
    out.flush()


def main() -> None:
    # The protocol keeps the original stdin/stdout; fd 1 becomes stderr so that anything a child
    # prints lands where a normally started kernel's output would, never in the protocol.
    inp = os.fdopen(os.dup(0), "rb")
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; the kernel's shell adds its own working folder
    try:
        with _exit_if_orphaned_meanwhile():
            _preload()
    except BaseException as exc:
        _answer(out, {"error": f"{type(exc).__name__}: {exc}"})
        return
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGTERM, _terminate)  # leave through `finally`, taking the children along
    _answer(out, {"ready": True})
    try:
        for line in inp:
            request = json.loads(line)
            # SIGCHLD waits until the child is registered: one that dies at once still gets its status.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
            try:
                pid = os.fork()
            except OSError as exc:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
                _answer(out, {"error": f"fork failed: {exc}"})
                continue
            if pid == 0:
                _child(request, (inp, out))
            _children[pid] = request["status_file"]
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            _answer(out, {"pid": pid})
    finally:
        for pid in list(_children):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap()


if __name__ == "__main__":
    main()
