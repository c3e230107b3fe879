"""Interval levels and ranges in workbench.report.format."""

import pytest

from workbench.report.format import confidence, p_clause, p_value, pct_range


@pytest.mark.parametrize("alpha,text", [(0.05, "95%"), (0.1, "90%"), (0.01, "99%"), (0.005, "99.5%")])
def test_confidence_follows_alpha(alpha, text):
    assert confidence(alpha) == text


def test_ranges_get_the_digits_they_need():
    assert pct_range(0.0, 0.0037928, 0) == "0%–0.4%"
    assert pct_range(0.12, 0.18, 0) == "12%–18%"
    assert pct_range(0.1234, 0.1236, 1) == "12.3%–12.4%"
    assert pct_range(0.123412, 0.123418, 1) == "12.341%–12.342%"
    assert pct_range(0.2, 0.2, 0) == "20%–20%"
    assert pct_range(0.97, 1.0, 0) == "97%–100%"
    assert pct_range(None, 0.1) == "–"


def test_p_values_never_read_zero():
    assert p_value(0.0) == "< 0.001" and p_value(0.0123) == "0.012"


def test_p_values_in_sentences():
    assert p_clause(0.0004) == "p < 0.001" and p_clause(0.0744, "adjusted p") == "adjusted p = 0.074"
