"""Loaders and validation: every contract with good and bad inputs; formats, encodings, messages."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from data_contract_samples import GOOD, PROBES, to_csv_text  # noqa: E402

from workbench.data import check_references, load, load_optional  # noqa: E402
from workbench.data.contracts import CONTRACTS, contracts_markdown  # noqa: E402
from workbench.errors import DataValidationError  # noqa: E402

TABLES = sorted(GOOD)


def write(tmp_path: Path, table: dict, name: str = "data.csv", sep: str = ",", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(to_csv_text(table, sep).encode(encoding))
    return p


def with_value(table: dict, column: str, row: int, value: str) -> dict:
    out = {k: list(v) for k, v in table.items()}
    out[column][row] = value
    return out


def test_every_file_contract_has_a_good_sample():
    assert set(GOOD) == {n for n, c in CONTRACTS.items() if c.file_based}


@pytest.mark.parametrize("dataset", TABLES)
def test_good_input_loads_typed(tmp_path, dataset):
    df = load(dataset, write(tmp_path, GOOD[dataset]))
    assert len(df) == 3
    contract = CONTRACTS[dataset]
    for name in df.columns:
        col = contract.column(name)
        if col is None:
            continue
        if col.kind == "date":
            assert pd.api.types.is_datetime64_any_dtype(df[name]), name
        elif col.kind in ("money", "float", "rate"):
            assert df[name].dtype == np.float64, name
        elif col.kind == "int":
            assert str(df[name].dtype) in ("int64", "Int64"), name
        elif col.kind == "bool":
            assert str(df[name].dtype) in ("bool", "boolean"), name
    assert df.attrs["dataset"] == dataset and df.attrs["dropped"] == []


@pytest.mark.parametrize("dataset", TABLES)
def test_missing_required_column(tmp_path, dataset):
    table = dict(GOOD[dataset])
    required = CONTRACTS[dataset].required or ("unit_id",)
    del table[required[-1]]
    with pytest.raises(DataValidationError) as exc:
        load(dataset, write(tmp_path, table))
    assert "data.csv" in str(exc.value) and "missing required column" in str(exc.value)


@pytest.mark.parametrize("dataset", TABLES)
def test_wrong_type_names_line_and_value(tmp_path, dataset):
    col = PROBES[dataset][0]
    with pytest.raises(DataValidationError) as exc:
        load(dataset, write(tmp_path, with_value(GOOD[dataset], col, 1, "abc")))
    msg = str(exc.value)
    assert "data.csv" in msg and f"'{col}'" in msg and "line 3" in msg and "'abc'" in msg


@pytest.mark.parametrize("dataset", [d for d in TABLES if PROBES[d][0] != "is_us"])
def test_negative_number_is_rejected(tmp_path, dataset):
    col = PROBES[dataset][0]
    with pytest.raises(DataValidationError) as exc:
        load(dataset, write(tmp_path, with_value(GOOD[dataset], col, 2, "-5")))
    msg = str(exc.value)
    assert f"'{col}'" in msg and "line 4" in msg and "'-5'" in msg and "1 row" in msg


@pytest.mark.parametrize("dataset", [d for d in TABLES if PROBES[d][1]])
def test_duplicate_id(tmp_path, dataset):
    key = PROBES[dataset][1]
    table = with_value(GOOD[dataset], key, 2, GOOD[dataset][key][0])
    if dataset == "competitors":
        table = with_value(table, "is_us", 2, "false")
    with pytest.raises(DataValidationError) as exc:
        load(dataset, write(tmp_path, table))
    msg = str(exc.value)
    assert "duplicate" in msg and "line 4" in msg and GOOD[dataset][key][0] in msg


@pytest.mark.parametrize("dataset", [d for d in TABLES if PROBES[d][2]])
def test_unparsable_date(tmp_path, dataset):
    col = PROBES[dataset][2]
    with pytest.raises(DataValidationError) as exc:
        load(dataset, write(tmp_path, with_value(GOOD[dataset], col, 0, "31/02/yesterday")))
    msg = str(exc.value)
    assert f"'{col}'" in msg and "line 2" in msg and "31/02/yesterday" in msg and "not dates" in msg


@pytest.mark.parametrize("dataset", TABLES)
def test_empty_header_only_and_wrong_delimiter(tmp_path, dataset):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataValidationError, match=r"empty\.csv: the file is empty"):
        load(dataset, empty)
    header = tmp_path / "header.csv"
    header.write_text(",".join(GOOD[dataset]) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"header\.csv.*header but no data rows"):
        load(dataset, header)
    piped = write(tmp_path, GOOD[dataset], "piped.csv", sep="|")
    with pytest.raises(DataValidationError, match=r"piped\.csv: found one column .*delimiter"):
        load(dataset, piped)


@pytest.mark.parametrize("dataset", TABLES)
def test_semicolon_cp1251_bom_tab_xlsx_parquet_give_the_same_frame(tmp_path, dataset):
    ref = load(dataset, write(tmp_path, GOOD[dataset]))
    variants = [
        write(tmp_path, GOOD[dataset], "semi.csv", sep=";", encoding="cp1251"),
        write(tmp_path, GOOD[dataset], "tab.tsv", sep="\t", encoding="utf-8-sig"),
    ]
    xlsx = tmp_path / "x.xlsx"
    pd.DataFrame(GOOD[dataset]).to_excel(xlsx, index=False)
    pq = tmp_path / "x.parquet"
    ref.to_parquet(pq)
    for p in variants + [xlsx, pq]:
        got = load(dataset, p)
        pd.testing.assert_frame_equal(got, ref, check_dtype=False, check_exact=False)


def test_decimal_comma_cp1251_thousands_and_cyrillic(tmp_path):
    text = "Дата;Кампания;channel;Impr.;clicks;Cost\n01.02.2024;Осень;yandex_direct;1 200;15;1 234,50\n"
    p = tmp_path / "direct.csv"
    p.write_bytes(text.encode("cp1251"))
    df = load("ad_stats", p, rename={"Дата": "date", "Кампания": "campaign", "Impr.": "impressions"})
    assert df.loc[0, "campaign"] == "Осень"
    assert df.loc[0, "impressions"] == 1200 and df.loc[0, "cost"] == pytest.approx(1234.5)
    assert df.loc[0, "date"] == pd.Timestamp("2024-02-01")


def test_column_names_are_normalised(tmp_path):
    p = tmp_path / "c.csv"
    p.write_bytes("\ufeff Customer ID ,Signup-Date,COUNTRY\nc1,2024-01-01,RU\n".encode("utf-8"))
    df = load("customers", p)
    assert list(df.columns) == ["customer_id", "signup_date", "country"]


def test_consistency_clicks_le_impressions(tmp_path):
    p = write(tmp_path, with_value(GOOD["ad_stats"], "clicks", 1, "500"))
    with pytest.raises(DataValidationError) as exc:
        load("ad_stats", p)
    assert "clicks ≤ impressions" in str(exc.value) and "line 3" in str(exc.value) and "500" in str(exc.value)


def test_consistency_email_funnel(tmp_path):
    p = write(tmp_path, with_value(GOOD["email_sends"], "delivered", 0, "101"))
    with pytest.raises(DataValidationError, match="delivered ≤ recipients"):
        load("email_sends", p)


def test_multiple_problems_listed_and_drop_invalid_reports(tmp_path):
    table = with_value(with_value(GOOD["orders"], "revenue", 0, "-1"), "order_date", 2, "bad")
    p = write(tmp_path, table)
    with pytest.raises(DataValidationError) as exc:
        load("orders", p)
    assert "2 problems" in str(exc.value)
    assert len(exc.value.violations) == 2
    df = load("orders", p, drop_invalid=True)
    assert list(df["order_id"]) == ["o2"]
    rules = {d["column"]: d for d in df.attrs["dropped"]}
    assert rules["revenue"]["rows"] == 1 and rules["revenue"]["examples"][0]["line"] == 2
    assert rules["order_date"]["examples"][0] == {"line": 4, "value": "'bad'"}


def test_line_numbers_with_blank_lines_and_quoted_newlines(tmp_path):
    p = tmp_path / "o.csv"
    p.write_text(
        'order_id,customer_id,order_date,revenue\n\no1,"c\n1",2024-01-01,1\no2,c2,2024-01-01,-4\n', encoding="utf-8"
    )
    with pytest.raises(DataValidationError, match="line 5: '-4'"):
        load("orders", p)


def test_five_examples_at_most(tmp_path):
    n = 9
    table = {
        "order_id": [f"o{i}" for i in range(n)],
        "customer_id": ["c"] * n,
        "order_date": ["2024-01-01"] * n,
        "revenue": ["-1"] * n,
    }
    with pytest.raises(DataValidationError) as exc:
        load("orders", write(tmp_path, table))
    msg = str(exc.value)
    assert "9 rows" in msg and "line 6" in msg and "line 7" not in msg


def test_ambiguous_and_alternative_dates(tmp_path):
    amb = {"customer_id": ["a", "b"], "signup_date": ["01/02/2024", "03/04/2024"], "country": ["RU", "RU"]}
    with pytest.raises(DataValidationError, match="ambiguous"):
        load("customers", write(tmp_path, amb))
    us = {"customer_id": ["a", "b"], "signup_date": ["01/02/2024", "12/31/2024"], "country": ["RU", "RU"]}
    assert load("customers", write(tmp_path, us, "us.csv"))["signup_date"].tolist() == [
        pd.Timestamp("2024-01-02"),
        pd.Timestamp("2024-12-31"),
    ]


def test_load_optional_and_missing_file(tmp_path):
    assert load_optional("orders", "") is None
    assert load_optional("orders", None) is None
    with pytest.raises(DataValidationError, match="file not found"):
        load_optional("orders", tmp_path / "nope.csv")
    with pytest.raises(ValueError, match="dataset must be one of"):
        load("ordres", tmp_path / "nope.csv")


def test_relative_paths_resolve_from_project_root(tmp_path, monkeypatch):
    write(tmp_path, GOOD["orders"], "o.csv")
    monkeypatch.setenv("WORKBENCH_ROOT", str(tmp_path))
    assert len(load("orders", "o.csv")) == 3


def test_check_references(tmp_path):
    customers = load("customers", write(tmp_path, GOOD["customers"], "c.csv"))
    orders = load("orders", write(tmp_path, with_value(GOOD["orders"], "customer_id", 2, "zz"), "o.csv"))
    with pytest.raises(DataValidationError) as exc:
        check_references(orders, customers)
    msg = str(exc.value)
    assert "o.csv" in msg and "'customer_id'" in msg and "line 4: 'zz'" in msg and "1 row" in msg
    kept = check_references(orders, customers, drop_invalid=True)
    assert list(kept["order_id"]) == ["o1", "o2"] and kept.attrs["dropped"][-1]["rows"] == 1
    with pytest.raises(ValueError, match="no reference"):
        check_references(customers, orders)


def test_currency_column_checked(tmp_path):
    table = dict(GOOD["orders"], currency=["RUB", "RUB", "USD"])
    with pytest.raises(DataValidationError, match="currency other than RUB"):
        load("orders", write(tmp_path, table), currency="RUB")
    df = load("orders", write(tmp_path, dict(GOOD["orders"], currency=["RUB"] * 3), "ok.csv"), currency="RUB")
    assert df.attrs["currency"] == "RUB"


def test_docs_match_contracts(project_root):
    committed = (project_root / "docs" / "data-contracts.md").read_text(encoding="utf-8")
    assert committed == contracts_markdown(), "regenerate docs/data-contracts.md from contracts_markdown()"


#: Columns the design lists as required that the contracts accept as optional, and why (docs/data-contracts.md):
#: real CRM and loyalty exports (Mall customers, iFood) carry neither, and segmentation derives a signup
#: date from the first order when orders are given.
RELAXED_FROM_DESIGN = {("customers", "signup_date"), ("customers", "country")}


def test_contracts_match_the_design_table(project_root):
    """Every dataset of the design's contract table exists here with the same required and optional
    columns (the design sits beside the project; skipped where it is absent)."""
    import re

    design = project_root.parent / "shared" / "design.md"
    if not design.is_file():
        pytest.skip(f"{design} is absent (it sits beside the project in dev)")
    text = design.read_text(encoding="utf-8").split("## Data contracts", 1)[1].split("\n## ", 1)[0]
    rows = [
        [c.strip() for c in ln.strip().strip("|").split("|")]
        for ln in text.splitlines()
        if ln.startswith("| ") and not ln.startswith("| dataset")
    ]
    assert len(rows) == 17

    def names(cell):  # column names, without notes in brackets/backticks or prose such as "any Likert columns"
        cell = re.sub(r"\([^)]*\)|`[^`]*`", "", cell)
        return [w.strip() for w in cell.replace(" — or ", ",").split(",") if re.fullmatch(r"[a-z0-9_]+", w.strip())]

    for dataset, _, required, optional in rows:
        contract = CONTRACTS[dataset]
        if not contract.file_based:
            assert dataset == "site_pages"
            continue
        req = [c for c in names(required) if (dataset, c) not in RELAXED_FROM_DESIGN]
        if contract.required_groups:
            assert sorted({c for g in contract.required_groups for c in g}) == sorted(set(req)), dataset
        else:
            assert list(contract.required) == req, dataset
        for col in names(optional):
            assert contract.column(col) is not None and not contract.column(col).required, (dataset, col)


def test_site_pages_is_a_folder_not_a_table(tmp_path):
    from workbench.data import site_pages

    with pytest.raises(ValueError, match=r"site_pages\(folder\)"):
        load("site_pages", tmp_path)
    with pytest.raises(DataValidationError, match="folder not found"):
        site_pages(tmp_path / "nope")
    (tmp_path / "shop.example").mkdir()
    with pytest.raises(DataValidationError, match="no <domain>/\\*.html pages"):
        site_pages(tmp_path)
    (tmp_path / "shop.example" / "index.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "shop.example" / "notes.txt").write_text("x", encoding="utf-8")
    assert site_pages(tmp_path) == {"shop.example": [tmp_path / "shop.example" / "index.html"]}


def test_repeated_paths_are_kept(tmp_path):
    """Exports split by day or segment repeat a path; its rows add up, so they are not duplicates."""
    table = {"path": ["a > b", "a > b", "b"], "conversions": ["1", "2", "0"], "value": ["10", "5", "0"]}
    df = load("paths", write(tmp_path, table))
    assert list(df["path"]) == ["a > b", "a > b", "b"] and df["conversions"].sum() == 3


def test_messages_read_as_what_is_wrong(tmp_path):
    # a near-miss column name is suggested with the rename that fixes it
    ads = dict(GOOD["ad_stats"])
    ads["costs"] = ads.pop("cost")
    with pytest.raises(DataValidationError) as exc:
        load("ad_stats", write(tmp_path, ads, "ads.csv"))
    assert "missing required column 'cost'" in str(exc.value) and "Did you mean 'costs' for 'cost'?" in str(exc.value)
    assert "{'costs': 'cost'}" in str(exc.value)
    # a consistency rule says which way it is broken
    with pytest.raises(DataValidationError) as exc:
        load("ad_stats", write(tmp_path, with_value(GOOD["ad_stats"], "clicks", 0, "101"), "c.csv"))
    assert "1 row where clicks is greater than impressions (expected clicks ≤ impressions)" in str(exc.value)
    # a duplicate names where the key was first seen
    with pytest.raises(DataValidationError, match=r"line 4: order_id='o1' \(first on line 2\)"):
        load("orders", write(tmp_path, with_value(GOOD["orders"], "order_id", 2, "o1"), "d.csv"))
    # a decimal comma in a comma- or tab-separated file, and currency signs, get a hint
    with pytest.raises(DataValidationError, match=r"decimal comma \(1234,5\) is read only in ;-separated files"):
        load("orders", write(tmp_path, with_value(GOOD["orders"], "revenue", 1, "12,5"), "t.tsv", sep="\t"))
    with pytest.raises(DataValidationError, match="without currency signs"):
        load("orders", write(tmp_path, with_value(GOOD["orders"], "revenue", 1, "$12.50"), "u.csv"))
    # a reference names the parent file
    customers = load("customers", write(tmp_path, GOOD["customers"], "customers.csv"))
    orders = load("orders", write(tmp_path, with_value(GOOD["orders"], "customer_id", 0, "c404"), "orders.csv"))
    with pytest.raises(DataValidationError) as exc:
        check_references(orders, customers)
    assert str(exc.value) == (
        "orders.csv (orders): column 'customer_id': 1 row where the customer_id is not in "
        "customers (customers.csv). Examples: line 2: 'c404'"
    )


def test_dropped_rows_summary_for_the_report(tmp_path):
    from workbench.data import dropped_summary, dropped_text

    table = {
        "order_id": ["o1", "o2", "o3", "o4", "o5"],
        "customer_id": ["c1", "c2", "c1", "c9", "c1"],
        "order_date": ["2024-01-01", "bad", "2024-01-02", "2024-01-03", "2024-01-03"],
        "revenue": ["-5", "6", "7", "8", "-1"],
    }
    customers = load("customers", write(tmp_path, GOOD["customers"], "customers.csv"))
    assert dropped_summary(customers).empty and dropped_text(customers) == "" and dropped_text(None) == ""
    orders = load("orders", write(tmp_path, table, "orders.csv"), drop_invalid=True)
    orders = check_references(orders, customers, drop_invalid=True)
    assert list(orders["order_id"]) == ["o3"]
    summary = dropped_summary(orders, None)
    assert list(summary.columns) == ["file", "column", "problem", "rows_dropped", "examples"]
    got = {r.column: (r.rows_dropped, r.examples) for r in summary.itertuples()}
    assert got == {
        "revenue": (2, "line 2: '-5'; line 6: '-1'"),
        "order_date": (1, "line 3: 'bad'"),
        "customer_id": (1, "line 5: 'c9'"),
    }
    assert set(summary["file"]) == {"orders.csv"}
    text = dropped_text(orders)
    assert text.startswith("orders.csv: 4 of 5 rows were left out because they break the data contract (")
    assert (
        "revenue: negative values (expected ≥ 0), 2 rows" in text
        and "customer_id not found in customers, 1 row" in text
    )
    # the kept row still knows its line in the file
    assert orders.attrs["lines"] == {"word": "line", "lines": [4]}


def test_rename_keyed_by_dataset(tmp_path):
    """One params dict for every input: {dataset: {export name: contract name}}."""
    ads = dict(GOOD["ad_stats"])
    ads["Impr."] = ads.pop("impressions")
    p = write(tmp_path, ads, "ads.csv")
    renames = {"ad_stats": {"Impr.": "impressions"}, "orders": {"Sum": "revenue"}}
    assert load("ad_stats", p, rename=renames)["impressions"].tolist() == [100, 200, 150]
    assert len(load("orders", write(tmp_path, GOOD["orders"], "o.csv"), rename=renames)) == 3
    with pytest.raises(ValueError, match="unknown dataset 'ad_stat'"):
        load("ad_stats", p, rename={"ad_stat": {"Impr.": "impressions"}})
    with pytest.raises(ValueError, match="not both"):
        load("ad_stats", p, rename={"ad_stats": {"Impr.": "impressions"}, "Cost": "cost"})
