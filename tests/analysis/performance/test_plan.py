"""Plan validation, goal status rule, progress arithmetic, budget and initiatives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.performance import plan as P


def test_validation_names_the_params_key():
    with pytest.raises(ValueError) as err:
        P.validate_plan(
            {"2026-Q5": {"revenue": 1}, "2026": {"revnue": 5, "cac": -1}},
            budget={"2026": {"vk_ads": "lots"}},
            initiatives=[{"name": "x", "owner": "y", "deadline": "2026-13-01", "status": "late"}],
        )
    text = str(err.value)
    for part in (
        "goals",
        "2026-Q5",
        "revnue",
        "unknown metric",
        "2026.cac",
        "budget.2026.vk_ads",
        "initiatives.0.deadline",
        "initiatives.0.status",
    ):
        assert part in text, part
    plan = P.validate_plan({"2026": {"revenue": 10}}, {}, [{"name": "a", "owner": "b", "deadline": "2026-01-31"}])
    assert plan.initiatives[0].status == "planned"


def test_period_months():
    assert [str(m) for m in P.period_months("2026-Q3")] == ["2026-07", "2026-08", "2026-09"]
    assert len(P.period_months("2025")) == 12
    with pytest.raises(ValueError, match="YYYY-Qn"):
        P.period_months("2026-07")


@pytest.mark.parametrize(
    "forecast, lower, upper, target, better, expected",
    [
        (110, 90, 130, 100, "higher", "on track"),
        (95, 80, 110, 100, "higher", "at risk"),
        (70, 60, 80, 100, "higher", "off track"),
        (90, 80, 110, 100, "lower", "on track"),
        (105, 95, 120, 100, "lower", "at risk"),
        (130, 110, 150, 100, "lower", "off track"),
        (100, 90, 110, 100, "higher", "on track"),
    ],
)
def test_status_rule(forecast, lower, upper, target, better, expected):
    assert P.goal_status(forecast, lower, upper, target, better) == expected


def _history(n=30, start="2024-01"):
    rng = np.random.default_rng(0)
    idx = pd.period_range(start, periods=n, freq="M")
    t = np.arange(n)
    return pd.DataFrame(
        {
            "revenue": 1000 * np.exp(0.01 * t + 0.1 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.03, n)),
            "ad_cost": 100 + rng.normal(0, 3, n),
            "new_customers": 50 + rng.normal(0, 2, n),
        },
        index=idx,
    )


def test_progress_arithmetic_for_finished_and_running_periods():
    h = _history()  # 2024-01 … 2026-06
    plan = P.validate_plan(
        {
            "2025": {"revenue": 1.0, "cac": 1.5},
            "2026": {"revenue": 1e9},
            "2026-Q2": {"revenue": 1.0},
            "2023": {"revenue": 5.0},
        }
    )
    prog, models = P.goals_progress(plan, h, level=0.8)
    row = prog.set_index(["period", "metric"])
    y25 = h.loc["2025-01":"2025-12"]
    assert row.loc[("2025", "revenue"), "actual"] == pytest.approx(y25["revenue"].sum())
    assert row.loc[("2025", "revenue"), "status"] == "achieved"
    assert row.loc[("2025", "cac"), "actual"] == pytest.approx(y25["ad_cost"].sum() / y25["new_customers"].sum())
    assert row.loc[("2025", "cac"), "status"] == "missed"  # about 2.0 against a target of 1.5, lower is better
    r26 = row.loc[("2026", "revenue")]
    assert r26["actual"] == pytest.approx(h.loc["2026-01":"2026-06", "revenue"].sum())
    assert r26["elapsed"] == pytest.approx(0.5)
    assert r26["lower"] < r26["forecast"] < r26["upper"] and r26["lower"] > r26["actual"]
    assert r26["status"] == "off track"
    assert row.loc[("2023", "revenue"), "status"] == "no data"
    assert models["revenue"].startswith("SARIMA(0,1,1)(0,1,1)12")
    # the point forecast is actual to date + the model's point forecast of the remaining months
    from workbench.analysis.performance.forecast import fit_forecast

    f = fit_forecast(h["revenue"], 6, level=0.8, log=True)
    assert r26["forecast"] == pytest.approx(r26["actual"] + f.forecast["mean"].sum(), rel=1e-6)


def test_missing_base_series_is_a_clear_error():
    plan = P.validate_plan({"2026": {"organic_share": 0.2}})
    with pytest.raises(ValueError, match="organic_sessions"):
        P.goals_progress(plan, _history())
    assert P.goals_needing(plan, {"sessions"}) == {"organic_share": ["organic_sessions"]}


def test_budget_status_and_run_rate():
    days = pd.date_range("2026-01-01", "2026-06-30", freq="D")
    ads = pd.DataFrame(
        {
            "date": np.tile(days, 2),
            "channel": ["a"] * len(days) + ["b"] * len(days),
            "cost": [10.0] * len(days) + [20.0] * len(days),
        }
    )
    ads = pd.concat([ads, pd.DataFrame({"date": [pd.Timestamp("2026-03-01")], "channel": ["c"], "cost": [5.0]})])
    plan = P.validate_plan({"2026": {"revenue": 1}}, budget={"2026": {"a": 3650, "b": 3650}, "2027": {"a": 1}})
    out = P.budget_status(plan, ads, "2026-06-30").set_index(["period", "channel"])
    elapsed = 181 / 365
    a = out.loc[("2026", "a")]
    assert a["spent"] == pytest.approx(1810) and a["elapsed"] == pytest.approx(elapsed)
    assert a["projected"] == pytest.approx(1810 / elapsed) and a["status"] == "on plan"
    assert out.loc[("2026", "b"), "status"] == "over"
    assert out.loc[("2026", "c"), "status"] == "unplanned"
    assert out.loc[("2027", "a"), "status"] == "not started"


def test_overdue_initiatives():
    plan = P.validate_plan(
        {"2026": {"revenue": 1}},
        initiatives=[
            {"name": "late", "owner": "o", "deadline": "2026-03-01", "status": "in_progress"},
            {"name": "done", "owner": "o", "deadline": "2026-02-01", "status": "done"},
            {"name": "future", "owner": "o", "deadline": "2026-12-01"},
        ],
    )
    out = P.initiatives_status(plan, "2026-04-01")
    assert out["name"].tolist()[0] == "late" and out["overdue"].tolist() == [True, False, False]
    assert out.loc[0, "days_overdue"] == 31


def test_resolve_as_of_uses_data_not_clock():
    ts = pd.Series(pd.to_datetime(["2024-01-01 00:00", "2026-10-31 23:00"]))
    assert P.resolve_as_of("", ts) == (pd.Timestamp("2026-10-31"), pd.Period("2026-10", "M"))
    assert P.resolve_as_of("2026-06-15", ts)[1] == pd.Period("2026-05", "M")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        P.resolve_as_of("June", ts)


def test_yearly_review_and_revised_targets():
    h = _history()
    prog, _ = P.goals_progress(P.validate_plan({"2025": {"revenue": 1.0}, "2026": {"revenue": 1.0}}), h)
    review = P.yearly_review(prog)
    assert review["basis"].tolist() == ["actual", "forecast"]
    assert review.loc[0, "gap"] == pytest.approx(review.loc[0, "outcome"] - 1)
    rev = P.revised_targets(h, ["revenue"], [2026, 2027], current={("2026", "revenue"): 1.0})
    assert rev.loc[0, "current_target"] == 1.0 and rev.loc[0, "proposed"] == pytest.approx(review.loc[1, "outcome"])
    assert rev.loc[1, "lower"] < rev.loc[1, "proposed"] < rev.loc[1, "upper"]
    # stretch: the upper quartile, inside the 80% range and above the 50/50 target
    assert rev.loc[1, "proposed"] < rev.loc[1, "stretch"] < rev.loc[1, "upper"]
    # lower-is-better (CAC): the stretch is the favourable (lower) quartile
    cac = P.revised_targets(h, ["cac"], [2027], stretch_quantile=0.85).iloc[0]
    assert cac["lower"] < cac["stretch"] < cac["proposed"]
    with pytest.raises(ValueError, match="stretch_quantile"):
        P.revised_targets(h, ["revenue"], [2027], stretch_quantile=0.3)


def test_progress_quantiles_match_simulated_interval():
    # the 10% and 90% quantiles asked for explicitly are the 80% interval's bounds
    h = _history()
    plan = P.validate_plan({"2026": {"revenue": 1.0}})
    prog, _ = P.goals_progress(plan, h, level=0.8, quantiles=(0.1, 0.9))
    r = prog.iloc[0]
    assert r["q0.1"] == pytest.approx(r["lower"]) and r["q0.9"] == pytest.approx(r["upper"])
    with pytest.raises(ValueError, match="quantiles"):
        P.goals_progress(plan, h, quantiles=(1.5,))


def test_campaign_flights_from_ad_stats():
    ads = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-01-05", "2026-09-16", "2026-10-31", "2026-11-02", "2026-10-10"]),
            "campaign": ["brand", "autumn", "autumn", "autumn", "brand"],
            "cost": [10.0, 5.0, 5.0, 0.0, 1.0],
            "impressions": [100, 50, 50, 0, 10],
        }
    )
    months = pd.period_range("2026-08", "2026-12", freq="M")
    x = P.campaign_flights(ads, ["autumn"], months)
    # live from its first to its last day with spend: 15 of 30 September days, all of October;
    # the row of 2026-11-02 has no spend or impressions, so the flight ended on 2026-10-31
    assert x["autumn"].tolist() == pytest.approx([0.0, 0.5, 1.0, 0.0, 0.0])
    with pytest.raises(
        ValueError, match=r"\['spring'\] not found in ad_stats; its campaigns are \['autumn', 'brand'\]"
    ):
        P.campaign_flights(ads, ["spring"], months)


def test_format_metric_reads_like_a_report():
    assert P.format_metric("organic_share", 0.1234) == "12.3%"
    assert P.format_metric("revenue", 48_695_500) == "48.7M RUB"
    assert P.format_metric("cac", 756.09) == "756 RUB"
    assert P.format_metric("romi", 4.1351) == "4.14"
    assert P.format_metric("new_customers", 2194.6) == "2,195"
    assert P.format_metric("sessions", float("nan")) == "–"
    assert P.metric_label("cac") == "CAC" and P.metric_label("organic_share") == "Organic share of sessions"


def test_unknown_flight_name_stops_with_a_did_you_mean():
    from workbench.analysis.performance.plan import campaign_flights

    ads = pd.DataFrame({"date": ["2026-09-01"], "campaign": ["autumn_launch_2026"], "cost": [1.0]})
    with pytest.raises(ValueError, match=r"'autumn_lanch_2026' \(did you mean 'autumn_launch_2026'\?\)"):
        campaign_flights(ads, ["autumn_lanch_2026"], pd.period_range("2026-01", periods=12, freq="M"))
