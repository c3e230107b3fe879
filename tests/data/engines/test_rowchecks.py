"""A table on an engine meets the same row rules as a file, checked where it lives.

For every kind of rule a contract declares, the same rows as a CSV file and as a DuckDB table stop with
the same message (the table's URL in place of the file name, rows named by their key in place of their
line), and with `drop_invalid_rows` both leave out the same rows: the same aggregates, the same
data-quality note. The rule expressions count the same rows on DuckDB and on Spark.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from workbench.data import check_references, dropped_summary, load, loads_with_drops, set_load_options
from workbench.data.engines.report_inputs import checked_table, orders_monthly_input, sessions_counts_input
from workbench.data.engines.rowchecks import check_table, check_table_references, row_rules
from workbench.data.validate import _show
from workbench.errors import DataValidationError

ibis = pytest.importorskip("ibis", reason="Ibis is a core dependency; reinstall the project")

ORDERS = {
    "order_id": ["o1", "o2", "o3", "o4", "o5", "o6"],
    "customer_id": ["c1", "c2", "c1", "c3", "c2", "c4"],
    "order_date": ["2026-01-05", "2026-01-20", "2026-02-03", "2026-02-17", "2026-03-01", "2026-03-09"],
    "revenue": ["10.5", "20", "30", "40.25", "50", "60"],
    "items": ["1", "2", "1", "3", "1", "2"],
}
SESSIONS = {
    "session_id": ["s1", "s2", "s3", "s4", "s5"],
    "started_at": ["2026-01-05 10:00:00", "2026-01-06 11:30:00", "2026-02-01 09:00:00", "2026-02-02 20:15:00"]
    + ["2026-03-03 08:00:00"],
    "device": ["mobile", "desktop", "mobile", "tablet", "mobile"],
    "source": ["google", "yandex", "google", "(direct)", "vk"],
    "medium": ["cpc", "organic", "cpc", "(none)", "social"],
    "converted": ["true", "false", "true", "false", "false"],
    "revenue": ["100", "0", "80", "0", "0"],
}
AD_STATS = {
    "date": ["2026-01-01", "2026-01-01", "2026-01-02", "2026-01-02"],
    "campaign": ["brand", "generic", "brand", "generic"],
    "channel": ["search", "search", "search", "search"],
    "impressions": ["1000", "500", "900", "400"],
    "clicks": ["50", "20", "45", "10"],
    "cost": ["12.5", "8", "11", "4.5"],
}
SURVEY = {
    "respondent_id": ["r1", "r2", "r3"],
    "familiarity": ["aware", "tried", "regular"],
    "nps_score": ["9", "7", "10"],
}
BASE = {"orders": ORDERS, "sessions": SESSIONS, "ad_stats": AD_STATS, "survey": SURVEY}
KEY = {"orders": "order_id", "sessions": "session_id", "survey": "respondent_id"}

# (rule kind, dataset, {column: {row: value}}): one broken cell or a few, as a user's export would have them
CASES = [
    ("required value missing", "orders", {"customer_id": {1: "", 4: "NA"}}),
    ("money below zero", "orders", {"revenue": {2: "-5"}}),
    ("text in a number column", "orders", {"revenue": {0: "abc", 3: "12 usd"}}),
    ("count that is not whole", "orders", {"items": {1: "1.5"}}),
    ("count below its minimum", "orders", {"items": {5: "0"}}),
    ("text in a date column", "orders", {"order_date": {2: "yesterday"}}),
    ("date outside 1990–2100", "orders", {"order_date": {4: "1980-02-01"}}),
    ("value not among the allowed", "survey", {"familiarity": {1: "famous"}}),
    ("number above its maximum", "survey", {"nps_score": {2: "11"}}),
    ("flag that is not true/false", "sessions", {"converted": {3: "maybe"}}),
    ("clicks above impressions", "ad_stats", {"clicks": {1: "600"}}),
    ("revenue on an unconverted session", "sessions", {"revenue": {1: "50"}}),
    ("two problems at once", "orders", {"revenue": {2: "-5"}, "customer_id": {5: ""}}),
]


def _frame(dataset: str, broken: dict) -> pd.DataFrame:
    frame = pd.DataFrame(BASE[dataset])
    for column, cells in broken.items():
        for row, value in cells.items():
            frame.loc[row, column] = value
    return frame


def _both(tmp_path, dataset: str, frame: pd.DataFrame, table: str | None = None) -> tuple[str, str]:
    """The frame as a CSV file and as a table of a DuckDB file (read from that CSV by DuckDB, which
    types its columns itself): (csv path, table URL)."""
    import duckdb

    csv = tmp_path / f"{dataset}.csv"
    frame.to_csv(csv, index=False)
    db = tmp_path / f"{table or dataset}.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE {table or dataset} AS SELECT * FROM read_csv('{csv}', all_varchar = false)")
    return str(csv), f"duckdb:///{db}#{table or dataset}"


def _error(call) -> str:
    with pytest.raises(DataValidationError) as caught:
        call()
    return str(caught.value)


def _as_table_says_it(message: str, csv: str, url: str, frame: pd.DataFrame, key: str) -> str:
    """A file's message in a table's words: the URL for the file, `row <key> '<value>'` for `line N`."""

    def row(match: re.Match) -> str:
        return f"row {key} {_show(frame[key].iloc[int(match.group(1)) - 2])}"

    return re.sub(r"line (\d+)", row, message.replace(csv, url))


@pytest.fixture(autouse=True)
def _fresh_options():
    set_load_options()
    yield
    set_load_options()


@pytest.mark.parametrize(("kind", "dataset", "broken"), CASES, ids=[c[0] for c in CASES])
def test_a_table_stops_with_the_message_a_file_gets(tmp_path, kind, dataset, broken):
    frame = _frame(dataset, broken)
    csv, url = _both(tmp_path, dataset, frame)
    from_file = _error(lambda: load(dataset, csv))
    from_table = _error(lambda: checked_table(dataset, url, f"{dataset}_path"))
    label = url  # a DuckDB file's URL has no secret to take out
    assert from_table.startswith(f"{label} ({dataset}): ")
    key = KEY.get(dataset, "date")
    if dataset == "ad_stats":  # no one-column key: rows are named by the whole key
        assert from_table.split(". Examples: ")[0] == from_file.split(". Examples: ")[0].replace(csv, label)
        assert "row date '2026-01-01', campaign 'generic', channel 'search': clicks='600', impressions='500'" in (
            from_table
        )
        return
    assert from_table == _as_table_says_it(from_file, csv, label, frame, key)


@pytest.mark.parametrize(("kind", "dataset", "broken"), CASES, ids=[c[0] for c in CASES])
def test_with_drop_invalid_rows_a_table_loses_the_rows_a_file_loses(tmp_path, kind, dataset, broken):
    frame = _frame(dataset, broken)
    csv, url = _both(tmp_path, dataset, frame)
    set_load_options(drop_invalid=True)
    kept_file = load(dataset, csv)
    table = checked_table(dataset, url, f"{dataset}_path")
    key = KEY.get(dataset, "campaign")
    kept_table = table.execute().sort_values(list(kept_file.columns[:3])).reset_index(drop=True)
    assert kept_table[key].tolist() == kept_file.sort_values(list(kept_file.columns[:3]))[key].tolist()
    numbers = [c for c in kept_file.columns if pd.api.types.is_numeric_dtype(kept_file[c])]
    for column in numbers:  # the aggregates over what is left: sums as pandas sums the file's rows
        engine_sum = table.aggregate(s=table[column].cast("float64").sum()).execute()["s"].iloc[0]
        assert engine_sum == pytest.approx(float(kept_file[column].astype(float).sum()), rel=1e-12)
    by_file, by_table = loads_with_drops()  # the data-quality note lists both, with the same counts
    assert by_table.attrs["source"] == url
    assert (by_table.attrs["rows_read"], by_table.attrs["rows_kept"]) == (len(frame), len(kept_file))
    file_note, table_note = dropped_summary(by_file), dropped_summary(by_table)
    cols = ["column", "problem", "rows_dropped"]
    pd.testing.assert_frame_equal(table_note[cols], file_note[cols])


def test_duplicate_keys_are_counted_and_one_row_of_each_key_is_kept(tmp_path):
    frame = pd.concat([_frame("orders", {}), _frame("orders", {}).iloc[[1, 4]]], ignore_index=True)
    csv, url = _both(tmp_path, "orders", frame)
    from_file, from_table = _error(lambda: load("orders", csv)), _error(lambda: checked_table("orders", url, "p"))
    head = "column 'order_id': 2 rows with duplicate order_id (must be unique). Examples: "
    assert head in from_file and from_table.endswith(
        head + "row order_id 'o2': order_id='o2'; row order_id 'o5': order_id='o5'"
    )
    set_load_options(drop_invalid=True)
    kept = checked_table("orders", url, "p").execute()
    assert sorted(kept["order_id"]) == sorted(load("orders", csv)["order_id"]) == ORDERS["order_id"]


def test_exactly_one_brand_is_us_is_checked_on_the_engine(tmp_path):
    frame = pd.DataFrame({"brand": ["a", "b", "c"], "domain": ["a.ru", "b.ru", "c.ru"], "is_us": [True, True, False]})
    csv, url = _both(tmp_path, "competitors", frame)
    from_file = _error(lambda: load("competitors", csv, drop_invalid=True))  # leaving rows out cannot fix it
    set_load_options(drop_invalid=True)
    from_table = _error(lambda: checked_table("competitors", url, "competitors_path"))
    assert from_table == from_file.replace(csv, url)
    assert from_table.endswith("column 'is_us': 2 rows are true; expected exactly one row has is_us = true")


def test_a_table_without_a_required_column_says_which(tmp_path):
    frame = _frame("orders", {}).drop(columns="order_date")
    csv, url = _both(tmp_path, "orders", frame)
    assert _error(lambda: checked_table("orders", url, "p")) == _error(lambda: load("orders", csv)).replace(csv, url)


def test_references_between_tables_are_checked_on_the_engine(tmp_path):
    customers = pd.DataFrame({"customer_id": ["c1", "c2", "c3"]})
    orders = _frame("orders", {})
    csv, url = _both(tmp_path, "orders", orders)
    customers.to_csv(tmp_path / "customers.csv", index=False)
    parent = load("customers", tmp_path / "customers.csv")
    from_file = _error(lambda: check_references(load("orders", csv), parent))
    table = checked_table("orders", url, "orders_path")
    from_table = _error(lambda: check_table_references(table, "orders", parent, "customers", url, "customers.csv"))
    assert from_table == _as_table_says_it(from_file, "orders.csv", url, orders, "order_id")
    assert from_table.endswith("Examples: row order_id 'o6': 'c4'")
    kept = check_table_references(table, "orders", parent, "customers", url, "customers.csv", drop_invalid=True)
    assert (kept.rows_read, kept.rows_kept) == (6, 5) and "o6" not in set(kept.table.execute()["order_id"])
    assert kept.dropped[0]["rule"] == "customer_id not found in customers"


def test_monthly_report_inputs_stop_on_a_broken_table_and_drop_its_rows_on_request(tmp_path):
    frame = _frame("orders", {"revenue": {2: "-5"}})
    csv, url = _both(tmp_path, "orders", frame)
    with pytest.raises(DataValidationError, match=r"#orders \(orders\): column 'revenue': 1 row with negative"):
        orders_monthly_input(url)
    set_load_options(drop_invalid=True)
    monthly = orders_monthly_input(url)
    assert monthly["orders"].tolist() == [2.0, 1.0, 2.0]  # February lost o3
    assert monthly["revenue"].tolist() == pytest.approx([30.5, 40.25, 110.0], rel=1e-12)
    sessions = _frame("sessions", {"revenue": {1: "50"}})
    _, surl = _both(tmp_path, "sessions", sessions)
    counts = sessions_counts_input(surl, "2026-02", 3)
    assert counts.groups["sessions"].sum() == 4 and counts.groups["revenue"].sum() == pytest.approx(180.0)
    assert [d.attrs["rows_kept"] for d in loads_with_drops()] == [5, 4]


# ---------------------------------------------------------------- DuckDB and Spark count the same rows


def _counts(dataset: str, t) -> dict[str, int]:
    rules = row_rules(dataset, t)
    flags = t.mutate(**{f"r{i}": r.bad(t) for i, r in enumerate(rules)})
    row = flags.aggregate(**{f"r{i}": flags[f"r{i}"].cast("int64").sum() for i in range(len(rules))}).execute()
    return {f"{r.column}: {r.rule}": int(row[f"r{i}"].iloc[0]) for i, r in enumerate(rules)}


def _messy_sessions() -> pd.DataFrame:
    """Every sessions rule broken somewhere, in text columns as an untyped export would land."""
    frame = _frame("sessions", {"converted": {3: "maybe"}, "revenue": {1: "50", 4: "-3"}, "device": {2: " "}})
    extra = pd.DataFrame(
        {**{k: [v[0]] for k, v in SESSIONS.items()}, "started_at": ["1985-01-01 00:00:00"], "revenue": ["abc"]}
    )
    broken_date = pd.DataFrame({**{k: [v[1]] for k, v in SESSIONS.items()}, "session_id": ["s7"], "started_at": ["?"]})
    return pd.concat([frame, extra, broken_date], ignore_index=True)


def test_rule_expressions_count_the_same_rows_on_duckdb_and_spark(duck, spark):
    frame = _messy_sessions()
    on_duckdb, on_spark = _counts("sessions", duck.table(frame)), _counts("sessions", spark.table(frame))
    assert on_duckdb == on_spark
    expected = {  # read off the frame above
        "started_at: values that are not dates (expected e.g. 2025-03-31 or 31.03.2025)": 1,
        "started_at: dates outside 1990–2100": 1,
        "device: missing values (the column is required)": 1,
        "converted: values that are not true/false (expected true/false, 1/0, yes/no)": 1,
        "revenue: values that are not numbers": 1,
        "revenue: negative values (expected ≥ 0)": 1,
        "session_id: duplicate session_id (must be unique)": 1,
        "revenue: revenue is above 0 while converted is false (expected revenue > 0 only where converted is true)": 1,
    }
    assert {k: v for k, v in on_duckdb.items() if v} == expected


def test_dropping_on_spark_keeps_the_rows_duckdb_keeps(duck, spark):
    frame = _messy_sessions()
    kept = {}
    for engine in (duck, spark):
        checked = check_table("sessions", engine.table(frame), engine.name, drop_invalid=True)
        kept[engine.name] = (checked.rows_kept, sorted(checked.table.execute()["session_id"]))
        assert [d["rows"] for d in checked.dropped] == [1] * 8  # one row breaks each of eight rules
    # of the two s1 rows, the valid one is kept (a table has no first row: a valid copy of a key wins)
    assert kept["duckdb"] == kept["spark"] == (1, ["s1"])
