"""record() turns analysis values into plain JSON and the pipeline can collect them from a notebook."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pandas as pd

from workbench.report import RESULTS_MIMETYPE, collect_results, record, recorded, to_jsonable


def test_numpy_and_pandas_scalars_become_python_types():
    assert to_jsonable(np.int64(3)) == 3 and type(to_jsonable(np.int64(3))) is int
    assert to_jsonable(np.float32(0.5)) == 0.5
    assert to_jsonable(np.bool_(True)) is True
    assert to_jsonable(pd.Timestamp("2025-03-01")) == "2025-03-01T00:00:00"
    assert to_jsonable(dt.date(2025, 3, 1)) == "2025-03-01"


def test_missing_values_become_null():
    assert to_jsonable(float("nan")) is None
    assert to_jsonable(np.nan) is None
    assert to_jsonable(pd.NaT) is None
    assert to_jsonable(float("inf")) is None


def test_frames_become_records_keeping_a_meaningful_index():
    frame = pd.DataFrame({"channel": ["seo", "ads"], "share": [0.25, np.nan]})
    assert to_jsonable(frame) == [{"channel": "seo", "share": 0.25}, {"channel": "ads", "share": None}]
    indexed = frame.set_index("channel")
    assert to_jsonable(indexed) == to_jsonable(frame)
    assert to_jsonable(pd.Series({"a": np.int64(1)})) == {"a": 1}


def test_dataclasses_and_nested_containers():
    @dataclasses.dataclass
    class Fit:
        r: float
        params: tuple

    value = to_jsonable({"fit": Fit(np.float64(0.243), (1, np.int32(2)))})
    assert value == {"fit": {"r": 0.243, "params": [1, 2]}}
    json.dumps(value)  # must be serialisable as is


def test_record_keeps_the_value_and_returns_nothing_to_display():
    assert record("roas", np.float64(3.2)) is None
    assert recorded()["roas"] == 3.2


def test_record_rejects_an_empty_name():
    import pytest

    with pytest.raises(ValueError, match="non-empty string"):
        record("", 1)


def test_collect_results_merges_outputs_and_later_records_win():
    nb = {
        "cells": [
            {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {RESULTS_MIMETYPE: {"a": 1}}}]},
            {"cell_type": "markdown"},
            {
                "cell_type": "code",
                "outputs": [
                    {"output_type": "stream", "text": "x"},
                    {"output_type": "display_data", "data": {RESULTS_MIMETYPE: {"a": 2, "b": [1]}}},
                ],
            },
        ]
    }
    assert collect_results(nb) == {"a": 2, "b": [1]}


def test_data_period_label_and_single_snapshot_in_the_header():
    from workbench.pipeline.render import _period
    from workbench.report import data_period

    data_period("2026-10-31", "2026-10-31", label="rankings")
    assert recorded()["data_period"] == {"start": "2026-10-31", "end": "2026-10-31", "label": "rankings"}
    assert _period(recorded()) == "rankings as of 2026-10-31"
    assert _period({"data_period": {"start": "2026-10-31", "end": "2026-10-31"}}) == "as of 2026-10-31"
    assert _period({"data_period": {"start": "2024-01-01", "end": "2026-10-31"}}) == "2024-01-01 – 2026-10-31"
    assert (
        _period({"data_period": {"start": "2024-01-01", "end": "2026-10-31", "label": "orders"}})
        == "2024-01-01 – 2026-10-31 (orders)"
    )
