"""Campaign post-mortem notebook end to end on the sample data (papermill, cwd = project root),
with the planted facts of data/sample/_truth/facts.json as the independent answer."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

pytestmark = pytest.mark.slow

INPUTS = ("ad_stats", "sessions", "orders", "touchpoints", "experiment", "email_sends")


def _sample_params(project_root: Path, params_file: str, sample_data: Path) -> dict:
    params = yaml.safe_load((project_root / "params" / "campaign_postmortem" / params_file).read_text())
    for name in INPUTS:
        if params.get(f"{name}_path", None) != "":
            params[f"{name}_path"] = str(sample_data / f"{name}.csv")
    return params


def test_full_postmortem_finds_the_planted_facts(project_root, sample_data, execute_notebook):
    run = execute_notebook("campaign_postmortem", _sample_params(project_root, "autumn_launch_2026.yaml", sample_data))
    results, html = run.results, run.html
    assert {"kpis", "pacing", "experiment", "attribution", "best_times", "data_period"} <= set(results)
    truth = json.loads((sample_data / "_truth" / "facts.json").read_text())
    camp = truth["campaign"]
    kpis = pd.DataFrame(results["kpis"]).set_index("kpi")
    actual_cost = sum(v["cost"] for v in camp["actual"].values())
    assert kpis.loc["cost", "actual"] == pytest.approx(actual_cost, rel=1e-6)
    assert kpis.loc["cost", "target"] == pytest.approx(camp["plan"]["total"]["budget"])
    pacing = pd.DataFrame(results["pacing"]).set_index("channel")
    assert pacing.loc[camp["overspend_channel"], "status"] == "over-delivering"
    exp = results["experiment"]
    assert exp["verdict"] == f"ship {truth['ab_test']['real_effect_variant']}"
    comps = pd.DataFrame(exp["comparisons"])
    null_row = comps[(comps.variant == truth["ab_test"]["null_variant"]) & (comps.metric == "conversion_rate")].iloc[0]
    assert null_row["verdict"].startswith("inconclusive: about ")
    credit = pd.DataFrame(results["attribution"])
    assert {"first_touch", "last_touch", "linear", "time_decay", "position_based", "markov", "shapley"} <= set(credit.model)
    sums = credit.groupby("model")["conversions"].sum()
    assert sums.max() - sums.min() < 1e-6 * sums.max()
    best = pd.DataFrame(results["best_times"])
    assert len(best) and (best["n"] >= 30).all()
    # no tiny slot wins: every recommended slot has at least a quarter of the median slot's sessions
    sessions = pd.read_csv(sample_data / "sessions.csv", usecols=["started_at"], parse_dates=["started_at"])
    per_slot = sessions.groupby([sessions.started_at.dt.day_of_week, sessions.started_at.dt.hour]).size()
    assert (best["n"] >= 0.25 * per_slot.median()).all() and "rate_shrunk" in best.columns
    assert set(results["headline"]) >= {"Spend", "ROAS", "CPA", "Conversions", "A/B test"}
    assert exp["correction_family"] == "metric" and "within each metric" in html
    # planted: creative_2 has a ~15 % better CTR; the report names it with an interval
    assert "creative_2 has the best CTR of any creative" in html and "95% CI" in html
    assert f"{camp['overspend_channel']} has the CPA furthest above plan" in html
    assert "Lessons" not in html or "Wins" in html


def test_ads_only_shows_no_data_sections(project_root, sample_data, execute_notebook):
    run = execute_notebook("campaign_postmortem", _sample_params(project_root, "ads_only.yaml", sample_data))
    results, html = run.results, run.html
    assert results["experiment"] is None and results["attribution"] is None and results["best_times"] is None
    assert {"kpis", "pacing"} <= set(results)
    for section in ("A/B tests", "attribution", "timing", "e-mail"):
        assert f"No data for {section}" in html
