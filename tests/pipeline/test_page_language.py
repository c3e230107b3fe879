"""The page around a report speaks the report's language: header, parameters panel, footer, error box."""

from __future__ import annotations

from workbench.pipeline import render

MANIFEST = {
    "report": "budget_planning",
    "name": "sample_ru",
    "title": "Планирование бюджета",
    "version": "20261202T000000000Z-abcdef",
    "started_at": "2026-12-02T10:00:00Z",
    "status": "ok",
    "params": {"path": "params/budget_planning/sample_ru.yaml", "sha256": "0" * 64, "values": {"language": "ru"}},
    "notebook": {"path": "notebooks/budget_planning.ipynb", "sha256": "1" * 64},
    "workbench": {"version": "0.1.0", "git_commit": None},
    "libraries": {"pandas": "3.0"},
    "inputs": [],
    "duration_s": 1.0,
    "cache_key": "2" * 64,
}


def test_a_russian_report_gets_russian_chrome():
    results = {"data_period": {"start": "2026-01-01", "end": "2026-06-30"}}
    head = render.header_html(MANIFEST, results)
    assert "Отчёт:" in head and "Период данных:" in head and "Версия:" in head and "Параметры (1)" in head
    assert "Происхождение" in render.footer_html(MANIFEST) and "Блокнот" in render.footer_html(MANIFEST)
    failure = {"cell_index": 3, "cell_line": "1 / 0", "message": "ZeroDivisionError", "traceback": ""}
    box = render.error_html(failure, "p.yaml", "ru")
    assert "ячейка 3" in box and "Ниже — частично выполненный блокнот" in box
    assert render.changes_html([], None, "ru").count("Что изменилось с прошлой версии") == 1


def test_english_and_unknown_languages_keep_the_english_page():
    en = dict(MANIFEST, params=dict(MANIFEST["params"], values={"language": "de"}))
    head = render.header_html(en, {})
    assert "Report:" in head and "Parameters (1)" in head
    assert render.report_language({"language": "ru"}) == "ru" and render.report_language({}) == "en"
    box = render.error_html({"cell_index": 2, "cell_line": "x", "message": "boom"}, "p.yaml")
    assert "This run failed in cell 2" in box


def test_an_unknown_report_language_stops_at_validation(tmp_path, project_root):
    import pytest

    from workbench.errors import ParamsError
    from workbench.pipeline.params import read_notebook_params, validate_params

    declared = read_notebook_params(project_root / "notebooks" / "budget_planning.ipynb")
    with pytest.raises(ParamsError, match=r"key 'language': expected one of en, ru, found 'RU'"):
        validate_params(declared, {"language": "RU"}, check_paths=False)
    assert validate_params(declared, {"language": "ru"}, check_paths=False).values["language"] == "ru"
