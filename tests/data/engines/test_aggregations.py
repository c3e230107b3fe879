"""Each aggregation is one Ibis expression that gives the same answer on DuckDB and on Spark, and the same
answer as the file-based implementation the reports use today (an independent pandas/DuckDB-SQL code path).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.campaigns import scope
from workbench.analysis.campaigns.attribution import markov_attribution, markov_from_transitions, rules, summarise_paths
from workbench.analysis.customers.customer_value import fit_bgnbd, transaction_summary
from workbench.data import aggregate
from workbench.data.engines import expressions as E


@pytest.fixture(scope="module")
def touchpoints(sample_data) -> pd.DataFrame:
    tp = pd.read_csv(sample_data / "touchpoints.csv", parse_dates=["touched_at"])
    users = sorted(tp["user_id"].unique())[:1500]  # a slice keeps the Spark cases to seconds
    return tp[tp["user_id"].isin(users)].reset_index(drop=True)


@pytest.fixture(scope="module")
def orders(sample_data) -> pd.DataFrame:
    o = pd.read_csv(sample_data / "orders.csv", parse_dates=["order_date"])
    return o[o["customer_id"].isin(sorted(o["customer_id"].unique())[:2000])].reset_index(drop=True)


@pytest.fixture(scope="module")
def sessions(sample_data) -> pd.DataFrame:
    s = pd.read_csv(sample_data / "sessions.csv", parse_dates=["started_at"])
    return s[s["started_at"] >= "2026-04-01"].reset_index(drop=True)


@pytest.mark.parametrize("lookback", [None, 7.0])
def test_paths_equal_the_file_implementation(duck, touchpoints, lookback):
    got = E.finish_paths(E.touchpoints_to_paths(duck.table(touchpoints), lookback).execute())
    ref = aggregate.touchpoints_to_paths(touchpoints, lookback_days=lookback)
    pd.testing.assert_frame_equal(got, ref, check_dtype=False)  # exact: counts and paths


def test_paths_split_journeys_at_conversions(engine):
    tp = pd.DataFrame(
        {
            "user_id": ["u1"] * 4 + ["u2"] * 2,
            "touched_at": pd.to_datetime(
                ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-20", "2026-01-01", "2026-01-01"]
            ),
            "channel": ["seo", "email", "cpc", "seo", "social", "email"],
            "converted": [False, True, False, False, False, True],
            "conversion_value": [0.0, 100.0, 0.0, 0.0, 0.0, 50.0],
        }
    )
    got = E.finish_paths(E.touchpoints_to_paths(engine.table(tp)).execute()).set_index("path")
    # u1: [seo > email] converts (100), then [cpc > seo] does not; u2: same-time tie, non-converting first
    assert got.loc["seo > email"].tolist() == [1, 0, 100.0]
    assert got.loc["cpc > seo"].tolist() == [0, 1, 0.0]
    assert got.loc["social > email"].tolist() == [1, 0, 50.0]
    lookback = E.finish_paths(E.touchpoints_to_paths(engine.table(tp), 1.5).execute()).set_index("path")
    assert "seo" in lookback.index  # cpc on the 3rd is 17 days before seo on the 20th: cut


def test_customer_transactions_equal_transaction_summary(duck, orders):
    got = E.customer_transactions(duck.table(orders), "2026-03-31", "2026-09-30")
    ref = transaction_summary(orders, "2026-03-31", "2026-09-30")
    ref.index = ref.index.astype(str)
    pd.testing.assert_frame_equal(got, ref.sort_index(), check_dtype=False, check_index_type=False, rtol=1e-9)


def test_cdnow_summary_on_the_engine_gives_the_published_bgnbd_fit(duck, reference_data):
    """Fader, Hardie & Lee (2005) CDNOW sample: r 0.243, α 4.414, a 0.793, b 2.426 (weeks, to 1997-09-30)."""
    orders = pd.read_csv(reference_data / "cdnow_sample_orders.csv", parse_dates=["order_date"])
    table = duck.table(orders)
    summary = E.customer_transactions(table, "1997-09-30", time_unit_days=7.0)
    fit = fit_bgnbd(summary["frequency"], summary["recency"], summary["T"])
    assert (fit.r, fit.alpha, fit.a, fit.b) == pytest.approx((0.243, 4.414, 0.793, 2.426), abs=1e-3)


def test_hour_device_and_daily_ads_equal_the_file_implementation(duck, sessions, sample_data):
    got = E.sessions_by_hour_device(duck.table(sessions)).execute().reset_index(drop=True)
    pd.testing.assert_frame_equal(got, aggregate.sessions_by_hour_device(sessions), check_dtype=False)
    ads = pd.read_csv(sample_data / "ad_stats.csv", parse_dates=["date"])
    got = E.daily_ad_stats(duck.table(ads)).execute()
    got["date"] = pd.to_datetime(got["date"]).astype("datetime64[ns]")
    pd.testing.assert_frame_equal(got, aggregate.daily_ad_stats(ads), check_dtype=False)


def test_traffic_counts_equal_a_pandas_groupby(duck, sessions):
    got = E.traffic_counts(duck.table(sessions), ["source", "medium"], ["2026-05", "2026-06"])
    s = sessions.assign(month=sessions["started_at"].dt.to_period("M"))
    s = s[s["month"].isin(pd.PeriodIndex(["2026-05", "2026-06"], freq="M"))]
    ref = (
        s.groupby(["month", "source", "medium"])
        .agg(sessions=("session_id", "size"), conversions=("converted", "sum"), revenue=("revenue", "sum"))
        .reset_index()
    )
    pd.testing.assert_frame_equal(got, ref, check_dtype=False)


def test_visitor_counts_tell_new_returning_and_anonymous_sessions_apart(engine):
    sessions = pd.DataFrame(
        {
            "started_at": pd.to_datetime(
                [
                    "2026-05-03 10:00",
                    "2026-06-02 10:00",
                    "2026-06-05 10:00",
                    "2026-06-07 10:00",
                    "2026-06-09 10:00",
                    "2026-06-30 23:00",
                    "2026-07-01 10:00",
                ]
            ),
            "customer_id": ["c1", "c1", "c2", "c2", None, " ", "c3"],
            "converted": [False, True, False, True, False, True, True],
            "revenue": [0.0, 40.0, 0.0, 25.0, 0.0, 10.0, 99.0],
        }
    )
    got = E.visitor_counts(engine.table(sessions), "2026-06").set_index("visitor_type")
    # c1 came in May (returning), c2 first in June (new, 2 sessions), None and a blank id are anonymous
    assert got.loc["returning", ["visitors", "sessions", "conversions", "revenue"]].tolist() == [1, 1, 1, 40.0]
    assert got.loc["new", ["visitors", "sessions", "conversions", "revenue"]].tolist() == [1, 2, 1, 25.0]
    assert got.loc["not identified", ["sessions", "conversions", "revenue"]].tolist() == [2, 1, 10.0]
    assert len(got) == 3  # c3 (July) is not in the month


def test_hour_device_window_keeps_sessions_that_start_inside_it(duck, sessions):
    window = ("2026-05-01", "2026-07-01")
    got = E.sessions_by_hour_device(duck.table(sessions), window).execute()
    inside = sessions[(sessions["started_at"] >= window[0]) & (sessions["started_at"] < window[1])]
    assert got["sessions"].sum() == len(inside) and got["conversions"].sum() == inside["converted"].sum()


def test_session_groups_equal_a_pandas_groupby_over_the_window(duck, sessions):
    """The post-mortem's flight counts: per campaign × source × device, sessions that start in the window."""
    window = ("2026-09-01", "2026-11-01")
    got = E.session_groups(duck.table(sessions), ["campaign", "source", "device"], window)
    s = sessions[(sessions["started_at"] >= window[0]) & (sessions["started_at"] < window[1])]
    ref = (
        s.assign(engaged=s["pageviews"] > 1)
        .groupby(["campaign", "source", "device"], dropna=False)
        .agg(
            sessions=("session_id", "size"),
            engaged_sessions=("engaged", "sum"),
            conversions=("converted", "sum"),
            revenue=("revenue", "sum"),
        )
        .reset_index()
    )
    for key in ("campaign", "source", "device"):  # sessions without a campaign: one group, its key None
        ref[key] = ref[key].astype(object).where(ref[key].notna(), None)
    assert 0 < len(got) < len(s)
    pd.testing.assert_frame_equal(got, ref, check_dtype=False, rtol=1e-12)


def test_session_groups_keep_missing_keys_as_a_group_and_count_engaged_visits(engine):
    sessions = pd.DataFrame(
        {
            "started_at": pd.to_datetime(
                ["2026-09-01 00:00", "2026-09-01 10:00", "2026-09-02 23:59", "2026-09-03 00:00", "2026-08-31 23:59"]
            ),
            "campaign": ["a", None, "a", "a", "a"],
            "pageviews": [1, 2, 5, None, 9],
            "converted": [True, False, None, True, True],
            "revenue": [10.0, 0.0, None, 7.0, 5.0],
        }
    )
    got = E.session_groups(engine.table(sessions), "campaign", ("2026-09-01", "2026-09-03"))
    # the window is [09-01, 09-03): the 08-31 and 09-03 sessions are out; a missing campaign is its own group, last
    assert got["campaign"].tolist() == ["a", None]
    assert got[["sessions", "engaged_sessions", "conversions"]].to_numpy().tolist() == [[2, 1, 1], [1, 1, 0]]
    assert got["revenue"].tolist() == [10.0, 0.0]  # a missing revenue adds nothing


def test_first_orders_by_month_count_each_customer_once_in_their_first_month(engine):
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", None],
            "order_date": pd.to_datetime(["2026-01-05", "2026-02-01", "2026-02-03", "2026-02-28", "2026-01-09"]),
        }
    )
    got = E.first_orders_by_month(engine.table(orders))
    assert got.to_dict() == {pd.Period("2026-01", "M"): 1.0, pd.Period("2026-02", "M"): 2.0}


def test_order_days_equal_a_pandas_groupby_over_the_flight(duck, sample_data):
    """The post-mortem's orders: per day of the flight, orders, revenue and the customers whose first order
    ever falls on that day (pandas over the rows is the reference)."""
    orders = pd.read_csv(sample_data / "orders.csv", parse_dates=["order_date"])
    flight = (pd.Timestamp("2026-09-01"), pd.Timestamp("2026-11-01"))
    got = E.order_days(duck.table(orders), flight)
    rows = orders[(orders["order_date"] >= flight[0]) & (orders["order_date"] < flight[1])]
    ref = rows.groupby(rows["order_date"].dt.normalize().rename("day")).agg(
        orders=("order_id", "size"), revenue=("revenue", "sum")
    )
    first = orders.groupby("customer_id")["order_date"].min()
    new = first[(first >= flight[0]) & (first < flight[1])].dt.normalize().value_counts()
    ref["new_customers"] = new.reindex(ref.index, fill_value=0)
    assert 0 < len(got) <= 61 < len(rows) and ref["new_customers"].sum() > 0
    pd.testing.assert_frame_equal(got, ref.reset_index(), check_dtype=False, rtol=1e-12)


def test_order_days_count_a_customer_new_only_on_their_first_order_ever(engine):
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b", "c", None],
            "order_date": pd.to_datetime(
                [
                    "2026-08-31 23:59",
                    "2026-09-01 00:00",
                    "2026-09-01 10:00",
                    "2026-09-02 23:59",
                    "2026-09-03 00:00",
                    "2026-09-02 12:00",
                ]
            ),
            "revenue": [1.0, 2.0, 4.0, None, 8.0, 16.0],
        }
    )
    got = E.order_days(engine.table(orders), ("2026-09-01", "2026-09-03"))
    # a ordered first the day before; b is new on 09-01; c's first order is after the window; no customer: no one
    assert got["day"].dt.strftime("%m-%d").tolist() == ["09-01", "09-02"]
    assert got[["orders", "new_customers"]].to_numpy().tolist() == [[2, 1], [2, 0]]
    assert got["revenue"].tolist() == [6.0, 16.0]  # a missing revenue adds nothing


@pytest.mark.parametrize("until", [None, "2026-06-30"])
def test_customer_purchases_equal_the_portrait_buying_frequency_of_the_rows(duck, orders, until):
    """Orders per buyer and the median of whole days between consecutive orders: pandas' sort + diff +
    median over the rows (`portrait.customer_purchase_stats`) is the reference."""
    got = E.customer_purchases(duck.table(orders), until)
    o = orders if until is None else orders[orders["order_date"] <= until]
    o = o.sort_values(["customer_id", "order_date"])
    gaps = o.groupby("customer_id")["order_date"].diff().dt.days
    ref = (
        o.assign(gap=gaps)
        .groupby("customer_id")
        .agg(
            orders=("order_id", "size"),
            first=("order_date", "min"),
            last=("order_date", "max"),
            median_gap_days=("gap", "median"),
        )
    )
    assert (
        ref["median_gap_days"].notna().sum() > 100 and (ref["orders"] % 2 == 1).any() and (ref["orders"] % 2 == 0).any()
    )
    pd.testing.assert_frame_equal(got, ref, check_dtype=False, check_index_type=False, rtol=1e-12)


def test_customer_purchases_floor_gaps_to_whole_days_and_average_the_middle_two(engine):
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "a", "b", None, "c", "c"],
            "order_date": pd.to_datetime(
                [
                    "2026-01-01 10:00",
                    "2026-01-02 09:00",  # 23 h after: 0 whole days
                    "2026-01-05 10:00",  # 3 days 1 h: 3
                    "2026-01-15 10:00",  # 10
                    "2026-01-15 10:00",  # the same time: 0
                    "2026-01-03 00:00",  # b: one order, no gap
                    "2026-01-04 00:00",  # no customer: left out
                    "2026-01-01 00:00",
                    "2026-02-01 00:00",  # after `until`: left out, so c has one order
                ]
            ),
        }
    )
    got = E.customer_purchases(engine.table(orders), "2026-01-31")
    assert got.index.tolist() == ["a", "b", "c"] and got["orders"].tolist() == [5, 1, 1]
    assert got.loc["a", "median_gap_days"] == 1.5  # gaps 0, 0, 3, 10: the middle two averaged
    assert got["median_gap_days"].isna().tolist() == [False, True, True]


def test_order_value_counts_equal_the_per_customer_affinity_counts_of_the_rows(duck, orders):
    """Customers per brand (category, price tier, channel) bought, audience and base: the counts that
    `audience_trait_affinity(per="set")` makes from the rows."""
    from workbench.analysis.customers.affinity import affinity_from_counts
    from workbench.analysis.customers.portrait import audience_trait_affinity

    ids = pd.Index(sorted(orders["customer_id"].unique())[:1500])  # the base: not every buyer
    aud = ids[::3]
    members = pd.DataFrame({"customer_id": ids, "audience": ids.isin(aud)})
    got = E.order_value_counts(duck.table(orders), members, ("brand", "category", "price_tier", "channel", "x"))
    assert sorted(got) == ["brand", "category", "channel", "price_tier"]
    for col, counted in got.items():
        ref = audience_trait_affinity(orders, col, ids, aud, per="set")
        pd.testing.assert_frame_equal(
            affinity_from_counts(*counted["audience"], *counted["base"]), ref, check_dtype=False
        )


def test_order_value_counts_trim_values_and_count_a_customer_once_per_value(engine, duck):
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "b", "c", "z"],
            "brand": ["Kedr", " Kedr ", "Polar", "Kedr", "  ", None, "Kedr"],
            "channel": [None] * 6 + ["web"],
        }
    )
    members = pd.DataFrame({"customer_id": ["a", "b", "c"], "audience": [True, False, False]})
    got = E.order_value_counts(engine.table(orders), members, ("brand", "channel"))
    # a channel held only outside the members: an empty table, as the rows give (their column holds a value)
    assert got["channel"]["base"][1] == 0 and got["channel"]["base"][0].empty
    none_held = E.order_value_counts(duck.table(orders.assign(channel=None)), members, ("brand", "channel"))
    assert list(none_held) == ["brand"]  # no channel anywhere: no table, as the rows give none
    (aud, aud_total), (base, base_total) = got["brand"]["audience"], got["brand"]["base"]
    # z is not a member; b's blank brand and c's missing one count for nothing; a bought Kedr twice
    assert aud.to_dict() == {"Kedr": 1, "Polar": 1} and aud_total == 1
    assert base.to_dict() == {"Kedr": 2, "Polar": 1} and base_total == 2


def test_monthly_totals_fill_empty_months_with_zero(engine):
    orders = pd.DataFrame(
        {"order_date": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-03-02"]), "revenue": [10.0, 5.0, 7.5]}
    )
    got = E.monthly_totals(engine.table(orders), "order_date", ["revenue"], "orders")
    assert list(got.index.astype(str)) == ["2026-01", "2026-02", "2026-03"]
    assert got["orders"].tolist() == [2, 0, 1] and got["revenue"].tolist() == [15.0, 0.0, 7.5]


def test_duckdb_and_spark_agree_on_every_aggregation(duck, spark, touchpoints, orders, sessions, sample_data):
    """Exact for counts and paths, floats to 1e-9 relative (small slices: Spark's cost is per query)."""
    tp = touchpoints[touchpoints["user_id"].isin(sorted(touchpoints["user_id"].unique())[:300])]
    few = orders[orders["customer_id"].isin(sorted(orders["customer_id"].unique())[:300])]
    june = sessions[sessions["started_at"] >= "2026-06-01"]
    ads = pd.read_csv(sample_data / "ad_stats.csv", parse_dates=["date"]).head(500)
    flight = ("2026-09-01", "2026-11-01")  # journeys that end in the campaign flight (the post-mortem's filter)
    buyers = sorted(few["customer_id"].unique())
    members = pd.DataFrame({"customer_id": buyers, "audience": [i % 4 == 0 for i in range(len(buyers))]})
    for build in (
        lambda e: E.finish_paths(E.touchpoints_to_paths(e.table(tp)).execute()),
        lambda e: E.finish_paths(E.touchpoints_to_paths(e.table(tp), 30.0).execute()),
        lambda e: E.finish_paths(E.touchpoints_to_paths(e.table(tp), 30.0, flight).execute()),
        lambda e: pd.DataFrame({"n": [E.journeys_ending(e.table(tp), flight, 30.0)]}),
        lambda e: E.time_decay_credit(e.table(tp), 7.0, 30.0, flight).execute(),
        lambda e: E.customer_transactions(e.table(few), "2026-05-31", "2026-08-31"),
        lambda e: E.sessions_by_hour_device(e.table(june)).execute(),
        lambda e: E.daily_ad_stats(e.table(ads)).execute().astype({"date": "datetime64[ns]"}),
        lambda e: E.traffic_counts(e.table(june), ["source", "medium"], ["2026-06"]),
        lambda e: E.monthly_totals(e.table(june), "started_at", ["revenue"], "sessions"),
        lambda e: E.traffic_counts(e.table(june), ["source", "medium", "device", "landing_page"]),
        lambda e: E.sessions_by_hour_device(e.table(june), ("2026-06-10", "2026-06-20")).execute(),
        lambda e: E.visitor_counts(e.table(sessions), "2026-06"),
        lambda e: E.first_orders_by_month(e.table(few)).to_frame().reset_index(drop=True),
        lambda e: pd.DataFrame({"span": list(E.session_span(e.table(june)))}),
        lambda e: E.session_groups(e.table(june), ["campaign", "source", "device"], ("2026-06-03", "2026-06-24")),
        lambda e: E.order_days(e.table(few), ("2026-05-01", "2026-09-01")),
        lambda e: E.customer_purchases(e.table(few), "2026-06-30").fillna({"median_gap_days": -1.0}),
        lambda e: _value_counts_frame(E.order_value_counts(e.table(few), members, ("brand", "channel"))),
    ):
        a, b = build(duck), build(spark)
        pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-9)
        assert len(a) and np.isfinite(a.select_dtypes("number").to_numpy(dtype=float)).all()


def _value_counts_frame(counted: dict) -> pd.DataFrame:
    """`order_value_counts` as one frame: column, side, value, customers (totals under the value "")."""
    rows = [
        (col, side, value, int(n))
        for col, sides in counted.items()
        for side, (counts, total) in sides.items()
        for value, n in [*counts.items(), ("", total)]
    ]
    return pd.DataFrame(rows, columns=["column", "side", "value", "customers"])


def _same_summary(got: dict, ref) -> None:
    """An engine's path summary against `summarise_paths` of the file implementation's paths."""
    for name in ("heuristic", "transitions", "channel_sets", "lengths", "top_paths"):
        a, b = got[name].reset_index(drop=True), getattr(ref, name).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=False, rtol=1e-9, obj=name)
    assert got["totals"] == pytest.approx(ref.totals, rel=1e-12)


@pytest.mark.parametrize(("lookback", "order"), [(None, 1), (7.0, 1), (30.0, 2), (None, 3)])
def test_path_summary_equals_the_summary_of_the_file_paths(duck, touchpoints, lookback, order):
    """Every aggregate attribution reads, computed on the engine, equals the same aggregate computed in
    pandas from the file implementation's distinct paths; the Markov chain solved from the engine's
    transition counts gives the removal effects of the path-based chain."""
    paths = aggregate.touchpoints_to_paths(touchpoints, lookback_days=lookback)
    got = E.path_summary(duck.table(touchpoints), lookback, order=order, top_n=15)
    _same_summary(got, summarise_paths(paths, order=order, top_n=15))
    from_counts = markov_from_transitions(got["transitions"], order).credit
    from_paths = markov_attribution(paths, order=order).credit
    pd.testing.assert_frame_equal(from_counts, from_paths, check_exact=False, rtol=1e-9, atol=1e-12)
    channels = touchpoints["channel"].nunique()
    states = 1 + sum(channels**k for k in range(1, order + 1))  # (start) and every run of ≤ order channels
    assert len(got["heuristic"]) == channels and len(got["transitions"]) <= states * (states + 1)


def test_path_summary_counts_transitions_by_hand(engine):
    tp = pd.DataFrame(
        {
            "user_id": ["u1"] * 4 + ["u2"] * 3,
            "touched_at": pd.to_datetime(
                ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-20", "2026-01-01", "2026-01-02", "2026-01-03"]
            ),
            "channel": ["seo", "email", "cpc", "seo", "seo", "seo", "email"],
            "converted": [False, True, False, False, False, False, True],
            "conversion_value": [0.0, 100.0, 0.0, 0.0, 0.0, 0.0, 50.0],
        }
    )
    # journeys: seo > email (converts, 100), cpc > seo (lapses), seo > seo > email (converts, 50)
    got = E.path_summary(engine.table(tp), order=1)
    tr = got["transitions"].set_index(["from_state", "to_state"])
    assert tr["journeys"].to_dict() == {
        ("(start)", "cpc"): 1,
        ("(start)", "seo"): 2,
        ("cpc", "seo"): 1,
        ("email", "(conversion)"): 2,
        ("seo", "(null)"): 1,
        ("seo", "email"): 2,
        ("seo", "seo"): 1,
    }
    assert tr.loc[("email", "(conversion)"), "value"] == 150.0
    h = got["heuristic"].set_index("channel")
    assert h["first_touch_conversions"].to_dict() == {"cpc": 0.0, "email": 0.0, "seo": 2.0}
    assert h.loc["seo", "linear_value"] == pytest.approx(100 / 2 + 50 * 2 / 3)
    assert h.loc["seo", "position_based_conversions"] == pytest.approx(0.5 + 0.4 + 0.2)
    sets = got["channel_sets"].set_index("path")
    assert sets.loc["email > seo", "conversions"] == 2 and sets.loc["cpc > seo", "non_conversions"] == 1
    assert got["lengths"].set_index("length")["journeys"].to_dict() == {2: 2, 3: 1}
    assert got["totals"] == {"paths": 3, "journeys": 3, "conversions": 2, "non_conversions": 1, "value": 150}
    order2 = E.path_summary(engine.table(tp), order=2)["transitions"].set_index(["from_state", "to_state"])
    assert order2.loc[("seo > seo", "seo > email"), "journeys"] == 1
    assert order2.loc[("seo", "seo > email"), "journeys"] == 1


@pytest.mark.parametrize("order", [1, 2, 3])
def test_path_summary_splits_awkward_channels_as_the_kernel_does(engine, order):
    """Channels the kernel's split rewrites (padded inside a path, blank, holding the separator, missing),
    one-touch and repeated-channel journeys, channels never last: the one grouping of the steps that gives
    the credit and the transitions equals `summarise_paths` of the file implementation's paths at every
    order."""
    day = pd.Timestamp("2026-03-01")
    rows = [  # user, day offset, channel, converted, value
        ("a", 0, "cpc>brand", False, 0.0),
        ("a", 1, " seo ", False, 0.0),
        ("a", 2, "", False, 0.0),
        ("a", 3, "email", True, 120.0),
        ("a", 9, None, False, 0.0),
        ("b", 0, "email", True, 80.0),
        ("c", 0, "social", False, 0.0),
        ("c", 1, "social", False, 0.0),
        ("c", 2, "social", False, 0.0),
        ("c", 3, "seo", True, 40.5),
        ("d", 0, "social", False, 0.0),
        ("d", 1, "seo", False, 0.0),
        ("e", 0, "cpc>brand", True, 10.0),
    ]
    tp = pd.DataFrame(rows, columns=["user_id", "day", "channel", "converted", "conversion_value"])
    tp["touched_at"] = day + pd.to_timedelta(tp.pop("day"), unit="D")
    paths = aggregate.touchpoints_to_paths(tp)
    assert set(paths["path"]) >= {"cpc>brand >  seo  >  > email", "(unknown)", "social > social > social > seo"}
    got = E.path_summary(engine.table(tp), order=order)
    _same_summary(got, summarise_paths(paths, order=order))
    channels = set(got["heuristic"]["channel"])
    assert channels == {"seo", "cpc", "brand", "email", "(unknown)", "social"}
    assert "cpc" not in set(got["transitions"].query("to_state == '(conversion)'")["from_state"])


@pytest.mark.parametrize(
    ("flight", "lookback", "in_flight"),
    [(("2026-09-01", "2026-10-31"), 30.0, True), (("2030-01-01", "2030-01-31"), None, False)],
)
def test_flight_attribution_gives_the_file_journeys_in_flight(engine, touchpoints, flight, lookback, in_flight):
    """The post-mortem's attribution from one build of the journeys equals the file implementation's: the
    journeys that end within the flight (every journey when none does), their path summary and their
    time-decay credit (`rules.heuristic_attribution` of the touch-level journeys)."""
    tp = touchpoints[touchpoints["user_id"].isin(sorted(touchpoints["user_id"].unique())[:300])]
    journeys, _ = scope.journeys_in_flight(rules.journeys_from_touchpoints(tp, lookback), *flight, lookback)
    bounds = (pd.Timestamp(flight[0]), pd.Timestamp(flight[1]) + pd.Timedelta(days=1))
    summary, decay, found = E.flight_attribution(engine.table(tp), bounds, lookback, 7.0, order=2, top_n=10)
    assert found is in_flight and (E.journeys_ending(engine.table(tp), bounds, lookback) > 0) is in_flight
    _same_summary(summary, summarise_paths(rules.paths_from_journeys(journeys), order=2, top_n=10))
    ref = rules.heuristic_attribution(journeys=journeys, models=("time_decay",), half_life_days=7.0)
    pd.testing.assert_frame_equal(decay, ref, check_dtype=False, check_exact=False, rtol=1e-9)


def test_duckdb_and_spark_agree_on_the_path_summary(duck, spark, touchpoints):
    """Exact for counts, floats to 1e-9 relative, at order 2 (the general state slices) in a flight."""
    tp = touchpoints[touchpoints["user_id"].isin(sorted(touchpoints["user_id"].unique())[:300])]
    flight = ("2026-09-01", "2026-11-01")
    a, b = (E.path_summary(e.table(tp), 30.0, flight, order=2, top_n=10) for e in (duck, spark))
    for name in ("heuristic", "transitions", "channel_sets", "lengths", "top_paths"):
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False, rtol=1e-9, obj=name)
        assert len(a[name])
    assert a["totals"] == pytest.approx(b["totals"], rel=1e-12)


def _members(sessions: pd.DataFrame, n: int = 300, audience: int = 100) -> pd.DataFrame:
    """The first `n` customers with sessions, the first `audience` of them flagged as the audience."""
    ids = sorted(sessions["customer_id"].dropna().astype(str).unique())[:n]
    return pd.DataFrame({"customer_id": ids, "audience": [i < audience for i in range(len(ids))]})


def _values_frame(counted: dict) -> pd.DataFrame:
    """`audience_values` as one frame: customers per value for the base and the audience, then the totals."""
    (aud, aud_total), (base, base_total) = counted["audience"], counted["base"]
    frame = pd.DataFrame({"base": base, "audience": aud.reindex(base.index, fill_value=0)})
    return pd.concat([frame, pd.DataFrame({"base": [base_total], "audience": [aud_total]}, index=["(customers)"])])


def test_customer_sessions_count_each_customers_visits_devices_and_sources(duck, sessions):
    """Per customer up to a day: visits, first and last visit, visits per device, the main device and the
    main source — against a pandas groupby over the rows (most visits, ties alphabetically first)."""
    until = pd.Timestamp("2026-06-30 12:00")
    got = E.customer_sessions(duck.table(sessions), until)
    s = sessions[sessions["customer_id"].notna() & (sessions["started_at"] <= until)]
    g = s.groupby("customer_id")
    assert got.index.tolist() == sorted(s["customer_id"].unique())
    assert (got["sessions"] == g.size()).all()
    assert (got["first"] == g["started_at"].min()).all() and (got["last"] == g["started_at"].max()).all()
    per_device = pd.crosstab(s["customer_id"], s["device"])
    for device in per_device.columns:
        assert (got[f"device={device}"] == per_device[device]).all()
    for column, main in (("device", "main_device"), ("source", "main_source")):
        n = s.groupby(["customer_id", column]).size().rename("n").reset_index()
        top = n.sort_values(["customer_id", "n", column], ascending=[True, False, True]).drop_duplicates("customer_id")
        assert got[main].tolist() == top[column].tolist()


def test_main_device_and_source_ties_go_to_the_alphabetically_first(engine):
    sessions = pd.DataFrame(
        {
            "customer_id": ["a"] * 5 + ["b"] * 3 + [None],
            "started_at": pd.date_range("2026-06-01 08:00", periods=9, freq="7h"),
            "device": ["mobile", " Mobile", "desktop", "desktop", None, "tablet", "TABLET", "desktop", "mobile"],
            "source": ["yandex", "google", "google", "yandex", "vk", "vk", None, "ok", "google"],
        }
    )
    got = E.customer_sessions(engine.table(sessions))
    assert got.index.tolist() == ["a", "b"]  # a visit without a customer belongs to nobody
    # a: mobile 2 (case and spaces do not make another device), desktop 2 → the tie goes to desktop;
    # the visit without a device is a visit, not a device
    assert got.loc["a", ["sessions", "device=desktop", "device=mobile", "device=tablet"]].tolist() == [5, 2, 2, 0]
    assert got.loc["a", "main_device"] == "desktop" and got.loc["b", "main_device"] == "tablet"
    # sources: a has google 2, yandex 2, vk 1 → google; b has vk 1, ok 1 (and a missing one) → ok
    assert got.loc["a", "main_source"] == "google" and got.loc["b", "main_source"] == "ok"


def test_audience_slots_and_values_count_only_the_members(duck, sessions):
    """Visits per audience flag × weekday × hour, and customers per source / medium (once each), of the
    members only — against pandas over the rows joined to the members."""
    members = _members(sessions)
    s = sessions.merge(members, on="customer_id")
    slots = E.audience_slots(duck.table(sessions), members)
    when = s["started_at"]
    ref = s.groupby(["audience", when.dt.weekday.rename("weekday"), when.dt.hour.rename("hour")])
    ref = ref.agg(n=("session_id", "size"), successes=("converted", "sum")).reset_index()
    pd.testing.assert_frame_equal(slots, ref, check_dtype=False)
    assert slots["n"].sum() == len(s) < len(sessions)
    pairs = s.assign(v=s["source"] + " / " + s["medium"]).drop_duplicates(["customer_id", "v"])
    counted = E.audience_values(duck.table(sessions), members)
    base, aud = pairs["v"].value_counts().sort_index(), pairs.loc[pairs["audience"], "v"].value_counts().sort_index()
    pd.testing.assert_series_equal(counted["base"][0], base, check_names=False, check_dtype=False)
    pd.testing.assert_series_equal(counted["audience"][0], aud, check_names=False, check_dtype=False)
    assert counted["base"][1] == pairs["customer_id"].nunique() == len(members)
    assert counted["audience"][1] == pairs.loc[pairs["audience"], "customer_id"].nunique() == 100


def test_duckdb_and_spark_agree_on_the_customer_session_aggregates(duck, spark, sessions):
    june = sessions[sessions["started_at"] >= "2026-06-01"]
    members = _members(june, n=200, audience=60)
    for build in (
        lambda e: E.customer_sessions(e.table(june)),
        lambda e: E.customer_sessions(e.table(june), "2026-06-20"),
        lambda e: E.audience_slots(e.table(june), members),
        lambda e: _values_frame(E.audience_values(e.table(june), members)),
    ):
        a, b = build(duck), build(spark)
        pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-9)
        assert len(a) and np.isfinite(a.select_dtypes("number").to_numpy(dtype=float)).all()


def keyword_level(ads: pd.DataFrame) -> pd.DataFrame:
    """Each ad-statistics row split into two keyword rows whose counts and money add up to the row's (clicks
    stay within impressions): a keyword-level export of the same statistics."""
    a, b = ads.assign(keyword="buy shoes"), ads.assign(keyword="shoes sale")
    for col in ("impressions", "clicks", "conversions"):
        a[col] = ads[col] // 2
        b[col] = ads[col] - a[col]
    for col in ("cost", "revenue"):
        a[col] = ads[col] * 0.25
        b[col] = ads[col] - a[col]
    return pd.concat([a, b], ignore_index=True).sort_values(["date", "keyword"], kind="stable")


def test_flight_ad_stats_sum_a_keyword_level_table_to_the_report_grain(duck, sample_data):
    """The post-mortem's ad statistics: per day × campaign × channel × platform × ad group × creative of the
    flight, the sums of the rows (pandas over the keyword rows is the reference), keywords summed away."""
    ads = pd.read_csv(sample_data / "ad_stats.csv", parse_dates=["date"])
    rows = keyword_level(ads)
    flight = (pd.Timestamp("2026-09-01"), pd.Timestamp("2026-11-01"))
    got = E.flight_ad_stats(duck.table(rows), flight, ["autumn_launch_2026", "retargeting"])
    keys = ["campaign", "channel", "platform", "ad_group", "creative"]
    kept = rows[(rows["date"] >= flight[0]) & (rows["date"] < flight[1])]
    kept = kept[kept["campaign"].isin(["autumn_launch_2026", "retargeting"])]
    ref = kept.groupby([kept["date"].dt.normalize(), *keys]).agg(
        rows=("keyword", "size"), **{c: (c, "sum") for c in ("impressions", "clicks", "cost", "conversions", "revenue")}
    )
    pd.testing.assert_frame_equal(got, ref.reset_index(), check_dtype=False, rtol=1e-12)
    assert len(got) == len(kept) / 2 and got["rows"].eq(2).all()  # one group per creative and day, not per keyword
    everything = E.flight_ad_stats(duck.table(rows), flight)
    assert everything["rows"].sum() == ((rows["date"] >= flight[0]) & (rows["date"] < flight[1])).sum()
    assert set(everything["campaign"]) == set(ads.loc[ads["date"] >= flight[0], "campaign"])


def test_flight_ad_stats_keep_missing_keys_and_sum_hours_into_days(engine):
    """A missing ad group is a group of its own; hours of one day are one row; a missing conversion adds
    nothing; the flight's last day counts to its last second, the next day not."""
    rows = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-01 08:00", "2026-09-01 17:00", "2026-09-02 23:59", "2026-09-03 00:00"]),
            "campaign": ["c", "c", "c", "c"],
            "channel": ["vk_ads"] * 4,
            "ad_group": [None, None, "g", "g"],
            "impressions": [10, 20, 40, 80],
            "clicks": [1, 2, 4, 8],
            "cost": [1.5, 2.5, 4.0, 8.0],
            "conversions": [1.0, None, None, 3.0],
        }
    )
    got = E.flight_ad_stats(engine.table(rows), ("2026-09-01", "2026-09-03"))
    assert got["date"].dt.strftime("%m-%d").tolist() == ["09-01", "09-02"]
    assert got["ad_group"].tolist() == [None, "g"] and "platform" not in got.columns
    assert got[["rows", "impressions", "clicks", "conversions"]].to_numpy().tolist() == [[2, 30, 3, 1], [1, 40, 4, 0]]
    assert got["cost"].tolist() == [4.0, 4.0]
    campaigns = E.ad_stats_campaigns(engine.table(rows))
    assert campaigns[["campaign", "rows"]].to_numpy().tolist() == [["c", 4]]
    assert (campaigns["first"].iloc[0], campaigns["last"].iloc[0]) == (rows["date"].min(), rows["date"].max())


def test_duckdb_and_spark_agree_on_the_flight_ad_stats(duck, spark, sample_data):
    ads = keyword_level(pd.read_csv(sample_data / "ad_stats.csv", parse_dates=["date"]))
    ads = ads[(ads["date"] >= "2026-09-20") & (ads["date"] < "2026-10-10")]
    flight = ("2026-09-25", "2026-10-05")
    for build in (
        lambda e: E.flight_ad_stats(e.table(ads), flight, ["autumn_launch_2026"]),
        lambda e: E.flight_ad_stats(e.table(ads), flight),
        lambda e: E.ad_stats_campaigns(e.table(ads)),
    ):
        a, b = build(duck), build(spark)
        pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-9)
        assert len(a) and np.isfinite(a.select_dtypes("number").to_numpy(dtype=float)).all()
