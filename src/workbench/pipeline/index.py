"""reports/index.html: every report, newest first, with status, date, headline results and
links to the latest good version, to every version and to failed runs. Rebuilt from the
manifests on disk (so it is always consistent with them) and written atomically."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from workbench.config import index_language
from workbench.i18n.chrome import chrome, chrome_plural
from workbench.pipeline.render import esc, pipeline_css, report_language, short_value
from workbench.pipeline.store import iter_manifests, read_json, read_latest, write_text_atomic


def collect(root: Path) -> list[dict[str, Any]]:
    """Groups of runs per report/params name, each group's runs newest first, groups newest first."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for version_dir, manifest in iter_manifests(root):
        report, name = version_dir.parent.parent.name, version_dir.parent.name
        group = groups.setdefault((report, name), {"report": report, "name": name, "runs": []})
        group["runs"].append({**manifest, "version": version_dir.name, "dir": version_dir})
    for group in groups.values():
        group["runs"].sort(key=lambda m: m["version"], reverse=True)
        latest = read_latest(root, group["report"], group["name"])
        good = [r for r in group["runs"] if r.get("status") == "ok"]
        group["latest"] = next(
            (r for r in good if latest and r["version"] == latest.get("version")), good[0] if good else None
        )
    return sorted(groups.values(), key=lambda g: g["runs"][0]["version"], reverse=True)


def _display(value: Any) -> str | None:
    """How one headline value reads: its text, else the number by magnitude (in the current language);
    None when it has neither."""
    from workbench.report.format import number

    if isinstance(value, dict):
        if value.get("text"):
            return str(value["text"])
        value = value.get("value")
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value)
    return str(value)


def _delta(change: Any, words: dict[str, str]) -> str:
    """The small mark beside a headline number: its relative change and whether it is beyond variation."""
    from workbench.report.format import signed_pct

    if change is None or change.previous is None or change.current is None or change.delta == 0:
        return ""
    moved = signed_pct(change.relative) if change.relative is not None else f"{change.delta:+,.3g}"
    cls = "wbp-delta wbp-beyond" if change.beyond_variation else "wbp-delta"
    beyond = f", {words['index_beyond']}" if change.beyond_variation else ""
    return f' <span class="{cls}" title="{esc(change.text)}">{esc(moved)}{beyond}</span>'


def _headline(
    results: dict[str, Any],
    limit: int = 8,
    changes: list[Any] | None = None,
    language: str = "en",
    words: dict[str, str] | None = None,
) -> str:
    """The numbers a reader should see first: the notebook's `headline` record (label -> value)
    when it made one, else its scalar results; missing values are left out. Each number carries its
    change against the version it was compared with. Labels and values are the report's own, so
    numbers it did not format are formatted in the report's `language`."""
    from workbench import i18n

    words = words or chrome("en")
    chosen = results.get("headline")
    if not isinstance(chosen, dict):
        chosen = {k: v for k, v in results.items() if k != "data_period" and not isinstance(v, (dict, list))}
    by_name = {c.name: c for c in changes or []}
    items = []
    with i18n.language(language):
        for key, value in chosen.items():
            text = _display(value)
            if text is None:
                continue
            mark = _delta(by_name.get(str(key)), words)
            items.append(f"<span>{esc(key)}: <b>{esc(short_value(text, 60))}</b>{mark}</span>")
            if len(items) >= limit:
                break
    return f'<div class="wbp-results">{"".join(items)}</div>' if items else ""


def _changes(latest: dict[str, Any] | None) -> list[Any]:
    if not latest:
        return []
    from workbench.pipeline.compare import what_changed

    try:
        return what_changed(latest["dir"].parent, latest["version"])
    except Exception:  # a broken older version must never break the index
        return []


def _when(run: dict[str, Any]) -> str:
    return str(run.get("started_at", ""))[:16].replace("T", " ")


def _status(status: str, w: dict[str, str]) -> str:
    ok = status == "ok"
    word = w["status_ok"] if ok else w["status_failed"] if status == "failed" else status
    return f'<span class="wbp-status wbp-status-{"ok" if ok else "failed"}">{esc(word)}</span>'


def _last_failure(g: dict[str, Any], base: str, w: dict[str, str]) -> str:
    """The newest run failed: said outside the collapsed list of runs, with a link to its error page."""
    newest, latest = g["runs"][0], g["latest"]
    f = newest.get("failure") or {}
    cell = f.get("cell_index")
    failed = w["index_last_failed_in_cell"].format(index=cell) if cell is not None else w["index_last_failed"]
    kept = w["index_kept_latest"].format(version=latest["version"]) if latest else w["index_no_good_run"]
    page = w["index_error_page"].format(version=newest["version"])
    return (
        f'<div class="wbp-error wbp-small"><b>{esc(failed)}</b> '
        f"<code>{esc(short_value(f.get('message', ''), 200))}</code> — "
        f'<a href="{base}/{esc(newest["version"])}/report.html">{esc(page)}</a>; {esc(kept)}.</div>'
    )


def _runs_table(g: dict[str, Any], base: str, w: dict[str, str], delivered: dict[Any, str]) -> str:
    rows = []
    for run in g["runs"]:
        note = ""
        if run.get("status") != "ok" and run.get("failure"):
            f = run["failure"]
            where = (
                w["failed_in_cell"].format(index=f.get("cell_index")) + ": " if f.get("cell_index") is not None else ""
            )
            note = esc(where + str(f.get("message", "")))
        seconds = w["seconds"].format(seconds=_seconds(run.get("duration_s", 0)))
        rows.append(
            f'<tr><td><a href="{base}/{esc(run["version"])}/report.html">{esc(run["version"])}</a></td>'
            f"<td>{_status(run.get('status', '?'), w)}</td>"
            f'<td>{esc(_when(run))}</td><td class="wbp-num">{esc(seconds)}</td>'
            f"<td>{note}</td><td>{esc(delivered.get((g['report'], g['name'], run['version']), ''))}</td></tr>"
        )
    heads = "".join(f"<th>{esc(w['index_col_' + k])}</th>" for k in COLUMNS)
    return f'<table class="wbp-table"><tr>{heads}</tr>{"".join(rows)}</table>'


COLUMNS = ("version", "status", "date", "duration", "error", "delivered")


def _seconds(value: Any) -> str:
    """Seconds with one decimal, in the current language (12.5 / 12,5)."""
    from workbench.report.format import localize

    return localize(f"{float(value or 0):.1f}")


def render_index(root: Path, language: str | None = None) -> str:
    """The index page, its chrome in `index_language(language)`."""
    from workbench import i18n

    lang = index_language(language)
    with i18n.language(lang):  # numbers of the chrome (durations) in the index's language
        return _page(root, lang, chrome(lang))


def _page(root: Path, lang: str, w: dict[str, str]) -> str:
    from workbench.delivery.log import run_summaries  # delivery column (issue 18)

    groups = collect(root)
    delivered = run_summaries(root)
    sections = []
    for g in groups:
        base = f"{esc(g['report'])}/{esc(g['name'])}"
        newest, latest = g["runs"][0], g["latest"]
        shown = latest or newest
        title = shown.get("title") or g["report"]
        status = newest.get("status", "?")
        head = f'<a href="{base}/latest/index.html">{esc(title)}</a>' if latest else esc(title)
        results = (read_json(latest["dir"] / "results.json") or {}) if latest else {}
        failed = sum(1 for r in g["runs"] if r.get("status") != "ok")
        if latest:
            latest_note = esc(w["latest_good_version"].format(version=latest["version"]))
        else:
            latest_note = esc(w["no_successful_run"])
        if latest and (g["report"], g["name"], latest["version"]) in delivered:
            latest_note += f"; {esc(delivered[(g['report'], g['name'], latest['version'])])}"
        last_failure = _last_failure(g, base, w) if status != "ok" else ""
        report_lang = report_language(shown.get("params", {}).get("values"))
        headline = _headline(results, changes=_changes(latest), language=report_lang, words=w)
        meta = "".join(
            f"<span>{_bold(w[key], name=value)}</span>"
            for key, value in (("index_report", g["report"]), ("index_params", g["name"]))
        )
        runs = w["index_all_runs"].format(runs=len(g["runs"]), failed=failed)
        sections.append(
            f'<section class="wbp-report" id="{base}"><h2>{head} {_status(status, w)}</h2>'
            f'<div class="wbp-meta">{meta}<span>{_bold(w["index_last_run"], when=_when(newest))}'
            f"</span><span>{latest_note}</span></div>{last_failure}{headline}"
            f'<details class="wbp-params"><summary>{esc(runs)}</summary>'
            f"{_runs_table(g, base, w, delivered)}</details></section>"
        )
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    empty = w["index_empty"].format(command="<code>make reports</code>")
    body = "".join(sections) or f"<p>{empty}</p>"
    title = esc(w["index_title"])
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>{title}</title><style>{pipeline_css()}</style></head>"
        f'<body><main><header class="wbp-header"><h1>{title}</h1>'
        f'<div class="wbp-meta"><span>{esc(chrome_plural(lang, "reports", len(groups)))}</span>'
        f"<span>{_bold(w['index_updated'], when=now)}</span></div>"
        f"</header>{body}</main></body></html>\n"
    )


def _bold(message: str, **values: str) -> str:
    """A chrome message with its one placeholder's value in bold (HTML-escaped around it)."""
    ((key, value),) = values.items()
    before, _, after = message.partition("{" + key + "}")
    return f"{esc(before)}<b>{esc(value)}</b>{esc(after)}"


def write_index(root: Path, language: str | None = None) -> Path:
    """Rebuild the index (call under the reports lock); its chrome in `index_language(language)`."""
    path = root / "index.html"
    write_text_atomic(path, render_index(root, language))
    return path
