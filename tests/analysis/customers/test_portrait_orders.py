"""The audience portrait reads its orders as per-customer summaries (`OrderSummaries`, reduced by Ibis
expressions where the orders live): the audience it chooses and every orders section it builds are those
the pandas implementation gives on the rows."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.customers.audience import choose_audience
from workbench.analysis.customers.portrait import build_portrait, customer_purchase_stats
from workbench.data.engines.report_inputs import OrderSummaries

pytest.importorskip("ibis", reason="Ibis is a core dependency; reinstall the project")


@pytest.fixture(scope="module")
def sample(sample_data):
    from workbench.data import load

    return load("customers", sample_data / "customers.csv"), load("orders", sample_data / "orders.csv")


def _same_tables(got: dict, ref: dict) -> None:
    assert list(got) == list(ref) and ref
    for name in ref:
        pd.testing.assert_frame_equal(got[name], ref[name], check_dtype=False, rtol=1e-12, obj=name)


@pytest.mark.parametrize("as_of", [None, "2026-06-30"])
def test_buying_frequency_from_summaries_equals_the_rows(sample, as_of):
    customers, orders = sample
    summaries = OrderSummaries.from_frame(orders)
    got = customer_purchase_stats(customers, summaries, as_of=as_of)
    ref = customer_purchase_stats(customers, orders, as_of=as_of)
    pd.testing.assert_frame_equal(got, ref, check_dtype=False, rtol=1e-12)
    assert ref["median_gap_days"].notna().sum() > 1000 and ref["purchases_per_year"].notna().sum() > 1000
    assert summaries.rows == 1 + orders["customer_id"][orders["order_date"] <= (as_of or "2100")].nunique()


def test_portrait_orders_sections_from_summaries_equal_the_rows(sample):
    """Buying frequency, brands, price tiers, categories and channels bought, for an audience of a third of the
    base; the summaries bring back one row per buyer and two per value bought."""
    customers, orders = sample
    audience = customers["customer_id"].iloc[::3]
    summaries = OrderSummaries.from_frame(orders)
    got = build_portrait(customers, summaries, audience)
    ref = build_portrait(customers, orders, audience)
    pd.testing.assert_frame_equal(got.purchase_stats, ref.purchase_stats, check_dtype=False, rtol=1e-12)
    pd.testing.assert_frame_equal(got.purchases, ref.purchases, check_dtype=False, rtol=1e-12)
    for section in ("brands", "attributes", "places"):
        _same_tables(getattr(got, section), getattr(ref, section))
    values = sum(orders[c].nunique() for c in ("brand", "price_tier", "category", "channel"))
    assert summaries.rows == 1 + orders["customer_id"].nunique() + 2 * values + 2 * 4
    assert summaries.rows < len(orders) / 4


@pytest.mark.parametrize(
    "selection",
    [
        {"audience_rfm_group": "Champions"},
        {"audience_rfm_group": "At Risk", "as_of": "2026-06-30"},
        {"audience_segments": ["1"], "segment_features": ["frequency", "monetary", "main_category"], "segment_k": 3},
    ],
)
def test_audience_chosen_on_summaries_is_the_one_chosen_on_the_rows(sample, selection):
    customers, orders = sample
    got = choose_audience(customers, OrderSummaries.from_frame(orders), **selection)
    ref = choose_audience(customers, orders, **selection)
    assert got.size > 0 and list(got.customer_ids) == list(ref.customer_ids)
    assert (got.mode, got.description) == (ref.mode, ref.description)
