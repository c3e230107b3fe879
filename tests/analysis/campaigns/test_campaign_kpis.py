"""KPIs, breakdown, pacing, funnels, e-mail and lessons on hand-built frames with hand-computed answers."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from workbench.analysis.campaigns.breakdown import breakdown, breakdown_view, compare_leader, rate_with_interval
from workbench.analysis.campaigns.email import email_metrics
from workbench.analysis.campaigns.funnels import funnel_by, funnel_table
from workbench.analysis.campaigns.kpis import (
    KPI_GLOSSARY,
    channel_cpa_vs_plan,
    compute_kpis,
    glossary_frame,
    kpi_view,
    kpis_vs_plan,
)
from workbench.analysis.campaigns.lessons import derive_lessons
from workbench.analysis.campaigns.pacing import pacing_daily, pacing_summary

ADS = pd.DataFrame(
    {
        "date": pd.to_datetime(["2025-10-01", "2025-10-01", "2025-10-02", "2025-10-02", "2025-09-30"]),
        "campaign": ["s1", "f1", "s1", "f1", "s1"],
        "channel": ["search", "social", "search", "social", "search"],
        "creative": ["x", "y", "x", "z", "x"],
        "impressions": [1000, 5000, 2000, 40, 999],
        "clicks": [50, 40, 90, 10, 9],
        "cost": [100.0, 80, 150, 20, 9],
        "conversions": [5, 2, 7, 1, 1],
        "revenue": [500.0, 100, 800, 10, 9],
    }
)


def test_compute_kpis_hand_computed():
    k = compute_kpis(ADS, start="2025-10-01", end="2025-10-02", gross_margin=0.5)
    assert k["impressions"] == 8040 and k["clicks"] == 190 and k["cost"] == 350
    assert k["ctr"] == pytest.approx(190 / 8040) and k["cpc"] == pytest.approx(350 / 190)
    assert k["cpm"] == pytest.approx(350 / 8040 * 1000) and k["cpa"] == pytest.approx(350 / 15)
    assert k["roas"] == pytest.approx(1410 / 350) and k["romi"] == pytest.approx((1410 * 0.5 - 350) / 350)
    assert k["aov"] == pytest.approx(1410 / 15) and k["conversion_rate"] == pytest.approx(15 / 190)
    assert k["sources"] == {"conversions": "ad_stats", "revenue": "ad_stats"}


def test_compute_kpis_from_sessions_and_orders():
    ads = ADS.drop(columns=["conversions", "revenue"])
    sessions = pd.DataFrame(
        {
            "session_id": range(4),
            "started_at": pd.to_datetime(["2025-10-01"] * 4),
            "campaign": ["s1", "s1", "f1", "other"],
            "converted": [True, False, True, True],
            "revenue": [30.0, 0, 20, 99],
        }
    )
    orders = pd.DataFrame(
        {
            "order_id": [1, 2, 3],
            "customer_id": ["a", "b", "a"],
            "order_date": pd.to_datetime(["2025-10-01", "2025-10-02", "2025-05-01"]),
            "revenue": [30.0, 20, 5],
        }
    )
    k = compute_kpis(ads, sessions, orders, start="2025-10-01", end="2025-10-02")
    assert k["sessions"] == 3 and k["conversions"] == 2 and k["revenue"] == 50
    assert k["conversion_rate"] == pytest.approx(2 / 3)
    assert k["cac"] == pytest.approx(350 / 1)  # customer a ordered before the flight: only b is new


def test_kpis_vs_plan_direction_and_status():
    t = kpis_vs_plan(
        {"roas": 3.0, "cpa": 21.0, "clicks": 95.0, "ctr": 0.02},
        {"roas": 2.5, "cpa": 20.0, "clicks": 100.0, "ctr": 0.03},
    ).set_index("kpi")
    assert t.loc["roas", "status"] == "on track" and t.loc["roas", "variance"] == pytest.approx(0.5)
    assert t.loc["cpa", "status"] == "at risk"  # 5 % too expensive, lower is better
    assert t.loc["clicks", "status"] == "at risk" and t.loc["ctr", "status"] == "off track"
    assert t.loc["cpm", "status"] == "no target"
    with pytest.raises(ValueError, match="unknown KPI"):
        kpis_vs_plan({}, {"roi": 1})


def test_glossary_doc_lists_every_kpi(project_root: Path):
    doc = (project_root / "docs" / "kpi-glossary.md").read_text(encoding="utf-8")
    for g in KPI_GLOSSARY:
        assert g["name"] in doc and g["formula"] in doc
    assert len(glossary_frame()) == len(KPI_GLOSSARY)


def test_breakdown_wilson_and_small_sample_flag():
    b = breakdown(ADS, by="creative", min_n=100).set_index("creative")
    low, high = proportion_confint(149, 3999, method="wilson")
    assert b.loc["x", "ctr_low"] == pytest.approx(low) and b.loc["x", "ctr_high"] == pytest.approx(high)
    assert "small sample" in b.loc["z", "flag"]  # 10/40 CTR leads on 40 impressions
    with pytest.raises(ValueError, match="by must be"):
        breakdown(ADS, by="country")


def test_pacing_hand_computed():
    budget = {"search": 400.0, "social": 100.0, "email": 50.0}
    daily = pacing_daily(ADS, budget, "2025-10-01", "2025-10-04")
    s = daily[daily.channel == "search"]
    assert list(s["planned_cum"]) == [100, 200, 300, 400] and list(s["actual_cum"][:2]) == [100, 250]
    # the data end on 2025-10-02 while the flight runs to 10-04: those days are unknown, not zero spend
    assert s["actual_cum"].iloc[2:].isna().all() and s["pacing"].iloc[2:].isna().all()
    summ = pacing_summary(ADS, budget, "2025-10-01", "2025-10-04", recent_days=2).set_index("channel")
    # as of 2025-10-02: search spent 250 of 200 planned; run rate (100+150)/2 = 125 -> 250 + 2*125 = 500
    assert summ.loc["search", "pacing"] == pytest.approx(1.25)
    assert summ.loc["search", "projected"] == pytest.approx(500) and summ.loc["search", "status"] == "over-delivering"
    assert summ.loc["email", "status"] == "under-delivering"
    with pytest.raises(ValueError, match="before start"):
        pacing_daily(ADS, budget, "2025-10-04", "2025-10-01")


def test_pacing_of_a_flight_still_running_projects_its_end():
    # flight 2025-10-01 … 10-10, data to 10-02 (8 days left); social spent 80 then 20: run rate over
    # the last 7 days (both) = 50 -> 100 + 8 × 50 = 500 against a budget of 300 -> over-delivering
    summ = pacing_summary(ADS, {"search": 1000.0, "social": 300.0}, "2025-10-01", "2025-10-10").set_index("channel")
    assert summ.attrs == {"as_of": "2025-10-02", "days_elapsed": 2, "days_remaining": 8}
    assert summ.loc["social", "planned_to_date"] == pytest.approx(60) and summ.loc["social", "spent"] == pytest.approx(
        100
    )
    assert summ.loc["social", "projected"] == pytest.approx(500) and summ.loc["social", "status"] == "over-delivering"
    # search: 250 + 8 × 125 = 1250 of 1000; an explicit as_of moves the cut
    assert summ.loc["search", "projected"] == pytest.approx(1250)
    early = pacing_summary(ADS, {"search": 1000.0}, "2025-10-01", "2025-10-10", as_of="2025-10-01").set_index("channel")
    assert early.loc["search", "projected"] == pytest.approx(100 + 9 * 100) and early.attrs["days_remaining"] == 9


def test_funnel_table_and_by_channel():
    f = funnel_table({"impressions": 1000, "clicks": 50, "sessions": 40, "conversions": 4})
    assert list(f["rate_from_previous"].round(3)[1:]) == [0.05, 0.8, 0.1]
    assert f["drop_off"].iloc[1] == pytest.approx(0.95) and f["rate_from_first"].iloc[-1] == pytest.approx(0.004)
    sessions = pd.DataFrame(
        {
            "campaign": ["s1", "s1", "f1"],
            "device": ["mobile", "desktop", "mobile"],
            "pageviews": [1, 3, 2],
            "converted": [True, False, False],
        }
    )
    by = funnel_by(ADS, sessions).set_index("channel")
    assert by.loc["search", "sessions"] == 2 and by.loc["search", "conversions"] == 1
    dev = funnel_by(None, sessions, by="device").set_index("device")
    assert dev.loc["mobile", "engaged_sessions"] == 1


def test_email_metrics_hand_computed():
    sends = pd.DataFrame(
        {
            "campaign": ["a", "b"],
            "sent_at": ["2025-10-01 09:00", "2025-10-08 18:00"],
            "recipients": [1000, 2000],
            "delivered": [950, 1900],
            "opens": [300, 400],
            "clicks": [30, 20],
            "unsubscribes": [2, 5],
            "complaints": [0, 3],
            "revenue": [570.0, 190.0],
        }
    )
    m = email_metrics(sends)
    assert m["delivery_rate"].iloc[0] == pytest.approx(0.95) and m["click_to_open"].iloc[0] == pytest.approx(0.1)
    tot = m.iloc[-1]
    assert tot["campaign"] == "All sends" and tot["click_rate"] == pytest.approx(50 / 2850)
    assert tot["revenue_per_email"] == pytest.approx(760 / 2850)
    assert tot["complaint_rate"] == pytest.approx(3 / 2850)


def test_best_time_lesson_names_the_band_and_the_device():
    best = pd.DataFrame(
        {
            "weekday": [1, 2, 0],
            "weekday_name": ["Tuesday", "Wednesday", "Monday"],
            "hour": [20, 21, 19],
            "n": [7241, 8010, 4606],
            "rate": [0.0824, 0.0772, 0.0779],
            "rate_shrunk": [0.081, 0.076, 0.0759],
        }
    )
    by_device = pd.DataFrame(
        {
            "device": ["desktop", "mobile"],
            "group_n": [1000, 3000],
            "group_rate": [0.054, 0.056],
            "weekday_name": ["Tuesday", "Tuesday"],
            "hour": [20, 20],
            "n": [989, 5688],
            "rate": [0.108, 0.079],
            "rate_shrunk": [0.096, 0.077],
        }
    )
    text = derive_lessons(kpis_vs_plan({}), best_times=best, best_by_device=by_device).recommendations[-1]
    assert text.startswith(
        "Publish on weekdays around 19–22 h: the best slot is Tuesday 20:00 (8.2% conversion over 7,241"
    )
    assert "followed by Wednesday 21:00 and Monday 19:00" in text
    assert "desktop visits convert best at their best slot, Tuesday 20:00: 10.8% over 989 visits against 5.4%" in text
    mixed = best.assign(weekday=[1, 5, 0], weekday_name=["Tuesday", "Saturday", "Monday"])
    text = derive_lessons(kpis_vs_plan({}), best_times=mixed).recommendations[-1]
    assert text.startswith("Publish around Tuesday 20:00") and "next best: Saturday 21:00 and Monday 19:00" in text


def test_lessons_follow_the_numbers():
    kt = kpis_vs_plan({"roas": 3.0, "cpa": 30.0}, {"roas": 2.5, "cpa": 20.0})
    pac = pacing_summary(ADS, {"search": 200.0, "social": 100.0}, "2025-10-01", "2025-10-02")
    lessons = derive_lessons(kt, pacing=pac)
    assert any(w.startswith("ROAS") for w in lessons.wins)
    assert any(loss.startswith("CPA") for loss in lessons.losses)
    assert any("search" in r and "overspends" in r for r in lessons.recommendations)


def test_on_plan_band_and_per_row_formats():
    kt = kpis_vs_plan({"conversions": 654.0, "cost": 789_516.0, "ctr": 0.0148}, {"conversions": 655, "cost": 732_000})
    st = kt.set_index("kpi")["status"]
    assert st["conversions"] == "on plan" and st["cost"] == "at risk" and st["ctr"] == "no target"
    view = kpi_view(kt, "RUB").set_index("KPI")
    assert view.loc["Conversions", "Actual"] == "654" and view.loc["Conversions", "Variance"] == "-1"
    assert view.loc["Spend", "Target"] == "732,000 RUB" and view.loc["CTR (click-through rate)", "Actual"] == "1.48%"
    lessons = derive_lessons(kt)
    assert any(w.startswith("Conversions on plan: 654 against 655") for w in lessons.wins)
    with pytest.raises(ValueError, match="on_plan"):
        kpis_vs_plan({}, {}, on_plan=0.5)


def test_compare_leader_lift_interval_and_test():
    from statsmodels.stats.proportion import proportions_ztest

    ads = pd.DataFrame(
        {"creative": ["c1", "c2"], "impressions": [100_000, 80_000], "clicks": [1_350, 1_264], "cost": [1.0, 1.0]}
    )
    lead = compare_leader(breakdown(ads, "creative"), "ctr")
    assert (lead["leader"], lead["runner_up"]) == ("c2", "c1")
    ratio = (1264 / 80_000) / (1350 / 100_000)
    se = np.sqrt(1 / 1264 - 1 / 80_000 + 1 / 1350 - 1 / 100_000)  # Katz log interval, by hand
    assert lead["lift"] == pytest.approx(ratio - 1)
    assert lead["lift_low"] == pytest.approx(ratio * np.exp(-1.959964 * se) - 1, rel=1e-5)
    assert lead["lift_high"] == pytest.approx(ratio * np.exp(1.959964 * se) - 1, rel=1e-5)
    _, p = proportions_ztest([1264, 1350], [80_000, 100_000])
    assert lead["p_value"] == pytest.approx(p) and lead["clear"]
    with pytest.raises(ValueError, match="rate must be"):
        compare_leader(breakdown(ads, "creative"), "cpa")
    view = breakdown_view(breakdown(ads, "creative"), currency="RUB")
    assert list(view.columns)[:5] == ["Creative", "Spend (RUB)", "Share of spend", "Clicks", "CTR (95% CI)"]
    low, high = proportion_confint(1264, 80_000, method="wilson")
    assert rate_with_interval(1264 / 80_000, low, high) == f"1.58%\u00a0({low * 100:.2f}%–{high * 100:.2f}%)"


def test_interval_of_a_zero_rate_gets_the_digits_it_needs():
    # issue 15: a Wilson interval for 0 of 1,012 read "0%–0%"; statsmodels gives the upper end 0.38 %
    from workbench.analysis.stats.proportions import wilson_interval

    low, high = wilson_interval(0, 1012)
    assert high == pytest.approx(proportion_confint(0, 1012, method="wilson")[1])
    assert rate_with_interval(0.0, low, high, digits=0) == "0%\u00a0(0%–0.4%)"
    assert rate_with_interval(0.5, 0.45, 0.55, digits=0) == "50%\u00a0(45%–55%)"


def test_channel_cpa_vs_plan_and_lesson():
    b = breakdown(ADS, "channel")
    cpa = channel_cpa_vs_plan(b, {"search": 20.0, "social": 10.0})
    # search: 259 / 13 = 19.92 (-0.4 %); social: 100 / 3 = 33.3 (+233 %) -> social first
    assert list(cpa["channel"]) == ["social", "search"]
    assert cpa["variance_pct"].iloc[0] == pytest.approx(100 / 3 / 10 - 1)
    lessons = derive_lessons(kpis_vs_plan({}, {}), channel_cpa=cpa)
    assert any(loss.startswith("social has the CPA furthest above plan: 33 against 10") for loss in lessons.losses)
    with pytest.raises(ValueError, match="positive"):
        channel_cpa_vs_plan(b, {"search": 0})
