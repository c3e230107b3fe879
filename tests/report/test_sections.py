"""A section without its inputs says so in one line and is recorded as skipped, never filled in."""

import pandas as pd

from workbench.report import recorded, requires


def test_a_section_with_its_input_runs():
    need = requires("E-mail", email_sends_path=("e-mail sends", "data/sample/email_sends.csv"))
    assert need.ok


def test_a_missing_input_names_the_params_key_and_is_recorded():
    need = requires("A/B tests", experiment_path=("an experiment file", ""))
    assert not need.ok
    html = need.note.body
    assert "Not in this report: A/B tests" in html and "`experiment_path`" in html
    assert recorded()["skipped_sections"]["A/B tests"]["needs"] == ["experiment_path"]


def test_any_of_is_satisfied_by_one_input():
    need = requires("Attribution", any_of=True, touchpoints_path=("touchpoints", ""), paths_path=("paths", "paths.csv"))
    assert need.ok
    none = requires("Attribution2", any_of=True, touchpoints_path=("touchpoints", ""), paths_path=("paths", " "))
    assert not none.ok and " or " in none.note.body


def test_an_empty_frame_counts_as_absent():
    assert not requires("Funnel", sessions=("sessions", pd.DataFrame())).ok


def test_an_empty_mapping_or_list_counts_as_absent():
    assert not requires("Wide table", customer_columns=("column groups", {})).ok
    assert not requires("Variants", experiment_variants=("variants", [])).ok
    assert requires("Wide table2", customer_columns=("column groups", {"visits": "Num*"})).ok
