"""The plan report's tables in words: targets, forecasts with ranges, budget shares, overdue initiatives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.analysis.performance import plan_views as V


def _progress() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["2026", "2026"],
            "metric": ["revenue", "cac"],
            "better": ["higher", "lower"],
            "target": [85_000_000.0, 1400.0],
            "actual": [61_200_000.0, 1510.0],
            "forecast": [83_000_000.0, 1480.0],
            "lower": [80_000_000.0, 1480.0],
            "upper": [86_500_000.0, 1480.0],
            "elapsed": [0.75, 0.75],
            "status": ["at risk", "achieved"],
        }
    )


def test_goals_read_with_units_direction_and_forecast_range():
    view = V.goals_view(_progress(), 0.8)
    assert view["Goal"].tolist() == ["Revenue", "CAC ↓"]
    assert view["Target"].iloc[0] == "85.0M RUB"
    assert view["Forecast at period end (80% range)"].iloc[0] == "83.0M RUB (80.0M RUB – 86.5M RUB)"
    assert view["Forecast at period end (80% range)"].iloc[1] == "1,480 RUB"  # no range when lower = upper


def test_only_running_goals_get_a_tile_and_the_record_keeps_the_interval():
    tiles = V.goal_tiles(_progress())
    assert [t["label"] for t in tiles] == ["Revenue 2026"]
    assert tiles[0]["note"] == "forecast; target 85.0M RUB" and tiles[0]["status"] == "at risk"
    rec = V.goals_record(_progress())
    assert rec[0]["interval"] == [80_000_000.0, 86_500_000.0] and rec[1]["status"] == "achieved"


def test_budget_view_shows_shares_and_run_rate_against_plan():
    b = pd.DataFrame(
        {
            "period": ["2026"],
            "channel": ["vk_ads"],
            "planned": [470000.0],
            "elapsed": [0.5],
            "planned_to_date": [235000.0],
            "spent": [250000.0],
            "spent_share": [250000 / 470000],
            "projected": [500000.0],
            "projected_vs_plan": [500000 / 470000 - 1],
            "status": ["over"],
        }
    )
    row = V.budget_view(b, lambda c: c.upper()).iloc[0]
    assert row["Channel"] == "VK_ADS"
    assert row["Spent to date, RUB (share of budget)"] == "250,000 (53%)"
    assert row["Projected at run-rate, RUB (vs budget)"] == "500,000 (+6%)"
    b.loc[0, "projected_vs_plan"] = np.nan
    assert V.budget_view(b, str).iloc[0]["Projected at run-rate, RUB (vs budget)"] == "500,000"


def test_overdue_initiatives_in_one_sentence():
    overdue = pd.DataFrame({"name": ["Landing pages", "CRM"], "owner": ["Igor", "Anna"], "days_overdue": [12, 3]})
    assert V.overdue_sentence(overdue) == "Overdue: Landing pages — Igor, 12 days late; CRM — Anna, 3 days late"


def test_prepare_plan_cuts_the_data_at_the_as_of_date_and_drops_unmeasurable_goals():
    days = pd.date_range("2025-01-01", "2026-06-30", freq="D")
    orders = pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(len(days))],
            "customer_id": [f"c{i % 300}" for i in range(len(days))],
            "order_date": days,
            "revenue": 1000.0,
        }
    )
    goals = {"2026": {"revenue": 400000, "organic_share": 0.3}}
    inputs = V.prepare_plan(goals, None, None, orders, None, None, "2026-03-31", [])
    assert inputs.as_of_date == pd.Timestamp("2026-03-31") and str(inputs.as_of_month) == "2026-03"
    assert inputs.history.index[-1] == pd.Period("2026-03", "M")
    assert inputs.history.loc[pd.Period("2026-03", "M"), "revenue"] == 31_000.0
    assert "organic_share" in inputs.unavailable  # no sessions: the goal cannot be measured
    assert set(inputs.plan.goals["2026"]) == {"revenue"} and inputs.events is None
