"""`_schedule`: cron syntax checked (croniter plus what cron accepts), crontab lines that run and deliver,
and an installed crontab that round-trips (a temporary file; the real user crontab is never touched)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.errors import ParamsError
from workbench.pipeline import schedule

pytest.importorskip("croniter")


@pytest.mark.parametrize("expr", ["0 7 2 * *", "*/15 8-18 * * mon-fri", "30 6 1 jan,jul *", "@monthly", "@daily"])
def test_expressions_cron_accepts_are_valid(expr):
    assert schedule.schedule_problems(expr) == []


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("0 7 32 * *", "not a valid cron expression"),
        ("61 * * * *", "not a valid cron expression"),
        ("0 7 * *", "expected 5 fields"),
        ("0 0 7 2 * * 2025", "expected 5 fields"),  # seconds/years: croniter yes, cron no
        ("0 7 L * *", "field day of month 'L'"),  # Quartz syntax croniter takes, cron rejects
        ("0 7 * * 1#2", "field day of week '1#2'"),
        ("@reboot", "expected one of @yearly"),
        ("", "expected a cron expression"),
        (7, "expected a cron expression"),
        ("0 7 2 * *\n* * * * * rm -rf ~", "one line"),
    ],
)
def test_bad_expressions_say_what_is_wrong(expr, expected):
    [problem] = schedule.schedule_problems(expr)
    assert expected in problem


def test_next_runs_follow_the_calendar():
    # 07:00 on the 2nd: from mid-January the next runs are 2 Feb and 2 Mar (by the calendar, not by croniter)
    runs = schedule.next_runs("0 7 2 * *", 2, dt.datetime(2025, 1, 15, 12, 0))
    assert runs == [dt.datetime(2025, 2, 2, 7, 0), dt.datetime(2025, 3, 2, 7, 0)]


def _project(root: Path) -> Path:
    (root / "params" / "monthly_report").mkdir(parents=True)
    (root / "params" / "tiny").mkdir(parents=True)
    (root / "params" / "monthly_report" / "last month.yaml").write_text(
        'month: ""\n_schedule: "0 7 2 * *"\n_delivery: {to: head@example.com}\n', encoding="utf-8"
    )
    (root / "params" / "tiny" / "default.yaml").write_text("_schedule: '@daily'\n", encoding="utf-8")
    (root / "params" / "tiny" / "manual.yaml").write_text("scale: 2\n", encoding="utf-8")
    return root


def test_scheduled_reports_are_found_and_bad_ones_listed(tmp_path):
    root = _project(tmp_path / "p 100%")
    found = schedule.scheduled_reports(root)
    assert [(e.report, e.name, e.cron, e.delivers) for e in found] == [
        ("monthly_report", "last month", "0 7 2 * *", True),
        ("tiny", "default", "@daily", False),
    ]
    (root / "params" / "tiny" / "bad.yaml").write_text("_schedule: '0 25 * * *'\n", encoding="utf-8")
    with pytest.raises(ParamsError, match=r"params/tiny/bad.yaml: key '_schedule': not a valid cron"):
        schedule.scheduled_reports(root)


def test_a_cron_line_runs_then_delivers_with_quoting_and_percent_escaped(tmp_path):
    """Run the command part of each line through /bin/sh as cron would (with `echo` as workbench)."""
    root = _project(tmp_path / "p 100%")
    lines = [ln for ln in schedule.crontab_block(schedule.scheduled_reports(root), root, ["echo", "WB"]).splitlines()]
    cron_lines = [ln for ln in lines if not ln.startswith("#")]
    assert cron_lines[0].startswith("0 7 2 * * cd ") and r"p 100\%" in cron_lines[0]
    for line in cron_lines:
        fields = 1 if line.startswith("@") else 5
        command = line.split(" ", fields)[fields].replace(r"\%", "%")  # cron unescapes \% for the shell
        subprocess.run(["/bin/sh", "-c", command], check=True, timeout=30)
    log = (root / "reports" / "schedule.log").read_text().splitlines()
    assert log == [
        "WB run monthly_report params/monthly_report/last month.yaml --quiet",
        "WB deliver monthly_report/last month --quiet",
        "WB run tiny params/tiny/default.yaml --quiet",  # no _delivery: build only
    ]


def test_installed_crontab_round_trips_and_keeps_other_lines(tmp_path):
    root = _project(tmp_path / "proj")
    crontab = tmp_path / "crontab"
    crontab.write_text("MAILTO=me@example.com\n15 3 * * * /usr/bin/backup\n", encoding="utf-8")
    entries = schedule.scheduled_reports(root)
    text = schedule.install(entries, root, ["wb"], file=crontab)
    assert crontab.read_text() == text
    assert text.startswith("MAILTO=me@example.com\n15 3 * * * /usr/bin/backup\n")
    assert schedule.installed_block(text, root) == schedule.crontab_block(entries, root, ["wb"])
    (root / "params" / "tiny" / "default.yaml").write_text("_schedule: '0 6 * * 1'\n", encoding="utf-8")
    again = schedule.install(schedule.scheduled_reports(root), root, ["wb"], file=crontab)
    assert again.count(schedule.BEGIN) == 1 and "0 6 * * 1 cd" in again and "@daily" not in again
    other = tmp_path / "other"
    assert schedule.install([], other, ["wb"], file=crontab).count(schedule.BEGIN) == 2  # a second project


def test_cli_prints_and_installs_into_a_file(tmp_path):
    root = _project(tmp_path / "proj")
    (root / "notebooks").mkdir()
    (root / "pyproject.toml").write_text("")
    env = {**os.environ, "WORKBENCH_ROOT": str(root)}
    shown = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "schedule"], env=env, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert "# monthly_report/last month: 0 7 2 * * (next " in shown.stdout
    crontab = tmp_path / "crontab"
    done = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "schedule", "--install", "--crontab-file", str(crontab)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert schedule.installed_block(crontab.read_text(), root) in shown.stdout
