"""Content, search-demand and keyword report end to end on the sample data (papermill, cwd = project root)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow

RESULTS = {
    "top_content",
    "decay",
    "topics",
    "best_publish_times",
    "trends",
    "seasonality",
    "ad_groups",
    "negative_keywords",
}


def _paths(sample_data) -> dict:
    names = ("content", "content_stats", "search_demand", "sessions")
    return {f"{n}_path": str(sample_data / f"{n}.csv") for n in names}


def test_sample_report_records_every_result_and_finds_the_planted_facts(sample_data, execute_notebook):
    truth = json.loads((sample_data / "_truth" / "content.json").read_text(encoding="utf-8"))
    run = execute_notebook("content_trends", _paths(sample_data))
    r = run.results
    assert RESULTS <= set(r) and "skipped_sections" not in r
    status = {row["content_id"]: row["status"] for row in r["decay"]["items"]}
    assert status[truth["fast_post"]] == "short-lived"
    slots = {row["platform"]: (row["weekday"], row["hour"]) for row in r["best_publish_times"]["slots"][::3]}
    assert slots == {p: (s["weekday"], s["hour"]) for p, s in truth["best_slots"].items()}
    directions = {row["group"]: row["direction"] for row in r["trends"]["table"]}
    assert directions[truth["rising_group"]] == "rising" and directions[truth["falling_group"]] == "falling"
    assert r["seasonality"]["peaks"]["палатка"][0] == 6
    assert any(set(truth["duplicate_keywords"]) <= set(g["keywords"]) for g in r["ad_groups"])
    assert {"бесплатно", "free"} <= {n["negative_keyword"] for n in r["negative_keywords"]}
    assert "Executive summary" in run.html and "data:text/tab-separated-values;charset=utf-8;base64," in run.html


def test_without_demand_and_sessions_the_sections_say_so(sample_data, execute_notebook):
    params = _paths(sample_data) | {"search_demand_path": "", "sessions_path": ""}
    run = execute_notebook("content_trends", params)
    skipped = run.results["skipped_sections"]
    assert set(skipped) == {"Search-demand trends", "Keyword research", "Site conversions of web content"}
    assert "Not in this report: Keyword research — needs search demand (`search_demand_path`)." in run.html
    assert not {"trends", "ad_groups", "negative_keywords"} & set(run.results)
