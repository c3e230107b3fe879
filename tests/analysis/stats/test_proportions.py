"""Wilson intervals against statsmodels' independent implementation."""

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from workbench.analysis.stats.proportions import wilson_interval


@pytest.mark.parametrize("alpha", [0.05, 0.01, 0.2])
def test_wilson_matches_statsmodels_vectorised(alpha):
    rng = np.random.default_rng(3)
    n = rng.integers(1, 5000, size=200)
    k = rng.binomial(n, rng.random(200))
    k[:3] = 0
    k[3:6] = n[3:6]
    low, high = wilson_interval(k, n, alpha=alpha)
    ref_low, ref_high = proportion_confint(k, n, alpha=alpha, method="wilson")
    np.testing.assert_allclose(low, ref_low, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, atol=1e-12)


def test_wilson_scalar_and_empty():
    low, high = wilson_interval(3, 40)
    ref = proportion_confint(3, 40, method="wilson")
    assert isinstance(low, float) and low == pytest.approx(ref[0]) and high == pytest.approx(ref[1])
    low, high = wilson_interval([0], [0])
    assert np.isnan(low[0]) and np.isnan(high[0])


@pytest.mark.parametrize("k,n,match", [(5, 3, "exceed"), (-1, 3, "non-negative")])
def test_wilson_rejects_bad_counts(k, n, match):
    with pytest.raises(ValueError, match=match):
        wilson_interval(k, n)


def test_wilson_rejects_bad_alpha():
    with pytest.raises(ValueError, match="alpha"):
        wilson_interval(1, 2, alpha=1.5)
