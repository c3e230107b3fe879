"""Render an executed notebook into one self-contained HTML page.

The renderer is one replaceable step: `RENDERERS` maps a name to a class with
``render(nb, context, show_code) -> str``; nbconvert is the default (a Quarto renderer can be
registered where its binary exists). The nbconvert exporter is created once per process and
kept warm. The template (templates/workbench) drops every script nbconvert would fetch from a
CDN, embeds the styles, and adds our header (title, parameters, data period, version, date)
and provenance footer. Outputs carrying recorded results are removed from the page.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def short_value(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        text = '""' if value == "" else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pipeline_css() -> str:
    from workbench.report import css

    return (TEMPLATES_DIR / "pipeline.css").read_text(encoding="utf-8") + "\n" + css()


def notebook_title(nb: Any, values: dict[str, Any], fallback: str) -> str:
    """The `title` parameter, else the notebook's first markdown heading, else `fallback`."""
    title = values.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            src = cell.get("source", "")
            src = "".join(src) if isinstance(src, list) else src
            for line in src.splitlines():
                if line.lstrip().startswith("#"):
                    return line.lstrip("# ").strip()
    return fallback


def report_language(values: dict[str, Any] | None) -> str:
    """The language a report page speaks: its `language` parameter when it is one we have, else English."""
    lang = (values or {}).get("language")
    return lang if lang in ("en", "ru") else "en"


def _words(manifest: dict[str, Any]) -> dict[str, str]:
    """The page's own words (header, footer, error, what changed) in the report's language."""
    from workbench.i18n import chrome

    return chrome(report_language(manifest.get("params", {}).get("values")))


def _period(results: dict[str, Any], words: dict[str, str] | None = None) -> str:
    period = results.get("data_period")
    if isinstance(period, dict) and (period.get("start") or period.get("end")):
        start, end = str(period.get("start") or "…")[:10], str(period.get("end") or "…")[:10]
        label = str(period.get("label") or "").strip()
        if start == end:  # one snapshot, not a period
            return (words or {}).get("as_of", "{label} as of {date}").format(label=label, date=start).strip()
        return f"{start} – {end}" + (f" ({label})" if label else "")
    return ""


def header_html(manifest: dict[str, Any], results: dict[str, Any]) -> str:
    """Title, key facts and a compact table of every parameter value."""
    status = manifest.get("status", "ok")
    w = _words(manifest)
    facts = [(w["report"], f"{manifest['report']} / {manifest['name']}")]
    period = _period(results, w)
    if period:
        facts.append((w["data_period"], period))
    facts += [
        (w["version"], manifest["version"]),
        (w["generated"], manifest["started_at"][:16].replace("T", " ") + " UTC"),
    ]
    meta = "".join(f"<span>{esc(k)}: <b>{esc(v)}</b></span>" for k, v in facts)
    badge = f'<span class="wbp-status wbp-status-{"ok" if status == "ok" else "failed"}">{esc(status)}</span>'
    rows = "".join(
        f"<tr><th>{esc(k)}</th><td><code>{esc(short_value(v))}</code></td></tr>"
        for k, v in manifest.get("params", {}).get("values", {}).items()
    )
    summary = w["parameters_count"].format(count=len(manifest.get("params", {}).get("values", {})))
    params = (
        (
            f'<details class="wbp-params"><summary>{esc(summary)}</summary>'
            f'<table class="wbp-table">{rows}</table></details>'
        )
        if rows
        else ""
    )
    return (
        f'<header class="wbp-header"><h1>{esc(manifest["title"])} {badge if status != "ok" else ""}</h1>'
        f'<div class="wbp-meta">{meta}</div>{params}</header>'
    )


def footer_html(manifest: dict[str, Any]) -> str:
    """Provenance: notebook and params hashes, code and library versions, inputs, duration."""
    libs = ", ".join(f"{k} {v}" for k, v in manifest.get("libraries", {}).items())
    w = _words(manifest)
    rows = [
        (w["notebook"], f"{manifest['notebook']['path']} (sha256 {manifest['notebook']['sha256'][:12]})"),
        (w["params"], f"{manifest['params']['path']} (sha256 {manifest['params']['sha256'][:12]})"),
        (w["workbench"], f"{manifest['workbench']['version']}, git {manifest['workbench'].get('git_commit') or 'n/a'}"),
        (w["libraries"], libs),
        (
            w["inputs"],
            "; ".join(f"{i['path']} ({i['size']:,} B, {i['sha256'][:10]})" for i in manifest.get("inputs", []))
            or "none",
        ),
        (
            w["run"],
            f"started {manifest['started_at']}, {manifest.get('duration_s', 0):.1f} s, cache key "
            f"{manifest['cache_key'][:12]}",
        ),
    ]
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<footer class="wbp-footer"><b>{esc(w["provenance"])}</b><table class="wbp-table">{body}</table></footer>'


def error_html(failure: dict[str, Any], params_path: str, language: str = "en") -> str:
    """The error box of a failed run, in the report's language (the traceback stays as Python wrote it)."""
    from workbench.i18n import chrome

    w = chrome(language)
    where = (
        esc(w["failed_in_cell"].format(index=failure["cell_index"])) + f" (<code>{esc(failure['cell_line'])}</code>)"
        if failure.get("cell_index") is not None
        else esc(w["kernel_startup"])
    )
    tb = f"<pre>{esc(failure['traceback'])}</pre>" if failure.get("traceback") else ""
    sentence = esc(w["run_failed"]).replace("{where}", where).replace("{params}", esc(params_path))
    return (
        f'<div class="wbp-error"><b>{sentence}</b>'
        f"<br><code>{esc(failure['message'])}</code>{tb}"
        f'<p class="wbp-small">{esc(w["partial_notebook"])}</p></div>'
    )


def changes_html(changes: Sequence[Any], baseline: str | None, language: str = "en") -> str:
    """The section every report opens with: each headline number against the baseline version."""
    from workbench.i18n import chrome

    w = chrome(language)
    if baseline is None:
        body = f"<p>{esc(w['first_version'])}</p>"
    elif not changes:
        body = f"<p>{esc(w['nothing_to_compare'].format(version=baseline))}</p>"
    else:
        items = []
        for c in changes:
            cls = {True: "wbp-beyond", False: "wbp-within"}.get(c.beyond_variation, "wbp-unknown")
            items.append(f'<li class="{cls}">{esc(c.text)}</li>')
        beyond = sum(1 for c in changes if c.beyond_variation)
        summary = (
            w["beyond_summary"].format(beyond=beyond, total=len(changes))
            if any(c.beyond_variation is not None for c in changes)
            else ""
        )
        body = f"<ul>{''.join(items)}</ul>" + (f'<p class="wbp-small">{esc(summary)}</p>' if summary else "")
    if language == "en":
        title = f"What changed since version {baseline}" if baseline else "What changed since the previous version"
    else:
        title = w["what_changed"] + (f" ({baseline})" if baseline else "")
    return f'<section class="wbp-changes"><h2 id="what-changed">{esc(title)}</h2>{body}</section>'


_HEADING = re.compile(r'<h([23])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
TOC_MARK = "<!--wbp-toc-->"


def toc_html(body: str, min_items: int = 3, language: str = "en") -> str:
    """A table of contents from the page's level-2 and level-3 headings (their ids are the anchors)."""
    items = []
    for level, anchor, inner in _HEADING.findall(body):
        text = html.unescape(_TAG.sub("", inner)).replace("¶", "").strip()
        if text:
            items.append(f'<li class="wbp-toc-{level}"><a href="#{anchor}">{esc(text)}</a></li>')
    if len(items) < min_items:
        return ""
    from workbench.i18n import chrome

    contents = esc(chrome(language)["contents"])
    return f'<nav class="wbp-toc" aria-label="{contents}"><b>{contents}</b><ol>{"".join(items)}</ol></nav>'


def with_toc(body: str, language: str = "en") -> str:
    return body.replace(TOC_MARK, toc_html(body, language=language), 1)


#: Click a column header to sort a table by it (numbers by value, text alphabetically); click again
#: to reverse. Inline, no network; tables stay readable with scripts off.
SORT_SCRIPT = r"""<script>
(function () {
  function key(td) {
    var t = (td ? td.textContent : "").trim();
    var n = parseFloat(t.replace(/[,\u00a0 %]/g, "").replace(/^[^0-9+\u2212.-]+/, "").replace("\u2212", "-"));
    return isNaN(n) ? t.toLowerCase() : n;
  }
  document.querySelectorAll("table.wb-table, table.dataframe").forEach(function (table) {
    var head = table.tHead ? table.tHead.rows[0] : null, body = table.tBodies[0];
    if (!head || !body) return;
    Array.prototype.forEach.call(head.cells, function (th, col) {
      th.classList.add("wbp-sortable"); th.title = "Sort by this column";
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(head.cells, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
</script>"""


def strip_results(nb: Any) -> Any:
    """A copy of the notebook without the outputs that only carry recorded results."""
    from workbench.report import RESULTS_MIMETYPE

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if RESULTS_MIMETYPE not in (o.get("data") or {})]
    return nb


class NbconvertRenderer:
    """nbconvert's HTMLExporter with the workbench template; one warm exporter per flag value."""

    def __init__(self) -> None:
        self._exporters: dict[bool, Any] = {}

    def _exporter(self, show_code: bool) -> Any:
        if show_code not in self._exporters:
            from nbconvert import HTMLExporter

            self._exporters[show_code] = HTMLExporter(
                template_name="workbench",
                extra_template_basedirs=[str(TEMPLATES_DIR)],
                exclude_input=not show_code,
                exclude_input_prompt=True,
                exclude_output_prompt=True,
                embed_images=True,
            )
        return self._exporters[show_code]

    def render(
        self, nb: Any, manifest: dict[str, Any], results: dict[str, Any], show_code: bool, prefix_html: str = ""
    ) -> str:
        nb = strip_results(nb)
        nb.metadata["title"] = manifest["title"]
        resources = {
            "metadata": {"name": manifest["title"], "path": manifest.get("cwd", ".")},
            "wb": {
                "css": pipeline_css(),
                "header": header_html(manifest, results) + TOC_MARK + prefix_html,
                "footer": footer_html(manifest) + SORT_SCRIPT,
            },
        }
        body, _ = self._exporter(show_code).from_notebook_node(nb, resources=resources)
        language = report_language(manifest.get("params", {}).get("values"))
        body = re.sub(r'<html lang="[^"]*"', f'<html lang="{language}"', body, count=1)
        return with_toc(body, language)


QUARTO_MISSING = (
    "the quarto renderer needs the `quarto` command on PATH: install Quarto from "
    "https://quarto.org/docs/get-started/ (or render with --renderer nbconvert, the default)"
)


def quarto_binary() -> str:
    """The `quarto` command, or a WorkbenchError that names what to install."""
    import shutil

    from workbench.errors import WorkbenchError

    found = shutil.which("quarto")
    if not found:
        raise WorkbenchError(QUARTO_MISSING)
    return found


class QuartoRenderer:
    """`quarto render --embed-resources` of the executed notebook (nothing re-executed), in a folder of
    its own per render so parallel versions never share figure folders; our header, the "what changed"
    section and the provenance footer are added around Quarto's body."""

    def render(
        self, nb: Any, manifest: dict[str, Any], results: dict[str, Any], show_code: bool, prefix_html: str = ""
    ) -> str:
        import subprocess
        import tempfile

        import nbformat

        binary = quarto_binary()
        nb = strip_results(nb)
        with tempfile.TemporaryDirectory(prefix="wb-quarto-") as tmp:
            source = Path(tmp) / "report.ipynb"
            nbformat.write(nb, source)
            cmd = [binary, "render", str(source), "--to", "html", "--no-execute", "-M", "embed-resources:true"]
            cmd += ["-M", f"echo:{'true' if show_code else 'false'}", "-M", f"title:{manifest['title']}"]
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, timeout=600)
            out = Path(tmp) / "report.html"
            if proc.returncode != 0 or not out.is_file():
                tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-3:]
                raise RuntimeError(f"quarto render failed ({proc.returncode}): {' '.join(tail)}")
            page = out.read_text(encoding="utf-8")
        extra = f"<style>{pipeline_css()}</style>"
        top = header_html(manifest, results) + prefix_html
        page = page.replace("</head>", extra + "</head>", 1)
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + top, page, count=1)
        return page.replace("</body>", footer_html(manifest) + SORT_SCRIPT + "</body>", 1)


RENDERERS: dict[str, type] = {"nbconvert": NbconvertRenderer, "quarto": QuartoRenderer}
_instances: dict[str, Any] = {}


def get_renderer(name: str = "nbconvert") -> Any:
    if name not in RENDERERS:
        raise ValueError(f"renderer must be one of {sorted(RENDERERS)}; got {name!r}")
    if name not in _instances:
        _instances[name] = RENDERERS[name]()
    return _instances[name]


def render_report(
    nb: Any,
    manifest: dict[str, Any],
    results: dict[str, Any],
    show_code: bool = False,
    renderer: str = "nbconvert",
    prefix_html: str = "",
) -> str:
    """The page of a good run; `prefix_html` (the "what changed" section) opens the report."""
    return get_renderer(renderer).render(nb, manifest, results, show_code, prefix_html=prefix_html)


def render_error_page(nb: Any, manifest: dict[str, Any], results: dict[str, Any], renderer: str = "nbconvert") -> str:
    """The page of a failed run: the error, then the partial notebook with code shown."""
    failure = manifest.get("failure") or {}
    language = report_language(manifest.get("params", {}).get("values"))
    banner = error_html(failure, manifest["params"]["path"], language)
    try:
        return get_renderer(renderer).render(nb, manifest, results, True, prefix_html=banner)
    except Exception as exc:  # rendering the partial notebook must never hide the error itself
        return (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{esc(manifest['title'])} (failed)</title>"
            f"<style>{pipeline_css()}</style></head><body><main>{header_html(manifest, results)}{banner}"
            f"<p>(The partial notebook could not be rendered: {esc(exc)})</p>{footer_html(manifest)}"
            f"</main></body></html>"
        )
