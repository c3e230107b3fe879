"""Wording rules of the marketing plan tracker's executive summary and headline."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbench.analysis.performance.plan_summary import (
    budget_sentences,
    flight_sentence,
    plan_summary,
    unavailable_sentence,
)

AS_OF = pd.Timestamp("2026-10-31")
MONTH = pd.Period("2026-10", "M")


def _progress() -> pd.DataFrame:
    rows = [
        ("2026", "revenue", "higher", 85e6, 60e6, 0.83, 78e6, 74e6, 82e6, "off track"),
        ("2026", "cac", "lower", 1400, 1500, 0.83, 1450, 1300, 1600, "at risk"),
        ("2026", "sessions", "higher", 200000, 190000, 0.83, 230000, 215000, 245000, "on track"),
        ("2025", "revenue", "higher", 50e6, 55e6, 1.0, 55e6, 55e6, 55e6, "achieved"),
    ]
    cols = ["period", "metric", "better", "target", "actual", "elapsed", "forecast", "lower", "upper", "status"]
    return pd.DataFrame(rows, columns=cols)


def test_goal_sentences_and_headline():
    out = plan_summary(_progress(), AS_OF, MONTH)
    assert out.sentences[0] == (
        "Review date 2026-10-31 (data through October 2026). Of 3 goals whose period is still running, 1 are on "
        "track, 1 at risk and 1 off track; of 1 goal of finished periods, 1 were achieved and 0 missed."
    )
    assert out.sentences[1].startswith("Revenue 2026 to date: 60.0M RUB of the 85.0M RUB target (71% after 83%")
    assert "Off track: Revenue 2026 — forecast 78.0M RUB (range 74.0M RUB – 82.0M RUB)" in out.sentences[2]
    assert out.sentences[3] == (
        "At risk: CAC 2026 — the target 1,400 RUB is within the forecast range but below the central "
        "forecast 1,450 RUB."
    )
    assert out.headline == {
        "Open goals on track": 1,
        "At risk": 1,
        "Off track": 1,
        "Revenue 2026 YTD": "60.0M RUB (71% of target)",
    }


def test_budget_sentences_closed_and_running():
    budget = pd.DataFrame(
        {
            "period": ["2025", "2026"],
            "channel": ["vk_ads", "vk_ads"],
            "status": ["over", "over"],
            "elapsed": [1.0, 0.83],
            "spent": [300000.0, 450000.0],
            "planned": [250000.0, 470000.0],
            "projected_vs_plan": [0.2, 0.15],
        }
    )
    out = budget_sentences(budget, channel_label=lambda c: "VK Ads")
    assert out == [
        "Budget 2025 (closed): VK Ads spent 300,000 RUB, +20% against its budget of 250,000 RUB.",
        "Budget 2026: VK Ads is on course to spend +15% against its budget (450,000 RUB spent of 470,000 RUB "
        "after 83% of the period).",
    ]
    head = plan_summary(_progress(), AS_OF, MONTH, budget=budget, channel_label=lambda c: "VK Ads").headline
    assert head["Over budget"] == "VK Ads +20% (2025)"


def test_flight_and_unavailable_sentences():
    flights = {"autumn": (dt.date(2026, 9, 1), dt.date(2026, 10, 31))}
    models = {"sessions": "SARIMA; one-off lift fitted (autumn: +90%)", "revenue": "SARIMA"}
    text = flight_sentence(flights, models)
    assert text.startswith(
        "Campaign flight autumn (01 Sep – 31 Oct 2026) is treated as a one-off: its lift in sessions"
    )
    assert "not distinguishable from no lift" in text
    assert flight_sentence({}, models) is None
    assert unavailable_sentence({"organic_share": ["sessions"]}) == (
        "Goals left out because an input is absent: Organic share of sessions (needs sessions)"
    )
