"""Content datasets of the sample, loaded once per module that asks."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="session")
def content_sample(sample_data):
    from workbench.data import load

    return {
        "content": load("content", sample_data / "content.csv"),
        "stats": load("content_stats", sample_data / "content_stats.csv"),
        "demand": load("search_demand", sample_data / "search_demand.csv"),
        "truth": json.loads((sample_data / "_truth" / "content.json").read_text(encoding="utf-8")),
        "dir": sample_data,
    }
