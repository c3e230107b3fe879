"""What changed since the previous version: numbers out of results.json, the variation tests
(checked against statsmodels and scipy), the sentences, and baselines on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.pipeline import compare
from workbench.pipeline.compare import Change, compare_results, headline_numbers, number_from_text, what_changed
from workbench.report import headline_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("17,435 (-3.2% MoM, +30.4% YoY)", 17435.0),
        ("2.41% (+0.1% MoM)", 0.0241),
        ("48.7M RUB", 48.7e6),
        ("21,500 USD", 21500.0),
        ("-12", -12.0),
        ("1. Champions (12%)", None),  # a segment label, not a number
        ("Tue 19:00", None),
        ("inconclusive", None),
        ("3 of 5 goals", None),
    ],
)
def test_number_from_text(text, expected):
    got = number_from_text(text)
    assert got == pytest.approx(expected) if expected is not None else got is None


def test_headline_numbers_reads_every_form_and_scalars():
    results = {
        "headline": {
            "Sessions": "17,435 (-3.2% MoM)",
            "CR": headline_number(0.024, "2.40%", successes=420, trials=17435),
            "Lift": headline_number(0.05, "+5%", ci=(0.01, 0.09)),
            "Segments": 4,
            "Main rival": "Acme",
            "Flag": True,
        },
        "audience_size": 1200,
        "data_period": {"start": "2025-01-01"},
        "ok": False,
    }
    found = headline_numbers(results)
    assert list(found) == ["Sessions", "CR", "Lift", "Segments", "audience_size"]
    assert found["CR"].successes == 420 and found["CR"].trials == 17435 and found["CR"].text == "2.40%"
    assert found["Lift"].ci == (0.01, 0.09)
    assert found["Segments"].text == "4"


def test_two_proportion_p_matches_statsmodels():
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    for s1, n1, s2, n2 in ((420, 17435, 530, 18002), (30, 1000, 33, 1010), (0, 1012, 4, 990)):
        _, expected = proportion.proportions_ztest([s2, s1], [n2, n1], alternative="two-sided")
        assert compare.two_proportion_p(s1, n1, s2, n2) == pytest.approx(expected, rel=1e-9)


def test_interval_p_matches_a_normal_test_on_the_implied_standard_errors():
    stats = pytest.importorskip("scipy.stats")
    a, ci_a, b, ci_b = 0.05, (0.01, 0.09), 0.12, (0.08, 0.16)
    se_a, se_b = (ci_a[1] - ci_a[0]) / 2 / stats.norm.ppf(0.975), (ci_b[1] - ci_b[0]) / 2 / stats.norm.ppf(0.975)
    z = (b - a) / (se_a**2 + se_b**2) ** 0.5
    assert compare.interval_p(a, ci_a, b, ci_b) == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)


def test_compare_results_decides_variation_only_where_it_is_known():
    before = {
        "headline": {
            "CR": headline_number(0.0241, "2.41%", successes=420, trials=17435),
            "Sessions": "17,435",
            "Gone": 5,
        }
    }
    after = {
        "headline": {
            "CR": headline_number(0.0294, "2.94%", successes=530, trials=18002),
            "Sessions": "18,002",
            "New": 1.5,
        }
    }
    changes = {c.name: c for c in compare_results(before, after)}
    assert list(changes) == ["CR", "Sessions", "New", "Gone"]
    cr = changes["CR"]
    assert cr.beyond_variation is True and cr.delta == pytest.approx(0.0053)
    assert cr.text.startswith("CR: 2.41% → 2.94% (+22%); beyond normal variation (two-proportion z-test, p = ")
    sessions = changes["Sessions"]
    assert sessions.beyond_variation is None and sessions.relative == pytest.approx(18002 / 17435 - 1)
    assert sessions.text == "Sessions: 17,435 → 18,002 (+3.3%)."
    assert changes["New"].text == "New: new in this version (1.50)." and changes["New"].previous is None
    assert changes["Gone"].text == "Gone: not in this version (was 5)." and changes["Gone"].current is None


def test_small_moves_in_a_rate_are_within_normal_variation():
    before = {"headline": {"CR": headline_number(0.030, "3.0%", successes=30, trials=1000)}}
    after = {"headline": {"CR": headline_number(33 / 1010, "3.3%", successes=33, trials=1010)}}
    [change] = compare_results(before, after)
    assert change.beyond_variation is False and "within normal variation" in change.text


def _publish(report_dir: Path, version: str, results: dict, status: str = "ok", **manifest) -> None:
    folder = report_dir / version
    folder.mkdir(parents=True)
    (folder / "results.json").write_text(json.dumps(results))
    (folder / "manifest.json").write_text(json.dumps({"version": version, "status": status, **manifest}))


def test_what_changed_uses_the_previous_successful_version(tmp_path):
    d = tmp_path / "tiny" / "default"
    _publish(d, "20250101T000000000Z-aaaaaa", {"total": 10})
    _publish(d, "20250102T000000000Z-bbbbbb", {"total": 12})
    _publish(d, "20250103T000000000Z-cccccc", {"total": 99}, status="failed")
    _publish(d, "20250104T000000000Z-dddddd", {"total": 15})
    [change] = what_changed(d, "20250104T000000000Z-dddddd")
    assert isinstance(change, Change)
    assert (change.previous, change.current, change.delta) == (12, 15, 3)
    assert change.relative == pytest.approx(0.25)
    [first] = what_changed(d, "20250104T000000000Z-dddddd", baseline="20250101T000000000Z-aaaaaa")
    assert first.previous == 10
    assert what_changed(d, "20250101T000000000Z-aaaaaa") == []  # nothing before the first


def test_what_changed_follows_the_baseline_recorded_in_the_manifest(tmp_path):
    d = tmp_path / "r" / "n"
    _publish(d, "v1", {"total": 1})
    _publish(d, "v2", {"total": 2})
    _publish(d, "v3", {"total": 3}, params={"options": {"_baseline": "v1"}})
    assert what_changed(d, "v3")[0].previous == 1


def test_what_changed_names_what_is_missing(tmp_path):
    d = tmp_path / "r" / "n"
    _publish(d, "v1", {"total": 1})
    with pytest.raises(WorkbenchError, match="no version v9"):
        what_changed(d, "v9")
    with pytest.raises(WorkbenchError, match="baseline version v0: no readable results.json"):
        what_changed(d, "v1", baseline="v0")
    with pytest.raises(WorkbenchError, match="cannot name a folder"):
        what_changed(d, "v1", baseline="../x")
