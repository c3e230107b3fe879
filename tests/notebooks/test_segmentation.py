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


def _workbench_run(project_root, tmp_path, report: str, params: str) -> dict:
    """`workbench run REPORT PARAMS` as a user types it (params file only), publishing into tmp_path;
    returns the version's results.json."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "WORKBENCH_REPORTS_DIR": str(tmp_path / "reports")}
    cli = [
        sys.executable,
        "-c",
        "from workbench.cli import main; raise SystemExit(main())",
        "run",
        report,
        params,
        "-q",
    ]
    done = subprocess.run(cli, cwd=project_root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (results,) = (tmp_path / "reports" / report).glob("*/2*/results.json")
    return json.loads(results.read_text())


@pytest.mark.slow
def test_cdnow_orders_alone_reproduce_published_bgnbd(reference_data, project_root, tmp_path):
    """Fader, Hardie & Lee (2005), CDNOW, 39-week calibration: r 0.243, α 4.414, a 0.793, b 2.426."""
    results = _workbench_run(project_root, tmp_path, "segmentation", "params/segmentation/reference-data/cdnow.yaml")
    bg = results["bgnbd"]
    assert (round(bg["r"], 3), round(bg["alpha"], 3), round(bg["a"], 3), round(bg["b"], 3)) == (
        0.243,
        4.414,
        0.793,
        2.426,
    )
    assert results["calibration_end"] == "1997-09-30"
    assert sum(s["size"] for s in results["segments"]) == 2357  # every customer, derived from the orders
    assert "skipped_sections" not in results and len(results["rfm_groups"]) == 11


@pytest.mark.slow
def test_mall_customers_alone_unscaled_silhouettes_and_k(reference_data, project_root, tmp_path):
    """Income and spending score unscaled: the silhouettes of the textbook analysis, k = 5."""
    params = "params/segmentation/reference-data/mall_customers.yaml"
    results = _workbench_run(project_root, tmp_path, "segmentation", params)
    sil = [round(r["silhouette"], 3) for r in results["k_scores"]]
    assert sil == [0.297, 0.468, 0.493, 0.554, 0.540, 0.529]
    assert results["k"] == 5 and results["feature_groups"] == {"other": ["annual_income_k", "spending_score"]}
    skipped = results["skipped_sections"]
    assert set(skipped) == {
        "RFM groups",
        "Customer value (BG/NBD, Gamma-Gamma, CLV)",
        "Sizing and targeting",
        "Forecast",
    }
    assert all(s["needs"] == ["orders_path"] for s in skipped.values())
    for key in ("bgnbd", "rfm_groups", "forecast", "targets"):
        assert key not in results
    assert set(results["headline"]) == {"Segments (k)", "Silhouette", "Largest segment"}
