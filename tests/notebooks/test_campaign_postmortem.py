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
    assert results["experiment"] is None and results["attribution"] is None and results["best_times"] is None
    assert {"kpis", "pacing"} <= set(results)
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
    for section in ("A/B tests", "attribution", "timing", "e-mail"):
        assert f"No data for {section}" in html
