"""report.pdf: the same HTML printed by headless Chromium with the report's print stylesheet.

Chromium is optional: where it is absent (or fails) the run still succeeds without a PDF and the
manifest says why, so `make reports` keeps needing only python3 and make. Each print uses a new,
empty profile folder and no network services (no sync, no component updates, no background
requests); the page itself loads nothing from the network either.
"""

from __future__ import annotations

import enum
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

#: Browsers tried in order (Debian's package is `chromium`).
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Set to a browser path to use it, or to "off" to skip PDFs.
BROWSER_ENV = "WORKBENCH_CHROMIUM"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
)
TIMEOUT_S = 120.0


class PdfStatus(str, enum.Enum):
    """What became of the PDF of one version."""

    WRITTEN = "written"
    SKIPPED = "skipped"  # no browser, or switched off
    FAILED = "failed"  # the browser ran and produced nothing usable


@dataclass
class PdfResult:
    status: PdfStatus
    reason: str = ""
    browser: str = ""
    duration_s: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.status.value,
            "reason": self.reason,
            "browser": self.browser,
            "duration_s": round(self.duration_s, 3),
        }


def find_browser() -> str | None:
    """The Chromium to print with, or None (WORKBENCH_CHROMIUM=off switches printing off)."""
    chosen = os.environ.get(BROWSER_ENV, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def print_pdf(html_file: Path, pdf_file: Path, timeout: float = TIMEOUT_S) -> PdfResult:
    """Print `html_file` to `pdf_file`; never raises for a missing or failing browser."""
    if os.environ.get(BROWSER_ENV, "").strip().lower() == "off":
        return PdfResult(PdfStatus.SKIPPED, f"switched off ({BROWSER_ENV}=off)")
    browser = find_browser()
    if browser is None:
        return PdfResult(
            PdfStatus.SKIPPED,
            "no Chromium on PATH (looked for " + ", ".join(BROWSERS) + "); install Debian's `chromium` package "
            f"or set {BROWSER_ENV} to a Chromium binary to get report.pdf",
        )
    t0 = time.perf_counter()
    profile = tempfile.mkdtemp(prefix="wb-chromium-")
    cmd = [
        browser,
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf_file}",
        Path(html_file).resolve().as_uri(),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return PdfResult(PdfStatus.FAILED, f"Chromium did not finish within {timeout:g} s", browser)
    except OSError as exc:
        return PdfResult(PdfStatus.FAILED, f"Chromium could not start: {exc}", browser)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    took = time.perf_counter() - t0
    if proc.returncode != 0 or not pdf_file.is_file() or pdf_file.stat().st_size == 0:
        tail = (proc.stderr or "").strip().splitlines()[-1:] or ["no output"]
        return PdfResult(PdfStatus.FAILED, f"Chromium exited with {proc.returncode}: {tail[0][:200]}", browser, took)
    return PdfResult(PdfStatus.WRITTEN, "", browser, took)
