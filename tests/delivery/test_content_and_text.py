"""What the e-mail states: headline numbers, what changed, attachment notes (no kernel, no server)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from workbench.delivery import text
from workbench.delivery.content import Version, _changes_from_results, headline, runs, what_changed
from workbench.delivery.message import build_message, plan_attachments, render_html, render_plain, report_body
from workbench.delivery.spec import DeliverySpec
from workbench.report.format import exact_number as number


@pytest.mark.parametrize(
    ("value", "expected"),
    [(17435, "17,435"), (17435.0, "17,435"), (0.03412, "0.03412"), (3.25, "3.25"), (1234.56, "1,234.6"), (None, "–")],
)
def test_number_reads_exactly_enough(value, expected):
    assert number(value) == expected


def test_change_sentence_states_both_values_the_difference_and_the_relative_change():
    assert text.change_sentence("total", 13, 19.5, 6.5, 0.5) == "total: 13 → 19.5 (+6.5, +50%)"
    assert text.change_sentence("roas", 4.0, 3.9, -0.1, -0.025) == "roas: 4 → 3.9 (-0.1, -2.5%)"
    assert text.change_sentence("Sessions", "17,435 (+3% MoM)", "18,002 (+3% MoM)") == (
        "Sessions: 17,435 (+3% MoM) → 18,002 (+3% MoM)"
    )


def test_changes_from_results_compare_headline_numbers_with_the_previous_version():
    previous = {"total": 13.0, "n": 3, "cr": 0.04, "gone": 1, "data_period": {"start": "2025-01-01"}}
    current = {"total": 19.5, "n": 3, "cr": 0.05, "new": 2, "data_period": {"start": "2025-02-01"}}
    changes = {c.name: c for c in _changes_from_results(previous, current)}
    assert set(changes) == {"total", "cr", "new", "gone"}  # n unchanged, data_period not a headline number
    assert changes["total"].delta == pytest.approx(19.5 - 13.0)
    assert changes["total"].relative == pytest.approx(6.5 / 13.0)
    assert changes["cr"].relative == pytest.approx(0.25)
    assert changes["new"].previous is None and changes["new"].delta is None
    assert changes["total"].text == "total: 13 → 19.5 (+6.5, +50%)"
    assert all(c.beyond_variation is None for c in changes.values())  # no interval to judge by


def test_the_headline_record_wins_over_scalar_results():
    results = {"headline": {"Revenue": "7.5M RUB", "Unusual changes": 0, "skip": None}, "total": 3}
    assert headline(results) == {"Revenue": "7.5M RUB", "Unusual changes": 0}
    assert headline({"total": 3, "table": [1, 2], "skipped_sections": {}}) == {"total": 3}


def _version(tmp_path: Path, name: str, status: str, results: dict, files: dict[str, bytes]) -> Version:
    d = tmp_path / "reports" / "r" / "n" / name
    d.mkdir(parents=True)
    manifest = {"status": status, "title": "Monthly <b>report</b>", "started_at": "2025-03-02T07:00:00Z"}
    (d / "manifest.json").write_text(json.dumps(manifest))
    (d / "results.json").write_text(json.dumps(results))
    for fname, data in files.items():
        (d / fname).write_bytes(data)
    return Version("r", "n", name, d, manifest, results)


def test_what_changed_falls_back_to_results_json_and_the_body_says_it(tmp_path):
    v1 = _version(tmp_path, "20250201T070000000Z-aaaaaa", "ok", {"total": 10}, {"report.html": b"<html>"})
    v2 = _version(tmp_path, "20250301T070000000Z-bbbbbb", "ok", {"total": 12}, {"report.html": b"<html>"})
    assert [v.version for v in runs(tmp_path / "reports", "r", "n")] == [v1.version, v2.version]
    changes, source = what_changed(tmp_path / "reports", v2, v1)
    try:
        import workbench.pipeline.compare  # noqa: F401

        assert source == "compare"
    except ImportError:
        assert source == "results" and [c.text for c in changes] == ["total: 10 → 12 (+2, +20%)"]
    body = report_body(v2, v1, changes, DeliverySpec(to=("a@b.com",), report_url="https://x.example/r/"))
    page, plain = render_html(body.blocks), render_plain(body.blocks)
    assert "Monthly &lt;b&gt;report&lt;/b&gt;" in page and "<b>report" not in page  # titles are escaped
    assert "Monthly <b>report</b>\n===" in plain
    assert f"https://x.example/r/r/n/{v2.version}/report.html" in plain
    assert text.changes_intro(v1.version) in plain


def test_a_large_attachment_is_left_out_and_linked(tmp_path):
    v = _version(tmp_path, "20250301T070000000Z-bbbbbb", "ok", {}, {"report.pdf": b"%PDF-1.4" + b"0" * 2_000_000})
    body, notes = plan_attachments(v, DeliverySpec(to=("a@b.com",), max_attachment_mb=1))
    assert body.attachments == []
    assert notes == [
        "report.pdf is not attached: 2 MB is over the 1 MB limit (max_attachment_mb); "
        "open the full report at the link below."
    ]


def test_both_formats_when_asked_and_headers_for_a_robot(tmp_path):
    v = _version(
        tmp_path, "20250301T070000000Z-bbbbbb", "ok", {"n": 1}, {"report.pdf": b"%PDF-1.4", "report.html": b"<p>"}
    )
    spec = DeliverySpec(to=("a@b.com",), attachments=("pdf", "html"))
    body, notes = plan_attachments(v, spec)
    assert [a.filename.rsplit(".", 1)[1] for a in body.attachments] == ["pdf", "html"]
    assert notes == ["The full report is attached as PDF and HTML."]
    msg = build_message(report_body(v, None, [], spec), "S", "r@example.com", ["a@b.com"], v, "report")
    assert msg["Auto-Submitted"] == "auto-generated" and msg["To"] == "a@b.com"
    assert re.match(r"<.+@example\.com>", msg["Message-ID"])
    assert [p.get_content_type() for p in msg.iter_attachments()] == ["application/pdf", "text/html"]


def test_failure_sentences_name_cell_line_and_message():
    failure = {"cell_index": 4, "cell_line": "raise ValueError('x')", "message": "ValueError: x"}
    assert text.failure_where(failure) == "It stopped in cell 4 (`raise ValueError('x')`): ValueError: x"
    assert (
        text.failure_where({"kind": "timeout", "message": "ran over 1800 s"}) == "It stopped (timeout): ran over 1800 s"
    )
    assert text.failure_kept_note(None).endswith("there is no successful version of this report yet.")


def test_index_note_of_each_log_result():
    base = {"at": "2025-03-02T07:01:00Z", "kind": "report"}
    assert (
        text.delivery_note({**base, "result": "sent", "accepted": ["a@b.com"]})
        == "sent to a@b.com (2025-03-02 07:01 UTC)"
    )
    partial = {**base, "result": "partial", "accepted": ["a@b.com"], "refused": {"c@d.com": "550"}}
    assert text.delivery_note(partial) == "sent to a@b.com; refused: c@d.com (2025-03-02 07:01 UTC)"
    failed = {**base, "result": "failed", "error": "could not reach smtp://h:25"}
    assert (
        text.delivery_note(failed) == "not sent (2025-03-02 07:01 UTC): could not reach smtp://h:25; kept in the outbox"
    )
