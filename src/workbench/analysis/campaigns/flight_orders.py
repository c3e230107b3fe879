"""The post-mortem's orders as counts per day of the flight: all its KPIs read of them are sums.

Orders grow with the traffic, yet the post-mortem reads only three figures of them: the flight's orders
and revenue (conversions and revenue when neither the ad statistics nor the sessions have them) and its
new customers (the customers whose first order ever falls in the flight: the CAC's denominator).
`flight_order_counts` computes them per day with `expressions.order_days`, on the engine where a table
lives or on a loaded file (as an in-memory table), so both paths share every line after the reduction;
`kpis.compute_kpis` accepts the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["FlightOrders", "flight_order_counts"]


@dataclass(frozen=True)
class FlightOrders:
    """Orders reduced to what the post-mortem reads.

    start, stop: the flight [start, stop) the days cover; days: day, orders, revenue and (when the orders have
    customer_id) new_customers, one row per day of the flight with orders."""

    start: pd.Timestamp
    stop: pd.Timestamp
    days: pd.DataFrame

    @property
    def rows(self) -> int:
        """How many aggregate rows reached the kernel."""
        return len(self.days)

    @property
    def orders(self) -> float:
        """Orders placed in the flight (rows of the orders table)."""
        return float(self.days["orders"].sum())

    @property
    def revenue(self) -> float:
        """Their revenue (a missing revenue adds nothing)."""
        return float(self.days["revenue"].sum())

    @property
    def new_customers(self) -> float | None:
        """Customers whose first order ever falls in the flight; None when the orders have no customer_id."""
        return float(self.days["new_customers"].sum()) if "new_customers" in self.days.columns else None

    def check_window(self, start: Any, end: Any) -> None:
        """Stop when a figure asks for another flight than the one counted (dates inclusive)."""
        one_day = pd.Timedelta(days=1)
        asked = None if start is None or end is None else (pd.Timestamp(start), pd.Timestamp(end) + one_day)
        if asked != (self.start, self.stop):
            raise ValueError(
                f"the orders were counted for the flight {self.start:%Y-%m-%d} to "
                f"{self.stop - pd.Timedelta(days=1):%Y-%m-%d}; asked for {start} to {end}"
            )


def flight_order_counts(t: Any, start: str, end: str) -> FlightOrders:
    """Reduce an Ibis orders table (engine table or `ibis.memtable` of a loaded file) to the flight
    [start, end]'s orders, revenue and new customers per day (dates inclusive)."""
    from workbench.data.engines.expressions import order_days

    bounds = (pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1))
    if not bounds[0] < bounds[1]:
        raise ValueError(f"start_date/end_date: the flight ends ({end}) before it starts ({start})")
    return FlightOrders(bounds[0], bounds[1], order_days(t, bounds))
