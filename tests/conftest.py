"""Fixtures shared by every test area."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DATA = PROJECT_ROOT.parent / "shared" / "reference-data"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def reference_data() -> Path:
    """The real public datasets beside the project; tests that need them skip where absent."""
    if not REFERENCE_DATA.is_dir():
        pytest.skip(f"reference data folder {REFERENCE_DATA} is absent (it sits beside the project in dev and CI)")
    return REFERENCE_DATA


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in sample data at default scale and seed, generated once per test session
    (per xdist worker) into a temporary folder; tests never depend on `make reports` having run."""
    from workbench.data.sample import generate_sample

    out = tmp_path_factory.mktemp("sample") / "sample"
    generate_sample(out, scale=1.0, seed=42)
    return out
