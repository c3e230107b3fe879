"""One fitted model on the planted media-mix sample, shared by the tests of this folder."""

from __future__ import annotations

import pytest

from workbench.analysis.budget import MMMSpec, block_bootstrap, fit_mmm
from workbench.data.sample.media_mix import simulate_media_mix


@pytest.fixture(scope="session")
def planted():
    return simulate_media_mix(42)


@pytest.fixture(scope="session")
def fitted(planted):
    fit = fit_mmm(planted["spend"], planted["outcome"], MMMSpec())
    return fit, block_bootstrap(fit, 60, seed=1)
