"""The post-mortem reads its orders as counts per day of the flight: the KPIs computed from them are the
hand-computed figures, and those `compute_kpis` gives on the rows."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workbench.analysis.campaigns.flight_orders import FlightOrders, flight_order_counts
from workbench.analysis.campaigns.kpis import compute_kpis

ibis = pytest.importorskip("ibis", reason="Ibis is a core dependency; reinstall the project")

FLIGHT = ("2025-10-01", "2025-10-02")

#: ad statistics without conversions, and no sessions: the KPIs take conversions and revenue from the orders
ADS = pd.DataFrame(
    {
        "date": pd.to_datetime(["2025-10-01", "2025-10-02"]),
        "campaign": ["s1", "s1"],
        "impressions": [1000, 2000],
        "clicks": [50, 90],
        "cost": [100.0, 150.0],
    }
)

ORDERS = pd.DataFrame(
    {
        "order_id": [f"o{i}" for i in range(1, 10)],
        "customer_id": ["a", "b", "a", "c", None, "d", "d", "e", "e"],
        "order_date": pd.to_datetime(
            [
                "2025-10-01 09:00",  # a: in the flight, but a first ordered in May (o3): not new
                "2025-10-02 23:59",  # b: first order, last minute of the flight: new
                "2025-05-01 10:00",  # a's first order, before the flight
                "2025-10-03 00:00",  # c: the day after the flight: neither counted nor new
                "2025-10-01 12:00",  # no customer: an order of the flight, nobody's first
                "2025-10-01 08:00",  # d: first order, revenue missing: new, adds no revenue
                "2025-10-02 10:00",  # d again
                "2025-09-30 23:59",  # e's first order, the minute before the flight
                "2025-10-02 11:00",  # e again: not new
            ]
        ),
        "revenue": [30.0, 20.0, 5.0, 40.0, 10.0, None, 15.0, 7.0, 8.0],
    }
)


@pytest.fixture
def counts() -> FlightOrders:
    return flight_order_counts(ibis.memtable(ORDERS), *FLIGHT)


def test_orders_are_counted_per_day_with_new_customers_on_their_first_day(counts):
    assert counts.days["day"].dt.strftime("%Y-%m-%d").tolist() == ["2025-10-01", "2025-10-02"]
    assert counts.days["orders"].tolist() == [3, 3]  # o1, o5, o6 | o2, o7, o9
    assert counts.days["revenue"].tolist() == [40.0, 43.0]  # 30 + 10 + (missing) | 20 + 15 + 8
    assert counts.days["new_customers"].tolist() == [1, 1]  # d | b
    assert (counts.orders, counts.revenue, counts.new_customers, counts.rows) == (6.0, 83.0, 2.0, 2)


def test_kpis_from_counts_are_the_hand_figures_and_those_of_the_rows(counts):
    k = compute_kpis(ADS, None, counts, start=FLIGHT[0], end=FLIGHT[1])
    assert (k["conversions"], k["revenue"], k["new_customers"]) == (6.0, 83.0, 2.0)
    assert k["sources"] == {"conversions": "orders", "revenue": "orders"}
    assert k["cac"] == pytest.approx(250 / 2) and k["cpa"] == pytest.approx(250 / 6)
    rows = compute_kpis(ADS, None, ORDERS, start=FLIGHT[0], end=FLIGHT[1])
    assert k.pop("sources") == rows.pop("sources") and k == pytest.approx(rows, nan_ok=True)


def test_orders_without_customer_id_give_no_new_customers_on_both_paths():
    orders = ORDERS.drop(columns="customer_id")
    counted = flight_order_counts(ibis.memtable(orders), *FLIGHT)
    assert counted.new_customers is None and "new_customers" not in counted.days.columns
    k = compute_kpis(ADS, None, counted, start=FLIGHT[0], end=FLIGHT[1])
    rows = compute_kpis(ADS, None, orders, start=FLIGHT[0], end=FLIGHT[1])
    assert math.isnan(k["cac"]) and math.isnan(rows["cac"]) and "new_customers" not in k
    assert (k["conversions"], k["revenue"]) == (rows["conversions"], rows["revenue"]) == (6.0, 83.0)


def test_counts_refuse_a_flight_they_were_not_counted_for(counts):
    with pytest.raises(ValueError, match="orders were counted for the flight 2025-10-01 to 2025-10-02; asked for"):
        compute_kpis(ADS, None, counts, start="2025-10-01", end="2025-10-05")
    with pytest.raises(ValueError, match="asked for None to None"):
        compute_kpis(ADS, None, counts)
    with pytest.raises(ValueError, match="ends .* before it starts"):
        flight_order_counts(ibis.memtable(ORDERS), "2025-10-05", "2025-10-01")
