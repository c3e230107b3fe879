"""A report run on the sample data as warehouse tables publishes the same numbers as on the CSV files."""

from __future__ import annotations

import pytest

from workbench.data.engines.warehouse import write_warehouse


def _numbers(value):
    """The numeric leaves of a results.json, keyed by their path (words may differ, numbers may not)."""
    if isinstance(value, dict):
        return {f"{k}.{p}": v for k, sub in value.items() for p, v in _numbers(sub).items()}
    if isinstance(value, list):
        return {f"{i}.{p}": v for i, sub in enumerate(value) for p, v in _numbers(sub).items()}
    return {"": value} if isinstance(value, (int, float)) and not isinstance(value, bool) else {}


@pytest.mark.slow
def test_monthly_report_on_duckdb_tables_equals_the_csv_run(execute_notebook, sample_data, tmp_path):
    pytest.importorskip("ibis", reason="Ibis is a core dependency; reinstall the project")
    import shutil

    data = tmp_path / "sample"
    shutil.copytree(sample_data, data)
    db = write_warehouse(data)
    files = {k: str(data / f"{k[: -len('_path')]}.csv") for k in ("sessions_path", "orders_path", "ad_stats_path")}
    tables = {k: f"duckdb:///{db}#{k[: -len('_path')]}" for k in files}
    common = {"month": "2026-06", "email_sends_path": str(data / "email_sends.csv")}
    from_files = execute_notebook("monthly_report", {**common, **files}).results
    from_tables = execute_notebook("monthly_report", {**common, **tables}).results
    tables, files = _numbers(from_tables), _numbers(from_files)
    assert tables.keys() == files.keys()
    # ad statistics are summed per day on the engine first: the same sums, in another order (1e-9)
    assert tables == pytest.approx(files, rel=1e-9, abs=1e-9)
    assert from_tables["headline"] == from_files["headline"]
