"""Display blocks escape every piece of text that can come from data."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.report import callout, findings, kpi_tiles, no_data, table

EVIL = "<script>alert(1)</script><img src=x onerror=alert(1)>"


def _assert_escaped(html: str) -> None:
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_table_escapes_cells_headers_and_caption():
    frame = pd.DataFrame({EVIL: [EVIL], "n": [1]})
    _assert_escaped(str(table(frame, caption=EVIL)))


def test_kpis_callouts_findings_and_no_data_escape_text():
    _assert_escaped(str(kpi_tiles([{"label": EVIL, "value": EVIL, "note": EVIL, "status": "good"}])))
    _assert_escaped(str(callout(EVIL, "warning", title=EVIL)))
    _assert_escaped(str(findings([EVIL], title=EVIL)))
    _assert_escaped(str(no_data(EVIL, EVIL)))


def test_table_applies_formats_and_says_when_rows_are_cut():
    frame = pd.DataFrame({"name": list("abcd"), "share": [0.1234, 0.5, None, 1.0]})
    html = str(table(frame, formats={"share": "{:.1%}"}, max_rows=3))
    assert "12.3%" in html and "50.0%" in html
    assert "Showing 3 of 4 rows" in html


def test_kpi_numbers_are_formatted_with_thousands_separators():
    html = str(kpi_tiles([{"label": "Revenue", "value": 1234567.891}, {"label": "Orders", "value": 12000}]))
    assert "1,234,567.89" in html and "12,000" in html


def test_unknown_callout_kind_names_the_allowed_values():
    with pytest.raises(ValueError, match="info, success, warning, danger"):
        callout("x", kind="loud")


def test_formats_leave_every_kind_of_missing_value_blank():
    frame = pd.DataFrame({"pos": pd.array([1, None], dtype="Int64"), "when": pd.to_datetime(["2025-01-02", None])})
    html = str(table(frame, formats={"pos": "{:d}", "when": "{:%Y-%m-%d}"}))
    assert ">1<" in html and "2025-01-02" in html


def test_numbers_without_a_format_are_readable_not_scientific():
    frame = pd.DataFrame(
        {
            "impressions": [2524375.0, 1612727.0],
            "year": [2025, 2026],
            "ctr": [0.014783, 0.5],
            "cpc": [21.1634, 3.5],
            "orders": pd.array([12000, None], dtype="Int64"),
        }
    )
    html = str(table(frame))
    assert "e+" not in html
    for text in ("2,524,375", "1,612,727", ">2025<", "0.0148", "21.16", "12,000"):
        assert text in html, text


def test_text_columns_are_left_aligned_and_numbers_right_aligned():
    frame = pd.DataFrame({"n": [1, 2], "verdict": ["ship", "wait"], "rate": [0.1, 0.2]})
    html = str(table(frame))
    assert "td:nth-child(2)" in html and "td:nth-child(1)" not in html and "td:nth-child(3)" not in html
    assert html == str(table(frame))  # same content, same id: reports stay byte-stable


def test_table_headers_read_as_labels_and_p_values_never_read_zero():
    import pandas as pd

    frame = pd.DataFrame(
        {"share_customers": [0.25], "recency_days": [12], "clv_mean": [210.5], "p_value": [0.00001], "Revenue": [5]}
    )
    html = str(table(frame))
    for header in ("Share customers", "Recency days", "CLV mean", "p-value", "Revenue"):
        assert f"<th>{header}</th>" in html
    assert "share_customers" not in html and "&lt; 0.001" in html


def test_table_formats_keep_working_with_the_original_column_names():
    import pandas as pd

    html = str(table(pd.DataFrame({"conversion_rate": [0.1234]}), formats={"conversion_rate": "{:.1%}"}))
    assert "12.3%" in html and "<th>Conversion rate</th>" in html
