"""End to end: the segmentation notebook runs on the sample data and records its headline results."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_segmentation_notebook_runs_on_sample_data(sample_data, project_root, execute_notebook):
    import yaml

    params = yaml.safe_load((project_root / "params" / "segmentation" / "all_customers.yaml").read_text())
    params.update(
        {f"{name}_path": str(sample_data / f"{name}.csv") for name in ("customers", "orders", "sessions", "survey")}
    )
    results = execute_notebook("segmentation", params).results
    for key in ("k", "silhouette", "segments", "rfm_groups", "bgnbd", "gamma_gamma", "forecast", "data_period"):
        assert key in results, key
    # five segments are planted in the sample data; silhouette picks them
    assert results["k"] == 5
    assert set(results["feature_groups"]) == {"geography", "demography", "psychographics"}  # as in the params
    assert len(results["segments"]) == 5
    assert set(results["bgnbd"]) == {"r", "alpha", "a", "b"} and set(results["gamma_gamma"]) == {"p", "q", "v"}
    assert sum(s["share_customers"] for s in results["segments"]) == pytest.approx(1.0)
    assert results["forecast"]["total_revenue"] > 0
    assert len(results["rfm_groups"]) == 11
    # the holdout check: the purchase model predicts 2026 repeat purchases within 15 %
    total = [r for r in results["holdout"] if r["calibration_purchases"] == "total"][0]
    assert abs(total["predicted"] / total["actual"] - 1) < 0.15


def test_segmentation_notebook_is_committed_without_outputs(project_root):
    import nbformat

    nb = nbformat.read(str(project_root / "notebooks" / "segmentation.ipynb"), as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first_code.metadata.get("tags", [])
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
