"""What the post-mortem reads from each input: filters that fail loudly, paths that need their
non-conversions, and the ROI of a customer-level response file (checked by hand arithmetic)."""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from workbench.analysis.campaigns.roi import response_roi, roi_sentence
from workbench.analysis.campaigns.scope import (
    check_paths_have_non_conversions,
    flight_ads,
    select_values,
    select_window,
    sends_in_flight,
    thin_selection_note,
)
from workbench.errors import DataValidationError


def _ads(campaigns=("autumn_launch_2026", "brand_search"), days=30):
    dates = pd.date_range("2026-09-01", periods=days, freq="D")
    return pd.DataFrame(
        [
            {"date": d, "campaign": c, "channel": "vk_ads", "impressions": 100, "clicks": 5, "cost": 10.0}
            for d in dates
            for c in campaigns
        ]
    )


def test_a_campaign_that_matches_nothing_stops_with_the_values_and_a_did_you_mean():
    ads = _ads()
    with pytest.raises(DataValidationError) as err:
        select_values(ads, "campaign", "autumn_lanch_2026", "campaign", "ad statistics")
    text = str(err.value)
    assert text.startswith("campaign: 'autumn_lanch_2026' matches no campaign")
    assert (
        "campaign values in the ad statistics: 'autumn_launch_2026', 'brand_search'." in text
        and "Did you mean 'autumn_launch_2026'?" in text
    )
    assert len(select_values(ads, "campaign", "", "campaign", "ad statistics")) == len(ads)  # empty = every campaign


def test_a_date_window_with_no_rows_gives_the_file_range():
    ads = _ads()
    ads.attrs["source"] = "ads.csv"
    with pytest.raises(
        DataValidationError,
        match="no row of ads.csv falls between 2025-01-01 and 2025-02-01; its date runs from 2026-09-01 to 2026-09-30",
    ):
        select_window(ads, "date", "2025-01-01", "2025-02-01", "ad statistics")


def test_a_filter_keeping_very_little_is_flagged_and_a_normal_flight_is_not():
    many = _ads(campaigns=[f"c{i}" for i in range(20)] + ["flight"], days=30)
    kept, note = flight_ads(many, "flight", "2026-09-01", "2026-09-30")
    assert len(kept) == 30 and note is None  # 1 campaign of 21 over the whole month: a normal selection
    kept, note = flight_ads(many, "flight", "2026-09-01", "2026-09-03")
    assert len(kept) == 3 and note.startswith(
        "Only 3 of 630 rows of the ad statistics (0.5%, on 3 days) match campaign 'flight'"
    )
    assert thin_selection_note(many.head(0), 0, "date", "x", "y") is None


def test_paths_without_non_conversions_stop_unless_waived():
    paths = pd.DataFrame({"path": ["a > b", "b"], "conversions": [1, 2], "total_null": [3, 4]})
    with pytest.raises(DataValidationError) as err:
        check_paths_have_non_conversions(paths)
    text = str(err.value)
    assert "no 'non_conversions' column" in text and "Found columns: path, conversions, total_null" in text
    # the rename hint names every column of such an export, not only the first
    assert "total_conversions: conversions, total_null: non_conversions, total_conversion_value: value" in text
    assert "paths_all_converted: true" in text
    assert check_paths_have_non_conversions(paths, all_converted=True) is paths


def test_sends_outside_the_flight_are_all_kept_and_said_so():
    sends = pd.DataFrame({"sent_at": pd.to_datetime(["2026-01-05", "2026-09-10"])})
    kept, scope = sends_in_flight(sends, "2026-09-01", "2026-09-30")
    assert len(kept) == 1 and scope == "sends between 2026-09-01 and 2026-09-30"
    kept, scope = sends_in_flight(sends, "2027-01-01", "2027-01-31")
    assert len(kept) == 2 and scope.startswith("every send in the file")


def test_roi_from_params_and_from_columns():
    resp = pd.DataFrame({"Response": [1, 0, 0, 1, 0], "Cost": [2.0, 2.0, 4.0, 2.0, 2.0], "Rev": [10.0, 0, 0, 30.0, 0]})
    by_params = response_roi(resp, "response", cost_per_contact=3, revenue_per_response=11)
    assert by_params["cost"] == 15 and by_params["revenue"] == 22 and by_params["roi"] == pytest.approx(7 / 15)
    lo, hi = proportion_confint(2, 5, method="wilson")
    assert (by_params["response_rate_low"], by_params["response_rate_high"]) == pytest.approx((lo, hi))
    by_cols = response_roi(resp, "Response", cost_column="cost", revenue_column="rev")
    assert by_cols["cost"] == 12 and by_cols["revenue"] == 40 and by_cols["roi"] == pytest.approx(28 / 12)
    assert "ROI 233.3%" in roi_sentence(by_cols, "RUB") and "paid for itself" in roi_sentence(by_cols)


def test_roi_bad_input_names_the_key_and_column():
    resp = pd.DataFrame({"Response": [1, 0, 2]})
    with pytest.raises(DataValidationError, match="response_column: 'Response' must hold 0/1"):
        response_roi(resp, "Response", cost_per_contact=1, revenue_per_response=1)
    with pytest.raises(DataValidationError, match="response_column: column 'answer' is not in"):
        response_roi(resp, "answer", cost_per_contact=1, revenue_per_response=1)
    with pytest.raises(DataValidationError, match="cost_per_contact: give a positive amount or a column"):
        response_roi(pd.DataFrame({"response": [1, 0]}), "response", revenue_per_response=1)


def test_ifood_roi_matches_the_published_figure(reference_data):
    d = pd.read_csv(reference_data / "ifood_marketing_campaign.csv")
    roi = response_roi(d, "Response", cost_column="Z_CostContact", revenue_column="Z_Revenue")
    assert roi["roi"] == pytest.approx((334 * 11 - 2240 * 3) / (2240 * 3)) and round(roi["roi"], 3) == -0.453
