"""Report-wide load options: a params file's rename map and drop opt-in reach every load."""

from __future__ import annotations

import pytest

from workbench.data import dropped_summary, dropped_text, load, loads_with_drops, set_load_options
from workbench.errors import DataValidationError

ORDERS = "Order ID,customer_id,order_date,Revenue RUB\no1,c1,2025-01-02,10.5\no2,c1,2025-01-03,-3\no3,c2,2025-01-04,7\n"


@pytest.fixture(autouse=True)
def _reset_options():
    set_load_options()
    yield
    set_load_options()


def test_defaults_apply_to_every_load_that_does_not_pass_its_own(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    set_load_options(rename={"orders": {"revenue_rub": "revenue"}}, drop_invalid=True)
    orders = load("orders", path)
    assert list(orders["order_id"]) == ["o1", "o3"]
    logged = loads_with_drops()
    assert len(logged) == 1
    assert dropped_summary(*logged)["rows_dropped"].tolist() == [1]
    assert dropped_text(*logged).startswith("orders.csv: 1 of 3 rows was left out")
    # an explicit argument still wins over the report-wide default
    with pytest.raises(DataValidationError, match="revenue"):
        load("orders", path, drop_invalid=False)


def test_without_options_bad_rows_still_stop_the_report(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS.replace("Revenue RUB", "revenue"), encoding="utf-8")
    with pytest.raises(DataValidationError, match="line 3"):
        load("orders", path)
    assert loads_with_drops() == []


def test_options_are_checked_with_the_params_names():
    with pytest.raises(ValueError, match="column_renames"):
        set_load_options(rename=["revenue"])
    with pytest.raises(ValueError, match="drop_invalid_rows"):
        set_load_options(drop_invalid="yes")
