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


def _load_or_validation_error(dataset: str, path: Path) -> None:
    try:
        df = load(dataset, path)
    except DataValidationError:
        return
    assert isinstance(df, pd.DataFrame) and len(df) > 0


@SETTINGS
@given(data=st.binary(max_size=400), dataset=st.sampled_from(DATASETS),
       suffix=st.sampled_from([".csv", ".xlsx", ".parquet", ".txt"]))
def test_arbitrary_bytes(data, dataset, suffix):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"f{suffix}"
        p.write_bytes(data)
        _load_or_validation_error(dataset, p)


CELL = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.booleans(),
                 st.text(alphabet=string.printable + "йё€;,\t\"", max_size=12),
                 st.sampled_from(["2024-01-01", "31.12.2025", "01/02/2024", "1,5", "45%", "NA", ""]))


@SETTINGS
@given(dataset=st.sampled_from(DATASETS), n=st.integers(1, 6), data=st.data(),
       fmt=st.sampled_from(["csv", "csv;", "parquet", "xlsx"]))
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
        _load_or_validation_error(dataset, p)
