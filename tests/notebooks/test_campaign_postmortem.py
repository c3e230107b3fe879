"""Campaign post-mortem notebook end to end on the sample data (papermill, cwd = project root),
with the planted facts of data/sample/_truth/facts.json as the independent answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
    # no real effect and too little power for the stated ±5 %: inconclusive, sized for a new test, never "extend"
    assert null_row["verdict"].startswith("inconclusive: this test had ")
    assert "rather than extending this one" in null_row["verdict"] and "power" not in comps.columns
    credit = pd.DataFrame(results["attribution"])
    assert {"first_touch", "last_touch", "linear", "time_decay", "position_based", "markov", "shapley"} <= set(
        credit.model
    )
    sums = credit.groupby("model")["conversions"].sum()
    assert sums.max() - sums.min() < 1e-6 * sums.max()
    best = pd.DataFrame(results["best_times"])
    assert len(best) and (best["n"] >= 30).all()
    # no tiny slot wins: every recommended slot has at least a quarter of the median slot's sessions
    sessions = pd.read_csv(sample_data / "sessions.csv", usecols=["started_at"], parse_dates=["started_at"])
    per_slot = sessions.groupby([sessions.started_at.dt.day_of_week, sessions.started_at.dt.hour]).size()
    assert (best["n"] >= 0.25 * per_slot.median()).all() and "rate_shrunk" in best.columns
    # planted (facts.json conversion_timing): weekday evenings 19-22 h convert best, on desktop above all
    assert truth["conversion_timing"]["best_time_to_publish"].startswith("weekdays (Monday-Friday) 19-22 h")
    assert (best["weekday"] < 5).all() and best["hour"].between(19, 22).all()
    by_device = pd.DataFrame(results["best_times_by_device"]).set_index("device")
    assert by_device["rate_shrunk"].idxmax() == "desktop"
    assert by_device.loc["desktop", "weekday"] < 5 and 19 <= by_device.loc["desktop", "hour"] <= 22
    assert "Publish on weekdays around 19" in html and "desktop visits convert best" in html
    assert "MDE (lift)" in html
    # attribution covers the flight's journeys (fewer conversions than the whole file), every model the same total
    assert "journeys that ended between 2026-09-01 and 2026-10-31" in html
    assert sums.iloc[0] < truth["rows"]["orders"]
    assert set(results["headline"]) >= {"Spend", "ROAS", "CPA", "Conversions", "A/B test"}
    assert exp["correction_family"] == "metric" and "within each metric" in html
    # planted: creative_2 has a ~15 % better CTR; the report names it with an interval
    assert "creative_2 has the best CTR of any creative" in html and "95% CI" in html
    assert f"{camp['overspend_channel']} has the CPA furthest above plan" in html
    assert "Lessons" not in html or "Wins" in html


def test_ads_only_flight_still_running_shows_no_data_sections_and_projects(project_root, sample_data, execute_notebook):
    # the flight is stretched to 2026-11-30 while the data end on 10-31: a campaign still running,
    # 61 of 91 days elapsed, with each channel's budget for 91 days
    params = _sample_params(project_root, "ads_only.yaml", sample_data)
    params["end_date"] = "2026-11-30"
    params["budget_by_channel"] = {ch: b / 61 * 91 for ch, b in params["budget_by_channel"].items()}
    run = execute_notebook("campaign_postmortem", params)
    results, html = run.results, run.html
    # absent inputs: their sections say so in one line and stay out of results and the headline
    assert not {"experiment", "attribution", "markov", "best_times", "roi"} & set(results)
    assert {"kpis", "pacing"} <= set(results) and "A/B test" not in results["headline"]
    skipped = results["skipped_sections"]
    assert skipped["A/B tests"]["needs"] == ["experiment_path"]
    assert skipped["Attribution"]["needs"] == ["touchpoints_path", "paths_path"]
    assert "Flight in progress" in html and "30 days left" in html
    pacing = pd.DataFrame(results["pacing"]).set_index("channel")
    ads = pd.read_csv(sample_data / "ad_stats.csv", parse_dates=["date"])
    ads = ads[(ads.campaign == params["campaign"]) & (ads.date >= "2026-09-01")]
    daily = ads.groupby(["channel", "date"])["cost"].sum()
    for ch in params["budget_by_channel"]:
        last7 = daily[ch].sort_index().tail(7).mean()  # independent: pandas on the raw file
        assert pacing.loc[ch, "projected"] == pytest.approx(daily[ch].sum() + 30 * last7, rel=1e-9)
    truth = json.loads((sample_data / "_truth" / "facts.json").read_text())
    assert pacing.loc[truth["campaign"]["overspend_channel"], "status"] == "over-delivering"
    assert "Not in this report: A/B tests — needs experiment file (`experiment_path`)." in html
    assert "Not in this report: Attribution — needs touchpoints (`touchpoints_path`) or aggregated paths" in html
    assert "Not in this report: E-mail — needs e-mail sends (`email_sends_path`)." in html


# ---------------------------------------------------------------- real public data, as a user runs it
def _run_reference(project_root: Path, tmp_path: Path, name: str) -> dict:
    """`workbench run` on params/campaign_postmortem/reference/<name>.yaml, nothing else written."""
    env = {**os.environ, "WORKBENCH_ROOT": str(project_root), "WORKBENCH_REPORTS_DIR": str(tmp_path)}
    params = f"params/campaign_postmortem/reference/{name}.yaml"
    cmd = [sys.executable, "-m", "workbench.cli", "run", "campaign_postmortem", params, "--quiet"]
    res = subprocess.run(cmd, cwd=project_root, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    (version,) = [p for p in (tmp_path / "campaign_postmortem" / name).iterdir() if p.name[:1].isdigit()]
    return json.loads((version / "results.json").read_text())


def test_channelattribution_paths_alone_give_markov_credit(project_root, reference_data, tmp_path):
    results = _run_reference(project_root, tmp_path, "channelattribution_paths")
    # ChannelAttribution's published example: Markov conversions for alpha 5,344.95, P(conversion) 0.2238
    credit = pd.DataFrame(results["attribution"])
    alpha = credit[(credit.model == "markov") & (credit.channel == "alpha")]["conversions"].iloc[0]
    assert alpha == pytest.approx(5344.95, abs=0.01)
    assert results["markov"]["conversion_probability"] == pytest.approx(0.2238, abs=5e-5)
    assert "shapley_rate" in set(credit.model)  # non-conversions were read
    assert {"KPIs against plan", "A/B tests", "E-mail"} <= set(results["skipped_sections"]) and "kpis" not in results


def test_cookie_cats_reads_day1_and_day7_retention(project_root, reference_data, tmp_path):
    results = _run_reference(project_root, tmp_path, "cookie_cats")
    exp = results["experiment"]
    comps = pd.DataFrame(exp["comparisons"]).set_index("metric")
    assert exp["metrics"] == {"conversion_rate": "day-1 retention", "retention_7": "day-7 retention"}
    assert exp["correction_family"] == "all" and not exp["srm_mismatch"]
    assert comps.loc["conversion_rate", "verdict"].startswith("no effect of 5% or more")
    assert comps.loc["retention_7", "verdict"] == "keep gate_30: gate_40 has a lower day-7 retention"
    # published: day-7 retention 19.0 % (gate_30) against 18.2 % (gate_40)
    assert (
        round(comps.loc["retention_7", "control_value"], 3) == 0.190
        and round(comps.loc["retention_7", "value"], 3) == 0.182
    )
    assert results["headline"] == {"A/B test": "no effect of 5% or more"}


def test_ifood_response_file_gives_the_published_roi(project_root, reference_data, tmp_path):
    results = _run_reference(project_root, tmp_path, "ifood_response")
    roi = results["roi"]
    assert (roi["contacts"], roi["responses"]) == (2240, 334)
    assert roi["roi"] == pytest.approx(-0.453, abs=5e-4)  # (334 × 11 − 2,240 × 3) / (2,240 × 3)
    assert results["headline"] == {"ROI": "-45.3%"}
