"""Property-based: arbitrary bytes and arbitrary frames into the loaders either load or raise
DataValidationError — never another exception."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.data import load
from workbench.errors import DataValidationError

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATASETS = ["orders", "ad_stats", "customers", "experiment", "email_sends"]


def _load_or_validation_error(dataset: str, path: Path, drop_invalid: bool = False) -> None:
    try:
        df = load(dataset, path, drop_invalid=drop_invalid)
    except DataValidationError:
        return
    assert isinstance(df, pd.DataFrame) and len(df) > 0
    assert df.attrs["rows_read"] - len(df) <= sum(d["rows"] for d in df.attrs["dropped"])
    if not drop_invalid:
        assert df.attrs["dropped"] == [] and df.attrs["rows_read"] == len(df)


@SETTINGS
@given(
    data=st.binary(max_size=400),
    dataset=st.sampled_from(DATASETS),
    suffix=st.sampled_from([".csv", ".xlsx", ".parquet", ".txt"]),
)
def test_arbitrary_bytes(data, dataset, suffix):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"f{suffix}"
        p.write_bytes(data)
        _load_or_validation_error(dataset, p)


CELL = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.booleans(),
    st.text(alphabet=string.printable + 'йё€;,\t"', max_size=12),
    st.sampled_from(["2024-01-01", "31.12.2025", "01/02/2024", "1,5", "45%", "NA", ""]),
)


@SETTINGS
@given(
    dataset=st.sampled_from(DATASETS),
    n=st.integers(1, 6),
    data=st.data(),
    fmt=st.sampled_from(["csv", "csv;", "parquet", "xlsx"]),
)
def test_arbitrary_frames(dataset, n, data, fmt):
    from workbench.data.contracts import CONTRACTS

    names = [c.name for c in CONTRACTS[dataset].columns if not c.is_pattern]
    cols = data.draw(st.lists(st.sampled_from(names + ["extra"]), min_size=1, max_size=len(names), unique=True))
    frame = pd.DataFrame({c: data.draw(st.lists(CELL, min_size=n, max_size=n)) for c in cols})
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f"
        try:
            if fmt == "parquet":
                p = p.with_suffix(".parquet")
                frame.astype(str).to_parquet(p) if data.draw(st.booleans()) else frame.to_parquet(p)
            elif fmt == "xlsx":
                p = p.with_suffix(".xlsx")
                frame.to_excel(p, index=False)
            else:
                p = p.with_suffix(".csv")
                frame.to_csv(p, index=False, sep=";" if fmt == "csv;" else ",")
        except Exception:  # the writer cannot store this frame (mixed types); nothing to load
            return
        _load_or_validation_error(dataset, p, drop_invalid=data.draw(st.booleans()))


def _cell_for(kind: str):
    """Mostly plausible values for a column kind, with some junk mixed in."""
    plausible = {
        "id": st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=4),
        "str": st.text(alphabet=string.ascii_letters + " йё", min_size=1, max_size=8),
        "list": st.sampled_from(["a;b", "c", ""]),
        "category": st.sampled_from(["aware", "tried", "regular", "Aware"]),
        "date": st.sampled_from(["2024-01-01", "31.12.2025", "2025-03-31 10:00", "12/31/2024", ""]),
        "int": st.integers(0, 10**6).map(str),
        "float": st.floats(0, 1e6, allow_nan=False).map(lambda v: f"{v:.3f}"),
        "money": st.floats(0, 1e6, allow_nan=False).map(lambda v: f"{v:.2f}"),
        "rate": st.sampled_from(["0.1", "45%", "1", "0"]),
        "bool": st.sampled_from(["true", "false", "1", "0", "yes", "нет"]),
    }[kind]
    junk = st.sampled_from(["-1", "abc", "", "NA", "1e400", "10%", "2024-02-30", "1,5"])
    return st.one_of(plausible, plausible, plausible, junk)


@SETTINGS
@given(
    dataset=st.sampled_from(DATASETS + ["sessions", "touchpoints", "paths", "keyword_rankings", "social"]),
    n=st.integers(1, 8),
    data=st.data(),
    drop_invalid=st.booleans(),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_contract_shaped_frames_load_typed_or_raise(dataset, n, data, drop_invalid, sep):
    """Frames with the contract's required columns and plausible-or-junk values: a loaded frame is
    typed as its contract says; anything else is a DataValidationError."""
    from workbench.data.contracts import CONTRACTS

    contract = CONTRACTS[dataset]
    required = list(contract.required or contract.required_groups[0])
    optional = [c.name for c in contract.columns if not c.is_pattern and c.name not in required]
    cols = (
        required + data.draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional)))
        if optional
        else required
    )
    frame = pd.DataFrame(
        {c: data.draw(st.lists(_cell_for(contract.column(c).kind), min_size=n, max_size=n)) for c in cols}
    )
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "f.csv"
        frame.to_csv(p, index=False, sep=sep)
        try:
            df = load(dataset, p, drop_invalid=drop_invalid)
        except DataValidationError:
            return
    for name in df.columns:
        kind = contract.column(name).kind
        if kind == "date":
            assert str(df[name].dtype) == "datetime64[ns]", name
        elif kind in ("int",):
            assert str(df[name].dtype) in ("int64", "Int64"), name
            assert (df[name].dropna() >= 0).all(), name
        elif kind in ("money", "float", "rate"):
            assert df[name].dtype == "float64", name
            assert (df[name].dropna() >= contract.column(name).bounds()[0]).all(), name
        elif kind == "bool":
            assert str(df[name].dtype) in ("bool", "boolean"), name
