"""The A/B tables and the lessons read the numbers the way the format module says."""

from __future__ import annotations

import pandas as pd

from workbench.analysis.campaigns.experiment_views import (
    comparison_caption,
    comparison_table,
    experiment_record,
    revenue_table,
    variants_table,
)
from workbench.analysis.campaigns.experiments import analyse_experiment
from workbench.analysis.campaigns.lessons import derive_lessons


def _result(alpha=0.05, min_effect=0.05):
    agg = pd.DataFrame({"variant": ["control", "b"], "units": [20_000, 20_000], "conversions": [1_000, 1_400]})
    return analyse_experiment(agg, alpha=alpha, min_effect=min_effect)


def test_tables_use_the_level_of_alpha_and_never_print_a_zero_p_value():
    res = _result(alpha=0.1)
    table = comparison_table(res, "conversion_rate")
    assert "Lift (90% CI)" in table.columns and "Difference (90% CI)" in table.columns
    assert table["p"].iloc[0] == "< 0.001" and table["p adjusted"].iloc[0] == "< 0.001"
    assert table["Verdict"].iloc[0] == "ship b" and "Power for ±5%" in table.columns
    variants = variants_table(res)
    assert list(variants.columns) == ["Variant", "Users", "Conversion rate (90% CI)"]
    assert variants["Users"].tolist() == ["20,000", "20,000"]
    assert revenue_table(res) is None
    assert (
        comparison_caption(res, "conversion_rate") == "Conversion rate: each variant against control (control: 5.00%)"
    )


def test_without_min_effect_no_power_column_and_the_record_keeps_the_setup():
    res = _result(min_effect=None)
    assert not any(c.startswith("Power") for c in comparison_table(res, "conversion_rate").columns)
    rec = experiment_record(res)
    assert rec["metrics"] == {"conversion_rate": "conversion rate"} and rec["min_effect"] is None
    assert rec["srm_alpha"] == 0.001 and rec["verdict"] == "ship b"


def test_lessons_speak_only_of_the_sections_present():
    assert derive_lessons() == derive_lessons(None)  # nothing given, nothing said
    empty = derive_lessons()
    assert not (empty.wins or empty.losses or empty.recommendations)
    roi = {"roi": -0.4533, "profit": -3046.0, "responses": 334, "contacts": 2240}
    lessons = derive_lessons(roi=roi, experiment=_result())
    assert lessons.losses == ["The response campaign's ROI was -45.3% (334 responses from 2,240 contacts)"]
    assert lessons.wins[0].startswith("The A/B test found a winner: b (conversion rate +40.0%, 95% CI")
