"""Budget planning end to end on the media-mix sample (papermill, cwd = project root)."""

from __future__ import annotations

import json

import pytest
import yaml

pytestmark = pytest.mark.slow


def test_sample_report_records_and_recovers_the_planted_truth(project_root, sample_data, execute_notebook):
    params = yaml.safe_load((project_root / "params/budget_planning/sample.yaml").read_text())
    params |= {
        "ad_stats_path": str(sample_data / "media_ad_stats.csv"),
        "orders_path": str(sample_data / "media_orders.csv"),
        "bootstrap_draws": 30,
        "search_draws": 96,
    }
    run = execute_notebook("budget_planning", params)
    r = run.results
    needed = {
        "contributions",
        "roas",
        "marginal_roas",
        "response_curves",
        "holdout_error",
        "allocation",
        "expected_uplift",
        "budget_plan",
        "headline",
    }
    assert needed <= set(r)
    truth = json.loads((sample_data / "_truth" / "media_mix.json").read_text())["channels"]
    assert set(r["roas"]) == set(truth)
    # TV's planted ROAS inside its interval; the weekly files gave the model the generator's weeks
    lo, hi = r["roas"]["tv"]["interval"]
    assert lo <= truth["tv"]["roas"] <= hi
    assert r["holdout_error"]["periods"] == 13 and 0 < r["holdout_error"]["mape"] < 0.1
    assert set(r["budget_plan"]) == {"2027", "2028"}
    assert sum(r["budget_plan"]["2027"].values()) == pytest.approx(140_000_000, rel=1e-6)
    tv = next(a for a in r["allocation"] if a["channel"] == "tv")
    assert 0.7 - 1e-6 <= tv["optimal"] / tv["current_split"] <= 1.3 + 1e-6  # its channel_bounds held
    assert "Executive summary" in run.html and "Not in this report" not in run.html


def test_without_a_plan_the_plan_section_says_so(sample_data, execute_notebook):
    params = {
        "ad_stats_path": str(sample_data / "media_ad_stats.csv"),
        "orders_path": str(sample_data / "media_orders.csv"),
        "bootstrap_draws": 10,
        "search_draws": 32,
        "holdout_weeks": 0,
        "channels": ["tv", "yandex_direct", "vk_ads"],
    }
    r = execute_notebook("budget_planning", params).results
    assert set(r["skipped_sections"]) == {"Multi-year plan", "Out-of-time check"}
    assert "budget_plan" not in r and set(r["roas"]) == {"tv", "yandex_direct", "vk_ads"}
