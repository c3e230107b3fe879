"""Delivery against a real SMTP server on loopback (aiosmtpd): what readers and the failure address get."""

from __future__ import annotations

import html
import io
import json
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from workbench.delivery import content
from workbench.delivery.deliver import deliver, retry
from workbench.delivery.errors import DeliveryError
from workbench.delivery.log import read_log

pytestmark = pytest.mark.slow


def parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)  # type: ignore[return-value]


def env(url: str) -> dict[str, str]:
    return {"WORKBENCH_SMTP_URL": url, "WORKBENCH_MAIL_FROM": "reports@example.com"}


def test_report_reaches_its_readers_with_both_parts_and_the_pdf(project, smtp):
    root, (v1, v2, _failed) = project
    results = deliver("tiny/default", v2, env=env(smtp.url))
    assert [r.result for r in results] == ["sent"]
    [got] = smtp.handler.messages
    assert sorted(got.rcpt_tos) == ["cmo@example.com", "head@example.com"]
    assert got.mail_from == "reports@example.com"
    msg = parse(got.content)
    assert msg["Subject"] == "Tiny report: 2025-02-01 to 2025-02-28 (ok)"
    plain = msg.get_body(("plain",)).get_content()
    page = msg.get_body(("html",)).get_content()
    # headline numbers: the tiny notebook sums 1 + 2 + 3.5 = 6.5 and scales it (2, then 3)
    reports = root / "reports"
    versions = content.runs(reports, "tiny", "default")
    changes, source = content.what_changed(reports, versions[1], versions[0])
    # pipeline.compare lists every headline number (unchanged ones too); the fallback only the moved ones
    moved = [c for c in changes if c.name == "total"]
    assert len(moved) == 1 and {c.name for c in changes} <= {"total", "n"}
    for part in (plain, page):
        assert "19.5" in part and "total" in part
        assert html.escape(moved[0].text, quote=False) in part or moved[0].text in part
        if source == "results":  # without pipeline.compare: our own comparison against v1
            assert "total: 13 → 19.5 (+6.5, +50%)" in part
        assert v1 in part and v2 in part
        assert f"{root}/reports/tiny/default/{v2}/report.html" in part
    assert not re.search(r"<script|<img|<link|src=|https?://", page, re.I)
    assert 'style="' in page
    [pdf] = list(msg.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_filename() == f"tiny-default-{v2}.pdf"
    data = pdf.get_content()
    assert data.startswith(b"%PDF-")
    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) opens the attachment")
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1
    [entry] = read_log(root / "reports")
    assert entry["result"] == "sent" and entry["version"] == v2 and entry["kind"] == "report"
    assert sorted(entry["accepted"]) == ["cmo@example.com", "head@example.com"]
    assert "head@example.com" in (root / "reports" / "index.html").read_text()


def test_same_version_is_not_sent_twice_unless_forced(project, smtp):
    _, (_, v2, _) = project
    deliver("tiny/default", v2, env=env(smtp.url))
    again = deliver("tiny/default", v2, env=env(smtp.url))
    assert [r.result for r in again] == ["skipped"] and "already sent" in again[0].detail
    assert len(smtp.handler.messages) == 1
    forced = deliver("tiny/default", v2, env=env(smtp.url), force=True)
    assert [r.result for r in forced] == ["sent"] and len(smtp.handler.messages) == 2


def test_failed_run_sends_its_error_summary_to_the_failure_address_only(project, smtp):
    _, (_, v2, failed) = project
    results = deliver("tiny/default", env=env(smtp.url))  # newest run failed; latest good is v2
    assert sorted((r.kind, r.version, r.result) for r in results) == [
        ("failure", failed, "sent"),
        ("report", v2, "sent"),
    ]
    by_kind = {parse(m.content)["X-Workbench-Version"].split()[-1]: m for m in smtp.handler.messages}
    notice = by_kind["failure"]
    assert notice.rcpt_tos == ["ops@example.com"]
    assert "ops@example.com" not in by_kind["report"].rcpt_tos
    msg = parse(notice.content)
    assert msg["Subject"] == f"FAILED: Tiny report ({failed})"
    text = msg.get_body(("plain",)).get_content()
    assert "planted failure for the tests" in text and f"latest good version stays {v2}" in text
    assert "planted failure for the tests" in msg.get_body(("html",)).get_content()


def test_refused_address_is_recorded_and_kept_in_the_outbox(project, smtp):
    root, (_, v2, _) = project
    smtp.handler.reject.add("cmo@example.com")
    [result] = deliver("tiny/default", v2, env=env(smtp.url))
    assert result.result == "partial" and "cmo@example.com" in result.detail and "550" in result.detail
    assert smtp.handler.messages[0].rcpt_tos == ["head@example.com"]
    [entry] = read_log(root / "reports")
    assert entry["accepted"] == ["head@example.com"] and list(entry["refused"]) == ["cmo@example.com"]
    kept = json.loads(Path(result.eml).with_suffix(".json").read_text())
    assert kept["recipients"] == ["cmo@example.com"] and kept["status"] == "unsent" and "550" in kept["error"]
    # the accepted reader is not sent the version again; the refused one still is, once the server takes it
    smtp.handler.reject.clear()
    [second] = deliver("tiny/default", v2, env=env(smtp.url))
    assert second.result == "sent" and smtp.handler.messages[1].rcpt_tos == ["cmo@example.com"]


def test_unreachable_server_is_a_clear_error_and_nothing_is_lost(project, smtp_factory, unused_port):
    root, (_, v2, _) = project
    port = unused_port
    [result] = deliver("tiny/default", v2, env=env(f"smtp://user:s3cret@127.0.0.1:{port}?timeout=5"))
    assert result.result == "failed"
    assert f"127.0.0.1:{port}" in result.detail and "could not reach" in result.detail
    eml = Path(result.eml)
    assert eml.is_file() and parse(eml.read_bytes())["Subject"].startswith("Tiny report")
    [entry] = read_log(root / "reports")
    assert entry["result"] == "failed" and entry["outbox"] == str(eml)
    log_text = (root / "reports" / "deliveries.jsonl").read_text()
    assert "s3cret" not in log_text and "s3cret" not in result.detail
    assert "not sent" in (root / "reports" / "index.html").read_text()
    with smtp_factory() as server:  # the server is back: --retry sends what the outbox kept
        [again] = retry(env=env(server.url))
        assert again.result == "sent" and sorted(server.handler.messages[0].rcpt_tos) == [
            "cmo@example.com",
            "head@example.com",
        ]
    assert not eml.exists() and not list(eml.parent.glob("*.eml"))


def test_login_uses_the_url_credentials_and_a_refused_login_says_so(project, smtp_factory):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"mkt", b"p@ss:w")
        return AuthResult(success=ok, handled=False)  # the server answers 235/535

    root, (_, v2, _) = project
    with (
        pytest.warns(UserWarning, match="AUTH while not requiring TLS"),  # loopback only
        smtp_factory(authenticator=check, auth_require_tls=False, auth_required=True) as server,
    ):
        bad = deliver("tiny/default", v2, env=env(f"smtp://mkt:wrong@127.0.0.1:{server.port}?timeout=10"))
        assert bad[0].result == "failed" and "refused the login of 'mkt'" in bad[0].detail
        assert "wrong" not in bad[0].detail
        good = deliver("tiny/default", v2, env=env(f"smtp://mkt:p%40ss%3Aw@127.0.0.1:{server.port}"))
        assert good[0].result == "sent" and len(server.handler.messages) == 1


def test_dry_run_writes_eml_without_smtp_and_html_replaces_a_missing_pdf(project):
    root, (v1, _, _) = project
    (root / "reports" / "tiny" / "default" / v1 / "report.pdf").unlink(missing_ok=True)  # as without Chromium
    [result] = deliver("tiny/default", v1, dry_run=True, env={})
    assert result.result == "dry-run"
    msg = parse(Path(result.eml).read_bytes())
    [att] = list(msg.iter_attachments())
    assert att.get_content_type() == "text/html" and att.get_filename() == f"tiny-default-{v1}.html"
    assert "no PDF" in msg.get_body(("plain",)).get_content()
    assert "first successful version" in msg.get_body(("plain",)).get_content()
    assert read_log(root / "reports")[0]["result"] == "dry-run"
    # a dry run is not a delivery: the real one still goes out later
    assert deliver("tiny/default", v1, dry_run=True, env={})[0].result == "dry-run"


def test_missing_smtp_settings_and_unknown_version_are_clear_errors(project):
    _, (v1, _, _) = project
    with pytest.raises(DeliveryError, match="WORKBENCH_SMTP_URL is not set.*--dry-run"):
        deliver("tiny/default", v1, env={})
    with pytest.raises(DeliveryError, match="no version '20990101T000000000Z-abcdef'.*newest"):
        deliver("tiny/default", "20990101T000000000Z-abcdef", dry_run=True, env={})
    with pytest.raises(DeliveryError, match="not a report, params or version name"):
        deliver("tiny/..", dry_run=True, env={})


def test_cli_exit_codes_dry_run_failure_and_quiet_success(project, smtp, unused_port):
    import os
    import subprocess
    import sys

    root, (_, v2, _) = project

    def cli(*args: str, url: str = "") -> subprocess.CompletedProcess:
        env = {**os.environ, "WORKBENCH_ROOT": str(root), "WORKBENCH_MAIL_FROM": "reports@example.com"}
        env.pop("WORKBENCH_REPORTS_DIR", None)
        env.pop("WORKBENCH_SMTP_URL", None)
        if url:
            env["WORKBENCH_SMTP_URL"] = url
        cmd = [sys.executable, "-m", "workbench.cli", "deliver", *args]
        return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=120)

    no_smtp = cli("tiny/default", v2)
    assert no_smtp.returncode == 2 and "WORKBENCH_SMTP_URL is not set" in no_smtp.stderr
    dry = cli("tiny/default", v2, "--dry-run")
    assert dry.returncode == 0 and dry.stdout.startswith("dry-run") and ".outbox" in dry.stdout
    down = cli("tiny/default", v2, url=f"smtp://127.0.0.1:{unused_port}?timeout=5")
    assert down.returncode == 1 and "could not reach smtp://127.0.0.1" in down.stderr
    sent = cli("--retry", "-q", url=smtp.url)
    assert sent.returncode == 0 and sent.stdout == "" and len(smtp.handler.messages) == 1
