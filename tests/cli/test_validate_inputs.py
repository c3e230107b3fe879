"""`workbench validate` catches input mistakes before any kernel starts (issue 11): an empty
required input names its key and what can stand in; unknown datasets and presets in
column_renames get a did-you-mean."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.pipeline.inputs import column_renames_problems, dataset_of, input_roles

ROOT = Path(__file__).resolve().parents[2]


def _validate(tmp_path: Path, report: str, text: str, capsys) -> tuple[int, str]:
    params = tmp_path / report / "case.yaml"
    params.parent.mkdir(parents=True, exist_ok=True)
    params.write_text(text, encoding="utf-8")
    code = main(["validate", str(params)])
    return code, capsys.readouterr().err


def test_empty_required_input_is_invalid_and_names_the_stand_ins(tmp_path, capsys):
    # the competitor audit cannot run without its competitor list (segmentation and the post-mortem
    # now run on any subset of their inputs, so their inputs are all optional)
    code, err = _validate(tmp_path, "competitor_audit", 'competitors_path: ""\n', capsys)
    assert code == 2
    assert "key 'competitors_path': empty, but the competitor_audit report needs a competitors file" in err


def test_empty_optional_input_is_fine(tmp_path, capsys):
    code, err = _validate(tmp_path, "segmentation", 'sessions_path: ""\nsurvey_path: ""\n', capsys)
    assert code == 0, err


def test_unknown_dataset_in_column_renames_gets_a_did_you_mean(tmp_path, capsys):
    code, err = _validate(
        tmp_path, "campaign_postmortem", "column_renames:\n  add_stats: {Impr.: impressions}\n", capsys
    )
    assert code == 2
    assert "unknown dataset 'add_stats' (did you mean 'ad_stats'?)" in err


def test_unknown_or_mismatched_preset_is_invalid():
    assert "did you mean 'google_ads_ui'?" in column_renames_problems({"ad_stats": {"_preset": "google_ads"}})[0]
    assert (
        "reads keyword_rankings files, not ad_stats"
        in column_renames_problems({"ad_stats": {"_preset": "semrush_organic_positions"}})[0]
    )
    assert column_renames_problems({"ad_stats": {"_preset": "none", "Impr.": "impressions"}}) == []


def test_roles_come_from_the_notebook_code():
    nb = {
        "cells": [
            {"cell_type": "code", "source": 'a = load("orders", orders_path)\nb = load_optional("sessions", s_path)'},
            {"cell_type": "code", "source": 'if customers_path:\n    c = load("customers", customers_path)'},
            {"cell_type": "code", "source": "%matplotlib inline\nx = 1"},
        ]
    }
    roles = input_roles(nb, ["orders_path", "s_path", "customers_path", "title"])
    assert (roles["orders_path"].dataset, roles["orders_path"].required) == ("orders", True)
    assert (roles["s_path"].dataset, roles["s_path"].required) == ("sessions", False)
    assert roles["customers_path"].required is False  # guarded by an if
    assert "title" not in roles
    assert dataset_of("site_pages_dir") == "site_pages" and dataset_of("foo_path") is None


def test_engine_input_calls_declare_their_dataset_like_load_does():
    """`sessions_counts_input(sessions_path, ...)` needs its sessions as `load` does; the optional
    report-input calls mark theirs optional, so validation still catches an empty required input."""
    nb = {
        "cells": [
            {"cell_type": "code", "source": "s = sessions_counts_input(sessions_path, month, 6)"},
            {
                "cell_type": "code",
                "source": "o = orders_monthly_input(orders_path)\na = daily_ad_stats_input(ad_stats_path)",
            },
        ]
    }
    roles = input_roles(nb, ["sessions_path", "orders_path", "ad_stats_path", "month"])
    assert (roles["sessions_path"].dataset, roles["sessions_path"].required) == ("sessions", True)
    assert (roles["orders_path"].dataset, roles["orders_path"].required) == ("orders", False)
    assert (roles["ad_stats_path"].dataset, roles["ad_stats_path"].required) == ("ad_stats", False)
    postmortem = {"cells": [{"cell_type": "code", "source": "s = flight_sessions_input(sessions_path, start, end)"}]}
    role = input_roles(postmortem, ["sessions_path"])["sessions_path"]  # the post-mortem runs without sessions
    assert (role.dataset, role.required) == ("sessions", False)


def test_validate_stays_free_of_pandas():
    import subprocess
    import sys

    code = (
        "import sys; from workbench.pipeline.params import validate_file; "
        f"validate_file(__import__('pathlib').Path({str(ROOT / 'params/segmentation/all_customers.yaml')!r})); "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("drop", [True, False])
def test_drop_invalid_rows_also_drops_rows_failing_reference_checks(tmp_path, drop):
    from workbench.data import check_references, dropped_text, load, loads_with_drops, set_load_options
    from workbench.errors import DataValidationError

    (tmp_path / "competitors.csv").write_text("brand,domain,is_us\nkedr,kedr.example,true\ntaiga,taiga.example,false\n")
    (tmp_path / "social.csv").write_text("brand,network,followers\nkedr,vk,10\nnobody,vk,5\ntaiga,vk,7\n")
    set_load_options(drop_invalid=drop)
    try:
        comp = load("competitors", tmp_path / "competitors.csv")
        social = load("social", tmp_path / "social.csv")
        if not drop:
            with pytest.raises(DataValidationError, match="brand is not in competitors"):
                check_references(social, comp)
            return
        kept = check_references(social, comp)
        assert list(kept["brand"]) == ["kedr", "taiga"]
        logged = loads_with_drops()
        assert len(logged) == 1
        assert dropped_text(*logged).startswith("social.csv: 1 of 3 rows was left out")
        assert "brand not found in competitors" in dropped_text(*logged)
    finally:
        set_load_options()


@pytest.mark.parametrize("report", ["segmentation", "audience_portrait"])
def test_customer_reports_read_sessions_through_the_optional_engine_call(report):
    """Both reports take `sessions_path` through `customer_sessions_input` (aggregates on an engine), and
    validation reads that call as an optional sessions input: an empty sessions_path stays valid."""
    import ast
    import json

    from workbench.pipeline.inputs import _LoadCalls

    nb = json.loads((ROOT / "notebooks" / f"{report}.ipynb").read_text(encoding="utf-8"))
    visitor = _LoadCalls()
    for cell in (c for c in nb["cells"] if c["cell_type"] == "code"):
        visitor.visit(ast.parse("".join(cell["source"])))
    assert [f for f in visitor.found if f[1] == "sessions_path"] == [("sessions", "sessions_path", False)]
    assert input_roles(nb, ["sessions_path"])["sessions_path"].required is False


@pytest.mark.parametrize("report", ["campaign_postmortem", "audience_portrait"])
def test_reports_read_orders_through_the_optional_engine_calls(report):
    """The post-mortem takes `orders_path` through `flight_orders_input` (daily counts on an engine), the
    audience portrait through `customer_orders_input` (per-customer summaries), and validation reads both
    calls as an optional orders input: the reports run without orders."""
    import ast
    import json

    from workbench.pipeline.inputs import _LoadCalls

    nb = json.loads((ROOT / "notebooks" / f"{report}.ipynb").read_text(encoding="utf-8"))
    visitor = _LoadCalls()
    for cell in (c for c in nb["cells"] if c["cell_type"] == "code"):
        visitor.visit(ast.parse("".join(cell["source"])))
    assert [f for f in visitor.found if f[1] == "orders_path"] == [("orders", "orders_path", False)]
    assert input_roles(nb, ["orders_path"])["orders_path"].required is False
