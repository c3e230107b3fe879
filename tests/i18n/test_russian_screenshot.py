"""A Russian report as a reader sees it: published by the pipeline, opened in headless Chromium and
screenshotted. Its charts were drawn without a single missing glyph (matplotlib warns "Glyph … missing
from font(s)" for every tofu box, and the kernel's warnings land in the executed notebook), and the
screenshot is a real page, not a blank one. Skips with the reason where Chromium is absent."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import numpy as np
import pytest
import yaml

from workbench.pipeline.pdf import BROWSERS, FLAGS, find_browser

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(project_root, sample_data, tmp_path_factory):
    """The Russian monthly report built by `workbench run` on the sample data (no PDF)."""
    tmp = tmp_path_factory.mktemp("ru_shot")
    params = yaml.safe_load((project_root / "params/monthly_report/2026_06_ru.yaml").read_text(encoding="utf-8"))
    for key in ("orders_path", "sessions_path", "ad_stats_path", "email_sends_path"):
        params[key] = str(sample_data / f"{key[: -len('_path')]}.csv")
    (tmp / "params").mkdir()
    path = tmp / "params" / "2026_06_ru.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    env = os.environ | {"WORKBENCH_REPORTS_DIR": str(tmp / "reports"), "WORKBENCH_CHROMIUM": "off"}
    run = [sys.executable, "-m", "workbench.cli", "run", "monthly_report", str(path), "-q"]
    res = subprocess.run(run, cwd=project_root, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    (version,) = [
        p for p in (tmp / "reports" / "monthly_report" / "2026_06_ru").iterdir() if p.is_dir() and p.name != "latest"
    ]
    return version


def test_russian_charts_were_drawn_without_missing_glyphs(published):
    nb = nbformat.read(published / "notebook.ipynb", as_version=4)
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 3, "the report drew no charts"
    streams = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream")
    assert "missing from font" not in streams and "Glyph" not in streams
    assert "Ежемесячный отчёт" in (published / "report.html").read_text(encoding="utf-8")


def test_russian_report_screenshot_is_a_real_page(published, tmp_path):
    browser = find_browser()
    if browser is None:
        pytest.skip(f"no Chromium on PATH (looked for {', '.join(BROWSERS)}): install Debian's `chromium`")
    shot = tmp_path / "report.png"
    flags = [f for f in FLAGS if not f.startswith("--no-pdf")]
    cmd = [browser, *flags, f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", "--window-size=1280,2400"]
    cmd += [f"--screenshot={shot}", (published / "report.html").as_uri()]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert res.returncode == 0 and shot.is_file(), res.stderr[-500:]
    import matplotlib.image

    pixels = matplotlib.image.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2400, 1280)
    ink = (pixels.min(axis=2) < 0.6).mean()  # share of pixels darker than light grey: text, bars, lines
    assert 0.01 < ink < 0.6, f"the screenshot looks blank or broken ({ink:.1%} dark pixels)"
    colours = np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 100, "a real page has text anti-aliasing and chart colours"
