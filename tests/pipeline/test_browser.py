"""The published index and a report open in headless Chromium with no console errors and no
network requests (everything is embedded). Skips with a reason where Chromium is absent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser():
    if not CHROMIUM or not DRIVER:
        pytest.skip(
            "headless Chromium is not installed (Debian packages chromium and chromium-driver; .ci/run installs them)"
        )
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (test extra) is not installed")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(DRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver, path: Path, shot: Path) -> tuple[list[str], list[str]]:
    """Load a file, save a screenshot; return (requested URLs, console errors)."""
    driver.get_log("performance")  # drop what earlier pages logged
    driver.get(path.as_uri())
    driver.execute_script("return document.readyState")
    driver.save_screenshot(str(shot))
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    errors = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    return urls, errors


def test_index_and_report_render_offline(wb_project, cli, browser, tmp_path):
    res = cli("build", "--jobs", "2")
    assert res.returncode == 0, res.stderr
    reports = wb_project / "reports"
    chart = next(p for p in (reports / "chart" / "default").iterdir() if p.name != "latest")
    pages = {
        "index": reports / "index.html",
        "chart": chart / "report.html",
        "latest": reports / "tiny" / "default" / "latest" / "index.html",
    }
    for name, page in pages.items():
        shot = tmp_path / f"{name}.png"
        urls, errors = open_page(browser, page, shot)
        assert urls, f"{name}: the browser logged no request at all (logging broken?)"
        remote = [u for u in urls if urlparse(u).scheme not in ("file", "data", "about")]
        assert remote == [], f"{name} requested network resources: {remote}"
        assert errors == [], f"{name} console errors: {errors}"
        assert shot.stat().st_size > 5_000, f"{name}: screenshot looks empty"
    # the latest pointer redirected to the tiny report itself
    assert browser.current_url.endswith("/report.html") and "Tiny report" in browser.title
    assert browser.find_element("css selector", ".wb-kpi-value").text == "13.00"
