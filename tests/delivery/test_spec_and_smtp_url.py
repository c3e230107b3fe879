"""The `_delivery` block and WORKBENCH_SMTP_URL: validated early, with messages naming key and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.delivery.errors import DeliveryError
from workbench.delivery.smtp import parse_smtp_url, settings_from_env
from workbench.delivery.spec import DeliverySpec, parse_delivery, template_problems
from workbench.errors import ParamsError
from workbench.pipeline.params import NotebookParams, validate_params


def test_a_full_block_parses_and_a_single_address_becomes_a_list():
    spec = parse_delivery(
        {
            "to": "head@example.com",
            "failure_to": ["ops@example.com", "ops@example.com"],
            "subject": "{title} for {period}",
            "attachments": ["pdf", "html"],
            "report_url": "https://intranet.example.com/reports/",
            "from": "reports@example.com",
            "max_attachment_mb": 10,
        }
    )
    assert spec == DeliverySpec(
        to=("head@example.com",),
        failure_to=("ops@example.com",),
        subject="{title} for {period}",
        attachments=("pdf", "html"),
        report_url="https://intranet.example.com/reports/",
        sender="reports@example.com",
        max_attachment_mb=10.0,
    )


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({"to": []}, "'to': required"),
        ({"to": ["head@example"]}, "'to'[0]: expected an e-mail address like name@example.com, found 'head@example'"),
        ({"to": "a@b.com\nBcc: x@evil.com"}, "expected an e-mail address"),
        ({"to": "a@b.com", "failure_to": 42}, "'failure_to': expected an address or a list"),
        ({"to": "a@b.com", "subjet": "x"}, "unknown key 'subjet'; did you mean 'subject'?"),
        ({"to": "a@b.com", "subject": "{titel}"}, "unknown field {titel}; did you mean {title}?"),
        ({"to": "a@b.com", "subject": "{title.__class__}"}, "unknown field {title.__class__}"),
        ({"to": "a@b.com", "subject": "{title"}, "not a valid template"),
        ({"to": "a@b.com", "subject": "Report\r\nBcc: x@evil.com"}, "one line"),
        ({"to": "a@b.com", "attachments": ["docx"]}, "'attachments': expected a list of pdf and/or html"),
        ({"to": "a@b.com", "report_url": "ftp://x"}, "'report_url': expected an http(s) URL"),
        ({"to": "a@b.com", "max_attachment_mb": 0}, "'max_attachment_mb': expected a positive number"),
        ("head@example.com", "expected a mapping with at least 'to'"),
    ],
)
def test_bad_blocks_name_the_key_and_what_was_found(block, expected):
    with pytest.raises(DeliveryError) as err:
        parse_delivery(block)
    assert expected in str(err.value)


def test_every_problem_is_listed_at_once():
    with pytest.raises(DeliveryError) as err:
        parse_delivery({"to": ["x", "y@"], "subject": "{nope}"})
    assert len(err.value.problems) == 3


def test_templates_accept_every_documented_field():
    assert template_problems("{title} {report} {name} {version} {status} {date} {period} {{literal}}") == []


def test_params_validation_rejects_a_bad_block_before_any_kernel_starts():
    declared = NotebookParams(Path("tiny.ipynb"), {})
    raw = {"_delivery": {"to": "not-an-address"}, "_schedule": "0 7 32 * *", "_retention": {"keep": 3}}
    with pytest.raises(ParamsError) as err:
        validate_params(declared, raw, "params/tiny/default.yaml")
    text = str(err.value)
    assert "params/tiny/default.yaml" in text
    assert "key '_delivery': 'to': expected an e-mail address like name@example.com, found 'not-an-address'" in text
    assert "key '_schedule': not a valid cron expression: '0 7 32 * *'" in text
    assert "key '_retention': unknown key(s) 'keep'" in text
    ok = validate_params(declared, {"_delivery": {"to": "a@b.com"}, "_schedule": "@monthly", "_retention": 5})
    assert ok.options == {"_delivery": {"to": "a@b.com"}, "_schedule": "@monthly", "_retention": 5}
    assert ok.overrides == {}  # nothing of it reaches the notebook


@pytest.mark.parametrize(
    ("url", "host", "port", "tls", "starttls", "user", "password"),
    [
        ("smtp://relay.local", "relay.local", 25, False, False, "", ""),
        (
            "smtp://u%40x.com:p%3Aw@mail.example.com:587?starttls=1",
            "mail.example.com",
            587,
            False,
            True,
            "u@x.com",
            "p:w",
        ),
        ("smtp://mail.example.com?starttls=true", "mail.example.com", 587, False, True, "", ""),
        ("smtps://me:pw@mail.example.com", "mail.example.com", 465, True, False, "me", "pw"),
    ],
)
def test_smtp_url_parses(url, host, port, tls, starttls, user, password):
    s = parse_smtp_url(url)
    assert (s.host, s.port, s.tls, s.starttls, s.username, s.password) == (host, port, tls, starttls, user, password)


def test_the_password_never_shows():
    s = parse_smtp_url("smtps://me:hunter2@mail.example.com:465")
    assert "hunter2" not in s.describe() and "hunter2" not in repr(s)
    assert s.describe() == "smtps://me@mail.example.com:465"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://mail.example.com", "scheme 'http'"),
        ("smtp://", "no host"),
        ("smtp://h:99999", "port"),
        ("smtps://h?starttls=1", "already encrypted"),
        ("smtp://h?tls=1", "unknown option(s) tls"),
        ("smtp://h?starttls=maybe", "expects 1 or 0"),
        ("smtp://h?timeout=-1", "positive number of seconds"),
    ],
)
def test_bad_smtp_urls_name_the_variable(url, expected):
    with pytest.raises(DeliveryError) as err:
        parse_smtp_url(url)
    assert "WORKBENCH_SMTP_URL" in str(err.value) and expected in str(err.value)


def test_smtp_comes_from_the_environment_only():
    with pytest.raises(DeliveryError, match="WORKBENCH_SMTP_URL is not set"):
        settings_from_env({})
    assert settings_from_env({"WORKBENCH_SMTP_URL": "smtp://relay:2525"}).port == 2525
