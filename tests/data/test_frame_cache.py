"""The build's frame cache: a file several reports load is parsed once per build, and a report gets
exactly the frame (values, dtypes, attrs, drop log) it would have read from the file itself."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from workbench.data import dropped_text, load, loads_with_drops, set_load_options
from workbench.data.frame_cache import FRAME_CACHE_ENV
from workbench.data.readers import read_any
from workbench.errors import DataValidationError

ORDERS = "Order ID,customer_id,order_date,Revenue RUB\no1,c1,2025-01-02,10.5\no2,c1,2025-01-03,-3\no3,c2,2025-01-04,7\n"


@pytest.fixture(autouse=True)
def _reset_options():
    set_load_options()
    yield
    set_load_options()


@pytest.fixture
def frames(tmp_path, monkeypatch):
    folder = tmp_path / "frames"
    folder.mkdir()
    monkeypatch.setenv(FRAME_CACHE_ENV, str(folder))
    return folder


def _pickles(folder):
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".pkl")


def _orders(tmp_path, text=ORDERS):
    path = tmp_path / "orders.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _direct(path, monkeypatch, **kw):
    """The frame read from the file itself, without the cache."""
    with monkeypatch.context() as m:
        m.delenv(FRAME_CACHE_ENV)
        return load("orders", path, **kw)


def test_a_second_load_returns_the_same_frame_as_reading_the_file(tmp_path, frames, monkeypatch):
    from workbench.data import loading

    path = _orders(tmp_path)
    kw = {"rename": {"revenue_rub": "revenue"}, "drop_invalid": True}
    reads = []
    monkeypatch.setattr(loading, "read_any", lambda *a, **k: reads.append(a) or read_any(*a, **k))
    first = load("orders", path, **kw)
    assert len(_pickles(frames)) == 1
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns))  # untouched file: same key
    second = load("orders", path, **kw)
    assert len(reads) == 1  # parsed once
    expected = _direct(path, monkeypatch, **kw)
    assert second is not first  # every report gets its own copy to change at will
    pd.testing.assert_frame_equal(second, expected)
    assert second.attrs == expected.attrs and second.attrs["dropped"]
    assert list(second["order_id"]) == ["o1", "o3"]


def test_a_cached_load_still_joins_the_reports_drop_log(tmp_path, frames):
    path = _orders(tmp_path)
    set_load_options(rename={"orders": {"revenue_rub": "revenue"}}, drop_invalid=True)
    load("orders", path)
    set_load_options(rename={"orders": {"revenue_rub": "revenue"}}, drop_invalid=True)  # the next report
    load("orders", path)  # from the cache
    [logged] = loads_with_drops()
    assert dropped_text(logged).startswith("orders.csv: 1 of 3 rows was left out")


def test_a_changed_file_or_other_options_are_read_again(tmp_path, frames, monkeypatch):
    path = _orders(tmp_path)
    kw = {"rename": {"revenue_rub": "revenue"}, "drop_invalid": True}
    load("orders", path, **kw)
    path.write_text(ORDERS.replace("7\n", "70.25\n"), encoding="utf-8")  # new size and mtime
    assert load("orders", path, **kw)["revenue"].tolist() == [10.5, 70.25]
    with pytest.raises(DataValidationError, match="revenue"):  # other options: not the dropped frame
        load("orders", path, rename={"revenue_rub": "revenue"}, drop_invalid=False)
    assert len(_pickles(frames)) == 2  # two good loads; the failed one is not cached


def test_a_failing_load_fails_every_time(tmp_path, frames):
    path = _orders(tmp_path, ORDERS.replace("Revenue RUB", "revenue"))
    for _ in range(2):
        with pytest.raises(DataValidationError, match="line 3"):
            load("orders", path)
    assert _pickles(frames) == []


def test_outside_a_build_nothing_is_cached(tmp_path, monkeypatch):
    monkeypatch.delenv(FRAME_CACHE_ENV, raising=False)
    path = _orders(tmp_path, ORDERS.replace("Revenue RUB", "revenue").replace("-3", "3"))
    load("orders", path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv"]
