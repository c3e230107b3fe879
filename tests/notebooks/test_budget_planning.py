"""Budget planning end to end on the media-mix sample (papermill, cwd = project root)."""

from __future__ import annotations

import json

import pandas as pd
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
    assert "Executive summary" in run.html
    # the sample's media-mix world has no tracked journeys: the comparison with attribution says so
    assert set(r["skipped_sections"]) == {"Attribution compared"} and "attribution_comparison" not in r
    assert "Not in this report: Attribution compared — needs touchpoints (`touchpoints_path`)." in run.html


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
    assert set(r["skipped_sections"]) == {"Multi-year plan", "Out-of-time check", "Attribution compared"}
    assert "budget_plan" not in r and set(r["roas"]) == {"tv", "yandex_direct", "vk_ads"}


def test_with_touchpoints_attribution_is_compared_channel_by_channel(sample_data, tmp_path, execute_notebook):
    # the post-mortem's journeys of 3,000 users, Google Ads renamed Telegram Ads so that three of
    # their channels are modelled; organic search, direct and the others are attribution's alone
    tp = pd.read_csv(sample_data / "touchpoints.csv")
    tp = tp[tp["user_id"].isin(tp["user_id"].drop_duplicates().head(3000))]
    tp["channel"] = tp["channel"].replace({"google_ads": "telegram_ads"})
    tp.to_csv(tmp_path / "touchpoints.csv", index=False)
    params = {
        "ad_stats_path": str(sample_data / "media_ad_stats.csv"),
        "orders_path": str(sample_data / "media_orders.csv"),
        "touchpoints_path": str(tmp_path / "touchpoints.csv"),
        "bootstrap_draws": 10,
        "search_draws": 32,
        "holdout_weeks": 0,
        "channels": ["tv", "yandex_direct", "vk_ads", "telegram_ads"],
    }
    run = execute_notebook("budget_planning", params)
    r = run.results
    assert "Attribution compared" not in r["skipped_sections"]
    cmp = r["attribution_comparison"]
    assert set(cmp["models"]) == {"last_touch", "markov"}
    for model, channels in cmp["models"].items():
        judged = {c for c, v in channels.items() if v["verdict"] in ("over", "under", "agrees")}
        assert judged == {"yandex_direct", "vk_ads", "telegram_ads"}, model
        assert channels["tv"]["verdict"] == "mmm_only" and channels["tv"]["attribution_share"] is None
        assert channels["organic_search"]["verdict"] == "attribution_only"
        # a verdict is what the numbers say: the attribution share against the model's interval
        for c in judged:
            a, (lo, hi) = channels[c]["attribution_share"], channels[c]["mmm_interval"]
            assert channels[c]["verdict"] == ("over" if a > hi else "under" if a < lo else "agrees")
        shares = [v["attribution_share"] for v in channels.values() if v["attribution_share"] is not None]
        assert sum(shares) == pytest.approx(1.0, abs=1e-3)
    assert "Share of the outcome per channel: attribution against the model" in run.html
    assert "expected to be under-credited by attribution" in run.html
    print(json.dumps(cmp, indent=1))  # the figures, for the record (pytest -s)
