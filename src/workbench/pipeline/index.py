"""reports/index.html: every report, newest first, with status, date, headline results and
links to the latest good version, to every version and to failed runs. Rebuilt from the
manifests on disk (so it is always consistent with them) and written atomically."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from workbench.pipeline.render import esc, pipeline_css, short_value
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
    """How one headline value reads: its text, else the number by magnitude; None when it has neither."""
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


def _delta(change: Any) -> str:
    """The small mark beside a headline number: its relative change and whether it is beyond variation."""
    from workbench.report.format import signed_pct

    if change is None or change.previous is None or change.current is None or change.delta == 0:
        return ""
    moved = signed_pct(change.relative) if change.relative is not None else f"{change.delta:+,.3g}"
    cls = "wbp-delta wbp-beyond" if change.beyond_variation else "wbp-delta"
    beyond = ", beyond normal variation" if change.beyond_variation else ""
    return f' <span class="{cls}" title="{esc(change.text)}">{esc(moved)}{beyond}</span>'


def _headline(results: dict[str, Any], limit: int = 8, changes: list[Any] | None = None) -> str:
    """The numbers a reader should see first: the notebook's `headline` record (label -> value)
    when it made one, else its scalar results; missing values are left out. Each number carries its
    change against the version it was compared with."""
    chosen = results.get("headline")
    if not isinstance(chosen, dict):
        chosen = {k: v for k, v in results.items() if k != "data_period" and not isinstance(v, (dict, list))}
    by_name = {c.name: c for c in changes or []}
    items = []
    for key, value in chosen.items():
        text = _display(value)
        if text is None:
            continue
        items.append(f"<span>{esc(key)}: <b>{esc(short_value(text, 60))}</b>{_delta(by_name.get(str(key)))}</span>")
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


def render_index(root: Path) -> str:
    groups = collect(root)
    from workbench.delivery.log import run_summaries  # delivery column (issue 18)

    delivered = run_summaries(root)
    sections = []
    for g in groups:
        base = f"{esc(g['report'])}/{esc(g['name'])}"
        newest, latest = g["runs"][0], g["latest"]
        title = (latest or newest).get("title") or g["report"]
        status = newest.get("status", "?")
        badge = f'<span class="wbp-status wbp-status-{"ok" if status == "ok" else "failed"}">{esc(status)}</span>'
        head = f'<a href="{base}/latest/index.html">{esc(title)}</a>' if latest else esc(title)
        results = (read_json(latest["dir"] / "results.json") or {}) if latest else {}
        rows = []
        for run in g["runs"]:
            st = run.get("status", "?")
            note = ""
            if st != "ok" and run.get("failure"):
                f = run["failure"]
                where = f"cell {f.get('cell_index')}: " if f.get("cell_index") is not None else ""
                note = esc(where + str(f.get("message", "")))
            rows.append(
                f'<tr><td><a href="{base}/{esc(run["version"])}/report.html">{esc(run["version"])}</a></td>'
                f'<td><span class="wbp-status wbp-status-{"ok" if st == "ok" else "failed"}">{esc(st)}</span></td>'
                f'<td>{esc(_when(run))}</td><td class="wbp-num">{run.get("duration_s", 0):.1f} s</td>'
                f"<td>{note}</td><td>{esc(delivered.get((g['report'], g['name'], run['version']), ''))}</td></tr>"
            )
        failed = sum(1 for r in g["runs"] if r.get("status") != "ok")
        latest_note = f"latest good version {esc(latest['version'])}" if latest else "no successful run yet"
        if latest and (g["report"], g["name"], latest["version"]) in delivered:
            latest_note += f"; {esc(delivered[(g['report'], g['name'], latest['version'])])}"
        last_failure = ""
        if status != "ok":  # the newest run failed: say so without making the reader open "All runs"
            f = newest.get("failure") or {}
            where = f"in cell {f.get('cell_index')}: " if f.get("cell_index") is not None else ": "
            kept = (
                f"the results below are from the latest good version {esc(latest['version'])}"
                if latest
                else "there is no successful run yet"
            )
            last_failure = (
                f'<div class="wbp-error wbp-small"><b>The last run failed</b> {esc(where)}'
                f"<code>{esc(short_value(f.get('message', ''), 200))}</code> — "
                f'<a href="{base}/{esc(newest["version"])}/report.html">error page of '
                f"{esc(newest['version'])}</a>; {kept}.</div>"
            )
        sections.append(
            f'<section class="wbp-report" id="{base}"><h2>{head} {badge}</h2>'
            f'<div class="wbp-meta"><span>report <b>{esc(g["report"])}</b></span>'
            f"<span>params <b>{esc(g['name'])}</b></span><span>last run <b>{esc(_when(newest))} UTC</b></span>"
            f"<span>{latest_note}</span></div>{last_failure}{_headline(results, changes=_changes(latest))}"
            f'<details class="wbp-params"><summary>All runs ({len(g["runs"])}, {failed} failed)</summary>'
            f'<table class="wbp-table"><tr><th>version</th><th>status</th><th>date (UTC)</th><th>duration</th>'
            f"<th>error</th><th>delivered</th></tr>{''.join(rows)}</table></details></section>"
        )
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = "".join(sections) or "<p>No reports yet: run <code>make reports</code>.</p>"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>Marketing Workbench reports</title><style>{pipeline_css()}</style></head>"
        f'<body><main><header class="wbp-header"><h1>Marketing Workbench reports</h1>'
        f'<div class="wbp-meta"><span>{len(groups)} reports</span><span>updated <b>{now}</b></span></div>'
        f"</header>{body}</main></body></html>\n"
    )


def write_index(root: Path) -> Path:
    """Rebuild the index (call under the reports lock)."""
    path = root / "index.html"
    write_text_atomic(path, render_index(root))
    return path
