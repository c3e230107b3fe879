"""Real public exports (../shared/reference-data, see its README) through `load`, with the rename
maps a params file would give. Expected figures come from the files themselves, read with the
standard csv module, and from the README — never from the loader under test."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.data import load
from workbench.errors import DataValidationError

PATHS_RENAME = {"total_conversions": "conversions", "total_null": "non_conversions", "total_conversion_value": "value"}
COOKIE_RENAME = {"userid": "unit_id", "version": "variant", "retention_7": "converted"}


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def test_cdnow_orders(reference_data):
    path = reference_data / "cdnow_sample_orders.csv"
    raw = _rows(path)
    df = load("orders", path)
    assert len(df) == len(raw) == 6919  # README: 6,919 orders of 2,357 customers
    assert df["customer_id"].nunique() == 2357
    assert (df["order_date"].min(), df["order_date"].max()) == (pd.Timestamp("1997-01-01"), pd.Timestamp("1998-06-30"))
    assert df["revenue"].sum() == pytest.approx(sum(float(r["revenue"]) for r in raw))
    assert df["items"].dtype == np.int64 and df["items"].sum() == sum(int(r["items"]) for r in raw)
    assert list(df["order_id"][:3]) == [r["order_id"] for r in raw[:3]]


def test_channelattribution_paths_with_rename(reference_data):
    path = reference_data / "channelattribution_paths.csv"
    raw = _rows(path, ";")
    df = load("paths", path, rename=PATHS_RENAME)
    assert list(df.columns) == ["path", "conversions", "value", "non_conversions"]
    assert len(df) == len(raw) == 10_000
    # the file repeats paths (5,408 distinct): they are kept, and their rows add up
    assert df["path"].nunique() == len({r["path"] for r in raw}) < len(df)
    assert df["conversions"].sum() == sum(int(r["total_conversions"]) for r in raw)
    assert df["non_conversions"].sum() == sum(int(r["total_null"]) for r in raw)
    assert df["value"].sum() == pytest.approx(sum(float(r["total_conversion_value"]) for r in raw))
    assert {s.strip() for p in df["path"] for s in p.split(">")} == {
        s.strip() for r in raw for s in r["path"].split(">")
    }


def test_channelattribution_paths_as_a_russian_excel_export(reference_data, tmp_path):
    """The same file as Excel in a Russian locale writes it: cp1251, `;`, decimal comma, CRLF,
    Russian headers mapped by the rename — it must give the same frame."""
    raw = _rows(reference_data / "channelattribution_paths.csv", ";")
    lines = ["Путь;Конверсии;Ценность;Без конверсии"]
    lines += [
        f"{r['path']};{r['total_conversions']};{r['total_conversion_value'].replace('.', ',')};{r['total_null']}"
        for r in raw
    ]
    ru = tmp_path / "пути.csv"
    ru.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))
    got = load(
        "paths",
        ru,
        rename={"Путь": "path", "Конверсии": "conversions", "Ценность": "value", "Без конверсии": "non_conversions"},
    )
    ref = load("paths", reference_data / "channelattribution_paths.csv", rename=PATHS_RENAME)
    pd.testing.assert_frame_equal(got[ref.columns], ref)


def test_cookie_cats_experiment_with_rename(reference_data):
    path = reference_data / "cookie_cats.csv"
    raw = _rows(path)
    df = load("experiment", path, rename=COOKIE_RENAME)
    assert len(df) == len(raw) == 90_189
    assert df["converted"].dtype == bool and df["unit_id"].is_unique
    assert dict(df["variant"].value_counts()) == dict(Counter(r["version"] for r in raw))
    for variant in ("gate_30", "gate_40"):
        expected = np.mean([r["retention_7"] == "TRUE" for r in raw if r["version"] == variant])
        assert df.loc[df["variant"] == variant, "converted"].mean() == pytest.approx(expected)
    assert df["sum_gamerounds"].dtype == np.int64  # extra columns are kept, numbers as numbers


def test_real_file_as_parquet_and_xlsx_gives_the_same_frame(reference_data, tmp_path):
    ref = load("orders", reference_data / "cdnow_sample_orders.csv")
    raw = pd.read_csv(reference_data / "cdnow_sample_orders.csv", dtype=str)  # as an export tool would write it
    raw.to_parquet(tmp_path / "orders.parquet")
    raw.head(500).to_excel(tmp_path / "orders.xlsx", index=False)
    pd.testing.assert_frame_equal(load("orders", tmp_path / "orders.parquet"), ref)
    pd.testing.assert_frame_equal(load("orders", tmp_path / "orders.xlsx"), ref.head(500))


def test_real_export_without_a_rename_says_what_to_map(reference_data):
    with pytest.raises(DataValidationError) as exc:
        load("experiment", reference_data / "cookie_cats.csv")
    msg = str(exc.value)
    assert msg.startswith(  # the path as the caller gave it
        f"{reference_data / 'cookie_cats.csv'} (experiment): missing required columns: need one of "
        "(unit_id, variant, converted) or (variant, units, conversions)."
    )
    assert "Found columns: userid, version, sum_gamerounds, retention_1, retention_7." in msg
    assert "Did you mean" not in msg  # no misleading guess ('version' is not 'conversions')
    with pytest.raises(DataValidationError) as exc:  # recognition off: the hint names all three columns
        load("paths", reference_data / "channelattribution_paths.csv", preset="none")
    assert (
        "Did you mean 'total_conversions' for 'conversions', 'total_conversion_value' for 'value', "
        "'total_null' for 'non_conversions'?" in str(exc.value)
    )
    assert "Expected columns: path, conversions (required); non_conversions, value (optional)." in str(exc.value)
    with pytest.raises(
        DataValidationError,
        match=r"mall_customers\.csv \(customers\): missing required column 'customer_id'.*"
        r"Did you mean 'customerid' for 'customer_id'\?",
    ):
        load("customers", reference_data / "mall_customers.csv")
    # only customer_id is required: a customer table with the user's own columns loads as it is
    mall = load("customers", reference_data / "mall_customers.csv", rename={"CustomerID": "customer_id"})
    assert list(mall.columns) == ["customer_id", "genre", "age", "x", "spending_score"] and len(mall) == 200
