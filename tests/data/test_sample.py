"""The sample data: deterministic, valid against its own contracts, internally consistent, and
carrying the planted structure its _truth/ folder describes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from lxml import html as lhtml
from scipy.stats import chi2_contingency

from workbench.data import DATASETS, check_references, load, site_pages
from workbench.data.aggregate import touchpoints_to_paths
from workbench.data.sample import FILES, generate_sample


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_files(tmp_path):
    a = generate_sample(tmp_path / "a", scale=0.05, seed=7)
    generate_sample(tmp_path / "b", scale=0.05, seed=7)
    fa, fb = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert fa.keys() == fb.keys() and fa == fb
    assert (tmp_path / "a" / ".complete").is_file() and set(FILES) <= set(a)
    c = generate_sample(tmp_path / "c", scale=0.05, seed=8)
    assert c["orders"].read_bytes() != a["orders"].read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folders left behind


def test_regenerating_replaces_the_folder(tmp_path):
    generate_sample(tmp_path / "s", scale=0.03, seed=1)
    (tmp_path / "s" / "stale.csv").write_text("x")
    generate_sample(tmp_path / "s", scale=0.03, seed=1)
    assert not (tmp_path / "s" / "stale.csv").exists()


@pytest.fixture(scope="module")
def frames(sample_data):
    return {n: load(n, sample_data / f"{n}.csv") for n in DATASETS if n != "site_pages"}


@pytest.fixture(scope="module")
def facts(sample_data):
    return json.loads((sample_data / "_truth" / "facts.json").read_text(encoding="utf-8"))


def test_sample_passes_contracts_and_references(frames):
    for child in ("orders", "sessions", "survey"):
        check_references(frames[child], frames["customers"])
    for child in ("keyword_rankings", "site_metrics", "social", "ads_intel", "email_intel", "brand_attributes"):
        check_references(frames[child], frames["competitors"])
    assert frames["competitors"]["is_us"].sum() == 1
    assert 5000 <= len(frames["customers"]) <= 7000 and len(frames["orders"]) > 20000
    assert len(frames["sessions"]) > 100000
    assert frames["orders"]["order_date"].min() >= pd.Timestamp("2024-01-01")
    assert frames["sessions"]["started_at"].max() < pd.Timestamp("2026-11-01")


def test_orders_sessions_touchpoints_agree(frames):
    o, s, t = frames["orders"], frames["sessions"], frames["touchpoints"]
    conv = s[s["converted"]]
    assert len(conv) == len(o) == int(t["converted"].sum())
    assert conv["revenue"].sum() == pytest.approx(o["revenue"].sum())
    assert t["conversion_value"].sum() == pytest.approx(o["revenue"].sum())
    # each order's customer had a converting session just before the order
    per_cust_sessions = conv.groupby("customer_id").size()
    per_cust_orders = o.groupby("customer_id").size()
    pd.testing.assert_series_equal(per_cust_sessions.sort_index(), per_cust_orders.sort_index(), check_names=False)


def test_paths_file_is_touchpoints_to_paths(sample_data, frames):
    got = touchpoints_to_paths(sample_data / "touchpoints.csv")
    pd.testing.assert_frame_equal(got, frames["paths"][got.columns], check_dtype=False)


def test_ad_clicks_cover_paid_sessions(frames):
    s, a = frames["sessions"], frames["ad_stats"]
    paid = s[s["medium"].isin(["cpc", "paid_social"])]
    per_day = paid.groupby(paid["started_at"].dt.normalize()).size()
    clicks = a.groupby("date")["clicks"].sum().reindex(per_day.index)
    assert (clicks >= per_day).all()
    assert (a["clicks"] <= a["impressions"]).all()


def test_campaign_overspends_in_one_channel(frames, facts):
    camp = facts["campaign"]
    a = frames["ad_stats"]
    flight = a[a["campaign"] == camp["name"]]
    assert flight["date"].min() == pd.Timestamp(camp["flight_start"])
    assert flight["date"].max() == pd.Timestamp(camp["flight_end"])
    ratio = flight.groupby("channel")["cost"].sum() / pd.Series(
        {c: v["budget"] for c, v in camp["plan"]["per_channel"].items()}
    )
    over = camp["overspend_channel"]
    assert ratio[over] > 1.3
    assert ratio.drop(over).between(0.85, 1.15).all()


def test_ab_effect_is_real_in_a_and_null_in_b(frames, facts):
    e = frames["experiment"]
    counts = e.groupby("variant")["converted"].agg(["sum", "size"])
    assert set(counts.index) == set(facts["ab_test"]["variants"])

    def p(v):
        table = np.array(
            [
                [counts.loc[v, "sum"], counts.loc[v, "size"] - counts.loc[v, "sum"]],
                [counts.loc["control", "sum"], counts.loc["control", "size"] - counts.loc["control", "sum"]],
            ]
        )
        return chi2_contingency(table)[1]

    assert p("treatment_a") < 0.05 and p("treatment_b") > 0.05
    share = counts["size"] / counts["size"].sum()
    assert (share - 1 / 3).abs().max() < 0.01  # planned equal split, no sample-ratio mismatch


def test_segments_are_recoverable(sample_data, frames):
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    truth = pd.read_csv(sample_data / "_truth" / "segments.csv")
    c = frames["customers"].merge(truth, on="customer_id")
    X = pd.get_dummies(c[["city", "occupation", "lifestyle"]]).astype(float)
    X["age"] = (c["age"] - c["age"].mean()) / c["age"].std()
    labels = KMeans(5, n_init=5, random_state=0).fit_predict(X)
    assert adjusted_rand_score(c["true_segment"], labels) > 0.5


def test_site_pages_flaws_match_truth(sample_data):
    pages = site_pages(sample_data / "site_pages")
    truth = pd.read_csv(sample_data / "_truth" / "site_pages.csv")
    assert len(pages) == 6 and all(24 <= len(v) <= 48 for v in pages.values())
    for row in truth.sample(40, random_state=0).itertuples():
        doc = lhtml.fromstring((sample_data / "site_pages" / row.domain / row.file).read_bytes())
        assert len(doc.xpath("//h1")) == row.h1_count
        assert bool(doc.xpath("//title")) == row.has_title
        assert sum(1 for i in doc.xpath("//img") if not i.get("alt")) == row.images_missing_alt
        assert bool(doc.xpath("//link[@rel='canonical']")) == row.has_canonical
    rate = truth.groupby("domain")["has_canonical"].mean()
    assert rate["taigasport.example"] > rate["trekline.example"]


def test_competitors_differ_by_channel(frames, facts):
    kw = frames["keyword_rankings"]
    top10 = kw[kw["position"] <= 10].groupby("domain").size()
    dom = dict(zip(facts["competitors"]["brands"], facts["competitors"]["domains"], strict=False))
    assert top10[dom[facts["competitors"]["strongest_by_channel"]["seo"]]] == top10.max()
    social = frames["social"].groupby("brand")["followers"].sum()
    assert social.idxmax() == facts["competitors"]["strongest_by_channel"]["social"]
    vol = kw.drop_duplicates("keyword")["search_volume"].sort_values(ascending=False).to_numpy()
    assert vol[: len(vol) // 10].sum() > 0.5 * vol.sum()  # long tail: top 10% of keywords hold most volume


def test_email_sends_drive_sessions(frames):
    e, s = frames["email_sends"], frames["sessions"]
    email = s[s["medium"] == "email"]
    assert int(e["conversions"].sum()) == int(email["converted"].sum())
    assert e["clicks"].sum() >= len(email)


def test_datasets_draw_from_independent_streams(tmp_path, monkeypatch):
    """Changing one dataset's generator (here: the survey draws more random numbers) leaves every
    other file byte-identical."""
    from workbench.data.sample import market

    generate_sample(tmp_path / "a", scale=0.05, seed=3)
    original = market.survey

    def greedy_survey(rng, *args, **kwargs):
        rng.random(1000)
        return original(rng, *args, **kwargs)

    monkeypatch.setattr(market, "survey", greedy_survey)
    generate_sample(tmp_path / "b", scale=0.05, seed=3)
    fa, fb = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert fa.keys() == fb.keys()
    changed = {k for k in fa if fa[k] != fb[k]}
    assert changed == {"survey.csv"}


@pytest.fixture(scope="module")
def churn(sample_data):
    df = pd.read_csv(sample_data / "_truth" / "churn.csv", keep_default_na=False, dtype=str)
    return df.assign(buyer=df["buyer"] == "true", churned=df["churned"] == "true")


def test_churn_truth_agrees_with_orders_and_sessions(frames, churn):
    o, s = frames["orders"], frames["sessions"]
    last = o.groupby("customer_id")["order_date"].max().dt.normalize()
    buyers = churn[churn["buyer"]].set_index("customer_id")
    assert set(buyers.index) == set(last.index)
    # an order happens at the end of its converting visit, which can run past midnight
    lag = (last.reindex(buyers.index) - pd.to_datetime(buyers["last_order_date"])).dt.days
    assert lag.between(0, 1).all()
    gone = churn[churn["churned"]]
    assert gone["buyer"].all() and 0.2 < len(gone) / churn["buyer"].sum() < 0.7
    # churned customers stop visiting: no sessions after their last interested day
    after = s.merge(gone[["customer_id", "active_until"]], on="customer_id")
    assert (after["started_at"] < pd.to_datetime(after["active_until"]) + pd.Timedelta(days=1)).all()
    # dropout differs by segment as planted: students leave most, urban commuters least
    share = churn[churn["buyer"]].groupby("true_segment")["churned"].mean()
    assert share.idxmax() == "students" and share.idxmin() == "urban_commuters"


def test_lapsed_customers_are_really_gone(frames, churn):
    """Observable dropout: among customers who ordered at least twice in 2024, those flagged as churned
    before 2025-07 bought nothing afterwards, while the still-active ones mostly kept buying."""
    o = frames["orders"]
    early = o[o["order_date"] < "2025-01-01"].groupby("customer_id").size()
    regulars = early[early >= 2].index
    late = o[o["order_date"] >= "2025-07-01"].groupby("customer_id").size().reindex(regulars, fill_value=0)
    c = churn.set_index("customer_id").loc[regulars]
    gone = c["churned"] & (pd.to_datetime(c["last_order_date"]) < "2025-06-30")
    assert gone.sum() > 100
    assert (late[gone[gone].index] == 0).all()
    assert (late[c.index[~c["churned"]]] > 0).mean() > 0.9


def test_conversion_rate_varies_by_hour_weekday_and_device(frames, facts):
    s = frames["sessions"]
    assert 0.02 <= s["converted"].mean() <= 0.06
    assert facts["conversion_timing"]["session_conversion_rate"] == pytest.approx(s["converted"].mean(), abs=1e-4)
    weekday = s["started_at"].dt.day_of_week < 5
    hour = s["started_at"].dt.hour

    def compare(inside, outside):
        a, b = s.loc[inside, "converted"], s.loc[outside, "converted"]
        table = [[a.sum(), len(a) - a.sum()], [b.sum(), len(b) - b.sum()]]
        return a.mean(), b.mean(), chi2_contingency(table)[1]

    desk = weekday & (s["device"] == "desktop")
    evening, rest, p = compare(desk & hour.between(19, 22), desk & ~hour.between(19, 22))
    assert evening > 1.4 * rest and p < 1e-6
    mob = weekday & (s["device"] == "mobile")
    lunch, rest, p = compare(mob & hour.between(12, 14), mob & ~hour.between(12, 14))
    assert lunch < 0.8 * rest and p < 1e-3


def test_traffic_and_orders_have_realistic_shape(sample_data, frames):
    """Yearly peaks (Black Friday, December), weekday habits that differ by segment, hours that
    differ by device, and long-tailed order values."""
    from scipy.stats import skew

    s, o = frames["sessions"], frames["orders"]
    month = s.groupby(s["started_at"].dt.to_period("M")).size()
    assert month[pd.Period("2025-12")] > 1.5 * month[pd.Period("2025-02")]
    week = s.groupby(s["started_at"].dt.to_period("W")).size()
    assert week[pd.Period("2025-11-28", "W")] > 1.4 * week[pd.Period("2025-11-05", "W")]

    segments = pd.read_csv(sample_data / "_truth" / "segments.csv")
    known = s.merge(segments, on="customer_id")
    weekend = known["started_at"].dt.day_of_week >= 5
    table = pd.crosstab(known["true_segment"], weekend)
    share = table[True] / table.sum(axis=1)
    assert share["family_campers"] > share["urban_commuters"] + 0.05 and chi2_contingency(table)[1] < 1e-6

    weekday = s["started_at"].dt.day_of_week < 5
    evening = s.loc[weekday, "started_at"].dt.hour.between(19, 23).groupby(s.loc[weekday, "device"]).mean()
    assert evening["mobile"] > 2 * evening["desktop"]

    revenue = o["revenue"].to_numpy()
    top = np.sort(revenue)[::-1][: len(revenue) // 10]
    assert skew(revenue) > 2 and revenue.mean() > 1.3 * np.median(revenue) and top.sum() > 0.3 * revenue.sum()
