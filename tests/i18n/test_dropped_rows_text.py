"""The data-quality summary of rows `drop_invalid_rows` left out, in the report's language.

The drop records stay English (machines and logs read them); what a reader sees, the sentence per file
and the table of problems, is written in the current language, with Russian plurals
(1 строка, 2 строки, 5 строк, 21 строка)."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.data import check_references, dropped_summary, dropped_table, dropped_text, load
from workbench.i18n import language

ORDERS = (
    "order_id,customer_id,order_date,revenue\n"
    "o1,c1,2024-01-01,-5\n"
    "o2,c2,bad,6\n"
    "o3,c1,2024-01-02,7\n"
    "o4,c9,2024-01-03,8\n"
    "o5,c1,2024-01-03,-1\n"
)
CUSTOMERS = "customer_id\nc1\nc2\n"


@pytest.fixture
def orders(tmp_path):
    """Five orders of which four break the contract: two negative revenues, a date that is not a date,
    an unknown customer."""
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    customers = load("customers", tmp_path / "customers.csv")
    kept = load("orders", tmp_path / "orders.csv", drop_invalid=True)
    return check_references(kept, customers, drop_invalid=True)


def test_a_russian_report_says_in_russian_which_rows_it_left_out_and_why(orders):
    with language("ru"):
        text = dropped_text(orders)
    assert text.startswith("orders.csv: 4 строки из 5 исключены из отчёта, так как нарушают контракт данных (")
    assert "revenue: отрицательные значения (ожидается ≥ 0), 2 строки" in text
    assert (
        "order_date: значения, которые не являются датами (ожидается, например, 2025-03-31 или 31.03.2025), 1 строка"
        in text
    )
    assert "customer_id: значения customer_id, которых нет в customers, 1 строка" in text
    assert text.endswith(").")


def test_the_russian_table_of_left_out_rows_has_russian_headings_problems_and_places(orders):
    with language("ru"):
        table = dropped_table(orders)
    assert list(table.columns) == ["Файл", "Столбец", "Проблема", "Исключено строк", "Примеры"]
    rows = {r["Столбец"]: (r["Проблема"], r["Исключено строк"], r["Примеры"]) for r in table.to_dict("records")}
    assert rows["revenue"] == ("отрицательные значения (ожидается ≥ 0)", 2, "строка 2: '-5'; строка 6: '-1'")
    assert rows["customer_id"] == ("значения customer_id, которых нет в customers", 1, "строка 5: 'c9'")


def test_english_wording_and_the_english_records_are_unchanged(orders):
    with language("ru"):
        dropped_text(orders)  # showing the summary in Russian changes nothing a machine reads
    assert [r["rule"] for r in orders.attrs["dropped"]] == [
        "values that are not dates (expected e.g. 2025-03-31 or 31.03.2025)",
        "negative values (expected ≥ 0)",
        "customer_id not found in customers",
    ]
    with language("en"):
        table = dropped_table(orders)
        assert list(table.columns) == ["File", "Column", "Problem", "Rows dropped", "Examples"]
        assert list(dropped_summary(orders)["problem"]) == [r["rule"] for r in orders.attrs["dropped"]]
        assert dropped_text(orders).startswith("orders.csv: 4 of 5 rows were left out because they break")


@pytest.mark.parametrize(
    ("n", "rows"),
    [(1, "строка"), (2, "строки"), (4, "строки"), (5, "строк"), (11, "строк"), (12, "строк"), (14, "строк"),
     (21, "строка"), (22, "строки"), (25, "строк"), (101, "строка"), (111, "строк")],
)  # fmt: skip
def test_russian_counts_of_left_out_rows_take_the_grammatical_plural(n, rows):
    frame = pd.DataFrame()
    frame.attrs = {
        "source": "ad_stats.csv",
        "dropped": [
            {"rule": "values that are not numbers", "message": "values that are not numbers", "args": {},
             "column": "cost", "rows": n, "examples": []}
        ],
    }  # fmt: skip
    verb = "исключена" if rows == "строка" else "исключены"
    breaks = "нарушает" if rows == "строка" else "нарушают"
    with language("ru"):
        text = dropped_text(frame)
    assert text == (
        f"ad_stats.csv: {n} {rows} {verb} из отчёта, так как {breaks} контракт данных "
        f"(cost: значения, которые не являются числами, {n} {rows})."
    )


def test_an_empty_cell_is_named_in_the_reports_language(tmp_path):
    (tmp_path / "customers.csv").write_text("customer_id,city\nc1,Omsk\n,Kazan\nc3,Tver\n", encoding="utf-8")
    kept = load("customers", tmp_path / "customers.csv", drop_invalid=True)
    with language("ru"):
        assert dropped_summary(kept)["examples"].tolist() == ["строка 3: (пусто)"]
    with language("en"):
        assert dropped_summary(kept)["examples"].tolist() == ["line 3: (empty)"]


def test_a_duplicate_key_says_where_it_was_first_seen_in_the_reports_language(tmp_path):
    (tmp_path / "customers.csv").write_text("customer_id,city\nc1,Omsk\nc2,Kazan\nc1,Tver\n", encoding="utf-8")
    kept = load("customers", tmp_path / "customers.csv", drop_invalid=True)
    with language("ru"):
        assert dropped_summary(kept)["examples"].tolist() == ["строка 4: customer_id='c1' (впервые в строке 2)"]
    with language("en"):
        assert dropped_summary(kept)["examples"].tolist() == ["line 4: customer_id='c1' (first on line 2)"]
