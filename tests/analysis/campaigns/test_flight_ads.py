"""The post-mortem reads its ad statistics summed per day × campaign × channel × platform × ad group × creative
over the flight: the groups say what `scope.flight_ads` says of the rows (the same errors, the same thin-selection
warning), and every figure the report draws from them equals the figure drawn from the rows."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.campaigns import scope
from workbench.analysis.campaigns.breakdown import breakdown
from workbench.analysis.campaigns.flight_ads import flight_ad_groups
from workbench.analysis.campaigns.kpis import compute_kpis
from workbench.analysis.campaigns.pacing import pacing_summary
from workbench.errors import DataValidationError

ibis = pytest.importorskip("ibis", reason="Ibis is a core dependency; reinstall the project")

FLIGHT = ("2026-09-01", "2026-10-31")


@pytest.fixture(scope="module")
def ads(sample_data) -> pd.DataFrame:
    return pd.read_csv(sample_data / "ad_stats.csv", parse_dates=["date"])


@pytest.fixture(scope="module")
def keywords(ads) -> pd.DataFrame:
    """The sample's statistics as a keyword- and device-level export: every row split into three rows whose
    counts and money add up to it."""
    parts = []
    for i, (keyword, device) in enumerate([("shoes", "mobile"), ("shoes", "desktop"), ("boots", "mobile")]):
        part = ads.assign(keyword=keyword, device=device)
        for col in ("impressions", "clicks", "conversions"):
            part[col] = (ads[col] + 2 - i) // 3  # the three parts of n add up to n; each within its share
        for col in ("cost", "revenue"):
            part[col] = ads[col] * (0.5, 0.3, 0.2)[i]
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out.attrs["source"] = "keywords.csv"
    return out


def test_the_groups_of_a_creative_level_file_are_its_flight_rows(ads):
    rows, note = scope.flight_ads(ads, "autumn_launch_2026", *FLIGHT)
    groups, got_note, counts = flight_ad_groups(ibis.memtable(ads), "autumn_launch_2026", *FLIGHT, "ad_stats.csv")
    pd.testing.assert_frame_equal(groups, rows.reset_index(drop=True), check_dtype=False)
    assert got_note == note is None
    assert counts == {"table_rows": len(ads), "flight_rows": len(rows), "kernel_rows": len(rows) + 5}


def test_a_keyword_level_table_gives_the_figures_of_its_rows(keywords):
    """KPIs, pacing and every breakdown level from the groups equal those from the keyword rows, with a third
    of the rows (three keyword × device rows per creative and day)."""
    rows, _ = scope.flight_ads(keywords, "autumn_launch_2026", *FLIGHT)
    groups, _, counts = flight_ad_groups(ibis.memtable(keywords), "autumn_launch_2026", *FLIGHT, "keywords.csv")
    assert len(groups) * 3 == len(rows) == counts["flight_rows"] and "keyword" not in groups.columns
    kpi_rows, kpi_groups = compute_kpis(rows, None, None, *FLIGHT), compute_kpis(groups, None, None, *FLIGHT)
    assert kpi_groups.pop("sources") == kpi_rows.pop("sources") == {"conversions": "ad_stats", "revenue": "ad_stats"}
    assert kpi_groups == pytest.approx(kpi_rows, rel=1e-12, nan_ok=True)
    budget = {"google_ads": 219600.0, "yandex_direct": 219600.0, "meta_ads": 146400.0, "vk_ads": 146400.0}
    pd.testing.assert_frame_equal(pacing_summary(groups, budget, *FLIGHT), pacing_summary(rows, budget, *FLIGHT))
    for level in ("channel", "ad_group", "creative", "platform"):
        pd.testing.assert_frame_equal(breakdown(groups, level), breakdown(rows, level), check_dtype=False)
    daily = groups.groupby("date")["clicks"].sum()
    pd.testing.assert_series_equal(daily, rows.groupby("date")["clicks"].sum(), check_index_type=False)


@pytest.mark.parametrize(
    ("campaign", "start", "end"),
    [("autumn_launch_2026", "2026-09-01", "2026-09-03"), ("", "2026-10-30", "2026-10-31"), ("", *FLIGHT)],
)
def test_the_thin_selection_warning_counts_the_rows_of_the_table(keywords, campaign, start, end):
    _, note = scope.flight_ads(keywords, campaign, start, end)
    _, got, counts = flight_ad_groups(ibis.memtable(keywords), campaign, start, end, "keywords.csv")
    assert got == note and counts["table_rows"] == len(keywords)
    if start == "2026-09-01" and end == "2026-09-03":
        assert "of 77,448 rows" in got and "on 3 days" in got  # 25,816 × 3 keyword rows


@pytest.mark.parametrize(
    ("campaign", "start", "end"),
    [
        ("autumn_lanch_2026", *FLIGHT),
        ("autumn_launch_2026", "2025-09-01", "2025-10-31"),
        ("", "2030-01-01", "2030-01-02"),
    ],
)
def test_an_unknown_campaign_or_an_empty_flight_stops_with_the_rows_error(keywords, campaign, start, end):
    with pytest.raises(DataValidationError) as from_rows:
        scope.flight_ads(keywords, campaign, start, end)
    with pytest.raises(DataValidationError) as from_groups:
        flight_ad_groups(ibis.memtable(keywords), campaign, start, end, "keywords.csv")
    assert str(from_groups.value) == str(from_rows.value)
    assert "Did you mean 'autumn_launch_2026'" in str(from_rows.value) or "runs from" in str(from_rows.value)
