"""`workbench inspect` and `workbench params new` end to end: from platform downloads to a params
file that validates and runs as written (one kernel run, on small fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workbench.cli import main

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


def test_inspect_prints_what_each_file_is(capsys):
    code = main(["inspect", str(EXPORTS / "google_ads_ui.csv"), str(EXPORTS / "metrica_logs_visits.tsv")])
    out = capsys.readouterr().out
    assert code == 0
    assert "skipped:     2 line(s) above the header, 2 totals row(s)" in out
    assert "preset:      google_ads_ui" in out and "contract:    ad_stats" in out
    assert "Impr. → impressions" in out and "Conv. value → revenue" in out
    assert "dates:       2026-09-01 … 2026-09-03 (date)" in out
    assert "campaigns:   autumn_launch_2026, brand_search" in out
    assert "campaign_postmortem (`ad_stats_path`)" in out
    assert "delimiter tab" in out and "contract:    sessions" in out
    assert "monthly_report (`sessions_path`, required)" in out


def test_inspect_unknown_columns_and_forced_dataset(tmp_path, capsys):
    f = tmp_path / "paths.csv"
    f.write_text("journey,total_conversions,total_null\na > b,1,2\n", encoding="utf-8")
    assert main(["inspect", str(f)]) == 2
    assert "no data contract matches these columns: journey, total_conversions, total_null" in capsys.readouterr().out
    assert main(["inspect", "--as", "paths", str(f)]) == 2
    out = capsys.readouterr().out
    assert "total_conversions → conversions" in out and "total_null → non_conversions" in out
    assert "missing required column 'path'" in out


def test_params_new_refuses_what_the_report_cannot_take(tmp_path, capsys):
    out = tmp_path / "x.yaml"
    code = main(["params", "new", "segmentation", "--data", str(EXPORTS / "google_ads_ui.csv"), "-o", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "the segmentation report takes no file like" in err
    assert "(it takes customers, orders, sessions, survey)" in err
    assert not out.exists()


@pytest.mark.slow
def test_params_new_writes_a_file_that_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKBENCH_REPORTS_DIR", str(tmp_path / "reports"))
    competitors = tmp_path / "competitors.csv"
    competitors.write_text(
        "brand,domain,is_us\nKedr,kedr.example,true\nTaiga Sport,taigasport.example,false\n", encoding="utf-8"
    )
    params = tmp_path / "params" / "competitor_audit" / "mine.yaml"
    files = [
        str(competitors),
        str(EXPORTS / "semrush_organic_positions.csv"),
        str(EXPORTS / "semrush_traffic_overview.csv"),
    ]
    assert main(["params", "new", "competitor_audit", "--data", *files, "-o", str(params)]) == 0
    values = yaml.safe_load(params.read_text(encoding="utf-8"))
    assert values["keyword_rankings_path"].endswith("semrush_organic_positions.csv")
    assert values["column_renames"]["site_metrics"] == {"_preset": "semrush_traffic_overview"}
    assert values["social_path"] == "" and values["site_pages_dir"] == ""
    assert main(["params", "new", "competitor_audit", "--data", *files, "-o", str(params)]) == 2  # no overwrite
    capsys.readouterr()
    assert main(["run", "competitor_audit", str(params), "-q"]) == 0
    published = list((tmp_path / "reports" / "competitor_audit" / "mine").glob("*/results.json"))
    assert len(published) == 1
