"""Audience portrait notebook end to end on the sample data (papermill, cwd = project root)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow

REQUIRED = {
    "audience_size",
    "devices",
    "purchase_frequency",
    "brands",
    "attributes",
    "purchase_places",
    "familiarity_funnel",
    "best_times",
    "data_period",
    "persona",
}


def _run(execute_notebook, params: dict) -> tuple[dict, str]:
    run = execute_notebook("audience_portrait", params)
    return run.results, run.html


def _paths(sample_data: Path, **override: str) -> dict:
    paths = {f"{n}_path": str(sample_data / f"{n}.csv") for n in ("customers", "orders", "sessions", "survey")}
    return paths | override


def test_filter_audience_full_portrait(project_root, sample_data, tmp_path, execute_notebook):
    flt = {"city": ["Moscow", "Saint Petersburg"], "age": [25, 35]}
    results, html = _run(execute_notebook, _paths(sample_data) | {"audience_filter": flt})
    assert REQUIRED <= set(results)
    customers = pd.read_csv(sample_data / "customers.csv")
    expected = int((customers["city"].isin(flt["city"]) & customers["age"].between(25, 35)).sum())
    assert results["audience_size"] == expected > 0
    assert results["audience"]["mode"] == "filter"
    devices = pd.DataFrame(results["devices"])
    assert devices["audience_share"].sum() == pytest.approx(1.0)
    # planted: the big-city commuters visit mostly from mobile, more than the base
    mobile = devices.set_index("value").loc["mobile"]
    assert mobile["index"] > 100 and mobile["direction"] == "over"
    funnel = pd.DataFrame(results["familiarity_funnel"])
    assert list(funnel["stage"]) == ["unaware", "aware", "considered", "tried", "regular"]
    assert funnel["audience_reached"].is_monotonic_decreasing and funnel["audience_reached"].iloc[0] == 1
    best = pd.DataFrame(results["best_times"])
    assert len(best) > 0 and (best["n"] >= 30).all()
    # ranked by expected purchases (visits × shrunk rate); planted: weekday evenings 19-22 h convert best
    assert results["best_times_ranked_by"] == "expected"
    assert (best["weekday"] < 5).all() and best["hour"].between(19, 22).all()
    assert best["expected"].is_monotonic_decreasing
    assert {"purchases", "usage"} <= set(results["purchase_frequency"])
    assert results["persona"][0].startswith("Customers with city in Moscow, Saint Petersburg; age 25–35")
    assert "No data for" not in html


def test_rfm_group_without_sessions_and_survey(project_root, sample_data, tmp_path, execute_notebook):
    from workbench.analysis.customers.rfm import score_rfm
    from workbench.data import load

    params = _paths(sample_data, sessions_path="", survey_path="") | {"audience_rfm_group": "Champions"}
    results, html = _run(execute_notebook, params)
    skipped = {"devices", "familiarity_funnel", "best_times"}
    assert REQUIRED - skipped <= set(results) and not skipped & set(results)
    rfm = score_rfm(load("orders", sample_data / "orders.csv"))
    assert results["audience_size"] == int((rfm["rfm_group"] == "Champions").sum())
    # sections without their inputs: one line each, recorded as skipped, left out of the headline
    assert results["skipped_sections"]["Devices"]["needs"] == ["sessions_path"]
    assert results["skipped_sections"]["Familiarity funnel"]["needs"] == ["survey_path"]
    assert "Not in this report: Devices — needs sessions (`sessions_path`)." in html
    assert set(results["headline"]) == {"Audience", "Purchases per year", "Repeat buyers"}
    purchases = pd.DataFrame(results["purchase_frequency"]["purchases"]).set_index("metric")
    # Champions buy more often than the base (by definition of the group)
    assert purchases.loc["purchases per year", "index"] > 100


def test_bad_filter_value_names_param_column_and_allowed(project_root, sample_data, tmp_path, execute_notebook):
    import papermill as pm

    params = _paths(sample_data, sessions_path="", survey_path="") | {"audience_filter": {"city": ["Atlantis"]}}
    with pytest.raises(
        pm.PapermillExecutionError, match=r"audience_filter\['city'\]: unknown value\(s\) \['Atlantis'\].*Moscow"
    ):
        _run(execute_notebook, params)


def test_ifood_responders_from_the_wide_table(reference_data, project_root, tmp_path):
    """iFood: a wide CRM table alone (no orders, sessions or survey) through `workbench run` with a
    params file only; the responders' spend, places and campaigns against all customers."""
    import json
    import os
    import subprocess
    import sys

    params = "params/audience_portrait/reference-data/ifood_responders.yaml"
    env = {**os.environ, "WORKBENCH_REPORTS_DIR": str(tmp_path / "reports")}
    cli = [sys.executable, "-c", "from workbench.cli import main; raise SystemExit(main())", "run"]
    done = subprocess.run(
        [*cli, "audience_portrait", params, "-q"], cwd=project_root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = (tmp_path / "reports" / "audience_portrait").glob("*/2*/results.json")
    results = json.loads(path.read_text())
    raw = pd.read_csv(reference_data / "ifood_marketing_campaign.csv")
    responders = raw[raw["Response"] == 1]
    assert results["audience_size"] == len(responders) == 334 and results["audience"]["base_size"] == 2240
    spend = pd.DataFrame(results["column_groups"]["spend_by_category"]).set_index("value")
    assert spend.loc["wines", "audience_mean"] == pytest.approx(responders["MntWines"].mean())
    assert spend.loc["wines", "base_mean"] == pytest.approx(raw["MntWines"].mean())
    places = pd.DataFrame(results["column_groups"]["purchases_by_place"]).set_index("value")
    assert places.loc["catalogue", "index"] == pytest.approx(
        responders["NumCatalogPurchases"].mean() / raw["NumCatalogPurchases"].mean() * 100
    )
    campaigns = pd.DataFrame(results["campaign_responses"]).set_index("value")
    assert "response" not in campaigns.index  # the column the audience was chosen on
    assert campaigns.loc["acceptedcmp5", "audience_n"] == int(responders["AcceptedCmp5"].sum())
    assert {"Buying frequency", "Devices", "Familiarity funnel"} <= set(results["skipped_sections"])
    assert results["headline"]["Spend per customer"].endswith("MU")


@pytest.mark.parametrize("name", ["audience_portrait", "segmentation"])
def test_notebook_is_thin_and_committed_without_outputs(project_root, name):
    """Logic lives in tested functions: no code cell over 25 lines (the parameters cell only declares)."""
    import nbformat

    nb = nbformat.read(str(project_root / "notebooks" / f"{name}.ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert [len(c.source.splitlines()) for c in code[1:] if len(c.source.splitlines()) > 25] == []
