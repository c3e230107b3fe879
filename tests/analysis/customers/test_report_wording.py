"""Readable labels, collapsed feature rows, churn summary, keyword selection of segments and the
reader views of the audience portrait: small hand-built cases with the expected output written out."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from workbench.analysis.customers.affinity import affinity, labelled, value_label
from workbench.analysis.customers.audience import AudienceSelectionError, audience_from_segments, distinctive_traits
from workbench.analysis.customers.customer_value import churn_summary
from workbench.analysis.customers.features import feature_summary
from workbench.analysis.customers.persona import persona_sentences
from workbench.analysis.customers.portrait import best_times_view, purchases_view
from workbench.analysis.customers.profiles import segment_names, trait_label, trait_phrase


def test_value_labels_replace_codes_for_readers_only():
    assert value_label("gender", "m") == "male" and value_label("gender", "F") == "female"
    assert value_label("acquisition_channel", "meta_ads") == "Meta ads"
    assert value_label("lifestyle", "urban_active") == "urban active"
    assert value_label("city", "Moscow") == "Moscow"
    table = affinity(["m", "m", "f"], ["m", "f", "f", "f"], audience_in_base=False)
    shown = labelled(table, "gender")
    assert set(shown["value"]) == {"male", "female"} and set(table["value"]) == {"m", "f"}  # original untouched
    assert shown["index"].tolist() == table["index"].tolist()
    assert labelled(None, "gender") is None


def test_trait_labels_and_names_read_as_words():
    assert trait_label("interest_bbq", "1") == "interest: BBQ"
    assert trait_label("acquisition_channel", "meta_ads") == "acquisition channel: Meta ads"
    assert (
        trait_phrase("gender", "f") == "female"
        and trait_phrase("acquisition_channel", "meta_ads") == "come via Meta ads"
    )
    # two interests of one segment become one phrase
    frame = pd.DataFrame(
        {
            "interest_bbq": [1, 1, 1, 0, 0, 0],
            "interest_gardening": [1, 1, 1, 0, 0, 0],
            "interest_chess": [0, 0, 0, 1, 1, 1],
        }
    )
    names = segment_names(frame, pd.Series([1, 1, 1, 2, 2, 2]))
    assert names[1] == "BBQ and gardening enthusiasts" and names[2] == "Chess enthusiasts"


def test_feature_summary_collapses_indicator_families():
    missing = pd.DataFrame(
        {
            "feature": ["age", "interest_bbq", "interest_city_walks", "interest_gym", "region"],
            "kind": ["numeric", "binary", "binary", "binary", "categorical"],
            "missing": [3, 0, 2, 0, 1],
            "share": [0.03, 0.0, 0.02, 0.0, 0.01],
            "imputed_with": ["median", "most frequent", "most frequent", "most frequent", "x"],
        }
    )
    out = feature_summary(missing)
    assert out["feature"].tolist() == ["age", "interests", "region"]
    assert out["group"].tolist() == ["demography", "psychographics", "geography"]
    row = out.set_index("feature").loc["interests"]
    assert row["kind"] == "3 yes/no columns" and row["values"] == "bbq, city walks, gym"
    assert row["missing"] == 2 and row["share"] == pytest.approx(0.02)
    with pytest.raises(ValueError, match="missing must have columns"):
        feature_summary(missing.drop(columns="kind"))


def test_groups_used_names_every_group_and_the_ones_left_out():
    from workbench.analysis.customers.features import groups_used

    got = groups_used(["age", "region", "interest_bbq", "lifestyle", "recency_days", "device_mobile_share", "x"])
    assert got == {
        "geography": ["region"],
        "demography": ["age"],
        "psychographics": ["interest_bbq", "lifestyle"],
        "behaviour": ["recency_days", "device_mobile_share"],
        "other": ["x"],
    }
    assert groups_used(["age"])["behaviour"] == []


def test_churn_summary_hand_computed_and_negligible_only_without_dropout():
    values = pd.DataFrame({"p_alive": [0.2, 0.6, 0.9, 0.4]})
    s = churn_summary(SimpleNamespace(a=1.0, b=9.0), values)
    assert s["dropout_p"] == pytest.approx(0.1) and s["customers_below"] == 2
    assert s["share_below"] == pytest.approx(0.5) and s["p_alive_mean"] == pytest.approx(0.525)
    assert s["negligible"] is False
    flat = churn_summary(SimpleNamespace(a=1e-6, b=25.0), pd.DataFrame({"p_alive": [0.999, 1.0, 0.998]}))
    assert flat["negligible"] is True and flat["customers_below"] == 0
    # tiny mean drop-out but many customers judged gone: not "negligible"
    assert churn_summary(SimpleNamespace(a=1e-6, b=25.0), values)["negligible"] is False
    with pytest.raises(ValueError, match="threshold"):
        churn_summary(SimpleNamespace(a=1.0, b=1.0), values, threshold=1.5)
    with pytest.raises(ValueError, match="p_alive"):
        churn_summary(SimpleNamespace(a=1.0, b=1.0), pd.DataFrame({"x": [1]}))


def _segments():
    customers = pd.DataFrame({"customer_id": [f"c{i}" for i in range(6)]})
    labels = pd.Series([1, 1, 2, 2, 3, 3], index=customers["customer_id"])
    names = {
        1: "Urban active, in Moscow",
        2: "Climbing and trekking enthusiasts, in Sochi",
        3: "Budget conscious, deals enthusiasts",
    }
    return customers, labels, names


def test_segments_selected_by_name_keywords():
    customers, labels, names = _segments()
    assert list(audience_from_segments(customers, labels, names, ["climb"]).customer_ids) == ["c2", "c3"]
    assert list(audience_from_segments(customers, labels, names, ["Moscow urban"]).customer_ids) == ["c0", "c1"]
    assert list(audience_from_segments(customers, labels, names, [3]).customer_ids) == ["c4", "c5"]
    with pytest.raises(AudienceSelectionError, match="'enthusiasts' matches 2 .*3 "):
        audience_from_segments(customers, labels, names, ["enthusiasts"])
    with pytest.raises(AudienceSelectionError, match="unknown segment"):
        audience_from_segments(customers, labels, names, ["skiing"])


def test_segments_selected_by_distinctive_trait_when_the_name_omits_it():
    customers, labels, names = _segments()
    traits = pd.DataFrame(
        {
            "segment": [1, 2, 3, 2],
            "column": ["interest_skiing"] * 3 + ["city"],
            "value": ["1", "1", "1", "Sochi"],
            "segment_share": [0.1, 0.8, 0.35, 0.9],
            "affinity": [30.0, 240.0, 105.0, 300.0],
        }
    )
    assert distinctive_traits(traits) == {2: "interest_skiing city Sochi"}
    got = audience_from_segments(customers, labels, names, ["skiing"], traits=traits)
    assert list(got.customer_ids) == ["c2", "c3"]


def test_reader_views_are_narrow_and_keep_the_numbers():
    purchases = pd.DataFrame(
        {
            "metric": ["purchases per year", "median days between orders", "share of repeat buyers"],
            "audience": [4.02, 47.5, 0.8428],
            "base": [2.73, 65.0, 0.768],
            "index": [147.3, 73.1, 109.7],
            "audience_mean": [4.86, 80.3, np.nan],
            "base_mean": [3.56, 103.9, np.nan],
            "audience_low": [np.nan, np.nan, 0.82],
            "audience_high": [np.nan, np.nan, 0.863],
            "audience_n": [1161, 917, 1088],
            "base_n": [5362, 3766, 4903],
            "p_adjusted": [7e-36, 0.0123, np.nan],
        }
    )
    v = purchases_view(purchases)
    assert v.columns.tolist() == ["metric", "audience", "all customers", "index", "n (audience / all)", "p (BH)"]
    assert v["audience"].tolist() == ["4.0 (mean 4.9)", "47.5 (mean 80.3)", "84% (82%–86%)"]
    assert v["p (BH)"].tolist() == ["< 0.001", "0.012", "–"] and v.loc[0, "n (audience / all)"] == "1,161 / 5,362"
    best = pd.DataFrame(
        {
            "weekday_name": ["Monday", "Sunday"],
            "hour": [20, 23],
            "n": [346, 40],
            "share": [0.022, 0.003],
            "index": [141.0, 90.0],
            "rate": [0.512, 0.1],
            "rate_low": [0.459, 0.04],
            "rate_high": [0.564, 0.23],
        }
    )
    b = best_times_view(best)
    assert b["slot"].tolist() == ["Monday 20:00–21:00", "Sunday 23:00–00:00"]
    assert b.loc[0, "conversion rate (95% CI)"] == "51.2% (45.9%–56.4%)" and b["audience visits"].tolist() == [346, 40]
    assert "conversion rate (95% CI)" not in best_times_view(best.drop(columns=["rate"]))


def test_persona_uses_labels_and_names_the_best_times():
    gender = affinity(["m"] * 8 + ["f"] * 2, ["m"] * 40 + ["f"] * 60, audience_in_base=False)
    best = pd.DataFrame({"weekday_name": ["Tuesday", "Monday"], "hour": [13, 20]})
    text = " ".join(
        persona_sentences("Climbers", size=100, share_of_base=0.1, demographics={"gender": gender}, best_times=best)
    )
    assert "mostly male (80%, index 200)" in text.lower() and " m (" not in text
    assert "Best times to publish (their busiest hours): Tuesday 13:00 and Monday 20:00." in text


def test_feature_groups_sentence_and_holdout_note():
    from workbench.analysis.customers.segmentation_summary import feature_groups_sentence, holdout_note

    text = feature_groups_sentence(["age", "region", "interest_bbq", "interest_gym", "lifestyle"])
    assert text.startswith(
        "Segments are formed on geography (region); demography (age); psychographics (lifestyle, 2 interests)."
    )
    assert "Not used to form them: behaviour." in text and "read off each segment" in text
    assert "Not used" not in feature_groups_sentence(["age", "region", "lifestyle", "frequency"])
    year = holdout_note("2025-10-31", "2026-10-31", 2922)
    assert "holdout: 2025-11-01 … 2026-10-31 (12 months)" in year and "whole years on purpose" in year
    assert "2,922 customers" in year
    part = holdout_note("2026-02-14", "2026-10-31", 10)
    assert "(9 months)" in part and "not a whole number of years" in part


def test_country_codes_read_as_country_names_and_unknown_codes_stay():
    from workbench.analysis.customers.affinity import value_label

    assert value_label("country", "RU") == "Russia"
    assert value_label("country", "kz") == "Kazakhstan"
    assert value_label("country", "BR") == "BR"
