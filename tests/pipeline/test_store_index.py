"""Publishing versions, the latest pointer and the index (no kernel involved)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from workbench.pipeline import store
from workbench.pipeline.index import collect, render_index


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [v for k, v in attrs if k in ("href", "src") and v]


def publish(
    root: Path,
    report: str,
    name: str,
    status: str,
    when: dt.datetime,
    key: str = "abcdef0123",
    results: dict | None = None,
) -> str:
    version = store.new_version_id(key, when)
    manifest = {
        "report": report,
        "name": name,
        "title": f"{report} title",
        "version": version,
        "status": status,
        "started_at": when.isoformat(),
        "duration_s": 1.5,
        "cache_key": key,
        "failure": None if status == "ok" else {"message": "ValueError: boom", "cell_index": 3},
    }
    st = store.Staging(root)
    st.write_text("report.html", "<html></html>")
    st.write_text("notebook.ipynb", "{}")
    st.write_json("results.json", results or {"roas": 3.25})
    st.write_json("manifest.json", manifest)
    _, version = st.publish(report, name, version)
    manifest["version"] = version
    with store.locked(root):
        store.update_latest(root, manifest)
    return version


T0 = dt.datetime(2025, 3, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def test_version_ids_sort_by_time():
    ids = [store.new_version_id("ffffff", T0 + dt.timedelta(milliseconds=ms)) for ms in (0, 5, 999, 1000, 86_400_000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert ids[0] == "20250301T120000000Z-ffffff"


def test_publish_is_one_rename_and_leaves_no_staging(tmp_path):
    v = publish(tmp_path, "r", "p", "ok", T0)
    folder = tmp_path / "r" / "p" / v
    assert sorted(p.name for p in folder.iterdir()) == sorted(store.VERSION_FILES)
    assert list((tmp_path / store.TMP).iterdir()) == []


def test_taken_version_id_gets_a_suffix(tmp_path):
    a = publish(tmp_path, "r", "p", "ok", T0)
    b = publish(tmp_path, "r", "p", "ok", T0)
    assert b == f"{a}-2" and (tmp_path / "r" / "p" / a / "manifest.json").is_file()


def test_latest_skips_failed_and_older_runs(tmp_path):
    good = publish(tmp_path, "r", "p", "ok", T0)
    publish(tmp_path, "r", "p", "failed", T0 + dt.timedelta(hours=1))
    assert store.read_latest(tmp_path, "r", "p")["version"] == good
    newer = publish(tmp_path, "r", "p", "ok", T0 + dt.timedelta(hours=2), key="bbbbbb")
    # an older good run published late (a slow concurrent build) must not move latest backwards
    publish(tmp_path, "r", "p", "ok", T0 + dt.timedelta(minutes=30), key="cccccc")
    assert store.read_latest(tmp_path, "r", "p")["version"] == newer
    page = (tmp_path / "r" / "p" / "latest" / "index.html").read_text()
    assert f"url=../{newer}/report.html" in page and f'href="../{newer}/report.html"' in page
    assert json.loads((tmp_path / "r" / "p" / "latest.json").read_text())["cache_key"] == "bbbbbb"


def test_latest_ignored_when_its_version_is_gone(tmp_path):
    v = publish(tmp_path, "r", "p", "ok", T0)
    (tmp_path / "r" / "p" / v / "manifest.json").unlink()
    assert store.read_latest(tmp_path, "r", "p") is None


def test_stale_staging_of_dead_process_is_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / store.TMP / f"{int(dead.stdout)}-abc"
    live = tmp_path / store.TMP / f"{os.getpid()}-def"
    stale.mkdir(parents=True)
    live.mkdir()
    store.clean_stale_staging(tmp_path)
    assert not stale.exists() and live.exists()


def test_write_text_atomic_replaces_whole_file(tmp_path):
    target = tmp_path / "x" / "index.html"
    store.write_text_atomic(target, "one")
    store.write_text_atomic(target, "two")
    assert target.read_text() == "two" and [p.name for p in target.parent.iterdir()] == ["index.html"]


def test_index_lists_reports_newest_first_with_all_runs(tmp_path):
    old_good = publish(tmp_path, "alpha", "default", "ok", T0, results={"roas": 3.25, "table": [1, 2]})
    failed = publish(tmp_path, "alpha", "default", "failed", T0 + dt.timedelta(days=2))
    beta = publish(tmp_path, "beta", "q1", "ok", T0 + dt.timedelta(days=1))
    (tmp_path / ".tmp" / "999999999-half").mkdir(parents=True)  # staging is never listed
    groups = collect(tmp_path)
    assert [(g["report"], g["name"]) for g in groups] == [("alpha", "default"), ("beta", "q1")]
    assert [r["version"] for r in groups[0]["runs"]] == [failed, old_good]
    assert groups[0]["latest"]["version"] == old_good
    page = render_index(tmp_path)
    parser = Links()
    parser.feed(page)
    assert f"alpha/default/{failed}/report.html" in parser.links
    assert f"alpha/default/{old_good}/report.html" in parser.links
    assert f"beta/q1/{beta}/report.html" in parser.links
    assert "alpha/default/latest/index.html" in parser.links
    assert "roas: <b>3.25</b>" in page and "ValueError: boom" in page
    # the newest run failed: said outside the collapsed list of runs, with a link to its error page
    summary = page.split("<details", 1)[0]
    assert "The last run failed" in summary and "in cell 3" in summary and "ValueError: boom" in summary
    assert f'href="alpha/default/{failed}/report.html"' in summary and old_good in summary
    assert page.count("The last run failed") == 1  # beta's newest run is fine
    assert page.index("alpha title") < page.index("beta title")
    for link in parser.links:
        assert (tmp_path / link).is_file(), link


def test_index_escapes_text_from_manifests(tmp_path):
    publish(tmp_path, "r", "p", "ok", T0, results={"brand": "<script>alert(1)</script>"})
    page = render_index(tmp_path)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_empty_index_is_valid(tmp_path):
    assert "No reports yet" in render_index(tmp_path)


def test_staging_of_a_live_run_survives_cleanup_and_a_dead_one_does_not(tmp_path):
    live = store.Staging(tmp_path)  # holds its lock
    code = (
        "import os, sys; from pathlib import Path; from workbench.pipeline import store; "
        "s = store.Staging(Path(sys.argv[1])); print(s.path); os._exit(0)"
    )  # dies without cleaning up
    dead = Path(
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    assert dead.is_dir()
    store.clean_stale_staging(tmp_path)
    assert live.path.is_dir() and not dead.exists()
    live.discard()
    assert list((tmp_path / store.TMP).iterdir()) == []


def test_index_prefers_the_notebooks_headline_record_and_hides_missing_values():
    from workbench.pipeline.index import _headline

    results = {"k": 5, "roas_detail": [1, 2], "headline": {"ROAS": 4.113, "Spend vs plan": "+8%", "Winner": None}}
    html = _headline(results)
    assert "ROAS" in html and "<b>4.11</b>" in html and "+8%" in html  # by magnitude (format.number)
    assert "Winner" not in html and "k:" not in html
    fallback = _headline({"k": 5, "experiment": None, "data_period": {"start": "x"}})
    assert "k: <b>5</b>" in fallback and "experiment" not in fallback and "data_period" not in fallback


def test_list_piped_into_a_reader_that_stops_early(tmp_path):
    """`workbench list | head -1`: the reader closes the pipe; the command exits quietly with 0."""
    base = tmp_path / "reports" / "alpha" / "default"
    for i in range(2000):  # ~120 KB of listing: more than a pipe buffer holds
        version = store.new_version_id(f"{i:06d}abcd", T0 + dt.timedelta(minutes=i))
        (base / version).mkdir(parents=True)
        (base / version / "manifest.json").write_text(
            json.dumps({"version": version, "status": "ok", "started_at": T0.isoformat(), "duration_s": 1.0})
        )
    env = {**os.environ, "WORKBENCH_ROOT": str(tmp_path), "WORKBENCH_REPORTS_DIR": str(tmp_path / "reports")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench.cli", "list"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout.readline().startswith(b"alpha/default")
    proc.stdout.close()  # what `head -1` does after its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and "Traceback" not in err, err
