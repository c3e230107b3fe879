"""Every report takes the same two data-quality params: a rename map for real exports and an
opt-in to leave out bad rows, which the report then lists instead of failing."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _competitors_export(sample_data: Path, tmp_path: Path) -> Path:
    """The sample competitor list as a real export would come: other column names, one broken row."""
    lines = (sample_data / "competitors.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].replace("brand", "Brand Name")
    broken = lines[-1].split(",")  # a rival (not the is_us row)
    broken[0] = ""  # a row without its brand: the contract's id column is required
    path = tmp_path / "competitors_export.csv"
    path.write_text("\n".join([header, *lines[1:], ",".join(broken)]) + "\n", encoding="utf-8")
    return path


def test_bad_rows_stop_the_report_unless_the_params_opt_in(project_root, sample_data, tmp_path, execute_notebook):
    import papermill as pm

    params = {
        "competitors_path": str(_competitors_export(sample_data, tmp_path)),
        "column_renames": {"competitors": {"brand_name": "brand"}},
    }
    optional = (
        "keyword_rankings_path",
        "site_metrics_path",
        "site_pages_dir",
        "social_path",
        "ads_intel_path",
        "email_intel_path",
        "brand_attributes_path",
    )
    params |= {key: "" for key in optional}
    with pytest.raises(pm.PapermillExecutionError, match="brand"):
        execute_notebook("competitor_audit", params)
    run = execute_notebook("competitor_audit", params | {"drop_invalid_rows": True})
    assert "Rows left out of this report" in run.html
    assert "competitors_export.csv: 1 of" in run.html
