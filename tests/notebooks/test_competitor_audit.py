"""Competitor audit notebook end to end through `workbench run`: sample data, competitor list only,
and hostile text in every text field of every input (nothing may reach the HTML unescaped)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from workbench.data import get_contract

pytestmark = pytest.mark.slow

INPUTS = {
    "competitors_path": "competitors.csv",
    "keyword_rankings_path": "keyword_rankings.csv",
    "site_metrics_path": "site_metrics.csv",
    "site_pages_dir": "site_pages",
    "social_path": "social.csv",
    "ads_intel_path": "ads_intel.csv",
    "email_intel_path": "email_intel.csv",
    "brand_attributes_path": "brand_attributes.csv",
}
RESULT_KEYS = {"competition_scores", "scorecard", "keyword_gap_top", "share_of_voice", "site_audit_scores"}
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def _run(project_root: Path, tmp: Path, params: dict) -> tuple[str, dict]:
    pfile = tmp / "audit.yaml"
    pfile.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    env = dict(os.environ, WORKBENCH_REPORTS_DIR=str(tmp / "reports"))
    proc = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "run", "competitor_audit", str(pfile), "-q"],
        cwd=project_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    version = next((tmp / "reports" / "competitor_audit" / "audit").glob("2*"))
    html = (version / "report.html").read_text(encoding="utf-8")
    results = json.loads((version / "results.json").read_text(encoding="utf-8"))
    return html, results.get("results", results)


def test_sample_data_report(project_root, sample_data, tmp_path):
    html, results = _run(project_root, tmp_path, {k: str(sample_data / v) for k, v in INPUTS.items()})
    assert RESULT_KEYS <= set(results)
    assert results["data_period"]["label"] == "rankings"
    assert "rankings as of 2026-10-31" in html  # one ranking snapshot reads as a date, not a period
    assert "No data for" not in html
    comp = pd.DataFrame(results["competition_scores"])
    assert set(comp["classification"]) <= {"direct", "indirect", "not a rival"}
    assert comp["score"].between(0, 1).all()
    # every rival uses all our ad platforms and networks: the overlaps must still tell them apart
    assert comp["classification"].nunique() >= 2
    assert comp["channels_overlap"].nunique() == len(comp) and comp["audience_overlap"].nunique() == len(comp)
    assert not (comp[["channels_overlap", "audience_overlap"]] == 1).all(axis=None)
    assert "channel_gaps" in results
    assert len(results["keyword_gap_top"]) > 0 and len(results["site_audit_scores"]) > 0
    card = pd.DataFrame(results["scorecard"])
    assert card[["site", "seo", "social", "paid_search", "paid_social", "email"]].stack().between(0, 100).all()
    assert "Key findings" in html
    # the planted channel leaders (data/sample/_truth/facts.json) are the scorecard's leaders and are named
    truth = json.loads((sample_data / "_truth" / "facts.json").read_text(encoding="utf-8"))["competitors"]
    leaders = card.set_index("brand")
    for channel, brand in truth["strongest_by_channel"].items():
        assert leaders[channel].idxmax() == brand, channel
    label = {
        "seo": "SEO",
        "paid_search": "paid search",
        "paid_social": "paid social",
        "social": "social",
        "email": "e-mail",
    }
    for channel, brand in truth["strongest_by_channel"].items():
        assert f"{label[channel]} — {brand} (" in html
    head = results["headline"]
    assert head["Main rival"] == comp.sort_values("score").iloc[-1]["brand"]
    assert {"Our organic share of voice", "Keyword-gap upside", "Our weakest channel", "Our site audit score"} <= set(
        head
    )
    assert 0 <= head["Our site audit score"] <= 100


def test_competitor_list_only(project_root, sample_data, tmp_path):
    params = {k: "" for k in INPUTS} | {"competitors_path": str(sample_data / "competitors.csv")}
    html, results = _run(project_root, tmp_path, params)
    assert RESULT_KEYS <= set(results)
    for section in (
        "the competition score",
        "share of voice",
        "the scorecard",
        "the keyword gap",
        "channel gaps",
        "the positioning map",
        "the site audit",
        "the paid channel mix",
    ):
        assert f"No data for {section}:" in html
    assert results["keyword_gap_top"] == [] and results["site_audit_scores"] == []


def _poison(src: Path, dst: Path) -> None:
    """Copy the inputs with SCRIPT / IMG appended to every free-text value (per the data contracts)
    (brands consistently, so the files still reference each other). Domains stay host names: they are
    folder names too."""
    dst.mkdir(parents=True)
    for name in INPUTS.values():
        path = src / name
        if path.is_dir():
            shutil.copytree(path, dst / name)
            continue
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        contract = get_contract(name.removesuffix(".csv"))
        for col in df.columns:
            spec = contract.column(col)
            if col == "domain" or spec is None or spec.kind != "str":  # only free-text fields
                continue
            suffix = SCRIPT if col in ("brand", "keyword", "network") else IMG
            df[col] = df[col].where(df[col] == "", df[col] + suffix) if col != "brand" else df[col] + suffix
        df.to_csv(dst / name, index=False)
    # a saved page whose title and text carry the payloads (entity-encoded, as a real page would)
    first = sorted(p for p in (dst / "site_pages").iterdir() if p.is_dir())[0]
    (first / "evil.html").write_text(
        "<html><head><title>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</title>"
        "</head><body><h1>x</h1><h1>y</h1></body></html>",
        encoding="utf-8",
    )


def test_text_from_data_is_escaped(project_root, sample_data, tmp_path):
    evil = tmp_path / "evil"
    _poison(sample_data, evil)
    html, results = _run(project_root, tmp_path, {k: str(evil / v) for k, v in INPUTS.items()})
    assert RESULT_KEYS <= set(results)
    assert "<script>alert(1)</script>" not in html
    assert not re.search(r"<img[^>]*onerror", html, flags=re.IGNORECASE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the text is shown, escaped
    assert "onerror=alert(1)&gt;" in html
    brands = {r["brand"] for r in results["competition_scores"]}
    assert all(b.endswith(SCRIPT) for b in brands)  # payload reached the analysis, not just the loader


def test_bad_input_fails_with_the_data_layers_message(project_root, sample_data, tmp_path):
    bad = tmp_path / "rankings.csv"
    bad.write_text("keyword,domain,position,search_volume\nboots,kedr.example,abc,100\n", encoding="utf-8")
    params = {k: "" for k in INPUTS} | {
        "competitors_path": str(sample_data / "competitors.csv"),
        "keyword_rankings_path": str(bad),
    }
    pfile = tmp_path / "bad.yaml"
    pfile.write_text(yaml.safe_dump(params), encoding="utf-8")
    env = dict(os.environ, WORKBENCH_REPORTS_DIR=str(tmp_path / "reports"))
    proc = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "run", "competitor_audit", str(pfile), "-q"],
        cwd=project_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "rankings.csv (keyword_rankings): column 'position'" in out  # the path as written, then the file
    assert "line 2: 'abc'" in out


def test_sections_say_plainly_which_optional_input_is_absent(project_root, sample_data, tmp_path):
    params = {k: str(sample_data / v) for k, v in INPUTS.items()} | {"social_path": "", "email_intel_path": ""}
    html, results = _run(project_root, tmp_path, params)
    assert RESULT_KEYS <= set(results)
    for section, reason in (
        ("the social score", "no social file was given"),
        ("the e-mail score", "no e-mail intelligence file was given"),
        ("social posting cadence", "no social file was given"),
        ("e-mail cadence and promo share", "no e-mail intelligence file was given"),
    ):
        assert f"No data for {section}: {reason}" in html
    card = pd.DataFrame(results["scorecard"])
    assert card["social"].isna().all() and card["email"].isna().all() and card["seo"].notna().all()
    comp = pd.DataFrame(results["competition_scores"])
    assert comp["audience_overlap"].isna().all() and comp["score"].notna().all()
