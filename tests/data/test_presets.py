"""Platform export presets: every fixture (tests/fixtures/exports, see its README for the page each
follows) loads as downloaded, and its numbers survive the round trip into the contract.

Expected figures are the ones written in the fixture files — where the platform writes a totals
row, the sums are checked against that row — never numbers the loader produced.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workbench.data import load
from workbench.data.exports import clean_number, to_seconds
from workbench.data.presets import PRESETS, detect_preset, get_preset, header_key, sources_markdown
from workbench.errors import DataValidationError

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
ROOT = Path(__file__).resolve().parents[2]


def fixture(name: str) -> Path:
    return next(EXPORTS.glob(name + ".*"))


# preset -> (rows, {column: expected sum}) with sums taken from the fixture (its totals row where it has one)
ROUND_TRIP = {
    "google_ads_ui": (5, {"impressions": 39505, "clicks": 1035, "cost": 40356.75, "revenue": 127650.50}),
    "yandex_direct_api": (4, {"impressions": 37050, "clicks": 876, "cost": 39815.0, "conversions": 19}),
    "yandex_direct_wizard": (3, {"impressions": 21640, "clicks": 599, "cost": 23651.0, "revenue": 76950.50}),
    "meta_ads_manager": (3, {"impressions": 27570, "clicks": 403, "cost": 308.55, "revenue": 735.40}),
    "vk_ads": (2, {"impressions": 30170, "clicks": 189, "cost": 8107.70, "conversions": 3}),
    "ga4_conversion_paths": (4, {"conversions": 750, "value": 2252746.25}),
    "metrica_logs_visits": (4, {"pageviews": 13, "duration_s": 626}),
    "semrush_organic_positions": (3, {"search_volume": 15880, "position": 22, "cpc": 3.08}),
    "serpstat_organic_keywords": (2, {"search_volume": 15000, "position": 10, "difficulty": 105}),
    "ahrefs_organic_keywords": (2, {"search_volume": 15000, "position": 10, "cpc": 2.13}),
    "semrush_traffic_overview": (2, {"monthly_visits": 70426, "visit_duration_s": 182 + 349, "bounce_rate": 0.868}),
    "mailchimp_campaigns": (2, {"recipients": 24935, "delivered": 24599, "opens": 6352, "clicks": 913}),
    "unisender_campaigns": (2, {"recipients": 24935, "delivered": 24599, "opens": 6352, "clicks": 913}),
    "sendsay_campaigns": (2, {"recipients": 24935, "delivered": 24599, "unsubscribes": 59, "complaints": 2}),
    "channelattribution_paths": (4, {"conversions": 6, "non_conversions": 25, "value": 12.906}),
}


def test_every_preset_has_a_fixture_and_a_round_trip_case():
    assert set(ROUND_TRIP) == set(PRESETS)
    assert {p.stem for p in EXPORTS.iterdir() if p.name != "README.md"} == set(PRESETS)
    readme = (EXPORTS / "README.md").read_text(encoding="utf-8")
    for name, preset in PRESETS.items():
        assert f"`{name}" in readme and preset.docs.split()[0] in readme


@pytest.mark.parametrize("name", list(ROUND_TRIP))
def test_numbers_survive_the_round_trip(name):
    preset = PRESETS[name]
    rows, sums = ROUND_TRIP[name]
    df = load(preset.dataset, fixture(name))
    assert df.attrs["preset"] == name
    assert len(df) == rows
    for column, expected in sums.items():
        assert df[column].sum() == pytest.approx(expected), column
    for column, value in preset.constants.items():
        assert set(df[column]) == {value}


def test_google_ads_title_lines_totals_and_empty_marks():
    df = load("ad_stats", fixture("google_ads_ui"))
    assert str(df["date"].min().date()) == "2026-09-01" and str(df["date"].max().date()) == "2026-09-03"
    assert not df["campaign"].str.startswith("Total").any()
    assert pd.isna(df.loc[3, "avg_cpc"])  # `--` is empty, not text


def test_yandex_direct_micros_and_missing_conversions():
    df = load("ad_stats", fixture("yandex_direct_api"))
    assert df.loc[0, "cost"] == pytest.approx(11250.0)  # 11,250,000,000 micros
    assert df.loc[0, "revenue"] == pytest.approx(33600.0)
    assert pd.isna(df.loc[1, "conversions"])


def test_metrica_codes_become_words():
    df = load("sessions", fixture("metrica_logs_visits"))
    assert list(df["device"]) == ["desktop", "mobile", "tablet", "mobile"]
    assert list(df["medium"]) == ["organic", "cpc", "(none)", "social"]
    assert list(df["source"]) == ["yandex", "yandex", "(direct)", "(direct)"]
    assert df["session_id"].iloc[0] == "5120498312040961"  # ids stay exact text


def test_seo_domain_is_the_host_of_the_ranking_url():
    df = load("keyword_rankings", fixture("semrush_organic_positions"))
    assert set(df["domain"]) == {"kedr.example"}


def test_mailchimp_send_dates():
    df = load("email_sends", fixture("mailchimp_campaigns"))
    assert list(df["sent_at"].astype(str)) == ["2026-09-03 10:00:00", "2026-09-10 10:00:00"]


def test_forced_preset_of_another_dataset_is_refused():
    with pytest.raises(ValueError, match="reads keyword_rankings files, not ad_stats"):
        load("ad_stats", fixture("semrush_organic_positions"), preset="semrush_organic_positions")
    with pytest.raises(ValueError, match="did you mean 'google_ads_ui'"):
        get_preset("google_ads")


def test_preset_key_in_a_rename_map_forces_or_disables():
    df = load("ad_stats", fixture("google_ads_ui"), rename={"ad_stats": {"_preset": "google_ads_ui"}})
    assert df.attrs["preset"] == "google_ads_ui"
    with pytest.raises(DataValidationError, match="cannot parse as CSV|missing required"):
        load("ad_stats", fixture("google_ads_ui"), rename={"_preset": "none"})


def test_errors_keep_the_line_of_the_file_after_skipped_lines(tmp_path):
    text = fixture("google_ads_ui").read_text(encoding="utf-8").replace('"11,902"', "lots")
    path = tmp_path / "ga.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"impressions.*line 6: 'lots'"):
        load("ad_stats", path)


def test_number_and_duration_cleaning():
    assert clean_number("1,234.50 ₽", "en") == "1234.50"
    assert clean_number("1 234,5", "ru") == "1234.5"
    assert clean_number("1.234,5", "ru") == "1234.5"
    assert clean_number("12,480", "auto") == "12480"
    assert clean_number("2,5", "auto") == "2.5"
    assert clean_number("$ 96.50", "auto") == "96.50"
    assert to_seconds("00:03:02") == "182.0" and to_seconds("1:00:00") == "3600.0"


def test_detection_needs_the_signature():
    keys = [header_key(c) for c in ["Day", "Campaign", "Impr.", "Clicks", "Cost"]]
    assert detect_preset(keys).name == "google_ads_ui"
    assert detect_preset(["date", "campaign", "impressions", "clicks", "cost"]) is None  # the contract itself


def test_channelattribution_reference_file_reads_without_a_rename(reference_data):
    df = load("paths", reference_data / "channelattribution_paths.csv")
    assert df.attrs["preset"] == "channelattribution_paths"
    raw = pd.read_csv(reference_data / "channelattribution_paths.csv", sep=";")
    assert df["non_conversions"].sum() == raw["total_null"].sum()
    assert df["value"].sum() == pytest.approx(raw["total_conversion_value"].sum())


def test_data_sources_doc_is_up_to_date():
    committed = (ROOT / "docs" / "data-sources.md").read_text(encoding="utf-8")
    assert committed == sources_markdown(), "regenerate docs/data-sources.md with sources_markdown()"


def test_xlsx_download_with_title_rows(tmp_path):
    """The same Google Ads report saved as XLSX: title rows above the header, totals below."""
    import csv

    from openpyxl import Workbook

    rows = list(csv.reader(fixture("google_ads_ui").read_text(encoding="utf-8").splitlines()))
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "ga.xlsx")
    df = load("ad_stats", tmp_path / "ga.xlsx")
    assert df.attrs["preset"] == "google_ads_ui" and len(df) == 5
    assert df["cost"].sum() == pytest.approx(40356.75) and df["impressions"].sum() == 39505


def test_empty_or_folder_path_says_so_with_the_path_as_written(tmp_path):
    with pytest.raises(DataValidationError, match=r"customers: no file given \(the path is empty\)"):
        load("customers", "")
    with pytest.raises(DataValidationError, match=rf"expected a file but '{tmp_path}' is a folder"):
        load("customers", str(tmp_path))
    with pytest.raises(DataValidationError, match=r"file not found: 'nope/customers.csv'"):
        load("customers", "nope/customers.csv")


def test_an_export_given_to_the_wrong_input_is_named():
    with pytest.raises(
        DataValidationError, match=r"looks like a Semrush export .* holds keyword_rankings, not site_metrics"
    ):
        load("site_metrics", fixture("semrush_organic_positions"))


def test_unknown_export_with_title_lines_finds_its_header(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "Orders export\nGenerated 2026-11-01, all stores\n\norder_id,customer_id,order_date,revenue\n"
        "o1,c1,2026-09-01,10.5\no2,c2,2026-09-02,20\n",
        encoding="utf-8",
    )
    df = load("orders", path)
    assert list(df["order_id"]) == ["o1", "o2"] and df["revenue"].sum() == pytest.approx(30.5)
    assert df.attrs["lines"] == {"word": "line", "lines": [5, 6]}


def test_a_platform_export_read_as_another_dataset_says_what_it_is():
    with pytest.raises(
        DataValidationError, match=r"^tests/fixtures/exports/google_ads_ui\.csv: this looks like a Google Ads export"
    ):
        load("orders", fixture("google_ads_ui"))
