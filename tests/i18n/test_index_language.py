"""reports/index.html speaks the language set for it (--index-language, $WORKBENCH_INDEX_LANGUAGE),
while each entry keeps its report's own title and headline, in the language that report was run in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.pipeline import store
from workbench.pipeline.index import render_index

T0 = dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.timezone.utc)


def publish(root: Path, report: str, status: str, when: dt.datetime, language: str, title: str, results: dict) -> str:
    version = store.new_version_id("abcdef0123", when)
    manifest = {
        "report": report,
        "name": "sample",
        "title": title,
        "version": version,
        "status": status,
        "started_at": when.isoformat(),
        "duration_s": 12.25,
        "params": {"values": {"language": language}},
        "failure": None if status == "ok" else {"message": "ValueError: boom", "cell_index": 3},
    }
    st = store.Staging(root)
    st.write_text("report.html", "<html></html>")
    st.write_json("results.json", results)
    st.write_json("manifest.json", manifest)
    _, version = st.publish(report, "sample", version)
    with store.locked(root):
        store.update_latest(root, manifest | {"version": version})
    return version


@pytest.fixture
def reports(tmp_path, monkeypatch):
    """One Russian report (a good run, then a failed one) and one English report."""
    monkeypatch.delenv("WORKBENCH_INDEX_LANGUAGE", raising=False)
    ru_results = {"headline": {"Выручка": {"text": "48,7 млн ₽"}, "Заказы": 1234.5}}
    publish(tmp_path, "plan", "ok", T0, "ru", "Маркетинговый план", ru_results)
    publish(tmp_path, "plan", "failed", T0 + dt.timedelta(hours=1), "ru", "Маркетинговый план", {})
    publish(
        tmp_path, "trends", "ok", T0 - dt.timedelta(days=1), "en", "Content trends", {"headline": {"Posts": 1234.5}}
    )
    return tmp_path


def test_russian_index_has_russian_chrome_and_each_report_its_own_words(reports):
    page = render_index(reports, "ru")
    assert '<html lang="ru">' in page and "<h1>Отчёты Marketing Workbench</h1>" in page
    assert "2 отчёта" in page and "обновлено" in page
    assert "Все запуски (2, с ошибкой: 1)" in page and "Все запуски (1, с ошибкой: 0)" in page
    assert "<b>Последний запуск завершился ошибкой в ячейке 3:</b>" in page
    assert "результаты ниже — из последней успешной версии" in page and "ячейка 3: ValueError: boom" in page
    assert "<th>версия</th><th>статус</th><th>дата (UTC)</th>" in page and "12,2 с" in page
    # entries: the Russian report's title and headline in Russian, the English report's in English
    assert "Маркетинговый план" in page and "Выручка: <b>48,7 млн ₽</b>" in page
    assert "Заказы: <b>1\xa0234</b>" in page  # a number the report left unformatted: its own locale
    assert "Content trends" in page and "Posts: <b>1,234</b>" in page
    for english in ("All runs", "The last run failed", "latest good version", "reports</h1>", "duration"):
        assert english not in page


def test_index_is_english_by_default_and_unchanged(reports):
    page = render_index(reports)
    assert '<html lang="en">' in page and "<h1>Marketing Workbench reports</h1>" in page
    assert "2 reports" in page and "All runs (2, 1 failed)" in page
    assert "<b>The last run failed in cell 3:</b>" in page and "error page of" in page
    assert "<th>version</th><th>status</th><th>date (UTC)</th><th>duration</th>" in page and "12.2 s" in page
    assert "Выручка: <b>48,7 млн ₽</b>" in page  # the Russian report still reads as it wrote itself


def test_one_report_is_counted_in_the_singular(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBENCH_INDEX_LANGUAGE", raising=False)
    publish(tmp_path, "plan", "ok", T0, "ru", "План", {})
    assert "1 отчёт<" in render_index(tmp_path, "ru") and "1 report<" in render_index(tmp_path, "en")


def test_the_environment_sets_the_index_language_and_a_bad_value_is_named(reports, monkeypatch):
    monkeypatch.setenv("WORKBENCH_INDEX_LANGUAGE", "ru")
    assert "<h1>Отчёты Marketing Workbench</h1>" in render_index(reports)
    assert "<h1>Marketing Workbench reports</h1>" in render_index(reports, "en")  # the argument wins
    monkeypatch.setenv("WORKBENCH_INDEX_LANGUAGE", "fr")
    with pytest.raises(ValueError, match=r"\$WORKBENCH_INDEX_LANGUAGE must be 'en' or 'ru'; got 'fr'"):
        render_index(reports)


def test_cli_index_language_option_rewrites_the_index_in_russian(reports, monkeypatch, capsys):
    monkeypatch.setenv("WORKBENCH_REPORTS_DIR", str(reports))
    monkeypatch.setenv("WORKBENCH_INDEX_LANGUAGE", "en")  # the option sets it for the run; restored after
    assert main(["index", "--index-language", "ru"]) == 0
    assert "<h1>Отчёты Marketing Workbench</h1>" in (reports / "index.html").read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["build", "--index-language", "de"])
    assert "invalid choice: 'de'" in capsys.readouterr().err
