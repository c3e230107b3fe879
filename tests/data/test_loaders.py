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
    p.write_text('order_id,customer_id,order_date,revenue\n\no1,"c\n1",2024-01-01,1\no2,c2,2024-01-01,-4\n',
                 encoding="utf-8")
    with pytest.raises(DataValidationError, match="line 5: '-4'"):
        load("orders", p)


def test_five_examples_at_most(tmp_path):
    n = 9
    table = {"order_id": [f"o{i}" for i in range(n)], "customer_id": ["c"] * n,
             "order_date": ["2024-01-01"] * n, "revenue": ["-1"] * n}
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
        pd.Timestamp("2024-01-02"), pd.Timestamp("2024-12-31")]


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
