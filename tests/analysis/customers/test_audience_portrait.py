"""Portrait sections on small hand-built frames, statistics checked against scipy/statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from workbench.analysis.customers.affinity import affinity
from workbench.analysis.customers.persona import persona_sentences, standout, top_value
from workbench.analysis.customers.portrait import (
    active_window,
    activity_profile,
    audience_trait_affinity,
    best_times_view,
    compare_numeric,
    customer_age_bands,
    customer_purchase_stats,
    customer_session_stats,
    familiarity_funnel,
    purchase_summary,
    usage_summary,
)


def test_primary_device_per_customer_ties_alphabetical():
    sessions = pd.DataFrame(
        {
            "customer_id": ["c1", "c1", "c1", "c2", "c2", "c3", "x9"],
            "device": ["mobile", "mobile", "desktop", "mobile", "desktop", "tablet", "mobile"],
        }
    )
    t = audience_trait_affinity(sessions, "device", ["c1", "c2", "c3"], ["c1"], per="primary").set_index("value")
    # primary devices: c1 mobile, c2 desktop (tie -> alphabetical), c3 tablet; x9 is not a customer
    assert t.loc["mobile", "audience_share"] == 1.0 and t.loc["mobile", "base_share"] == pytest.approx(1 / 3)
    assert t.loc["mobile", "index"] == pytest.approx(300.0)
    assert t.loc["desktop", "base_n"] == 1 and t["base_total"].iloc[0] == 3


def test_set_per_customer_counts_each_brand_once():
    orders = pd.DataFrame(
        {"customer_id": ["a", "a", "a", "b", "c", "c"], "brand": ["Acme", "Acme", "Zen", "Zen", "Acme", None]}
    )
    t = audience_trait_affinity(orders, "brand", ["a", "b", "c"], ["a", "b"], per="set").set_index("value")
    assert t.loc["Acme", "audience_n"] == 1 and t.loc["Zen", "audience_n"] == 2
    assert t.loc["Acme", "base_n"] == 2 and t.loc["Acme", "base_total"] == 3
    assert t.loc["Zen", "index"] == pytest.approx((2 / 2) / (2 / 3) * 100)


def test_survey_multi_valued_per_unit():
    survey = pd.DataFrame({"customer_id": ["a", "b", "c", None], "brands_used": ["Acme;Zen", "Zen", "Acme", "Zen"]})
    t = audience_trait_affinity(survey, "brands_used", ["a", "b", "c"], ["a"], sep=";").set_index("value")
    assert t.loc["Zen", "base_total"] == 3  # the unlinked respondent is not in the base
    assert t.loc["Acme", "index"] == pytest.approx(1 / (2 / 3) * 100)


def test_age_bands_use_features_bands():
    bands = customer_age_bands(pd.DataFrame({"customer_id": [1, 2, 3], "age": [24, 25, None]}))
    assert bands["age_band"].tolist()[:2] == ["18-24", "25-34"] and pd.isna(bands["age_band"].iloc[2])


def test_purchase_stats_hand_computed():
    customers = pd.DataFrame(
        {"customer_id": ["c1", "c2", "c3"], "signup_date": pd.to_datetime(["2023-06-01", "2024-11-01", "2024-02-01"])}
    )
    orders = pd.DataFrame(
        {
            "customer_id": ["c1", "c1", "c1", "c2"],
            "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-07-01", "2024-06-01"]),
        }
    )
    s = customer_purchase_stats(customers, orders, as_of="2024-12-31").set_index("customer_id")
    assert s.loc["c1", "orders"] == 3
    assert s.loc["c1", "purchases_per_year"] == pytest.approx(3 / (365 / 365.25))  # 2024-01-01 .. 12-31
    assert np.isnan(s.loc["c2", "purchases_per_year"])  # 60 days of tenure < 90
    assert s.loc["c3", "purchases_per_year"] == 0.0  # could buy for 334 days, did not
    assert s.loc["c1", "median_gap_days"] == pytest.approx((60 + 122) / 2)
    assert s.loc["c1", "repeat"] == 1 and s.loc["c2", "repeat"] == 0 and np.isnan(s.loc["c3", "repeat"])
    with pytest.raises(ValueError, match="min_tenure_days"):
        customer_purchase_stats(customers, orders, min_tenure_days=0)


def test_purchase_summary_against_statsmodels_and_scipy():
    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame({"customer_id": np.arange(n), "orders": rng.poisson(2, n)})
    frame["purchases_per_year"] = frame["orders"] * 1.5
    frame["median_gap_days"] = np.where(frame["orders"] >= 2, rng.gamma(2, 40, n), np.nan)
    frame["repeat"] = np.where(frame["orders"] > 0, (frame["orders"] >= 2).astype(float), np.nan)
    aud = np.arange(0, n, 4)
    t = purchase_summary(frame, aud).set_index("metric")
    in_aud = frame["customer_id"].isin(aud)
    buyers = frame["repeat"].notna()
    xa, na = int(frame.loc[in_aud & buyers, "repeat"].sum()), int((in_aud & buyers).sum())
    xr, nr = int(frame.loc[~in_aud & buyers, "repeat"].sum()), int((~in_aud & buyers).sum())
    _, p = proportions_ztest([xa, xr], [na, nr])
    assert t.loc["share of repeat buyers", "p_value"] == pytest.approx(p)
    assert t.loc["share of repeat buyers", "audience"] == pytest.approx(xa / na)
    low, high = proportion_confint(xa, na, method="wilson")
    assert t.loc["share of repeat buyers", "audience_low"] == pytest.approx(low)
    ppy = frame["purchases_per_year"]
    assert t.loc["purchases per year", "audience"] == np.median(ppy[in_aud])
    assert t.loc["purchases per year", "p_value"] == pytest.approx(
        stats.mannwhitneyu(ppy[in_aud], ppy[~in_aud], alternative="two-sided").pvalue
    )


def test_compare_numeric_index_and_test():
    values = pd.Series([1.0, 2.0, 3.0, 10.0, 4.0, np.nan])
    in_aud = np.array([True, True, False, False, True, True])
    c = compare_numeric(values, in_aud, "x")
    assert c.audience_n == 3 and c.base_n == 5
    assert c.audience_mean == pytest.approx(7 / 3) and c.base_mean == pytest.approx(4.0)
    assert c.index == pytest.approx(7 / 3 / 4 * 100)
    assert c.p_value == pytest.approx(stats.mannwhitneyu([1, 2, 4], [3, 10], alternative="two-sided").pvalue)


def test_sessions_per_month():
    sessions = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", None],
            "started_at": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01", "2024-03-31"]),
        }
    )
    s = customer_session_stats(sessions, ["a", "b", "c"]).set_index("customer_id")
    months = 90 / 30.4375  # 2024-01-01 .. 2024-03-31
    assert s.loc["a", "sessions_per_month"] == pytest.approx(2 / months)
    assert s.loc["c", "sessions"] == 0
    u = usage_summary(s.reset_index(), ["a"]).set_index("metric")
    assert u.loc["sessions per month", "audience_mean"] == pytest.approx(2 / months)


def test_familiarity_funnel_cumulative_hand_computed():
    survey = pd.DataFrame(
        {
            "customer_id": list("abcdefgh") + ["zz"],
            "familiarity": [
                "regular",
                "tried",
                "aware",
                "unaware",
                "considered",
                "aware",
                "Unaware",
                "unaware",
                "regular",
            ],
        }
    )
    f = familiarity_funnel(survey, list("abcdefgh"), list("abcd")).set_index("stage")
    assert f["audience_n"].tolist() == [4, 3, 2, 2, 1]
    assert f["base_n"].tolist() == [8, 5, 3, 2, 1]  # "zz" is not a customer
    assert f.loc["aware", "audience_conversion"] == pytest.approx(3 / 4)
    assert f.loc["considered", "audience_conversion"] == pytest.approx(2 / 3)
    assert f.loc["regular", "base_conversion"] == pytest.approx(1 / 2)
    assert f.loc["tried", "audience_reached"] == pytest.approx(2 / 4)
    _, p = proportions_ztest([3, 2], [4, 4])  # aware: audience 3/4, rest 2/4
    assert f.loc["aware", "p_value"] == pytest.approx(p)
    assert np.isnan(f.loc["unaware", "p_value"])
    with pytest.raises(ValueError, match=r"unknown stage\(s\) \['loyal'\]"):
        familiarity_funnel(pd.DataFrame({"customer_id": ["a"], "familiarity": ["loyal"]}), ["a"], ["a"])


def _sessions_grid():
    # audience "a": 3 visits Tue 19h, 1 visit Wed 20h; base adds "b": 4 visits Mon 09h
    ts = ["2024-01-02 19:05"] * 3 + ["2024-01-03 20:10"] + ["2024-01-01 09:00"] * 4
    return pd.DataFrame(
        {"customer_id": ["a"] * 4 + ["b"] * 4, "started_at": pd.to_datetime(ts), "converted": [1, 0, 0, 1, 0, 0, 0, 0]}
    )


def test_activity_profile_index_and_best_times():
    act = activity_profile(_sessions_grid(), ["a", "b"], ["a"], min_n=1, top=2)
    t = act.table.set_index(["weekday", "hour"])
    assert len(act.table) == 168 and act.audience_sessions == 4 and act.base_sessions == 8
    assert t.loc[(1, 19), "share"] == pytest.approx(0.75)
    assert t.loc[(1, 19), "index"] == pytest.approx(0.75 / (3 / 8) * 100)
    assert t.loc[(0, 9), "n"] == 0 and t.loc[(0, 9), "index"] == 0
    assert list(zip(act.best["weekday_name"], act.best["hour"], act.best["n"], strict=False)) == [
        ("Tuesday", 19, 3),
        ("Wednesday", 20, 1),
    ]
    assert t.loc[(1, 19), "rate"] == pytest.approx(1 / 3)


def test_active_window():
    act = activity_profile(_sessions_grid(), ["a", "b"], ["a"], min_n=1)
    w = active_window(act.table, days=1, hours=2)
    assert w["weekdays"] == ["Tuesday"] and w["days_share"] == pytest.approx(0.75)
    assert (w["hour_from"], w["hour_to"]) == (19, 21) and w["hours_share"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="days must be"):
        active_window(act.table, days=0)


def test_persona_sentences_from_numbers():
    devices = affinity(["mobile"] * 8 + ["desktop"] * 2, ["mobile"] * 40 + ["desktop"] * 60, audience_in_base=False)
    tiers = affinity(["premium"] * 6 + ["budget"] * 4, ["premium"] * 20 + ["budget"] * 80, audience_in_base=False)
    age = affinity(["25-34"] * 7 + ["35-44"] * 3, ["25-34"] * 30 + ["35-44"] * 70, audience_in_base=False)
    country = affinity(["Germany"] * 6 + ["Austria"] * 4, ["Germany"] * 50 + ["Austria"] * 50, audience_in_base=False)
    purchases = pd.DataFrame(
        {
            "metric": ["purchases per year", "share of repeat buyers"],
            "audience": [4.0, 0.55],
            "base": [2.0, 0.3],
            "audience_mean": [4.1, np.nan],
            "base_mean": [2.2, np.nan],
        }
    )
    text = " ".join(
        persona_sentences(
            "Champions",
            size=1200,
            share_of_base=0.12,
            demographics={"age_band": age, "country": country},
            devices=devices,
            purchases=purchases,
            preferences={"price_tier": tiers},
            active={
                "weekdays": ["Tuesday", "Thursday"],
                "hour_from": 19,
                "hour_to": 22,
                "days_share": 0.4,
                "hours_share": 0.3,
            },
        )
    )
    assert "Champions: 1,200 customers (12% of the base)." in text
    assert "Mostly aged 25-34 (70%, index 233) and mostly in Germany (60%, index 120)." in text
    assert "mobile: 80% of them, index 200" in text
    assert "buy 4.1 times a year on average (base 2.2)" in text and "55% are repeat buyers" in text
    assert "price tier premium (60%, index 300)" in text
    assert "Tuesday and Thursday" in text and "19:00 and 22:00" in text
    assert standout(devices)["value"] == "mobile" and top_value(None) is None


def test_planted_segment_portrait_on_sample_data(sample_data):
    """The planted family_campers (desktop-heavy, buy in offline stores, durability/price/warranty,
    acquired via yandex_direct, organic search and referrals) come out over-represented."""
    from workbench.analysis.customers.audience import choose_audience
    from workbench.analysis.customers.persona import persona_for
    from workbench.analysis.customers.portrait import build_portrait
    from workbench.data import load

    data = {n: load(n, sample_data / f"{n}.csv") for n in ("customers", "orders", "sessions", "survey")}
    truth = pd.read_csv(sample_data / "_truth" / "segments.csv")
    ids = truth.loc[truth["true_segment"] == "family_campers", "customer_id"]
    p = build_portrait(data["customers"], data["orders"], ids, data["sessions"], data["survey"])
    over = lambda t: set(t.loc[t["direction"] == "over", "value"])  # noqa: E731
    assert "desktop" in over(p.devices)
    assert "offline_store" in over(p.places["purchase_place"])
    assert {"durability", "warranty"} <= over(p.attributes["preferred_attributes"])
    assert {"yandex_direct", "organic_search", "referral"} <= over(p.channels["acquisition_channel"])
    assert p.funnel["audience_respondents"].iloc[0] > 0
    text = " ".join(persona_for(p, "Family campers"))
    assert text.startswith(f"Family campers: {len(ids):,} customers")
    assert "desktop" in text
    # the whole base against itself: every index is 100, nothing differs
    base = choose_audience(data["customers"], data["orders"])
    whole = build_portrait(data["customers"], data["orders"], base.customer_ids, data["sessions"], data["survey"])
    assert np.allclose(whole.devices["index"], 100) and set(whole.devices["direction"]) == {"similar"}


def test_choose_audience_validates_segment_params():
    from workbench.analysis.customers.audience import AudienceSelectionError, choose_audience

    customers = pd.DataFrame({"customer_id": ["a", "b"]})
    orders = pd.DataFrame({"customer_id": ["a"], "order_date": pd.to_datetime(["2024-01-01"]), "revenue": [1.0]})
    with pytest.raises(AudienceSelectionError, match="segment_features"):
        choose_audience(customers, orders, audience_segments=[1], segment_features=[])
    with pytest.raises(AudienceSelectionError, match="segment_k must be 0"):
        choose_audience(customers, orders, audience_segments=[1], segment_features=["behaviour"], segment_k=1)


def test_best_times_rank_by_expected_purchases_not_visits_or_rate_alone():
    """Three rankings of the same slots. Monday 12h is the busiest hour but converts at 10%, Tuesday
    20h has fewer visits at 40%, Sunday 7h has the highest rate on few visits: by visits
    Monday wins, by (shrunk) rate Sunday, by expected purchases (visits × shrunk rate) Tuesday does.
    The shrunk rate is checked against a beta-binomial prior fitted independently with scipy."""
    from scipy import optimize, stats

    rows = []  # (day of 2024-01-01 = Monday, hour, visits, conversions)
    slots = [(0, 12, 400, 40), (1, 20, 250, 100), (6, 7, 60, 54)] + [(2 + i % 4, 9 + i, 200, 40) for i in range(8)]
    for day, hour, n, k in slots:
        ts = pd.Timestamp("2024-01-01") + pd.Timedelta(days=day, hours=hour, minutes=5)
        rows.append(pd.DataFrame({"customer_id": "a", "started_at": [ts] * n, "converted": [1] * k + [0] * (n - k)}))
    sessions = pd.concat(rows, ignore_index=True)
    by_n = activity_profile(sessions, ["a"], ["a"], by="n", top=1, min_n=30).best
    by_exp = activity_profile(sessions, ["a"], ["a"], top=3, min_n=30)
    assert by_exp.ranked_by == "expected"
    assert (by_n["weekday_name"].iloc[0], by_n["hour"].iloc[0]) == ("Monday", 12)
    by_rate = activity_profile(sessions, ["a"], ["a"], by="rate", top=1, min_n=30).best
    assert (by_rate["weekday_name"].iloc[0], by_rate["hour"].iloc[0]) == ("Sunday", 7)
    best = by_exp.best
    assert (best["weekday_name"].iloc[0], best["hour"].iloc[0]) == ("Tuesday", 20)

    k = np.array([s[3] for s in slots], float)
    n = np.array([s[2] for s in slots], float)

    def nll(theta):
        a, b = np.exp(theta)
        return -stats.betabinom.logpmf(k, n, a, b).sum()

    a, b = np.exp(
        optimize.minimize(
            nll, np.log([2.0, 8.0]), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000}
        ).x
    )
    expected = n * (k + a) / (n + a + b)
    order = np.argsort(-expected, kind="stable")[:3]
    assert [(slots[i][0], slots[i][1]) for i in order] == list(zip(best["weekday"], best["hour"], strict=False))
    assert best["expected"].to_numpy() == pytest.approx(expected[order], rel=1e-3)
    assert best_times_view(best)["expected purchases"].tolist() == [round(e) for e in expected[order]]
    # without conversions the ranking falls back to visits
    no_conv = activity_profile(sessions.drop(columns="converted"), ["a"], ["a"], top=1, min_n=30)
    assert no_conv.ranked_by == "n" and no_conv.best["hour"].iloc[0] == 12
    with pytest.raises(ValueError, match="by must be"):
        activity_profile(sessions, ["a"], ["a"], by="volume")
