"""Audience selection from params: modes, filters, segments, RFM groups, clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.analysis.customers.audience import (
    AudienceSelectionError,
    audience_from_filter,
    audience_from_rfm_group,
    audience_from_segments,
    filter_mask,
    selection_mode,
    whole_base,
)
from workbench.errors import ParamsError


@pytest.fixture()
def customers():
    return pd.DataFrame(
        {
            "customer_id": ["c1", "c2", "c3", "c4", "c5"],
            "signup_date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"]),
            "country": ["DE", "AT", "FR", "DE", None],
            "age": [22, 30, 41, 40, None],
            "interests": ["running;travel", "cooking", None, "Travel", "music"],
        }
    )


def test_selection_mode():
    assert selection_mode() == "all"
    assert selection_mode([], "", {}) == "all"
    assert selection_mode(audience_segments=[1]) == "segments"
    assert selection_mode(audience_rfm_group="Champions") == "rfm_group"
    assert selection_mode(audience_filter={"country": ["DE"]}) == "filter"
    with pytest.raises(AudienceSelectionError, match="exactly one.*audience_filter, audience_rfm_group"):
        selection_mode(audience_rfm_group="Champions", audience_filter={"country": ["DE"]})
    with pytest.raises(ValueError, match="audience_filter must be a mapping"):
        selection_mode(audience_filter=["DE"])


def test_filter_categories_and_ranges(customers):
    aud = audience_from_filter(customers, {"country": ["de", "AT"], "age": [25, 40]})
    assert list(aud.customer_ids) == ["c2", "c4"]  # c1 is 22, c3 in FR; range ends inclusive
    assert aud.mode == "filter" and aud.base_size == 5 and aud.share_of_base == pytest.approx(0.4)
    assert "country in de, AT" in aud.description and "age 25–40" in aud.description
    assert filter_mask(customers, {"age": [None, 30]}).tolist() == [True, True, False, False, False]
    assert filter_mask(customers, {"age": 40}).tolist() == [False, False, False, True, False]


def test_filter_multi_valued_and_dates(customers):
    assert filter_mask(customers, {"interests": ["travel"]}).tolist() == [True, False, False, True, False]
    assert filter_mask(customers, {"signup_date": ["2024-02-01", "2024-03-31"]}).tolist() == [
        False,
        True,
        True,
        False,
        False,
    ]


def test_filter_errors_name_param_column_and_allowed_values(customers):
    with pytest.raises(AudienceSelectionError, match=r"audience_filter: 'town' is not a customer column.*'country'"):
        audience_from_filter(customers, {"town": ["x"]})
    with pytest.raises(
        AudienceSelectionError, match=r"audience_filter\['country'\]: unknown value\(s\) \['UK'\].*'AT', 'DE', 'FR'"
    ):
        audience_from_filter(customers, {"country": ["UK"]})
    with pytest.raises(AudienceSelectionError, match=r"audience_filter\['age'\]: a numeric .* range \[min, max\]"):
        audience_from_filter(customers, {"age": [1, 2, 3]})
    with pytest.raises(AudienceSelectionError, match=r"audience_filter\['age'\]: range ends must be numbers"):
        audience_from_filter(customers, {"age": ["young", 3]})
    with pytest.raises(AudienceSelectionError, match="min above max"):
        audience_from_filter(customers, {"age": [50, 20]})
    with pytest.raises(
        ParamsError,
        match=r"no customer matches every condition \(the base has 5\)\. Each condition alone keeps: "
        r"country: 1; age: 0 \(values in the data: 22\.0 to 41\.0\)",
    ):
        audience_from_filter(customers, {"country": ["FR"], "age": [50, 60]})


def test_filter_did_you_mean_and_loader_names(customers):
    with pytest.raises(AudienceSelectionError, match=r"unknown value\(s\) \['Frnace'\].*Did you mean 'France'\?"):
        audience_from_filter(customers.assign(country=["France", "DE", "AT", "DE", "AT"]), {"country": ["Frnace"]})
    with pytest.raises(AudienceSelectionError, match=r"'contry' is not a customer column.*Did you mean 'country'\?"):
        audience_from_filter(customers, {"contry": ["DE"]})
    # a column named as in the export ("Country") finds the loader's normalised name
    assert (
        audience_from_filter(customers, {"Country": ["DE"]}).size
        == audience_from_filter(customers, {"country": ["DE"]}).size
    )


def test_small_audience_is_flagged():
    from workbench.analysis.customers.audience import Audience, small_audience_note

    few = Audience(pd.Index(["a"] * 1), "filter", "x", 1000)
    assert small_audience_note(few).startswith("The audience keeps only 1 of 1,000 customers (0.1%)")
    assert small_audience_note(Audience(pd.Index(range(50)), "filter", "x", 1000)) == ""


def test_segments_by_label_and_name(customers):
    labels = pd.Series([1, 2, 1, 3, 2], index=customers["customer_id"], name="segment")
    names = {1: "Young urban runners", 2: "Home cooks", 3: "Travellers"}
    aud = audience_from_segments(customers, labels, names, ["home cooks", 3])
    assert sorted(aud.customer_ids) == ["c2", "c4", "c5"]
    assert aud.mode == "segments" and "Home cooks" in aud.description
    assert list(audience_from_segments(customers, labels, names, ["1"]).customer_ids) == ["c1", "c3"]
    with pytest.raises(
        AudienceSelectionError, match=r"audience_segments: unknown segment\(s\) \['gamers'\].*1 \(Young urban runners\)"
    ):
        audience_from_segments(customers, labels, names, ["gamers"])
    with pytest.raises(
        AudienceSelectionError, match=r"unknown segment\(s\) \['travelers'\].*Did you mean 'Travellers'\?"
    ):
        audience_from_segments(customers, labels, names, ["travelers"])


def test_rfm_group(customers):
    rfm = pd.DataFrame({"customer_id": ["c1", "c2", "c3"], "rfm_group": ["Champions", "Lost", "Champions"]})
    aud = audience_from_rfm_group(customers, rfm, "champions")
    assert list(aud.customer_ids) == ["c1", "c3"] and aud.description == "RFM group Champions"
    with pytest.raises(
        AudienceSelectionError, match=r"audience_rfm_group: unknown RFM group 'Loyal'.*'Champions', 'Lost'"
    ):
        audience_from_rfm_group(customers, rfm, "Loyal")
    with pytest.raises(AudienceSelectionError, match=r"unknown RFM group 'Champs'.*Did you mean 'Champions'\?"):
        audience_from_rfm_group(customers, rfm, "Champs")


def test_whole_base(customers):
    aud = whole_base(customers)
    assert aud.size == 5 and aud.share_of_base == 1.0 and aud.mode == "all"
