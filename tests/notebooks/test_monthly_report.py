"""Monthly performance report end to end on the sample data (papermill, cwd = project root)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow


def _run(execute_notebook, params: dict) -> tuple[dict, str]:
    run = execute_notebook("monthly_report", params)
    return run.results, run.html


def _paths(sample_data: Path) -> dict:
    return {f"{n}_path": str(sample_data / f"{n}.csv") for n in ("sessions", "orders", "ad_stats", "email_sends")}


def test_june_2026(project_root, sample_data, tmp_path, execute_notebook):
    results, html = _run(execute_notebook, _paths(sample_data) | {"month": "2026-06"})
    assert {"traffic", "conversion", "changes", "best_times", "data_period", "campaigns"} <= set(results)
    sessions = pd.read_csv(sample_data / "sessions.csv", parse_dates=["started_at"])
    june = sessions[sessions["started_at"].dt.to_period("M") == pd.Period("2026-06", "M")]
    assert results["conversion"]["sessions"] == len(june)
    assert results["conversion"]["conversion_rate"] == pytest.approx(june["converted"].mean())
    by_device = pd.DataFrame(results["traffic"]["by_device"]).set_index("device")["sessions"]
    assert by_device.to_dict() == june["device"].value_counts().to_dict()
    assert all(row["n"] >= 30 for row in results["best_times"]["by_rate"])
    assert {c["campaign"] for c in results["campaigns"]} >= {"brand_search", "prospecting"}
    assert "Executive summary" in html
    # planted truth (data/sample/_truth: conversion_timing): weekday evenings 19-22 h convert best,
    # most of all on desktop; the best slots and the summary must say so
    best = pd.DataFrame(results["best_times"]["by_rate"])
    assert (best["weekday"] <= 4).all() and best["hour"].between(19, 22).all()
    assert results["best_times"]["summary"].startswith("weekday evenings")
    dev = pd.DataFrame(results["best_times"]["by_device"])
    desktop = dev[dev["device"] == "desktop"]
    assert (desktop["weekday"] <= 4).all() and desktop["hour"].between(19, 22).all()
    assert "Best time to publish: weekday evenings" in html
    # June 2026 is ordinary: nothing is flagged, and the summary states what could not have been seen
    assert not any(c["flag"] for c in results["changes"])
    assert "not distinguishable from normal variation (changes under" in html
    assert results["best_times"]["difference_p"] < 0.001
    # stakeholders read the HTML: no raw Python reprs of recorded values, no raw metric codes in tables
    assert "np.float64" not in html and "conversion_rate</th>" not in html


def test_default_month_is_last_complete_month_and_autumn_jump_is_flagged(
    project_root, sample_data, tmp_path, execute_notebook
):
    results, _ = _run(execute_notebook, _paths(sample_data))
    assert results["data_period"]["start"].startswith("2026-10-01")
    changes = {c["metric"]: c for c in results["changes"]}
    # the autumn launch (Sep-Oct 2026) multiplied ad spend and paid sessions: far beyond the expectation
    assert changes["ad_cost"]["flag"] is True and changes["sessions"]["flag"] is True
    assert changes["ad_cost"]["value"] > changes["ad_cost"]["upper"]
    live = {c["campaign"] for c in results["campaigns"]}
    assert "autumn_launch_2026" in live
    best = pd.DataFrame(results["best_times"]["by_rate"])
    assert (best["weekday"] <= 4).all() and best["hour"].between(19, 22).all()
    # the headline for the index: the month's numbers and the count of flagged changes
    head = results["headline"]
    assert set(head) == {"Sessions", "Conversion rate", "Revenue", "Unusual changes"}
    assert head["Unusual changes"] == sum(c["flag"] for c in results["changes"])
    assert head["Sessions"].startswith(f"{int(results['conversion']['sessions']):,}")


def test_bad_month_gives_a_clear_error(project_root, sample_data, tmp_path, execute_notebook):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError, match="YYYY-MM"):
        _run(execute_notebook, _paths(sample_data) | {"month": "June 2026"})
