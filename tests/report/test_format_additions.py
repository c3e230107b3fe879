"""format.number, format.pct_interval and format.label (added for headlines, intervals and table headers)."""

from __future__ import annotations

import pytest

from workbench.report.format import label, number, p_value, pct_interval


@pytest.mark.parametrize(
    "value, expected",
    [(21500, "21,500"), (21500.4, "21,500"), (48_700_000, "48.7M"), (3.456, "3.46"), (0.0321, "0.0321"), (None, "–")],
)
def test_number_reads_by_magnitude(value, expected):
    assert number(value) == expected


def test_wilson_interval_for_zero_of_1012_keeps_the_precision_it_needs():
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    low, high = proportion.proportion_confint(0, 1012, alpha=0.05, method="wilson")
    assert pct_interval(low, high) == "0%–0.4%"  # not "0%–0%"
    assert pct_interval(0.10, 0.20) == "10%–20%"
    assert pct_interval(0.1231, 0.1234) == "12.31%–12.34%"


def test_p_value_never_reads_zero():
    assert p_value(0.0) == "< 0.001" and p_value(0.0123) == "0.012"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("share_customers", "Share customers"),
        ("recency_days", "Recency days"),
        ("clv_mean", "CLV mean"),
        ("roas", "ROAS"),
        ("p_value", "p-value"),
        ("Already Nice", "Already Nice"),
        ("yoy_change", "YoY change"),
    ],
)
def test_label(name, expected):
    assert label(name) == expected
