"""Fixtures for the delivery tests: a real SMTP server on loopback and published versions built once
from the tiny fixture notebook (two good runs, one with a real PDF, then a failed run)."""

from __future__ import annotations

import contextlib
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "pipeline" / "fixtures"
DELIVERY = """_delivery:
  to: [head@example.com, cmo@example.com]
  failure_to: ops@example.com
  subject: "{title}: {period} ({status})"
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Handler:
    """Keeps every message; refuses the addresses in `reject` at RCPT like a real server would."""

    messages: list[Received] = field(default_factory=list)
    reject: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@dataclass
class Server:
    handler: Handler
    port: int

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=10"


@contextlib.contextmanager
def smtp_server(**kwargs):
    from aiosmtpd.controller import Controller

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    try:
        yield Server(handler, controller.port)
    finally:
        controller.stop()


@pytest.fixture
def smtp_factory():
    """`with smtp_factory(**aiosmtpd_options) as server:` a loopback server started on a free port."""
    pytest.importorskip("aiosmtpd", reason="aiosmtpd (test extra) runs the loopback SMTP server")
    return smtp_server


@pytest.fixture
def smtp(smtp_factory):
    with smtp_factory() as server:
        yield server


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on (an unreachable SMTP server)."""
    return free_port()


def write_pdf(path: Path) -> None:
    """A real one-page PDF (matplotlib's PDF backend) standing in for the printed report."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([1, 2, 3], [13, 19.5, 7])
    fig.savefig(path, format="pdf")
    plt.close(fig)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A project with three published versions of tiny/default: ok (scale 2), ok (scale 3, with
    report.pdf), failed. Built once; tests work on copies (`project`)."""
    from workbench.errors import BuildError
    from workbench.pipeline.build import run_one

    root = tmp_path_factory.mktemp("delivery") / "proj"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(FIXTURES / "tiny.ipynb", root / "notebooks" / "tiny.ipynb")
    (root / "data").mkdir()
    (root / "data" / "numbers.csv").write_text("value\n1\n2\n3.5\n", encoding="utf-8")
    (root / "params" / "tiny").mkdir(parents=True)
    params = root / "params" / "tiny" / "default.yaml"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKBENCH_ROOT", str(root))
        mp.setenv("WORKBENCH_REPORTS_DIR", str(root / "reports"))
        for extra in ("scale: 2\n", "scale: 3\n", "scale: 3\nfail: true\n"):
            params.write_text(f"{extra}start_date: 2025-02-01\nend_date: 2025-02-28\n{DELIVERY}", encoding="utf-8")
            with contextlib.suppress(BuildError):  # the third run fails on purpose
                run_one("tiny", str(params), force=True, quiet=True)
    base = root / "reports" / "tiny" / "default"
    versions = sorted(p.name for p in base.iterdir() if p.is_dir() and p.name != "latest")
    assert len(versions) == 3, versions
    write_pdf(root / "reports" / "tiny" / "default" / versions[1] / "report.pdf")
    params.write_text(f"scale: 3\nstart_date: 2025-02-01\nend_date: 2025-02-28\n{DELIVERY}", encoding="utf-8")
    return root, versions


@pytest.fixture
def project(built_project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A fresh copy of the built project (its own log, outbox and index) as the current project."""
    src, versions = built_project
    root = tmp_path / "proj"
    shutil.copytree(src, root, symlinks=True)
    monkeypatch.setenv("WORKBENCH_ROOT", str(root))
    monkeypatch.setenv("WORKBENCH_REPORTS_DIR", str(root / "reports"))
    monkeypatch.delenv("WORKBENCH_SMTP_URL", raising=False)
    monkeypatch.delenv("WORKBENCH_MAIL_FROM", raising=False)
    return root, versions
