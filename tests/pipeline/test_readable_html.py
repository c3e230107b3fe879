"""The rendered page: collapsed parameters, a table of contents, sortable tables, the "what changed"
section, the PDF printed from the same HTML, and the Quarto renderer's clear error. The page is
rendered from a small executed notebook built here (no kernel), so these tests stay fast."""

from __future__ import annotations

import re
import shutil

import pytest

from workbench.errors import WorkbenchError
from workbench.pipeline import pdf, render
from workbench.pipeline.compare import compare_results
from workbench.report import headline_number, table

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")


def _manifest() -> dict:
    return {
        "report": "demo",
        "name": "default",
        "title": "Demo report",
        "version": "20250101T000000000Z-abcdef",
        "status": "ok",
        "started_at": "2025-01-01T00:00:00Z",
        "duration_s": 1.0,
        "cache_key": "0" * 64,
        "notebook": {"path": "notebooks/demo.ipynb", "sha256": "1" * 64},
        "params": {"path": "params/demo/default.yaml", "sha256": "2" * 64, "values": {"recency_days": 30}},
        "workbench": {"version": "0.1.0", "git_commit": None},
        "libraries": {"pandas": "2.2"},
        "inputs": [],
    }


@pytest.fixture(scope="module")
def page() -> str:
    import nbformat
    import pandas as pd

    frame = pd.DataFrame(
        {"segment_name": ["b", "c", "a"], "share_customers": [0.2, 0.5, 0.3], "p_value": [0.2, 0, 0.01]}
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"## Section {s}\n\nText {s}.") for s in ("A", "B", "C")]
    cell = nbformat.v4.new_code_cell("table(frame)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": str(table(frame))})]
    nb.cells.append(cell)
    before = {"headline": {"CR": headline_number(0.0241, "2.41%", successes=420, trials=17435)}}
    after = {"headline": {"CR": headline_number(0.0294, "2.94%", successes=530, trials=18002)}}
    prefix = render.changes_html(compare_results(before, after), "20241201T000000000Z-000000")
    return render.render_report(nb, _manifest(), {}, prefix_html=prefix)


def test_parameters_collapsed_toc_and_changes_first(page):
    assert '<details class="wbp-params">' in page and '<details class="wbp-params" open' not in page
    toc = re.search(r'<nav class="wbp-toc".*?</nav>', page, re.S)
    assert toc, "no table of contents"
    anchors = re.findall(r'href="#([^"]+)"', toc.group(0))
    assert len(anchors) >= 4 and all(f'id="{a}"' in page for a in anchors)
    changes = page.index('id="what-changed"')
    assert page.index('class="wbp-header"') < changes < page.index('id="Section-A"')
    assert "beyond normal variation (two-proportion z-test" in page
    assert "<th>Share customers</th>" in page and "&lt; 0.001" in page


def test_toc_is_left_out_of_short_pages():
    assert render.toc_html('<h2 id="a">A</h2>') == ""


def test_first_version_says_there_is_nothing_to_compare():
    assert "nothing to compare with yet" in render.changes_html([], None)


def test_pdf_without_chromium_is_skipped_with_a_reason(tmp_path, monkeypatch):
    monkeypatch.setenv(pdf.BROWSER_ENV, str(tmp_path / "no-such-chromium"))
    result = pdf.print_pdf(tmp_path / "x.html", tmp_path / "x.pdf")
    assert result.status is pdf.PdfStatus.SKIPPED and "install Debian's `chromium`" in result.reason
    assert result.to_dict()["status"] == "skipped" and not (tmp_path / "x.pdf").exists()


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM, reason="headless Chromium is not installed (Debian package chromium)")
def test_pdf_is_a4_with_page_numbers(page, tmp_path, monkeypatch):
    monkeypatch.delenv(pdf.BROWSER_ENV, raising=False)
    html = tmp_path / "report.html"
    html.write_text(page, encoding="utf-8")
    result = pdf.print_pdf(html, tmp_path / "report.pdf")
    assert result.status is pdf.PdfStatus.WRITTEN, result.reason
    data = (tmp_path / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box and abs(float(box.group(1)) - 595.3) < 2 and abs(float(box.group(2)) - 841.9) < 2  # A4 in points


def test_quarto_missing_names_what_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(WorkbenchError, match="install Quarto from https://quarto.org"):
        render.quarto_binary()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("quarto") is None, reason="Quarto is not installed (cannot be installed here)")
def test_quarto_renders_a_self_contained_page(page):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## Hello\n\ntext")]
    html = render.render_report(nb, _manifest(), {}, renderer="quarto")
    assert "Demo report" in html and "Hello" in html and "Provenance" in html


@pytest.fixture
def browser():
    if not CHROMIUM or not DRIVER:
        pytest.skip("headless Chromium is not installed (Debian packages chromium and chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (test extra) is not installed")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(options=opts, service=Service(DRIVER))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.slow
def test_tables_sort_by_a_click_and_the_toc_leads_to_its_sections(page, browser, tmp_path):
    html = tmp_path / "report.html"
    html.write_text(page, encoding="utf-8")
    browser.get(html.as_uri())

    def column(i: int) -> list[str]:
        rows = browser.find_elements("css selector", "table.wb-table tbody tr")
        return [r.find_elements("css selector", "td")[i].text for r in rows]

    headers = browser.find_elements("css selector", "table.wb-table thead th")
    assert [h.text.strip(" ▲▼") for h in headers] == ["Segment name", "Share customers", "p-value"]
    headers[1].click()
    assert column(1) == ["0.2", "0.3", "0.5"]
    headers[1].click()
    assert column(1) == ["0.5", "0.3", "0.2"]
    headers[0].click()
    assert column(0) == ["a", "b", "c"]
    links = browser.find_elements("css selector", "nav.wbp-toc a")
    assert [a.text for a in links][:2] == ["What changed since version 20241201T000000000Z-000000", "Section A"]
    links[2].click()
    assert browser.current_url.endswith("#Section-B")
    assert browser.execute_script("return document.getElementById('Section-B').getBoundingClientRect().top") < 50
