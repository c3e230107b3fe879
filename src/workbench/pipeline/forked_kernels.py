"""Kernels forked from a zygote that has already imported the notebooks' libraries (see kernel_zygote).

A build worker runs many reports one after another; each used to start `python -m ipykernel_launcher`
and import pandas, scipy, statsmodels and matplotlib again (~2.5 s of CPU per report). Here the
worker keeps one zygote process and jupyter_client's usual machinery talks to a forked child instead
of a Popen'd one: a provisioner whose `launch_kernel` asks the zygote for a child and hands
jupyter_client an object with Popen's face (poll, wait, send_signal, kill) for it. Everything else —
connection file, IPC sockets, interrupts to the kernel's process group, shutdown — is unchanged.

Forking is used only where it cannot change a result: the stock python3 kernel (`-m
ipykernel_launcher`), one BLAS thread (no thread pool exists in the zygote at fork time), and a zygote
started with the same environment as the kernel would have had (otherwise a new zygote is started).
Anything else, or a zygote that fails to start, falls back to a normal start.
`WORKBENCH_FORK_KERNELS=0` turns it off.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import IO, Any

from jupyter_client.provisioning import LocalProvisioner

FORK_ENV = "WORKBENCH_FORK_KERNELS"
#: Variables that differ from kernel to kernel and are applied in the child, not the zygote.
PER_KERNEL_ENV = ("WORKBENCH_LINE_FILE", "JPY_PARENT_PID", "JPY_SESSION_NAME", "PYDEVD_DISABLE_FILE_VALIDATION")
#: The interpreter arguments of the stock python3 kernel, which the zygote stands in for.
LAUNCHER = ["-m", "ipykernel_launcher"]


class ZygoteError(RuntimeError):
    """The zygote could not start or fork: the caller starts the kernel the normal way."""


def enabled() -> bool:
    return os.name == "posix" and hasattr(os, "fork") and os.environ.get(FORK_ENV, "1").strip() != "0"


class Zygote:
    """One zygote process and the pipe to it; `spawn` returns the pid of a new kernel."""

    def __init__(self, env: dict[str, str]) -> None:
        self.folder = tempfile.mkdtemp(prefix="wbz-")  # children's exit codes
        self.process = subprocess.Popen(
            [sys.executable, "-m", "workbench.pipeline.kernel_zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=self.folder,
        )
        self.ready = False
        self.count = 0

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise ZygoteError(f"the kernel zygote exited (code {self.process.wait()})")
        message: dict[str, Any] = json.loads(line)
        if "error" in message:
            raise ZygoteError(message["error"])
        return message

    def spawn(self, argv: list[str], cwd: str, env: dict[str, str]) -> tuple[int, str]:
        """Fork a kernel running `ipykernel_launcher ARGV` in `cwd` with `env`; (pid, status file)."""
        if not self.ready:
            self._read()  # the imports are done
            self.ready = True
        self.count += 1
        status_file = os.path.join(self.folder, f"{self.count}.status")
        request = {"argv": argv, "cwd": cwd, "env": env, "status_file": status_file}
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except OSError as exc:
            raise ZygoteError(f"the kernel zygote is gone: {exc}") from exc
        return int(self._read()["pid"]), status_file

    def close(self) -> None:
        """End the zygote; it kills any kernel it forked that is still running."""
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            if self.process.stdout is not None:
                self.process.stdout.close()
            shutil.rmtree(self.folder, ignore_errors=True)


_zygotes: dict[tuple[tuple[str, str], ...], Zygote] = {}
_broken: set[tuple[tuple[str, str], ...]] = set()


def _key(env: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in env.items() if k not in PER_KERNEL_ENV))


def zygote_for(env: dict[str, str]) -> Zygote | None:
    """The zygote whose import-time environment equals `env`'s (started on first use), or None if
    such a zygote failed before."""
    key = _key(env)
    if key in _broken:
        return None
    if key not in _zygotes:
        _zygotes[key] = Zygote(dict(key))
    return _zygotes[key]


def close_zygotes() -> None:
    while _zygotes:
        _, zygote = _zygotes.popitem()
        zygote.close()


class ForkedProcess:
    """What jupyter_client needs of a Popen, for a kernel that is the zygote's child, not ours."""

    stdin: IO[bytes] | None = None
    stdout: IO[bytes] | None = None
    stderr: IO[bytes] | None = None

    def __init__(self, pid: int, status_file: str) -> None:
        self.pid = pid
        self.status_file = status_file
        self.returncode: int | None = None

    def _status(self) -> int | None:
        try:
            with open(self.status_file, encoding="ascii") as fh:
                text = fh.read().strip()
        except OSError:
            return None
        return int(text) if text.lstrip("-").isdigit() else None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._status()
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:  # reaped a moment ago; its status file follows at once
                time.sleep(0.05)
                self.returncode = self._status()
                if self.returncode is None:
                    self.returncode = -1
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        try:
            os.unlink(self.status_file)
        except OSError:
            pass
        return code

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedProvisioner(LocalProvisioner):
    """LocalProvisioner whose kernel comes from the zygote (falls back to Popen where it cannot)."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        env = dict(kwargs.get("env") or os.environ)
        zygote = zygote_for(env) if _forkable(cmd, env) else None
        if zygote is None:
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            pid, status_file = zygote.spawn(cmd[3:], cwd, env)
        except ZygoteError:
            key = _key(env)
            _broken.add(key)
            _zygotes.pop(key, None)
            zygote.close()
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid, status_file)  # type: ignore[assignment]  # Popen's face, see above
        self.pid = pid
        self.pgid = pid  # the child called setsid()
        self.cwd = cwd
        return self.connection_info


def _forkable(cmd: list[str], env: dict[str, str]) -> bool:
    from workbench.pipeline.execute import THREAD_ENV

    same_python = os.path.realpath(cmd[0]) == os.path.realpath(sys.executable) if cmd else False
    one_thread = all(env.get(name) == "1" for name in THREAD_ENV)
    return same_python and cmd[1:3] == LAUNCHER and one_thread


def provisioner_for(manager: Any) -> ForkedProvisioner:
    """Attach a forking provisioner to a KernelManager before its start_kernel."""
    import uuid

    manager.kernel_id = manager.kernel_id or str(uuid.uuid4())
    provisioner = ForkedProvisioner(kernel_id=manager.kernel_id, kernel_spec=manager.kernel_spec, parent=manager)
    manager.provisioner = provisioner
    return provisioner
